/** Errors of the VBF (Versatile/Volvo Binary File) reader and writer. */
import { UdskitError } from '../core/errors.js';
import { FirmwareFormatError, type SourcePlace } from './errors.js';

/** Where a VBF problem is and what was expected there. */
export interface VbfErrorPlace {
  /** File name, when the caller gave one. */
  readonly file?: string | undefined;
  /** 1-based line in the text header. */
  readonly line?: number;
  /** 1-based column in the text header. */
  readonly column?: number;
  /** Byte offset in the file. */
  readonly offset?: number;
  /** What the format requires here. */
  readonly expected: string;
  /** What the file holds instead. */
  readonly found: string;
  /** Short name of the fault (`bad block CRC-16`); default `malformed VBF`. */
  readonly problem?: string;
}

/** `file:line:column` in the header, or `file at byte offset N (0xN)` in the binary part. */
function where(place: VbfErrorPlace): string {
  const file = place.file ?? 'VBF';
  if (place.line !== undefined) return `${file}:${place.line}:${place.column ?? 1}`;
  const off = place.offset ?? 0;
  return `${file} at byte offset ${off} (0x${off.toString(16).toUpperCase()})`;
}

/**
 * A VBF file is malformed: a header syntax error, a value of the wrong type, a truncated block, a
 * block CRC-16 or `file_checksum` mismatch. A {@link FirmwareFormatError} with its own code
 * `UDSKIT_VBF_FORMAT`: `place` and `details` carry file, line and column (header) and/or the byte
 * offset, with `problem`, `expected` and `found`. The message reads `file:line:column: expected X, found Y`
 * (header) or `file at byte offset N (0xN): expected X, found Y` (binary part).
 */
export class VbfFormatError extends FirmwareFormatError {
  constructor(place: VbfErrorPlace, extra: Record<string, unknown> = {}) {
    const src: SourcePlace = {
      ...(place.file !== undefined ? { file: place.file } : {}),
      ...(place.line !== undefined ? { line: place.line } : {}),
      ...(place.column !== undefined ? { column: place.column } : {}),
      ...(place.offset !== undefined ? { offset: place.offset } : {}),
    };
    super(src, place.problem ?? 'malformed VBF', place.expected, place.found, {
      code: 'UDSKIT_VBF_FORMAT',
      message: `${where(place)}: expected ${place.expected}, found ${place.found}`,
      details: extra,
    });
  }

  /** Builds the error with the standard message `file:line:column: expected X, found Y`. */
  static at(place: VbfErrorPlace, extra: Record<string, unknown> = {}): VbfFormatError {
    return new VbfFormatError(place, extra);
  }
}

/**
 * The plain data of a VBF block was needed but the file's `data_format_identifier` names a
 * compression (or encryption) method udskit cannot decode. The message names the method.
 */
export class VbfCompressionError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_VBF_COMPRESSION', details);
  }
}
