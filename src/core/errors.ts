/**
 * The error hierarchy of udskit.
 *
 * One base class ({@link UdskitError}) with a stable machine-readable `code`, and one subclass per
 * kind of failure. Layers above add their own subclasses (UDS negative responses in `uds/client`,
 * DoIP NACKs in `doip/`), always extending {@link UdskitError}.
 */

/** Base class of every error udskit throws. `code` is stable and safe to switch on. */
export class UdskitError extends Error {
  /** Stable identifier of the failure, e.g. `UDSKIT_TIMEOUT`. */
  readonly code: string;
  /** Context of the failure (addresses, bytes, field names), for logs and `--json` output. */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(message: string, code = 'UDSKIT_ERROR', details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }

  /** A plain object for JSON output. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, ...this.details };
  }
}

/** Bytes could not be decoded: too short, too long, or a field holds a value the format forbids. */
export class DecodeError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_DECODE', details);
  }
}

/** A caller passed an argument or option outside its allowed values. The message names the field. */
export class InvalidArgumentError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_INVALID_ARGUMENT', details);
  }
}

/** A configuration file or object is invalid. The message names the file, the field path and what is allowed. */
export class ConfigError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_CONFIG', details);
  }
}

/** Nothing arrived before a deadline (P2, P2*, a DoIP response, a connection attempt). */
export class TimeoutError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_TIMEOUT', details);
  }
}

/** The transport failed: connection refused or closed, socket error, link already closed. */
export class LinkError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, 'UDSKIT_LINK', details, options);
  }
}

/** An operation was aborted by the caller (AbortSignal) or by closing the component. */
export class AbortedError extends UdskitError {
  constructor(message = 'operation aborted', details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_ABORTED', details);
  }
}
