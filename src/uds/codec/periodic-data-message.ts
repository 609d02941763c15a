/**
 * The periodic data message of ReadDataByPeriodicIdentifier (0x2A): what the server sends, unasked,
 * for each scheduled periodicDataIdentifier after the initial `6A` response (ISO 14229-1:2020 11.5.1).
 *
 * ISO 14229-1 defines two formats (the data link decides which one is used, ISO 14229-1:2020 11.5.1
 * and the implementation parts ISO 14229-3 / -5):
 * - type 1: `6A pDID data` — the response SID, the pDID and its data. It is sent like any response,
 *   on the same addressing as the request; this is the format for links with one diagnostic channel
 *   per tester such as DoIP (ISO 13400-2 diagnostic message 0x8001) and the memory link, and the one
 *   scapy's `UDS_RDBPIPR` (periodicDataIdentifier + dataRecord under service 0x6A) decodes.
 * - type 2: `pDID data` — without the SID, in one unsegmented frame (UUDT) on a CAN identifier of its
 *   own (ISO 14229-3), where the identifier already says what the frame is.
 *
 * The initial positive response is exactly `6A` (one byte), so a type 1 message (two bytes or more)
 * can never be mistaken for it.
 */
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { periodicDidToDid } from './0x2a-read-data-by-periodic-identifier.js';
import { POSITIVE_RESPONSE_OFFSET, SID } from './sid.js';

/** First byte of a type 1 periodic data message (and of the 0x2A positive response). */
export const PERIODIC_RESPONSE_SID = SID.ReadDataByPeriodicIdentifier + POSITIVE_RESPONSE_OFFSET;

/** Periodic data message format: 1 = `6A pDID data`, 2 = `pDID data` (see the module comment). */
export type PeriodicMessageType = 1 | 2;

/** One periodic data message. */
export interface PeriodicDataMessage {
  /** The periodicDataIdentifier (low byte of DID 0xF2xx). */
  periodicDataIdentifier: number;
  /** The data record of DID `0xF200 | periodicDataIdentifier` (what 0x22 would return for it). */
  data: Uint8Array;
}

/** Builds a periodic data message of `type` (default 1, `6A pDID data`). */
export function encodePeriodicDataMessage(msg: PeriodicDataMessage, type: PeriodicMessageType = 1): Uint8Array {
  const pDid = msg.periodicDataIdentifier;
  if (!Number.isInteger(pDid) || pDid < 0 || pDid > 0xff) {
    throw new InvalidArgumentError(`periodic data message: periodicDataIdentifier must be 0x00..0xFF, got ${pDid}`, {
      field: 'periodicDataIdentifier',
    });
  }
  const head = type === 1 ? [PERIODIC_RESPONSE_SID, pDid] : [pDid];
  const out = new Uint8Array(head.length + msg.data.length);
  out.set(head, 0);
  out.set(msg.data, head.length);
  return out;
}

/**
 * Decodes a periodic data message of `type` (default 1). Throws {@link DecodeError} when `bytes` is not
 * one: type 1 needs `6A` and a pDID (the one-byte `6A` is the initial response, not data).
 */
export function decodePeriodicDataMessage(bytes: Uint8Array, type: PeriodicMessageType = 1): PeriodicDataMessage {
  if (type === 1) {
    if (bytes[0] !== PERIODIC_RESPONSE_SID) {
      const got = bytes.length === 0 ? 'an empty message' : `0x${hexByte(bytes[0] ?? 0)}`;
      throw new DecodeError(`periodic data message (type 1) must start with 0x6A, got ${got}`);
    }
    if (bytes.length < 2) {
      throw new DecodeError('periodic data message (type 1) needs a periodicDataIdentifier after 0x6A; a lone 6A is the 0x2A positive response');
    }
    return { periodicDataIdentifier: bytes[1] as number, data: bytes.slice(2) };
  }
  if (bytes.length < 1) throw new DecodeError('periodic data message (type 2) needs a periodicDataIdentifier, got an empty message');
  return { periodicDataIdentifier: bytes[0] as number, data: bytes.slice(1) };
}

/**
 * True when `bytes` is a type 1 periodic data message (`6A` followed by at least a pDID). A client uses
 * it to keep periodic data apart from the answers to its requests.
 */
export function isPeriodicDataMessage(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === PERIODIC_RESPONSE_SID;
}

/** The DID a periodic data message carries: `0xF200 | periodicDataIdentifier`. */
export function periodicMessageDid(msg: PeriodicDataMessage): number {
  return periodicDidToDid(msg.periodicDataIdentifier);
}
