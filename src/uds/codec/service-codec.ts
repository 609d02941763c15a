/**
 * The shape every UDS service codec has, the error a malformed request raises, and the small helpers
 * the per-service files share (frame checks around {@link ByteReader}, sub-function bytes).
 *
 * A codec is pure: bytes in, typed object out, and back. The server decodes requests and encodes
 * responses; the client encodes requests and decodes responses, so each wire format is written once.
 */
import { ByteReader } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { NRC, nrcName } from './nrc.js';
import { NEGATIVE_RESPONSE_SID, POSITIVE_RESPONSE_OFFSET, SPRMIB } from './sid.js';

/**
 * Thrown by `decodeRequest`: the request is too short, too long or its format is inconsistent.
 * The server answers `7F SID <nrc>`; `nrc` is 0x13 (incorrectMessageLengthOrInvalidFormat) unless the
 * codec says otherwise.
 */
export class RequestFormatError extends DecodeError {
  /** Stable identifier, distinct from the plain `UDSKIT_DECODE` of {@link DecodeError}. */
  override readonly code: string = 'UDSKIT_REQUEST_FORMAT';
  /** The NRC the server should answer with. */
  readonly nrc: number;

  constructor(message: string, nrc: number = NRC.incorrectMessageLengthOrInvalidFormat, details: Record<string, unknown> = {}) {
    super(message, { nrc, ...details });
    this.nrc = nrc;
  }
}

/**
 * Encoder and decoder of one UDS service.
 *
 * - `Req` / `Res`: the decoded request and positive response.
 * - `Ctx`: what `decodeResponse` may need from the request (e.g. the DIDs asked for in 0x22).
 */
export interface ServiceCodec<Req, Res, Ctx = undefined> {
  /** Request service identifier. */
  readonly sid: number;
  /** ISO service name, e.g. `ReadDataByIdentifier`. */
  readonly name: string;
  /** True when the second byte is a sub-function (SPRMIB applies). */
  readonly hasSubFunction: boolean;
  /** Minimum request length in bytes incl. SID (server order-of-checks step 4 -> 0x13). */
  readonly minRequestLength: number;
  /** Request bytes incl. SID. Throws `InvalidArgumentError` for values that do not fit their field. */
  encodeRequest(req: Req): Uint8Array;
  /**
   * Decodes request bytes incl. SID. Throws {@link RequestFormatError} (never anything else): wrong length
   * or format, and also an empty message or another SID (both with NRC 0x13). Never rejects a sub-function
   * value: 0x12/0x7E are the server's checks.
   */
  decodeRequest(bytes: Uint8Array): Req;
  /** Positive response bytes incl. SID+0x40. Throws `InvalidArgumentError` for values that do not fit. */
  encodeResponse(res: Res): Uint8Array;
  /**
   * Decodes a positive response incl. SID+0x40. Throws {@link DecodeError} on a wrong SID or a malformed
   * message. Must not be called with a negative response (`7F ...`): check `isNegativeResponse` first; a
   * negative response passed here is rejected with {@link DecodeError}.
   */
  decodeResponse(bytes: Uint8Array, ctx?: Ctx): Res;
}

const FORMAT_HINT = `(NRC 0x13 ${nrcName(NRC.incorrectMessageLengthOrInvalidFormat)})`;

/**
 * Runs `body` on a reader positioned after the SID of a request and checks that every byte was used.
 * Every {@link DecodeError} becomes a {@link RequestFormatError} with NRC 0x13
 * (ISO 14229-1:2020 8.7.2 / table A.1 — wrong length or format).
 */
export function decodeRequestFrame<T>(sid: number, name: string, bytes: Uint8Array, body: (r: ByteReader) => T): T {
  if (bytes.length === 0 || bytes[0] !== sid) {
    const got = bytes.length === 0 ? 'an empty message' : `SID 0x${hexByte(bytes[0] ?? 0)}`;
    throw new RequestFormatError(`${name} request must start with SID 0x${hexByte(sid)}, got ${got} ${FORMAT_HINT}`, undefined, {
      service: name,
    });
  }
  const r = new ByteReader(bytes, `${name} request`);
  r.u8('SID');
  try {
    const out = body(r);
    r.end();
    return out;
  } catch (e) {
    if (e instanceof RequestFormatError) throw e;
    if (e instanceof DecodeError) {
      throw new RequestFormatError(`${e.message} ${FORMAT_HINT}`, undefined, { service: name, ...e.details });
    }
    throw e;
  }
}

/**
 * Runs `body` on a reader positioned after the response SID (request SID + 0x40, ISO 14229-1:2020 8.2)
 * and checks that every byte was used. Throws {@link DecodeError} on a negative response, a wrong SID,
 * or a length the body rejects.
 */
export function decodeResponseFrame<T>(sid: number, name: string, bytes: Uint8Array, body: (r: ByteReader) => T): T {
  const expected = (sid + POSITIVE_RESPONSE_OFFSET) & 0xff;
  if (bytes[0] === NEGATIVE_RESPONSE_SID) {
    throw new DecodeError(
      `${name}: decodeResponse got a negative response (7F ...); check isNegativeResponse() and use decodeNegativeResponse() first`,
      { service: name, length: bytes.length },
    );
  }
  if (bytes.length === 0 || bytes[0] !== expected) {
    const got = bytes.length === 0 ? 'an empty message' : `SID 0x${hexByte(bytes[0] ?? 0)}`;
    throw new DecodeError(`${name} positive response must start with 0x${hexByte(expected)}, got ${got}`, { service: name });
  }
  const r = new ByteReader(bytes, `${name} response`);
  r.u8('SID');
  const out = body(r);
  r.end();
  return out;
}

/**
 * A sub-function byte: `value` (0..0x7F) plus SPRMIB in bit 7 (ISO 14229-1:2020 8.2.2).
 * Throws `InvalidArgumentError` naming `service`/`field` when `value` is out of range.
 */
export function encodeSubFunction(service: string, field: string, value: number, suppressPositiveResponse = false): number {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f) {
    throw new InvalidArgumentError(`${service}: ${field} must be an integer 0..0x7F (bit 7 is SPRMIB), got ${value}`, {
      service,
      field,
      value,
    });
  }
  return value | (suppressPositiveResponse ? SPRMIB : 0);
}

/** Throws `InvalidArgumentError` unless `bytes` has at least `min` bytes; names the service and field. */
export function requireBytes(service: string, field: string, bytes: Uint8Array, min: number): void {
  if (bytes.length < min) {
    throw new InvalidArgumentError(`${service}: ${field} needs at least ${min} byte(s), got ${bytes.length}`, {
      service,
      field,
    });
  }
}
