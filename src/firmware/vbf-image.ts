/**
 * VBF files as {@link FirmwareImage}s (spec/firmware-formats.md, VBF): blocks become segments, the
 * header is kept as metadata (`image.fields.vbf`), and an image plus a header is written back as a VBF.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { VbfCompressionError } from './vbf-errors.js';
import { ImageBuilder, type FirmwareImage, type OverlapPolicy } from './image.js';
import { parseVbf, vbfCompression, writeVbf, type VbfCompression, type VbfFile } from './vbf.js';
import type { VbfEraseRange, VbfHeader, VbfRawValue } from './vbf-header.js';

/** One block of a VBF file as the image keeps it (no data: that is in the segments). */
export interface VbfBlockInfo {
  /** Load address of the block. */
  readonly address: number;
  /** Bytes stored in the file (compressed size for compressed files). */
  readonly storedLength: number;
  /** Bytes of plain data; undefined when the compression method cannot be decoded. */
  readonly length: number | undefined;
  /** CRC-16/CCITT-FALSE stored after the block. */
  readonly crc16: number;
  /** Whether the CRC-16 was checked against the plain data (and matched: a mismatch is an error). */
  readonly crcChecked: boolean;
  /** Byte offset of the block's address field in the file. */
  readonly offset: number;
}

/** The VBF metadata of an image read from a VBF file: `image.fields.vbf`. */
export interface VbfImageFields {
  /** `vbf_version` as written (`2.6`). */
  readonly version: string;
  /** The typed header. */
  readonly header: VbfHeader;
  /** Raw value of every header key, in file order. */
  readonly rawHeader: Readonly<Record<string, VbfRawValue>>;
  /** Compression method named by `data_format_identifier`. */
  readonly compression: VbfCompression;
  /** Byte offset where the binary part starts. */
  readonly binaryOffset: number;
  /** CRC-32 of the binary part as computed (equal to `header.file_checksum` when the header has one). */
  readonly fileChecksum: number;
  /** The blocks in file order. */
  readonly blocks: readonly VbfBlockInfo[];
  /** Blocks left out of the segments because their compression cannot be decoded (see {@link VbfImageOptions}). */
  readonly undecodedBlocks: number;
}

/** Options of {@link vbfToImage} and {@link readVbfImage}. */
export interface VbfImageOptions {
  /** File name for places in overlap messages. */
  readonly file?: string;
  /** Overlapping blocks: an ImageOverlapError naming both byte offsets (default) or the later block wins. */
  readonly overlap?: OverlapPolicy;
  /**
   * Blocks whose compression udskit cannot decode (LZMA, unknown methods): a {@link VbfCompressionError}
   * (default) or left out of the segments (`'omit'`, for inspecting the header and block list).
   */
  readonly undecodable?: 'error' | 'omit';
}

/** The VBF metadata of an image, or undefined when it was not read from a VBF file. */
export function vbfFieldsOf(image: FirmwareImage): VbfImageFields | undefined {
  const v = image.fields?.vbf;
  if (typeof v !== 'object' || v === null) return undefined;
  const f = v as Partial<VbfImageFields>;
  return typeof f.version === 'string' && typeof f.header === 'object' && Array.isArray(f.blocks) ? (v as VbfImageFields) : undefined;
}

/**
 * A parsed VBF as an image: each block's plain data becomes a segment (adjacent blocks merge), `call`
 * becomes the start address, and the header stays in `fields.vbf`. Overlapping blocks are an
 * ImageOverlapError naming both byte offsets.
 */
export function vbfToImage(vbf: VbfFile, options: VbfImageOptions = {}): FirmwareImage {
  const builder = new ImageBuilder({ overlap: options.overlap ?? 'error' });
  let undecoded = 0;
  for (const b of vbf.blocks) {
    if (b.data === undefined) {
      if (options.undecodable === 'omit') {
        undecoded++;
        continue;
      }
      const { name } = vbfCompression(vbf.header.data_format_identifier);
      throw new VbfCompressionError(`${options.file ?? 'VBF'}: blocks are compressed with ${name}, which udskit cannot decompress; supported: none (0x00) and LZSS (0x10)`, {
        dataFormatIdentifier: vbf.header.data_format_identifier,
      });
    }
    // The data starts after the 4-byte address and 4-byte length fields.
    builder.add(b.address, b.data, { ...(options.file !== undefined ? { file: options.file } : {}), offset: b.offset + 8 });
  }
  const fields: VbfImageFields = {
    version: vbf.version,
    header: vbf.header,
    rawHeader: vbf.rawHeader,
    compression: vbf.compression,
    binaryOffset: vbf.binaryOffset,
    fileChecksum: vbf.fileChecksum,
    blocks: vbf.blocks.map((b) => ({
      address: b.address,
      storedLength: b.stored.length,
      length: b.data?.length,
      crc16: b.crc16,
      crcChecked: b.crcChecked,
      offset: b.offset,
    })),
    undecodedBlocks: undecoded,
  };
  return {
    format: 'vbf',
    segments: builder.build(),
    ...(vbf.header.call !== undefined ? { startAddress: vbf.header.call } : {}),
    fields: { vbf: fields },
  };
}

/**
 * Reads a VBF file into an image (see {@link vbfToImage}); `image.header` holds the header text.
 * Throws VbfFormatError (with file, line/column or byte offset, expected, found), ImageOverlapError,
 * or VbfCompressionError.
 */
export function readVbfImage(bytes: Uint8Array, options: VbfImageOptions = {}): FirmwareImage {
  const vbf = parseVbf(bytes, options.file !== undefined ? { fileName: options.file } : {});
  return { ...vbfToImage(vbf, options), header: bytes.slice(0, vbf.binaryOffset) };
}

