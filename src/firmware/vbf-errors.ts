/** Errors of the VBF (Versatile/Volvo Binary File) reader and writer. */
import { UdskitError } from '../core/errors.js';

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
}

/**
 * A VBF file is malformed: a header syntax error, a value of the wrong type, a truncated block, a
 * block CRC-16 or `file_checksum` mismatch. `details` carries file, line, column (header) or byte
 * offset (binary part), expected and found.
 */
export class VbfFormatError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_VBF_FORMAT', details);
  }

  /** Builds the error with the standard message `file:line:column: expected X, found Y`. */
  static at(place: VbfErrorPlace, extra: Record<string, unknown> = {}): VbfFormatError {
    const file = place.file ?? 'VBF';
    const where =
      place.line !== undefined
        ? `${file}:${place.line}:${place.column ?? 1}`
        : `${file} at byte offset ${place.offset ?? 0} (0x${(place.offset ?? 0).toString(16).toUpperCase()})`;
    const details: Record<string, unknown> = { ...extra, expected: place.expected, found: place.found };
    if (place.file !== undefined) details.file = place.file;
    if (place.line !== undefined) details.line = place.line;
    if (place.column !== undefined) details.column = place.column;
    if (place.offset !== undefined) details.offset = place.offset;
    return new VbfFormatError(`${where}: expected ${place.expected}, found ${place.found}`, details);
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
