/**
 * Reading and writing firmware files in any format: the input format is detected from the content
 * (never from the extension) unless the caller forces it; the output format follows the output file's
 * extension unless the caller names it. Pure: bytes in, bytes out (the CLI does the file I/O).
 */
import { extname } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';
import { readBinary } from './binary.js';
import { detectFormat } from './detect.js';
import type { ReadOptions } from './errors.js';
import { ADDRESS_LIMIT, type FirmwareFormat, type FirmwareImage } from './image.js';
import { readIntelHex } from './intel-hex.js';
import { readSRecord } from './srecord.js';
import { readVbfImage, type VbfImageOptions } from './vbf-image.js';

/** Human names of the formats, as `image info` prints them. */
export const FORMAT_NAMES: Readonly<Record<FirmwareFormat, string>> = {
  srecord: 'Motorola S-record',
  'intel-hex': 'Intel HEX',
  binary: 'binary',
  vbf: 'VBF',
};

/** S-record address width in bytes (S1 = 2, S2 = 3, S3 = 4). */
export type SRecordAddressBytes = 2 | 3 | 4;

/**
 * Where a file is written: its format and, for S-records, the address width the name asks for
 * (`.s19` S1, `.s28` S2, `.s37` S3; `.srec`/`.mot` none: the smallest that fits each record, as srec_cat).
 */
export interface OutputTarget {
  readonly format: FirmwareFormat;
  readonly addressBytes?: SRecordAddressBytes;
}

/** Output format names (and file extensions without the dot) and what each means. */
export const OUTPUT_FORMATS: Readonly<Record<string, OutputTarget>> = {
  s19: { format: 'srecord', addressBytes: 2 },
  s28: { format: 'srecord', addressBytes: 3 },
  s37: { format: 'srecord', addressBytes: 4 },
  srec: { format: 'srecord' },
  mot: { format: 'srecord' },
  hex: { format: 'intel-hex' },
  ihx: { format: 'intel-hex' },
  bin: { format: 'binary' },
  vbf: { format: 'vbf' },
};

/** Input format names `--input-format` accepts (the output names and the long names). */
const INPUT_ALIASES: Readonly<Record<string, FirmwareFormat>> = {
  srecord: 'srecord',
  'intel-hex': 'intel-hex',
  ihex: 'intel-hex',
  binary: 'binary',
  ...Object.fromEntries(Object.entries(OUTPUT_FORMATS).map(([k, v]) => [k, v.format])),
};

/** Parses an input format name (`srec`, `s37`, `hex`, `intel-hex`, `bin`, `vbf`, ...). Throws InvalidArgumentError listing the names. */
export function parseInputFormat(name: string): FirmwareFormat {
  const f = INPUT_ALIASES[name.trim().toLowerCase()];
  if (f === undefined) {
    throw new InvalidArgumentError(`unknown input format "${name}"; use one of: ${Object.keys(INPUT_ALIASES).join(', ')}`, { format: name });
  }
  return f;
}

/**
 * The output target of a file name (`forced` = an output format name such as `s37`, `hex`, `bin`,
 * `vbf`, which wins over the extension). Throws InvalidArgumentError listing the choices when the
 * extension is unknown.
 */
export function outputTargetFor(path: string, forced?: string): OutputTarget {
  const choices = Object.keys(OUTPUT_FORMATS).join(', ');
  if (forced !== undefined) {
    const key = forced.trim().toLowerCase();
    const t = OUTPUT_FORMATS[key] ?? (key === 'srecord' ? OUTPUT_FORMATS.srec : key === 'intel-hex' || key === 'ihex' ? OUTPUT_FORMATS.hex : key === 'binary' ? OUTPUT_FORMATS.bin : undefined);
    if (t === undefined) throw new InvalidArgumentError(`unknown output format "${forced}"; use one of: ${choices}`, { format: forced });
    return t;
  }
  const ext = extname(path).slice(1).toLowerCase();
  const t = OUTPUT_FORMATS[ext];
  if (t === undefined) {
    throw new InvalidArgumentError(
      `cannot tell the output format from "${path}" (${ext === '' ? 'no extension' : `extension .${ext}`}); ` +
        `name the file .${Object.keys(OUTPUT_FORMATS).join(', .')} or give --output-format (${choices})`,
      { file: path },
    );
  }
  return t;
}

