/**
 * Diagnostic power mode information, payload types 0x4003 (request, no payload) and 0x4004
 * (response, `mode(1)`: 00 not ready, 01 ready, 02 not supported) (ISO 13400-2:2019 7.5).
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Diagnostic power mode request. */
export interface PowerModeRequestMessage {
  readonly kind: 'powerModeRequest';
}

/** Diagnostic power mode response. */
export interface PowerModeResponseMessage {
  readonly kind: 'powerModeResponse';
  /** See `PowerMode`: 0x00 not ready, 0x01 ready, 0x02 not supported. */
  readonly mode: number;
}

/** Encodes the (empty) payload of a power mode request. */
export function encodePowerModeRequest(_m: PowerModeRequestMessage): Uint8Array {
  return new Uint8Array(0);
}

/** Decodes the payload of a power mode request (must be empty). */
export function decodePowerModeRequest(payload: Uint8Array): PowerModeRequestMessage {
  assertPayloadLength(PayloadType.powerModeRequest, payload);
  return { kind: 'powerModeRequest' };
}

/** Encodes the payload of a power mode response. */
export function encodePowerModeResponse(m: PowerModeResponseMessage): Uint8Array {
  return new ByteWriter(1).u8(m.mode).finish();
}

/** Decodes the payload of a power mode response. */
export function decodePowerModeResponse(payload: Uint8Array): PowerModeResponseMessage {
  assertPayloadLength(PayloadType.powerModeResponse, payload);
  return { kind: 'powerModeResponse', mode: new ByteReader(payload, 'power mode response').u8('mode') };
}