/** Options of {@link imageToVbf}. */
export interface ImageToVbfOptions {
  /** `vbf_version`; default `2.6`. */
  readonly version?: string;
  /** The header to write; `file_checksum` is always computed. Default {@link defaultVbfHeader}. */
  readonly header?: VbfHeader;
}

/** The version {@link imageToVbf} writes unless told otherwise. */
export const DEFAULT_VBF_VERSION = '2.6';

/**
 * The header udskit writes when no template is given: `sw_part_number` as given, `sw_version` `1`,
 * `sw_part_type` `EXE`, `data_format_identifier` 0x00 (plain), `erase` = the image's data ranges. Target
 * specific keys (`network`, `ecu_address`, `frame_format`) are left out: give them with a template.
 */
export function defaultVbfHeader(image: FirmwareImage, swPartNumber: string, description?: string): VbfHeader {
  return {
    ...(description !== undefined ? { description: [description] } : {}),
    sw_part_number: swPartNumber,
    sw_version: '1',
    sw_part_type: 'EXE',
    data_format_identifier: 0x00,
    erase: eraseRangesOf(image),
  };
}

/** One erase range per segment of the image, covering exactly its data. */
export function eraseRangesOf(image: FirmwareImage): VbfEraseRange[] {
  return image.segments.map((s) => ({ start: s.address, length: s.data.length }));
}

/** The first data range of the image that no erase range covers, or undefined when all data is covered. */
export function dataOutsideErase(image: FirmwareImage, erase: readonly VbfEraseRange[]): { start: number; end: number } | undefined {
  const ranges = [...erase].sort((a, b) => a.start - b.start);
  for (const s of image.segments) {
    let cur = s.address;
    const end = s.address + s.data.length;
    // Bounded: each pass either advances `cur` past an erase range or returns.
    for (const r of ranges) {
      if (r.start > cur) break;
      if (r.start + r.length > cur) cur = r.start + r.length;
      if (cur >= end) break;
    }
    if (cur < end) {
      const next = ranges.find((r) => r.start > cur);
      return { start: cur, end: Math.min(end, next ? next.start : end) };
    }
  }
  return undefined;
}

/**
 * Writes an image as a VBF file: one block per segment, CRC-16 per block, `file_checksum` computed.
 * The header's `call` is written as given (the CLI sets it from the start address for an SBL).
 * Throws VbfCompressionError for a compression method udskit cannot write, InvalidArgumentError for
 * a header value that cannot be written.
 */
export function imageToVbf(image: FirmwareImage, options: ImageToVbfOptions = {}): Uint8Array {
  return writeVbf({
    version: options.version ?? DEFAULT_VBF_VERSION,
    header: options.header ?? defaultVbfHeader(image, 'UNKNOWN'),
    blocks: image.segments.map((s) => ({ address: s.address, data: s.data })),
  });
}

/** Where the header of a VBF being written comes from. */
export interface VbfHeaderTemplate {
  readonly version: string;
  readonly header: VbfHeader;
  /** `header-file`: given by the user (its erase list is used as is); `input`: the input VBF's; `default`: {@link defaultVbfHeader}. */
  readonly source: 'header-file' | 'input' | 'default';
  /** File the template came from, for messages. */
  readonly file?: string;
}

/** The header to write, and what was derived from the data. */
export interface ResolvedVbfHeader {
  readonly version: string;
  readonly header: VbfHeader;
  /** What was computed rather than taken from the template (one line each). */
  readonly notes: readonly string[];
}

function hex8(v: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * The header for writing `image` as a VBF from a template. `erase`: the template's when it covers all
 * data; else computed from the data (one range per segment) — except that a header file's erase list
 * must cover the data (an InvalidArgumentError names the first uncovered range). `call`: the image's
 * start address when the template has `call`, is an SBL, or `startAddressGiven`; else left out.
 * `file_checksum` is always recomputed by the writer.
 */
export function vbfHeaderForImage(image: FirmwareImage, template: VbfHeaderTemplate, options: { startAddressGiven?: boolean } = {}): ResolvedVbfHeader {
  const notes: string[] = [];
  const { file_checksum: _sum, call: oldCall, erase: oldErase, ...rest } = template.header;
  const header: VbfHeader = { ...rest };
  if (oldErase !== undefined) {
    const uncovered = dataOutsideErase(image, oldErase);
    if (uncovered === undefined) header.erase = oldErase;
    else if (template.source === 'header-file') {
      throw new InvalidArgumentError(
        `the erase ranges of ${template.file ?? 'the VBF header'} do not cover the data at ${hex8(uncovered.start)}..${hex8(uncovered.end - 1)}; ` +
          'add an erase range for it, or remove erase from the header to have it computed from the data',
        { start: uncovered.start, end: uncovered.end },
      );
    } else {
      header.erase = eraseRangesOf(image);
      notes.push(`erase ranges computed from the data (the input's do not cover ${hex8(uncovered.start)}..${hex8(uncovered.end - 1)})`);
    }
  } else {
    header.erase = eraseRangesOf(image);
    notes.push('erase ranges computed from the data (one per range)');
  }
  const start = image.startAddress ?? (image.startSegment ? image.startSegment.cs * 16 + image.startSegment.ip : undefined);
  if (start !== undefined && (options.startAddressGiven || oldCall !== undefined || header.sw_part_type === 'SBL')) header.call = start;
  else if (start !== undefined) {
    notes.push(`start address ${hex8(start)} not written: a VBF holds one only as call, written for an SBL, a template with call, or an explicit start address (--exec-start)`);
  }
  return { version: template.version, header, notes };
}