/** Options of {@link readFirmware}. */
export interface ReadFirmwareOptions extends ReadOptions, Pick<VbfImageOptions, 'undecodable'> {
  /** Force the format instead of detecting it from the content. */
  readonly format?: FirmwareFormat;
  /** Load address of binary input (default 0). */
  readonly base?: number;
}

/** A loaded firmware file. */
export interface FirmwareFile {
  readonly image: FirmwareImage;
  readonly format: FirmwareFormat;
  /** True when the format was detected from the content, false when forced. */
  readonly detected: boolean;
  /** Load address of binary input. */
  readonly base?: number;
}

/**
 * Reads a firmware file of any format: detected from the content (S-record, Intel HEX, VBF, else
 * binary) unless `format` forces one. Throws the readers' errors (FirmwareFormatError and its
 * VbfFormatError, ImageOverlapError naming both places, VbfCompressionError, InvalidArgumentError naming
 * the file for a binary base that puts data beyond 32 bits).
 */
export function readFirmware(bytes: Uint8Array, options: ReadFirmwareOptions = {}): FirmwareFile {
  const detected = options.format === undefined;
  const format = options.format ?? detectFormat(bytes);
  const read: ReadOptions = {
    ...(options.file !== undefined ? { file: options.file } : {}),
    ...(options.overlap !== undefined ? { overlap: options.overlap } : {}),
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.onWarning !== undefined ? { onWarning: options.onWarning } : {}),
  };
  switch (format) {
    case 'srecord':
      return { image: readSRecord(bytes, read), format, detected };
    case 'intel-hex':
      return { image: withEofStart(readIntelHex(bytes, read), bytes), format, detected };
    case 'vbf':
      return {
        image: readVbfImage(bytes, { ...read, ...(options.undecodable !== undefined ? { undecodable: options.undecodable } : {}) }),
        format,
        detected,
      };
    case 'binary': {
      const base = options.base ?? 0;
      if (base + bytes.length > ADDRESS_LIMIT) {
        throw new InvalidArgumentError(
          `${options.file ?? 'binary input'}: ${bytes.length} bytes loaded at base 0x${base.toString(16).toUpperCase()} run past 0xFFFFFFFF; give a lower base address`,
          { ...(options.file !== undefined ? { file: options.file } : {}), base, length: bytes.length },
        );
      }
      return { image: readBinary(bytes, base), format, detected, base };
    }
  }
}

/**
 * I8HEX files (16-bit addressing, no 03/05 records) written by srec_cat carry the execution start
 * address in the address field of the end-of-file record (`:00AAAA01CC`); take it from there when the
 * file has no start record, so such a file converts back as srec_cat does.
 */
function withEofStart(image: FirmwareImage, bytes: Uint8Array): FirmwareImage {
  if (image.startAddress !== undefined || image.startSegment !== undefined) return image;
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + Math.max(0, bytes.length - 64), Math.min(bytes.length, 64)).toString('latin1');
  const m = /:00([0-9A-Fa-f]{4})01([0-9A-Fa-f]{2})\s*$/.exec(tail);
  if (!m) return image;
  const addr = parseInt(m[1] as string, 16);
  // Two's complement checksum over count (0), address and type (1).
  const ok = ((addr >> 8) + (addr & 0xff) + 1 + parseInt(m[2] as string, 16)) % 256 === 0;
  return addr !== 0 && ok ? { ...image, startAddress: addr } : image;
}
