/** Detects a firmware file's format from its content (never from its extension). */
import type { FirmwareFormat } from './image.js';

/**
 * Bytes from the first non-blank one that {@link detectFormat} looks at: the format of an input is decided
 * once it holds this many after its blank prefix ({@link blankPrefixLength}).
 */
export const DETECT_BYTES = 64;

/**
 * Length of the prefix {@link detectFormat} skips: white space (space, tab, CR, LF) and UTF-8 byte order
 * marks. A prefix of it may be skipped first: `a + blankPrefixLength(bytes.subarray(a))` is the same for
 * any `a` up to which the input is blank (a byte order mark cut at the end of `bytes` is not skipped).
 */
export function blankPrefixLength(bytes: Uint8Array): number {
  return firstNonBlank(bytes);
}

function firstNonBlank(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  // Skip a UTF-8 byte order mark.
  if (bytes[i] === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) return firstNonBlank(bytes.subarray(i + 3)) + i + 3;
  return i;
}

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102));
}

/**
 * The format of `bytes`: `'vbf'` when the text starts with `vbf_version`, `'srecord'` when the first
 * line looks like `S<digit><hex>`, `'intel-hex'` when it looks like `:<hex>`, else `'binary'`.
 */
export function detectFormat(bytes: Uint8Array): FirmwareFormat {
  const i = firstNonBlank(bytes);
  const head = Buffer.from(bytes.buffer, bytes.byteOffset + i, Math.min(bytes.length - i, DETECT_BYTES)).toString('latin1');
  if (/^vbf_version\s*=/.test(head)) return 'vbf';
  const c = bytes[i + 1];
  if (bytes[i] === 0x53 && c !== undefined && c >= 0x30 && c <= 0x39 && isHex(bytes[i + 2]) && isHex(bytes[i + 3])) {
    return 'srecord';
  }
  if (bytes[i] === 0x3a && isHex(bytes[i + 1]) && isHex(bytes[i + 2]) && isHex(bytes[i + 3])) return 'intel-hex';
  return 'binary';
}

