/**
 * Reading the firmware files of a flash job: S-record, Intel HEX, binary (with its base address) or VBF,
 * detected from the content unless the job names the format; then the job's `range` (crop) and `offset`
 * (move). A VBF keeps what the flash sequence needs from its header: erase ranges, `call` (the start
 * address of a secondary bootloader), `sw_part_type`, data format.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { ConfigError, UdskitError } from '../core/errors.js';
import { readBinary } from '../firmware/binary.js';
import { detectFormat } from '../firmware/detect.js';
import { crop, offsetImage } from '../firmware/image-ops.js';
import { createImage, type FirmwareFormat, type FirmwareImage } from '../firmware/image.js';
import { readIntelHex } from '../firmware/intel-hex.js';
import { readSRecord } from '../firmware/srecord.js';
import { parseVbf, vbfDataBlocks } from '../firmware/vbf.js';

/** What the flash sequence uses from a VBF header. */
export interface VbfInfo {
  /** `erase` ranges of the header (empty when it has none). */
  readonly erase: readonly { readonly start: number; readonly length: number }[];
  /** `call`: where a secondary bootloader starts. */
  readonly call?: number;
  /** `sw_part_type` (SBL, EXE, DATA, ...). */
  readonly swPartType?: string;
  readonly swPartNumber?: string;
  /** `data_format_identifier` of the file. */
  readonly dataFormatIdentifier: number;
}

/** A firmware file as read for a job. */
export interface LoadedFirmware {
  /** The path read. */
  readonly file: string;
  readonly format: FirmwareFormat;
  /** The data, after `range` and `offset`. */
  readonly image: FirmwareImage;
  /** Present for VBF files. */
  readonly vbf?: VbfInfo;
}

/** How to read one file (a job's `firmware` entry or `flashDriver`). */
export interface FirmwareSource {
  readonly file: string;
  /** `auto` (default): detected from the content. */
  readonly format?: 'auto' | FirmwareFormat;
  /** Load address of a binary file (default 0); an error for other formats unless `baseAddressBinaryOnly`. */
  readonly baseAddress?: number | undefined;
  /** Ignore `baseAddress` for files that are not binary (a template's default driver address). */
  readonly baseAddressBinaryOnly?: boolean;
  /** Moves every segment by this many bytes. */
  readonly offset?: number | undefined;
  /** Keeps only `[start, end)`. */
  readonly range?: { readonly start: number; readonly end: number } | undefined;
}

/** A firmware file could not be read or used. The message names the file and what to do. */
export class FirmwareFileError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, 'UDSKIT_FLASH_FIRMWARE', details, options);
  }
}

/** Parses `bytes` (the content of `file`) as `source` says. Pure: no I/O. */
export function parseFirmware(bytes: Uint8Array, source: FirmwareSource): LoadedFirmware {
  const format = source.format === undefined || source.format === 'auto' ? detectFormat(bytes) : source.format;
  const name = basename(source.file);
  if (source.baseAddress !== undefined && format !== 'binary' && source.baseAddressBinaryOnly !== true) {
    throw new ConfigError(`${name}: baseAddress applies to binary files only (this file is ${format}); use offset to move its data`, { file: source.file });
  }
  let image: FirmwareImage;
  let vbf: VbfInfo | undefined;
  if (format === 'vbf') {
    const parsed = parseVbf(bytes, { fileName: name });
    const h = parsed.header;
    image = createImage(vbfDataBlocks(parsed), { format: 'vbf', ...(h.call !== undefined ? { startAddress: h.call } : {}) });
    vbf = {
      erase: (h.erase ?? []).map((r) => ({ start: r.start, length: r.length })),
      ...(h.call !== undefined ? { call: h.call } : {}),
      ...(h.sw_part_type !== undefined ? { swPartType: h.sw_part_type } : {}),
      ...(h.sw_part_number !== undefined ? { swPartNumber: h.sw_part_number } : {}),
      dataFormatIdentifier: h.data_format_identifier ?? 0,
    };
  } else if (format === 'srecord') {
    image = readSRecord(bytes, { file: name });
  } else if (format === 'intel-hex') {
    image = readIntelHex(bytes, { file: name });
  } else {
    image = readBinary(bytes, source.baseAddress ?? 0);
  }
  if (source.range) image = crop(image, source.range.start, source.range.end);
  if (source.offset !== undefined && source.offset !== 0) image = offsetImage(image, source.offset);
  if (image.segments.length === 0) {
    throw new FirmwareFileError(`${name}: no data${source.range ? ' in the range given' : ''}; check the file and the job's range`, { file: source.file });
  }
  return { file: source.file, format, image, ...(vbf ? { vbf } : {}) };
}

/** Reads and parses `source.file`. Throws `FirmwareFileError` when it cannot be read, or the readers' errors. */
export async function loadFirmware(source: FirmwareSource): Promise<LoadedFirmware> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(source.file));
  } catch (e) {
    throw new FirmwareFileError(`cannot read firmware file ${source.file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: source.file }, { cause: e });
  }
  return parseFirmware(bytes, source);
}
