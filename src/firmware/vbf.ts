/**
 * VBF files: the text header, then the binary part, repeated blocks
 * `address (u32 BE) | length (u32 BE) | data | CRC-16 (u16 BE)` up to the end of the file
 * (spec/firmware-formats.md, VBF). The block CRC is CRC-16/CCITT-FALSE over the (decompressed)
 * data; `file_checksum` is the CRC-32 over the whole binary part.
 *
 * The API works on plain `{ address, data }` blocks; converting to and from an image is the
 * image model's job.
 */
import { crc16CcittFalse, crc32 } from '../core/crc.js';
import { InvalidArgumentError } from '../core/errors.js';
import { VbfCompressionError, VbfFormatError } from './vbf-errors.js';
import { parseVbfHeader, type VbfHeader, type VbfParseOptions, type VbfRawValue } from './vbf-header.js';
import { formatVbfHeader } from './vbf-header-writer.js';
import { lzssCompress, lzssDecompress } from './vbf-lzss.js';

/** A block of plain data at an address. */
export interface VbfDataBlock {
  readonly address: number;
  readonly data: Uint8Array;
}

/** A block as read from a VBF file. */
export interface VbfBlock {
  readonly address: number;
  /** The data as stored in the file (compressed when the file is). */
  readonly stored: Uint8Array;
  /** The plain data; undefined when the compression method is not supported (see {@link vbfDataBlocks}). */
  readonly data: Uint8Array | undefined;
  /** CRC-16 stored after the block. */
  readonly crc16: number;
  /** Whether the CRC-16 was checked (it covers the plain data, so not for unsupported methods). */
  readonly crcChecked: boolean;
  /** Byte offset of the block (its address field) in the file. */
  readonly offset: number;
}

/** Compression method named by `data_format_identifier`. */
export type VbfCompression = 'none' | 'lzss' | 'lzma' | 'unknown';

/** A parsed VBF file. */
export interface VbfFile {
  /** `vbf_version`, as written. */
  version: string;
  header: VbfHeader;
  /** Raw value of every header key, in file order. */
  rawHeader: Record<string, VbfRawValue>;
  /** Byte offset where the binary part starts (just after the header's closing brace). */
  binaryOffset: number;
  compression: VbfCompression;
  blocks: VbfBlock[];
  /** CRC-32 over the binary part, as computed (equal to `header.file_checksum` when that is present). */
  fileChecksum: number;
}

/** The compression method and its name for a `data_format_identifier` (absent = plain). */
export function vbfCompression(dfi: number | undefined): { method: VbfCompression; name: string } {
  // ISO 14229-1:2020 10.3 (RequestDownload dataFormatIdentifier): high nibble compression, low nibble encryption.
  const v = dfi ?? 0;
  if (v === 0x00) return { method: 'none', name: 'none' };
  if (v === 0x10) return { method: 'lzss', name: 'LZSS (data_format_identifier 0x10)' };
  if (v === 0x20) return { method: 'lzma', name: 'LZMA (data_format_identifier 0x20)' };
  const hexv = '0x' + v.toString(16).toUpperCase().padStart(2, '0');
  return { method: 'unknown', name: `${v & 0x0f ? 'encryption/compression' : 'compression'} method ${hexv} (data_format_identifier ${hexv})` };
}

function hex(v: number, digits: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(digits, '0');
}

/**
 * Parses a VBF file: header, blocks (CRC-16 checked against the plain data), `file_checksum`
 * (when present, checked against the CRC-32 of the binary part). LZSS blocks are decompressed;
 * blocks of other compression methods are kept as stored, with `data` undefined. Throws only
 * {@link VbfFormatError}, naming line and column in the header or the byte offset in the binary part.
 */
