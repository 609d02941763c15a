/**
 * What `udskit image info` reports about a firmware file: what `srec_info` prints (format, header,
 * execution start address, data ranges) plus sizes, gaps, CRC32 per segment and of the whole data, and
 * for VBF every header key, the compression, `file_checksum` and each block's CRC-16 status.
 */
import { crc32 } from '../core/crc.js';
import type { FirmwareFormat } from './image.js';
import { gaps } from './image.js';
import { FORMAT_NAMES, type FirmwareFile } from './firmware-file.js';
import { describeVbf, formatVbfDescription, type VbfDescription } from './describe-vbf.js';
import { vbfFieldsOf } from './vbf-image.js';

/** A data range `[start, end)` with its size and CRC-32 (upper-case hex). */
export interface SegmentDescription {
  readonly start: number;
  readonly end: number;
  readonly size: number;
  readonly crc32: string;
}

/** A gap `[start, end)` between two data ranges. */
export interface GapDescription {
  readonly start: number;
  readonly end: number;
  readonly size: number;
}

/** Everything `image info` reports; JSON-friendly (addresses are numbers, CRCs hex text). */
export interface FirmwareDescription {
  readonly file?: string;
  readonly format: FirmwareFormat;
  /** `Motorola S-record`, `Intel HEX`, `binary`, `VBF`. */
  readonly formatName: string;
  /** True when the format was detected from the content (not forced). */
  readonly detected: boolean;
  /** S-record S0 header: printable text (other bytes as `\xNN`) and hex. */
  readonly header?: { readonly text: string; readonly hex: string };
  /** Execution start address (S7/S8/S9, Intel 05, VBF `call`). */
  readonly startAddress?: number;
  /** Intel HEX 03 start segment address. */
  readonly startSegment?: { readonly cs: number; readonly ip: number };
  /** Load address of binary input. */
  readonly base?: number;
  /** Lowest and highest (inclusive) address holding data. */
  readonly lowest?: number;
  readonly highest?: number;
  /** highest - lowest + 1 (0 for an empty image). */
  readonly span: number;
  /** Bytes of data (gaps not counted). */
  readonly dataSize: number;
  /** Bytes of the gaps between the data ranges. */
  readonly gapSize: number;
  /** CRC-32 (zlib) of the data in address order, gaps left out. */
  readonly crc32: string;
  readonly segments: readonly SegmentDescription[];
  readonly gaps: readonly GapDescription[];
  readonly vbf?: VbfDescription;
}

function crcHex(v: number): string {
  return v.toString(16).toUpperCase().padStart(8, '0');
}

/** `\xNN` for bytes outside printable ASCII, `\\` and `\"` escaped. */
export function printableText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x5c || b === 0x22) s += '\\' + String.fromCharCode(b);
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += '\\x' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return s;
}

/** Describes a loaded firmware file (see {@link FirmwareDescription}). */
export function describeFirmware(loaded: FirmwareFile, file?: string): FirmwareDescription {
  const { image, format } = loaded;
  const segments = image.segments.map((s) => ({ start: s.address, end: s.address + s.data.length, size: s.data.length, crc32: crcHex(crc32(s.data)) }));
  let whole = 0;
  for (const s of image.segments) whole = crc32(s.data, whole);
  const gapList = gaps(image).map((g) => ({ start: g.start, end: g.end, size: g.end - g.start }));
  const first = segments[0];
  const last = segments[segments.length - 1];
  const dataSize = segments.reduce((n, s) => n + s.size, 0);
  const vbf = vbfFieldsOf(image);
  return {
    ...(file !== undefined ? { file } : {}),
    format,
    formatName: FORMAT_NAMES[format],
    detected: loaded.detected,
    ...(image.header !== undefined && format !== 'vbf' ? { header: { text: printableText(image.header), hex: Buffer.from(image.header).toString('hex').toUpperCase() } } : {}),
    ...(image.startAddress !== undefined ? { startAddress: image.startAddress } : {}),
    ...(image.startSegment !== undefined ? { startSegment: image.startSegment } : {}),
    ...(loaded.base !== undefined ? { base: loaded.base } : {}),
    ...(first && last ? { lowest: first.start, highest: last.end - 1 } : {}),
    span: first && last ? last.end - first.start : 0,
    dataSize,
    gapSize: gapList.reduce((n, g) => n + g.size, 0),
    crc32: crcHex(whole),
    segments,
    gaps: gapList,
    ...(vbf ? { vbf: describeVbf(vbf) } : {}),
  };
}

/** Address digits as srec_info prints them: 4, 6 or 8 by the highest address. */
function digitsFor(highest: number): number {
  return highest <= 0xffff ? 4 : highest <= 0xffffff ? 6 : 8;
}

function h(v: number, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

/** The text `image info` prints: srec_info's lines first (Format, Header, Execution Start Address, Data), then the rest. */
export function formatDescription(d: FirmwareDescription): string[] {
  const lines: string[] = [];
  const how = d.detected ? 'detected from content' : 'as given by --input-format';
  const version = d.vbf ? ` ${d.vbf.version}` : '';
  lines.push(`Format: ${d.formatName}${version} (${how})${d.base !== undefined ? `, loaded at base 0x${h(d.base, 8)}` : ''}`);
  if (d.header) lines.push(`Header: "${d.header.text}"`);
  if (d.startAddress !== undefined) lines.push(`Execution Start Address: ${h(d.startAddress, 8)}${d.vbf ? ' (VBF call)' : ''}`);
  if (d.startSegment) {
    const { cs, ip } = d.startSegment;
    lines.push(`Start Segment Address: ${h(cs, 4)}:${h(ip, 4)} (CS:IP, linear ${h(cs * 16 + ip, 8)})`);
  }
  const digits = digitsFor(d.highest ?? 0);
  if (d.segments.length === 0) lines.push('Data:   none');
  d.segments.forEach((s, i) => {
    lines.push(`${i === 0 ? 'Data:  ' : '       '} ${h(s.start, digits)} - ${h(s.end - 1, digits)}  ${s.size} bytes, CRC32 ${s.crc32}`);
  });
  d.gaps.forEach((g, i) => lines.push(`${i === 0 ? 'Gaps:  ' : '       '} ${h(g.start, digits)} - ${h(g.end - 1, digits)}  ${g.size} bytes`));
  if (d.lowest !== undefined && d.highest !== undefined) {
    lines.push(
      `Size:   ${d.dataSize} data bytes in ${d.segments.length} range(s), ${d.gapSize} gap bytes; ` +
        `span ${d.span} bytes from 0x${h(d.lowest, 8)} to 0x${h(d.highest, 8)}`,
    );
  }
  lines.push(`CRC32:  ${d.crc32} (of the data in address order, gaps left out)`);
  if (d.vbf) lines.push(...formatVbfDescription(d.vbf));
  return lines;
}
