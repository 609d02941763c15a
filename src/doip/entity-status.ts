/**
 * DoIP entity status information, payload types 0x4001 (request, no payload) and 0x4002
 * (response, `nodeType(1) maxOpenSockets(1) openSockets(1) [maxDataSize(4)]`) (ISO 13400-2:2019 7.6).
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Entity status request. */
export interface EntityStatusRequestMessage {
  readonly kind: 'entityStatusRequest';
}

/** Entity status response. */
export interface EntityStatusResponseMessage {
  readonly kind: 'entityStatusResponse';
  /** See `NodeType`: 0x00 gateway, 0x01 node. */
  readonly nodeType: number;
  /** Number of concurrent TCP_DATA sockets the entity supports. */
  readonly maxOpenSockets: number;
  /** Number of TCP_DATA sockets open now. */
  readonly openSockets: number;
  /** Largest payload the entity accepts (optional field). */
  readonly maxDataSize?: number;
}

/** Encodes the (empty) payload of an entity status request. */
export function encodeEntityStatusRequest(_m: EntityStatusRequestMessage): Uint8Array {
  return new Uint8Array(0);
}

/** Decodes the payload of an entity status request (must be empty). */
export function decodeEntityStatusRequest(payload: Uint8Array): EntityStatusRequestMessage {
  assertPayloadLength(PayloadType.entityStatusRequest, payload);
  return { kind: 'entityStatusRequest' };
}

/** Encodes the payload of an entity status response; `maxDataSize` is written when set. */
export function encodeEntityStatusResponse(m: EntityStatusResponseMessage): Uint8Array {
  const w = new ByteWriter(7).u8(m.nodeType).u8(m.maxOpenSockets).u8(m.openSockets);
  if (m.maxDataSize !== undefined) w.u32(m.maxDataSize);
  return w.finish();
}

/** Decodes the payload of an entity status response (3 or 7 bytes). */
export function decodeEntityStatusResponse(payload: Uint8Array): EntityStatusResponseMessage {
  assertPayloadLength(PayloadType.entityStatusResponse, payload);
  const r = new ByteReader(payload, 'entity status response');
  const nodeType = r.u8('nodeType');
  const maxOpenSockets = r.u8('maxOpenSockets');
  const openSockets = r.u8('openSockets');
  if (r.remaining === 0) return { kind: 'entityStatusResponse', nodeType, maxOpenSockets, openSockets };
  return { kind: 'entityStatusResponse', nodeType, maxOpenSockets, openSockets, maxDataSize: r.u32('maxDataSize') };
}
