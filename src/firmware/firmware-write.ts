/**
 * Writes an image in the format of an {@link OutputTarget}, with the choices `udskit image convert`
 * offers: S-record width (S1/S2/S3), Intel HEX addressing (16-bit, 20-bit segment 02, 32-bit linear 04),
 * record size, binary fill byte, VBF header; in one buffer or in chunks for a file. Defaults reproduce
 * srec_cat 1.64 byte for byte (the record layout and start records are the writers' own defaults).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { writeBinary, writeBinaryChunks, type BinaryWriteOptions } from './binary.js';
import type { FirmwareImage } from './image.js';
import { writeIntelHexBytes, writeIntelHexChunks, type IntelHexWriteOptions } from './intel-hex.js';
import { writeSRecordBytes, writeSRecordChunks, type SRecordWriteOptions } from './srecord.js';
import type { OutputTarget, SRecordAddressBytes } from './firmware-file.js';
import { imageToVbf, vbfFieldsOf, type ImageToVbfOptions } from './vbf-image.js';

/** Address width in bits, as `--address-width` takes it. */
export type AddressWidth = 16 | 24 | 32;

/** Options of {@link writeFirmware}. */
export interface WriteFirmwareOptions {
  /** Format (and S-record width from the file name). */
  readonly target: OutputTarget;
  /**
   * S-record: every record uses S1 (16), S2 (24) or S3 (32), overriding the file name. Intel HEX: 16 = no
   * extended address records (I8HEX), 24 = 02 extended segment records (I16HEX, up to 1 MiB),
   * 32 = 04 extended linear records (I32HEX, the default).
   */
  readonly addressWidth?: AddressWidth;
  /** Data bytes per record (S-record, Intel HEX). Default 32, as srec_cat. */
  readonly recordSize?: number;
  /** Binary: byte written into gaps. Default 0xFF. */
  readonly fill?: number;
  /** S-record S0 header text or bytes. Default: the image's header (a VBF image: `sw_part_number sw_version`). */
  readonly header?: string | Uint8Array;
  /** VBF version and header. */
  readonly vbf?: ImageToVbfOptions;
  /** Output file name, for messages. */
  readonly file?: string;
}

/** What {@link writeFirmware} produced. */
export interface WrittenFirmware {
  readonly bytes: Uint8Array;
  /** What was written, e.g. `S-record, S3 records` or `Intel HEX, 32-bit linear (04) addressing`. */
  readonly description: string;
}

const S_LIMIT: Readonly<Record<SRecordAddressBytes, number>> = { 2: 0x10000, 3: 0x1000000, 4: 0x1_0000_0000 };
const S_EXT: Readonly<Record<SRecordAddressBytes, string>> = { 2: '.s19', 3: '.s28', 4: '.s37' };

function textBytes(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'latin1'));
}

function hex8(v: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(8, '0');
}

/** The image's end (exclusive) or 0 when empty. */
function endOf(image: FirmwareImage): number {
  const last = image.segments[image.segments.length - 1];
  return last ? last.address + last.data.length : 0;
}

/** The execution start as one linear address: the start address, or CS * 16 + IP of an Intel 03 record (as srec_cat reads it). */
export function linearStart(image: FirmwareImage): number | undefined {
  if (image.startAddress !== undefined) return image.startAddress;
  return image.startSegment ? image.startSegment.cs * 16 + image.startSegment.ip : undefined;
}

function sRecordHeader(image: FirmwareImage): Uint8Array | undefined {
  const vbf = vbfFieldsOf(image);
  if (vbf) {
    const text = [vbf.header.sw_part_number, vbf.header.sw_version].filter((s) => s !== undefined).join(' ');
    return textBytes(text.slice(0, 252));
  }
  return image.header;
}

function writeS(image: FirmwareImage, o: WriteFirmwareOptions, where: string): Prepared {
  const width = o.addressWidth !== undefined ? ((o.addressWidth / 8) as SRecordAddressBytes) : o.target.addressBytes;
  const start = linearStart(image);
  if (width !== undefined) {
    const limit = S_LIMIT[width];
    const end = endOf(image);
    const bad = end > limit ? { what: 'data at', at: end - 1 } : start !== undefined && start >= limit ? { what: 'the start address', at: start } : undefined;
    if (bad !== undefined) {
      throw new InvalidArgumentError(
        `${where}S${width - 1} records (${width * 8}-bit addresses, ${S_EXT[width]}) cannot hold ${bad.what} ${hex8(bad.at)}; ` +
          `write ${width === 2 ? '.s28, .s37' : '.s37'} or .srec (smallest width per record), or give --address-width ${width === 2 ? '24 or 32' : '32'}`,
        { addressWidth: width * 8, address: bad.at },
      );
    }
  }
  const header = o.header ?? sRecordHeader(image);
  return {
    kind: 'srecord',
    image: { ...image, ...(start !== undefined ? { startAddress: start } : {}) },
    options: {
      ...(width !== undefined ? { addressBytes: width } : {}),
      ...(o.recordSize !== undefined ? { bytesPerRecord: o.recordSize } : {}),
      ...(header !== undefined ? { header } : {}),
    },
    description: `S-record, ${width !== undefined ? `S${width - 1} records` : 'smallest record type per address'}`,
  };
}

