/**
 * Reading and writing firmware files in any format: the input format is detected from the content
 * (never from the extension) unless the caller forces it; the output format follows the output file's
 * extension unless the caller names it. Pure: bytes in (whole or in chunks), bytes out (the CLI does the
 * file I/O).
 */
import { extname } from 'node:path';
import { InvalidArgumentError } from '../core/errors.js';
import { readBinary } from './binary.js';
import { blankPrefixLength, detectFormat, DETECT_BYTES } from './detect.js';
import type { ReadOptions } from './errors.js';
import { ADDRESS_LIMIT, type FirmwareFormat, type FirmwareImage } from './image.js';
import { IntelHexReader, readIntelHex } from './intel-hex.js';
import { readSRecord, SRecordReader } from './srecord.js';
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

/** The reader options of {@link ReadFirmwareOptions}. */
function readOptionsOf(options: ReadFirmwareOptions): ReadOptions {
  return {
    ...(options.file !== undefined ? { file: options.file } : {}),
    ...(options.overlap !== undefined ? { overlap: options.overlap } : {}),
    ...(options.strict !== undefined ? { strict: options.strict } : {}),
    ...(options.onWarning !== undefined ? { onWarning: options.onWarning } : {}),
  };
}

/**
 * Reads a firmware file of any format: detected from the content (S-record, Intel HEX, VBF, else
 * binary) unless `format` forces one. Throws the readers' errors (FirmwareFormatError and its
 * VbfFormatError, ImageOverlapError naming both places, VbfCompressionError, InvalidArgumentError naming
 * the file for a binary base that puts data beyond 32 bits). Binary input becomes the image's data as it
 * is (no copy). {@link FirmwareReader} reads the same in chunks.
 */
export function readFirmware(bytes: Uint8Array, options: ReadFirmwareOptions = {}): FirmwareFile {
  const detected = options.format === undefined;
  const format = options.format ?? detectFormat(bytes);
  const read = readOptionsOf(options);
  switch (format) {
    case 'srecord':
      return { image: readSRecord(bytes, read), format, detected };
    case 'intel-hex':
      return { image: readIntelHex(bytes, read), format, detected };
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
 * Reads a firmware file of any format in chunks, as they are read from a file or a stream: {@link push}
 * each chunk (any size; the reader copies what it keeps, so one buffer may be reused for every chunk), then
 * {@link end}. Same result and errors as {@link readFirmware} on the whole input. The format is detected
 * from the first bytes; S-record and Intel HEX go through the incremental readers, so the text is never in
 * memory; binary and VBF input is collected into one buffer of `inputBytes` (the file size, when known:
 * then the image of a binary file is that buffer, no second copy) and read at the end.
 */
export class FirmwareReader {
  private readonly options: ReadFirmwareOptions;
  private readonly inputBytes: number | undefined;
  private format: FirmwareFormat | undefined;
  private text: SRecordReader | IntelHexReader | undefined;
  /** Binary and VBF input, and the first bytes while the format is not known: `whole[0..length)`. */
  private whole: Uint8Array | undefined;
  private length = 0;
  /** While detecting: `whole[0..blank)` is known to be blank (white space, byte order marks). */
  private blank = 0;

  /** `inputBytes`: the size of the whole input when known (sizes buffers once; the result never depends on it). */
  constructor(options: ReadFirmwareOptions = {}, inputBytes?: number) {
    this.options = options;
    this.inputBytes = inputBytes !== undefined && Number.isInteger(inputBytes) && inputBytes > 0 ? inputBytes : undefined;
    this.format = options.format;
    if (this.format !== undefined) this.start(this.format);
  }

  /** Parses (text formats) or keeps (binary, VBF) the next chunk. Throws the errors of {@link readFirmware} at the first fault. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.text) {
      this.text.push(chunk);
      return;
    }
    this.keep(chunk);
    if (this.format !== undefined) return;
    const kept = (this.whole as Uint8Array).subarray(0, this.length);
    // Resume the blank scan where the last one stopped (linear in the input, however it is cut).
    this.blank += blankPrefixLength(kept.subarray(this.blank));
    if (this.blank + DETECT_BYTES > kept.length) return;
    this.format = detectFormat(kept);
    const text = this.start(this.format);
    if (text) {
      this.whole = undefined;
      this.length = 0;
      text.push(kept);
    }
  }

  /** The file read: its image, format and base. Throws the errors of {@link readFirmware}. */
  end(): FirmwareFile {
    const detected = this.options.format === undefined;
    const bytes = (this.whole ?? new Uint8Array(0)).subarray(0, this.length);
    if (this.format === undefined) return readFirmware(bytes, this.options);
    if (this.text) return { image: this.text.end(), format: this.format, detected };
    return { ...readFirmware(bytes, { ...this.options, format: this.format }), detected };
  }

  /** Creates the incremental reader of a text format (undefined for binary and VBF). */
  private start(format: FirmwareFormat): SRecordReader | IntelHexReader | undefined {
    const read = readOptionsOf(this.options);
    if (format === 'srecord') this.text = new SRecordReader(read, this.inputBytes);
    else if (format === 'intel-hex') this.text = new IntelHexReader(read, this.inputBytes);
    return this.text;
  }

  private keep(chunk: Uint8Array): void {
    const need = this.length + chunk.length;
    if (this.whole === undefined || need > this.whole.length) {
      // The whole input's size once the format is binary or VBF; only what is needed while it may be text.
      const size = this.format === undefined ? need : Math.max(need, this.inputBytes ?? 0);
      const grown = new Uint8Array(Math.max(size, (this.whole?.length ?? 0) * 2));
      if (this.whole) grown.set(this.whole.subarray(0, this.length));
      this.whole = grown;
    }
    this.whole.set(chunk, this.length);
    this.length = need;
  }
}
