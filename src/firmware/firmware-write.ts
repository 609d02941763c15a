/**
 * Writes an image in the format of an {@link OutputTarget}, with the choices `udskit image convert`
 * offers: S-record width (S1/S2/S3), Intel HEX addressing (16-bit, 20-bit segment 02, 32-bit linear 04),
 * record size, binary fill byte, VBF header. Defaults reproduce srec_cat 1.64 byte for byte.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { writeBinary } from './binary.js';
import type { FirmwareImage, Segment } from './image.js';
import { writeIntelHex, type IntelHexWriteOptions } from './intel-hex.js';
import { writeSRecord } from './srecord.js';
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

function writeS(image: FirmwareImage, o: WriteFirmwareOptions, where: string): WrittenFirmware {
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
  const text = writeSRecord(
    { ...image, segments: srecCatPieces(image.segments), ...(start !== undefined ? { startAddress: start } : {}) },
    {
      ...(width !== undefined ? { addressBytes: width } : {}),
      ...(o.recordSize !== undefined ? { bytesPerRecord: o.recordSize } : {}),
      ...(header !== undefined ? { header } : {}),
    },
  );
  return { bytes: textBytes(text), description: `S-record, ${width !== undefined ? `S${width - 1} records` : 'smallest record type per address'}` };
}

/**
 * srec_cat 1.64 keeps data in memory chunks of 7 * 256 bytes and writes each chunk's data as its own run
 * of records: a record never crosses a multiple of 1792, and the records of a chunk start at its first
 * data byte (srecord's memory_chunk::size, memory_chunk::walk, output::write_data).
 */
export const SREC_CAT_CHUNK_SIZE = 7 * 256;

/**
 * The image's segments cut at every multiple of {@link SREC_CAT_CHUNK_SIZE}, so that the writers (which
 * start records at each segment's first byte) put every record where srec_cat does. The pieces touch;
 * they are only handed to a writer, never kept as an image.
 */
export function srecCatPieces(segments: readonly Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const end = s.address + s.data.length;
    let from = s.address;
    // Bounded: one piece per chunk the segment touches.
    while (from < end) {
      const to = Math.min(end, (Math.floor(from / SREC_CAT_CHUNK_SIZE) + 1) * SREC_CAT_CHUNK_SIZE);
      out.push({ address: from, data: s.data.subarray(from - s.address, to - s.address) });
      from = to;
    }
  }
  return out;
}

/**
 * Pieces cut so that the writer's records fall where srec_cat puts them in segment (02) mode: records
 * on the grid `piece start + k * per`, and a record that crosses a 64 KiB boundary split in two at the
 * boundary (the grid goes on after it).
 */
function splitCrossingRecords(segments: readonly Segment[], per: number): Segment[] {
  const out: Segment[] = [];
  for (const s of segments) {
    const end = s.address + s.data.length;
    let from = s.address;
    // Bounded: one cut pair per 64 KiB boundary inside the segment.
    for (let b = (Math.floor(s.address / 0x10000) + 1) * 0x10000; b < end; b += 0x10000) {
      const recordEnd = Math.min(end, s.address + Math.ceil((b - s.address) / per) * per);
      if ((b - s.address) % per === 0) continue; // a record starts at the boundary: nothing to split
      out.push({ address: from, data: s.data.subarray(from - s.address, b - s.address) });
      out.push({ address: b, data: s.data.subarray(b - s.address, recordEnd - s.address) });
      from = recordEnd;
    }
    if (from < end) out.push({ address: from, data: s.data.subarray(from - s.address) });
  }
  return out;
}

/** An Intel HEX end-of-file record carrying `address` in its address field (srec_cat's I8HEX start address). */
function eofRecord(address: number): string {
  const sum = (address >> 8) + (address & 0xff) + 1;
  const cs = (-sum & 0xff).toString(16).toUpperCase().padStart(2, '0');
  return `:00${address.toString(16).toUpperCase().padStart(4, '0')}01${cs}\n`;
}

function writeHex(image: FirmwareImage, o: WriteFirmwareOptions, where: string): WrittenFirmware {
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
  const opts: IntelHexWriteOptions = { addressing, ...(o.recordSize !== undefined ? { bytesPerRecord: o.recordSize } : {}) };
  const start = linearStart(image);
  const bare: FirmwareImage = { segments: srecCatPieces(image.segments) };
  const names = { 16: '16-bit (no extended address records)', 24: '20-bit segment (02) addressing', 32: '32-bit linear (04) addressing' } as const;
  const description = `Intel HEX, ${names[width]}`;
  if (width === 32) {
    const img: FirmwareImage = {
      ...bare,
      ...(image.startAddress !== undefined ? { startAddress: image.startAddress } : {}),
      ...(image.startSegment !== undefined ? { startSegment: image.startSegment } : {}),
    };
    return { bytes: textBytes(writeIntelHex(img, opts)), description };
  }
  if (start !== undefined && start >= limit) {
    throw new InvalidArgumentError(`${where}Intel HEX with ${width}-bit addressing cannot hold the start address ${hex8(start)}; give --address-width 32`, { address: start });
  }
  if (width === 24) {
    // Intel HEX rev. A: a 03 record holds CS:IP; CS * 16 + IP = the start (CS = upper 4 bits * 0x1000).
    const seg = image.startSegment ?? (start !== undefined ? { cs: Math.floor(start / 0x10000) * 0x1000, ip: start % 0x10000 } : undefined);
    const pieces: FirmwareImage = { segments: splitCrossingRecords(bare.segments, o.recordSize ?? 32) };
    return { bytes: textBytes(writeIntelHex({ ...pieces, ...(seg ? { startSegment: seg } : {}) }, opts)), description };
  }
  // I8HEX has no start record; srec_cat puts the start address in the end-of-file record's address field.
  const text = writeIntelHex(bare, opts);
  return { bytes: textBytes(start !== undefined && start !== 0 ? text.replace(/:00000001FF\n$/, eofRecord(start)) : text), description };
}

/**
 * Writes `image` as the target format. Throws InvalidArgumentError (naming the option to change) when
 * the data or the start address does not fit the address width, or an option is out of range; a VBF
 * compression method that cannot be written is a VbfCompressionError.
 */
export function writeFirmware(image: FirmwareImage, options: WriteFirmwareOptions): WrittenFirmware {
  const where = options.file !== undefined ? `${options.file}: ` : '';
  switch (options.target.format) {
    case 'srecord':
      return writeS(image, options, where);
    case 'intel-hex':
      return writeHex(image, options, where);
    case 'binary': {
      const first = image.segments[0];
      return {
        bytes: writeBinary(image, options.fill !== undefined ? { fill: options.fill } : {}),
        description: `binary from ${first ? hex8(first.address) : 'address 0 (empty image)'}, gaps filled with 0x${(options.fill ?? 0xff).toString(16).toUpperCase().padStart(2, '0')}`,
      };
    }
    case 'vbf':
      return { bytes: imageToVbf(image, options.vbf ?? {}), description: `VBF ${options.vbf?.version ?? '2.6'}` };
  }
}