function writeHex(image: FirmwareImage, o: WriteFirmwareOptions, where: string): Prepared {
  const width = o.addressWidth ?? 32;
  const addressing: IntelHexWriteOptions['addressing'] = width === 16 ? 'none' : width === 24 ? 'segment' : 'linear';
  const limit = width === 16 ? 0x10000 : width === 24 ? 0x100000 : 0x1_0000_0000;
  const end = endOf(image);
  if (end > limit) {
    throw new InvalidArgumentError(
      `${where}Intel HEX with ${width}-bit addressing reaches ${hex8(limit - 1)} but data ends at ${hex8(end - 1)}; give --address-width ${width === 16 ? '24 or 32' : '32'}`,
      { addressWidth: width, address: end - 1 },
    );
  }
  const start = linearStart(image);
  if (width !== 32 && start !== undefined && start >= limit) {
    throw new InvalidArgumentError(`${where}Intel HEX with ${width}-bit addressing cannot hold the start address ${hex8(start)}; give --address-width 32`, { address: start });
  }
  const names = { 16: '16-bit (no extended address records)', 24: '20-bit segment (02) addressing', 32: '32-bit linear (04) addressing' } as const;
  // The writer lays records out as srec_cat and puts the start where srec_cat does for each addressing.
  const bare: FirmwareImage = {
    segments: image.segments,
    ...(image.startAddress !== undefined ? { startAddress: image.startAddress } : {}),
    ...(image.startSegment !== undefined ? { startSegment: image.startSegment } : {}),
  };
  return { kind: 'intel-hex', image: bare, options: { addressing, ...(o.recordSize !== undefined ? { bytesPerRecord: o.recordSize } : {}) }, description: `Intel HEX, ${names[width]}` };
}

/** What to write, checked: the writer and its arguments. */
type Prepared =
  | { readonly kind: 'srecord'; readonly image: FirmwareImage; readonly options: SRecordWriteOptions; readonly description: string }
  | { readonly kind: 'intel-hex'; readonly image: FirmwareImage; readonly options: IntelHexWriteOptions; readonly description: string }
  | { readonly kind: 'binary'; readonly image: FirmwareImage; readonly options: BinaryWriteOptions; readonly description: string }
  | { readonly kind: 'vbf'; readonly image: FirmwareImage; readonly options: ImageToVbfOptions; readonly description: string };

function prepare(image: FirmwareImage, options: WriteFirmwareOptions): Prepared {
  const where = options.file !== undefined ? `${options.file}: ` : '';
  switch (options.target.format) {
    case 'srecord':
      return writeS(image, options, where);
    case 'intel-hex':
      return writeHex(image, options, where);
    case 'binary': {
      const first = image.segments[0];
      const fill = options.fill ?? 0xff;
      return {
        kind: 'binary',
        image,
        options: { fill },
        description: `binary from ${first ? hex8(first.address) : 'address 0 (empty image)'}, gaps filled with 0x${fill.toString(16).toUpperCase().padStart(2, '0')}`,
      };
    }
    case 'vbf':
      return { kind: 'vbf', image, options: options.vbf ?? {}, description: `VBF ${options.vbf?.version ?? '2.6'}` };
  }
}

/**
 * Writes `image` as the target format, in one buffer. Throws InvalidArgumentError (naming the option to
 * change) when the data or the start address does not fit the address width, or an option is out of
 * range; a VBF compression method that cannot be written is a VbfCompressionError.
 */
export function writeFirmware(image: FirmwareImage, options: WriteFirmwareOptions): WrittenFirmware {
  const p = prepare(image, options);
  switch (p.kind) {
    case 'srecord':
      return { bytes: writeSRecordBytes(p.image, p.options), description: p.description };
    case 'intel-hex':
      return { bytes: writeIntelHexBytes(p.image, p.options), description: p.description };
    case 'binary':
      return { bytes: writeBinary(p.image, p.options), description: p.description };
    case 'vbf':
      return { bytes: imageToVbf(p.image, p.options), description: p.description };
  }
}

/** What {@link writeFirmwareChunks} produces: the file's bytes as chunks, to write as they come. */
export interface FirmwareChunks {
  /** The file's bytes in order (see {@link writeFirmwareChunks} for how long each chunk stays valid). */
  readonly chunks: Iterable<Uint8Array>;
  /** What is written, as {@link WrittenFirmware.description}. */
  readonly description: string;
}

/**
 * The bytes of {@link writeFirmware} as chunks, for writing a large image to a file without its text in
 * memory: S-record and Intel HEX from {@link writeSRecordChunks} / {@link writeIntelHexChunks} (whole
 * records per chunk), binary from {@link writeBinaryChunks} (the segments' own bytes and runs of the fill
 * byte), VBF as one buffer. `chunk`: as the text writers take it, the size of a fresh buffer per chunk
 * (default 1 MiB) or one buffer that every chunk reuses (each chunk then valid until the next is asked for;
 * binary output uses its length as the largest fill run). Options are checked at the call, with the errors of
 * {@link writeFirmware}. Concatenated, the chunks equal {@link writeFirmware}'s bytes.
 */
export function writeFirmwareChunks(image: FirmwareImage, options: WriteFirmwareOptions, chunk: number | Uint8Array = 1 << 20): FirmwareChunks {
  const p = prepare(image, options);
  switch (p.kind) {
    case 'srecord':
      return { chunks: writeSRecordChunks(p.image, p.options, chunk), description: p.description };
    case 'intel-hex':
      return { chunks: writeIntelHexChunks(p.image, p.options, chunk), description: p.description };
    case 'binary':
      return { chunks: writeBinaryChunks(p.image, p.options, typeof chunk === 'number' ? chunk : chunk.length), description: p.description };
    case 'vbf':
      return { chunks: [imageToVbf(p.image, p.options)], description: p.description };
  }
}