export function parseVbf(bytes: Uint8Array, options: VbfParseOptions = {}): VbfFile {
  const file = options.fileName;
  const { version, header, raw, end } = parseVbfHeader(bytes, options);
  const { method } = vbfCompression(header.data_format_identifier);
  const blocks: VbfBlock[] = [];
  const u32 = (p: number): number =>
    (bytes[p] as number) * 0x1000000 + (((bytes[p + 1] as number) << 16) | ((bytes[p + 2] as number) << 8) | (bytes[p + 3] as number));
  let pos = end;
  while (pos < bytes.length) {
    const index = blocks.length;
    if (bytes.length - pos < 10) {
      throw VbfFormatError.at(
        { file, offset: pos, problem: 'truncated block', expected: `block ${index}: address (4 bytes), length (4 bytes) and CRC-16 (2 bytes)`, found: `${bytes.length - pos} byte(s) left` },
        { block: index },
      );
    }
    const address = u32(pos);
    const length = u32(pos + 4);
    if (length > bytes.length - pos - 10) {
      throw VbfFormatError.at(
        { file, offset: pos, problem: 'truncated block', expected: `block ${index} at ${hex(address, 8)}: ${length} data bytes and a CRC-16`, found: `${bytes.length - pos - 8} byte(s) left (truncated)` },
        { block: index, address, length },
      );
    }
    const stored = bytes.slice(pos + 8, pos + 8 + length);
    const crc = ((bytes[pos + 8 + length] as number) << 8) | (bytes[pos + 9 + length] as number);
    let data: Uint8Array | undefined;
    if (method === 'none') data = stored;
    else if (method === 'lzss') data = lzssDecompress(stored, { file, offset: pos + 8, block: index });
    if (data !== undefined) {
      const actual = crc16CcittFalse(data);
      if (actual !== crc) {
        throw VbfFormatError.at(
          { file, offset: pos, problem: 'bad block CRC-16', expected: `block ${index} at ${hex(address, 8)}: CRC-16 ${hex(crc, 4)} (stored)`, found: `CRC-16 ${hex(actual, 4)} of the data` },
          { block: index, address, storedCrc: crc, computedCrc: actual },
        );
      }
    }
    blocks.push({ address, stored, data, crc16: crc, crcChecked: data !== undefined, offset: pos });
    pos += 10 + length;
  }
  const fileChecksum = crc32(bytes.subarray(end));
  if (header.file_checksum !== undefined && header.file_checksum !== fileChecksum) {
    throw VbfFormatError.at(
      { file, offset: end, problem: 'bad file_checksum', expected: `file_checksum ${hex(header.file_checksum, 8)} (header)`, found: `CRC-32 ${hex(fileChecksum, 8)} of the binary part` },
      { storedChecksum: header.file_checksum, computedChecksum: fileChecksum },
    );
  }
  return { version, header, rawHeader: raw, binaryOffset: end, compression: method, blocks, fileChecksum };
}

/**
 * The plain `{ address, data }` blocks of a parsed VBF. Throws {@link VbfCompressionError} naming
 * the method when the file's compression cannot be decoded (LZMA: Node has no LZMA decoder).
 */
export function vbfDataBlocks(vbf: VbfFile): VbfDataBlock[] {
  return vbf.blocks.map((b) => {
    if (b.data === undefined) {
      const { name } = vbfCompression(vbf.header.data_format_identifier);
      throw new VbfCompressionError(`VBF blocks are compressed with ${name}, which udskit cannot decompress; supported: none (0x00) and LZSS (0x10)`, {
        dataFormatIdentifier: vbf.header.data_format_identifier,
      });
    }
    return { address: b.address, data: b.data };
  });
}

/** Input of {@link writeVbf}. */
export interface VbfWriteInput {
  /** `vbf_version`, e.g. `2.6`. */
  version: string;
  /** Header; `file_checksum` is computed and replaces any value given. */
  header: VbfHeader;
  /** Plain data blocks, written in this order (compressed when `data_format_identifier` is 0x10). */
  blocks: readonly VbfDataBlock[];
}

/**
 * Writes a VBF file: the header (spec key order), then each block with its CRC-16 over the plain
 * data, and `file_checksum` = CRC-32 of the binary part written into the header. Throws
 * {@link VbfCompressionError} for a compression method other than none and LZSS, and
 * {@link InvalidArgumentError} for an address or a block size outside 32 bits.
 */
export function writeVbf(input: VbfWriteInput): Uint8Array {
  const { method, name } = vbfCompression(input.header.data_format_identifier);
  if (method !== 'none' && method !== 'lzss') {
    throw new VbfCompressionError(`cannot write VBF blocks compressed with ${name}; supported: none (0x00) and LZSS (0x10)`, {
      dataFormatIdentifier: input.header.data_format_identifier,
    });
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  input.blocks.forEach((b, i) => {
    if (!Number.isInteger(b.address) || b.address < 0 || b.address > 0xffffffff) {
      throw new InvalidArgumentError(`VBF block ${i}: address must be 0..0xFFFFFFFF, got ${b.address}`, { block: i });
    }
    const stored = method === 'lzss' ? lzssCompress(b.data) : b.data;
    if (stored.length > 0xffffffff) throw new InvalidArgumentError(`VBF block ${i}: ${stored.length} bytes do not fit a 32-bit length`, { block: i });
    const part = new Uint8Array(10 + stored.length);
    const dv = new DataView(part.buffer);
    dv.setUint32(0, b.address);
    dv.setUint32(4, stored.length);
    part.set(stored, 8);
    dv.setUint16(8 + stored.length, crc16CcittFalse(b.data));
    parts.push(part);
    size += part.length;
  });
  const binary = new Uint8Array(size);
  let p = 0;
  for (const part of parts) {
    binary.set(part, p);
    p += part.length;
  }
  const headerText = formatVbfHeader(input.version, { ...input.header, file_checksum: crc32(binary) });
  const out = new Uint8Array(headerText.length + binary.length);
  for (let i = 0; i < headerText.length; i++) out[i] = headerText.charCodeAt(i);
  out.set(binary, headerText.length);
  return out;
}
