/** Generic DoIP header negative acknowledge, payload type 0x0000 (ISO 13400-2:2019 Table 17): `code(1)`. */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Generic header NACK: the receiver rejected the header of the previous message. */
export interface GenericNackMessage {
  readonly kind: 'genericNack';
  /** Generic NACK code, see `GenericNackCode`. */
  readonly code: number;
}

/** Encodes the payload of a generic header NACK. */
export function encodeGenericNack(m: GenericNackMessage): Uint8Array {
  return new ByteWriter(1).u8(m.code).finish();
}

/** Decodes the payload of a generic header NACK. Throws `DecodeError` on a wrong length. */
export function decodeGenericNack(payload: Uint8Array): GenericNackMessage {
  assertPayloadLength(PayloadType.genericNack, payload);
  return { kind: 'genericNack', code: new ByteReader(payload, 'generic NACK').u8('code') };
}
