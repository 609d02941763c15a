/**
 * Alive check, payload types 0x0007 (request, no payload) and 0x0008 (response,
 * `sourceAddress(2)`) (ISO 13400-2:2019 Table 17).
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Alive check request: the entity asks whether the tester on this socket is still there. */
export interface AliveCheckRequestMessage {
  readonly kind: 'aliveCheckRequest';
}

/** Alive check response: the tester answers with its logical address. */
export interface AliveCheckResponseMessage {
  readonly kind: 'aliveCheckResponse';
  readonly sourceAddress: number;
}

/** Encodes the (empty) payload of an alive check request. */
export function encodeAliveCheckRequest(_m: AliveCheckRequestMessage): Uint8Array {
  return new Uint8Array(0);
}

/** Decodes the payload of an alive check request (must be empty). */
export function decodeAliveCheckRequest(payload: Uint8Array): AliveCheckRequestMessage {
  assertPayloadLength(PayloadType.aliveCheckRequest, payload);
  return { kind: 'aliveCheckRequest' };
}

/** Encodes the payload of an alive check response. */
export function encodeAliveCheckResponse(m: AliveCheckResponseMessage): Uint8Array {
  return new ByteWriter(2).u16(m.sourceAddress).finish();
}

/** Decodes the payload of an alive check response. */
export function decodeAliveCheckResponse(payload: Uint8Array): AliveCheckResponseMessage {
  assertPayloadLength(PayloadType.aliveCheckResponse, payload);
  return { kind: 'aliveCheckResponse', sourceAddress: new ByteReader(payload, 'alive check response').u16('sourceAddress') };
}
