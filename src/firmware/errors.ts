/** Errors and warnings of the firmware readers, writers and image operations. */
import { UdskitError } from '../core/errors.js';

/** Where a piece of data or a fault sits in a source file: line/column for text formats, byte offset for binary. */
export interface SourcePlace {
  /** File name as given by the caller (the readers never open files). */
  readonly file?: string;
  /** 1-based line number (text formats). */
  readonly line?: number;
  /** 1-based column number (text formats). */
  readonly column?: number;
  /** 0-based byte offset (binary formats and binary parts of VBF). */
  readonly offset?: number;
}

/** `file:line:column` (or `file@offset`) of a place, for messages. */
export function formatPlace(place: SourcePlace | undefined): string {
  if (!place) return '<unknown>';
  let s = place.file ?? '<input>';
  if (place.line !== undefined) {
    s += `:${place.line}`;
    if (place.column !== undefined) s += `:${place.column}`;
  } else if (place.offset !== undefined) {
    s += `@0x${place.offset.toString(16).toUpperCase()}`;
  }
  return s;
}

/**
 * A firmware file does not follow its format: bad checksum, odd hex digit, bad character, short record,
 * wrong record count, missing end record (in strict mode). The message names the place, what was
 * expected and what was found; `details` holds `file`, `line`, `column`, `expected`, `found`.
 */
export class FirmwareFormatError extends UdskitError {
  /** The place of the fault. */
  readonly place: SourcePlace;
  constructor(place: SourcePlace, problem: string, expected?: string, found?: string, options: FirmwareFormatErrorOptions = {}) {
    const exp = expected !== undefined ? `: expected ${expected}` : '';
    const fnd = found !== undefined ? `, found ${found}` : '';
    super(options.message ?? `${formatPlace(place)}: ${problem}${exp}${fnd}`, options.code ?? 'UDSKIT_FIRMWARE_FORMAT', {
      ...(options.details ?? {}),
      ...place,
      problem,
      ...(expected !== undefined ? { expected } : {}),
      ...(found !== undefined ? { found } : {}),
    });
    this.place = place;
  }
}

/** What a format-specific subclass of {@link FirmwareFormatError} may set (e.g. the VBF reader's own code). */
export interface FirmwareFormatErrorOptions {
  /** Stable code; default `UDSKIT_FIRMWARE_FORMAT`. */
  readonly code?: string;
  /** The whole message, when the subclass words it itself (it must still name place, expected and found). */
  readonly message?: string;
  /** More context merged into `details` (place, problem, expected and found always win). */
  readonly details?: Record<string, unknown>;
}

/** Two pieces of data claim the same address. Both places are named; allow it with `{ overlap: 'last-wins' }`. */
export class ImageOverlapError extends UdskitError {
  constructor(
    readonly address: number,
    readonly first: SourcePlace | undefined,
    readonly second: SourcePlace | undefined,
  ) {
    super(
      `overlapping data at 0x${address.toString(16).toUpperCase().padStart(8, '0')}: ${formatPlace(second)} ` +
        `writes over data from ${formatPlace(first)}; remove one of them, or let the later one win (udskit image --overlap last-wins; { overlap: 'last-wins' } in code)`,
      'UDSKIT_IMAGE_OVERLAP',
      { address, first, second },
    );
  }
}

/** A recoverable oddity found while reading (e.g. no end record, as `srec_cat` warns). */
export interface FirmwareWarning {
  readonly place: SourcePlace;
  readonly message: string;
}

/** Options every reader takes. */
export interface ReadOptions {
  /** File name used in messages and places. */
  readonly file?: string;
  /** Overlapping data: an {@link ImageOverlapError} (default) or the later record wins. */
  readonly overlap?: 'error' | 'last-wins';
  /** Turn warnings (missing end record) into {@link FirmwareFormatError}s. Default false, as `srec_cat`. */
  readonly strict?: boolean;
  /** Receives warnings in non-strict mode. */
  readonly onWarning?: (warning: FirmwareWarning) => void;
}
