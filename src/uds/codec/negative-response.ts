/** The negative response `7F SID NRC` (ISO 14229-1:2020 8.3), always exactly three bytes. */
import { DecodeError } from '../../core/errors.js';
import { NEGATIVE_RESPONSE_SID } from './sid.js';

/** A decoded negative response. */
export interface NegativeResponse {
  /** SID of the request that was refused. */
  readonly sid: number;
  /** The negative response code. */
  readonly nrc: number;
}

/** `7F sid nrc`. */
export function encodeNegativeResponse(sid: number, nrc: number): Uint8Array {
  return Uint8Array.of(NEGATIVE_RESPONSE_SID, sid & 0xff, nrc & 0xff);
}

/** True when `bytes` starts with 0x7F. */
export function isNegativeResponse(bytes: Uint8Array): boolean {
  return bytes[0] === NEGATIVE_RESPONSE_SID;
}

/** Decodes `7F sid nrc`; throws {@link DecodeError} unless it is exactly that shape. */
export function decodeNegativeResponse(bytes: Uint8Array): NegativeResponse {
  if (bytes.length !== 3 || bytes[0] !== NEGATIVE_RESPONSE_SID) {
    throw new DecodeError(`not a negative response (expected 7F SID NRC, 3 bytes; got ${bytes.length} byte(s))`, {
      length: bytes.length,
    });
  }
  return { sid: bytes[1] as number, nrc: bytes[2] as number };
}
