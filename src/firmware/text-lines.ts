/** Shared helpers of the hex-text formats (S-record, Intel HEX): line splitting and hex-pair decoding. */
import { FirmwareFormatError, type FirmwareWarning, type ReadOptions, type SourcePlace } from './errors.js';

/** Text of a file given as a string or as bytes (decoded as Latin-1 so every byte maps to one column). */
export function asText(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

/** Calls `fn(line, lineNumber)` for each line (LF, CRLF or CR endings), trailing spaces and tabs removed. */
export function forEachLine(text: string, fn: (line: string, lineNo: number) => boolean | void): void {
  let pos = 0;
  let lineNo = 0;
  while (pos <= text.length) {
    let end = pos;
    while (end < text.length) {
      const c = text.charCodeAt(end);
      if (c === 10 || c === 13) break;
      end++;
    }
    lineNo++;
    let stop = end;
    while (stop > pos && (text.charCodeAt(stop - 1) === 32 || text.charCodeAt(stop - 1) === 9)) stop--;
    if (fn(text.slice(pos, stop), lineNo) === true) return;
    if (end >= text.length) return;
    pos = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
  }
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Shows one character in a message: printable as itself in quotes, others as U+XXXX. */
export function showChar(ch: string): string {
  const c = ch.charCodeAt(0);
  return c >= 0x21 && c < 0x7f ? `'${ch}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Decodes the hex digits of `line` from index `from` into bytes. Errors name the column (1-based):
 * a non-hex character, or an odd number of digits.
 */
export function decodeHexPairs(line: string, from: number, place: (column: number) => SourcePlace): Uint8Array {
  const n = line.length - from;
  for (let i = from; i < line.length; i++) {
    if (hexVal(line.charCodeAt(i)) < 0) {
      throw new FirmwareFormatError(place(i + 1), 'bad character', 'a hex digit 0-9 A-F', showChar(line.charAt(i)));
    }
  }
  if (n % 2 !== 0) {
    throw new FirmwareFormatError(place(line.length), 'odd number of hex digits', 'whole bytes (an even number of digits)', `${n} digits`);
  }
  const out = new Uint8Array(n / 2);
  for (let i = 0; i < out.length; i++) out[i] = (hexVal(line.charCodeAt(from + 2 * i)) << 4) | hexVal(line.charCodeAt(from + 2 * i + 1));
  return out;
}

/** Reports a warning: an error in strict mode, else to `onWarning`. */
export function warn(options: ReadOptions, place: SourcePlace, problem: string, expected: string): void {
  if (options.strict) throw new FirmwareFormatError(place, problem, expected, 'end of file');
  const w: FirmwareWarning = { place, message: `${problem}: expected ${expected}` };
  options.onWarning?.(w);
}

/** `PAIRS[b]` is byte `b` as two upper-case hex digits. */
const PAIRS: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'));

/** `v` as `digits` upper-case hex digits (digits even, v < 2^32). */
export function hexDigits(v: number, digits: number): string {
  let s = '';
  for (let i = digits / 2 - 1; i >= 0; i--) s += PAIRS[Math.floor(v / 256 ** i) % 256] as string;
  return s;
}

/** Upper-case hex of bytes `[from, to)` of `data`, no separators. */
export function hexOf(data: Uint8Array, from = 0, to = data.length): string {
  const parts: string[] = new Array<string>(to - from);
  for (let i = from; i < to; i++) parts[i - from] = PAIRS[data[i] as number] as string;
  return parts.join('');
}
