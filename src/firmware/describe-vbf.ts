/** The VBF part of `udskit image info`: every header key, compression, `file_checksum`, blocks with their CRC-16 status. */
import { vbfCompression } from './vbf.js';
import { formatVbfRawValue } from './vbf-header-writer.js';
import type { VbfRawValue } from './vbf-header.js';
import type { VbfImageFields } from './vbf-image.js';

/** One VBF block as `image info` reports it. */
export interface VbfBlockDescription {
  readonly index: number;
  readonly address: number;
  /** Plain data bytes (undefined when the compression cannot be decoded). */
  readonly length?: number;
  /** Bytes stored in the file (differs from `length` for compressed files). */
  readonly storedLength: number;
  /** Stored CRC-16, 4 hex digits. */
  readonly crc16: string;
  /** `ok` (checked against the plain data; a mismatch makes the file unreadable) or `not checked` (undecodable compression). */
  readonly crc: 'ok' | 'not checked';
  /** Byte offset of the block in the file. */
  readonly offset: number;
}

/** The VBF facts `image info` reports. */
export interface VbfDescription {
  readonly version: string;
  /** Every header key in file order, as written in the file (`erase = { { 0x1000, 0x100 } }` gives `{ { 0x1000, 0x100 } }`). */
  readonly header: Readonly<Record<string, string>>;
  /** `sw_part_number`, `sw_version`, `sw_part_type` and the other typed keys, JSON-friendly. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Name of the compression method (`none`, `LZSS (data_format_identifier 0x10)`, ...). */
  readonly compression: string;
  /** `file_checksum`: computed CRC-32 of the binary part, the header's value, and whether they match. */
  readonly fileChecksum: { readonly computed: string; readonly stored?: string; readonly status: 'ok' | 'absent' };
  /** Total of the erase ranges, when the header has `erase`. */
  readonly eraseBytes?: number;
  readonly blocks: readonly VbfBlockDescription[];
  /** Blocks whose data could not be decoded (left out of the data ranges). */
  readonly undecodedBlocks: number;
}

function hex(v: number, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

/** Describes the VBF fields of an image. */
export function describeVbf(v: VbfImageFields): VbfDescription {
  const header: Record<string, string> = {};
  for (const [key, raw] of Object.entries(v.rawHeader)) header[key] = formatVbfRawValue(key, raw as VbfRawValue);
  const { extra: _extra, ...typed } = v.header;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(typed)) {
    fields[key] = value instanceof Uint8Array ? Buffer.from(value).toString('hex').toUpperCase() : value;
  }
  const stored = v.header.file_checksum;
  return {
    version: v.version,
    header,
    fields,
    compression: vbfCompression(v.header.data_format_identifier).name,
    fileChecksum: {
      computed: hex(v.fileChecksum, 8),
      ...(stored !== undefined ? { stored: hex(stored, 8) } : {}),
      // parseVbf refuses a file whose file_checksum does not match, so a present value matched.
      status: stored !== undefined ? 'ok' : 'absent',
    },
    ...(v.header.erase ? { eraseBytes: v.header.erase.reduce((n, r) => n + r.length, 0) } : {}),
    blocks: v.blocks.map((b, index) => ({
      index,
      address: b.address,
      ...(b.length !== undefined ? { length: b.length } : {}),
      storedLength: b.storedLength,
      crc16: hex(b.crc16, 4),
      crc: b.crcChecked ? 'ok' : 'not checked',
      offset: b.offset,
    })),
    undecodedBlocks: v.undecodedBlocks,
  };
}

/** Text lines of the VBF part of `image info`. */
export function formatVbfDescription(d: VbfDescription): string[] {
  const lines = [`VBF header (vbf_version ${d.version}):`];
  const width = Math.max(0, ...Object.keys(d.header).map((k) => k.length));
  for (const [key, text] of Object.entries(d.header)) {
    let note = '';
    if (key === 'data_format_identifier') note = `  (compression: ${d.compression})`;
    if (key === 'file_checksum') note = d.fileChecksum.status === 'ok' ? '  (matches the CRC-32 of the binary part)' : '';
    if (key === 'erase' && d.eraseBytes !== undefined) note = `  (${d.eraseBytes} bytes)`;
    lines.push(`  ${key.padEnd(width)} = ${text}${note}`);
  }
  if (d.fileChecksum.status === 'absent') lines.push(`  (no file_checksum; CRC-32 of the binary part: 0x${d.fileChecksum.computed})`);
  lines.push(`Blocks: ${d.blocks.length}${d.undecodedBlocks > 0 ? ` (${d.undecodedBlocks} not decoded: ${d.compression})` : ''}`);
  for (const b of d.blocks) {
    const size = b.length !== undefined ? `${b.length} bytes` : '? bytes';
    const stored = b.length !== b.storedLength ? ` (${b.storedLength} stored)` : '';
    lines.push(`  #${b.index}  0x${hex(b.address, 8)}  ${size}${stored}  CRC-16 0x${b.crc16} ${b.crc}  at file offset 0x${hex(b.offset, 0)}`);
  }
  return lines;
}
