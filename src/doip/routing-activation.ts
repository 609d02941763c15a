/**
 * Routing activation (ISO 13400-2:2019 Table 17): request 0x0005
 * (`sourceAddress(2) activationType(1) reserved(4) [OEM(4)]`) and response 0x0006
 * (`testerAddress(2) entityAddress(2) code(1) reserved(4) [OEM(4)]`).
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Length of the optional OEM-specific field. */
export const OEM_FIELD_LENGTH = 4;

/** Routing activation request. */
export interface RoutingActivationRequestMessage {
  readonly kind: 'routingActivationRequest';
  /** The tester's logical address. */
  readonly sourceAddress: number;
  /** See `ActivationType`: 0x00 default, 0x01 WWH-OBD, 0xE0 central security. */
  readonly activationType: number;
  /** Reserved by ISO 13400, 4 bytes; 0 when omitted. */
  readonly reserved?: number;
  /** Optional OEM-specific field, 4 bytes. */
  readonly oem?: Uint8Array;
}

/** Routing activation response. */
export interface RoutingActivationResponseMessage {
  readonly kind: 'routingActivationResponse';
  /** The tester address of the request. */
  readonly testerAddress: number;
  /** The entity's own logical address. */
  readonly entityAddress: number;
  /** See `RoutingActivationCode`; 0x10 is success. */
  readonly code: number;
  /** Reserved by ISO 13400, 4 bytes; 0 when omitted. */
  readonly reserved?: number;
  /** Optional OEM-specific field, 4 bytes. */
  readonly oem?: Uint8Array;
}

function oemBytes(oem: Uint8Array): Uint8Array {
  if (oem.length !== OEM_FIELD_LENGTH) {
    throw new InvalidArgumentError(`the OEM-specific field must be ${OEM_FIELD_LENGTH} bytes, got ${oem.length}`, { field: 'oem' });
  }
  return oem;
}

/** Encodes the payload of a routing activation request (7 bytes, 11 with `oem`). */
export function encodeRoutingActivationRequest(m: RoutingActivationRequestMessage): Uint8Array {
  const w = new ByteWriter(11).u16(m.sourceAddress).u8(m.activationType).u32(m.reserved ?? 0);
  if (m.oem) w.bytes(oemBytes(m.oem));
  return w.finish();
}

/** Decodes the payload of a routing activation request. */
export function decodeRoutingActivationRequest(payload: Uint8Array): RoutingActivationRequestMessage {
  assertPayloadLength(PayloadType.routingActivationRequest, payload);
  const r = new ByteReader(payload, 'routing activation request');
  const sourceAddress = r.u16('sourceAddress');
  const activationType = r.u8('activationType');
  const reserved = r.u32('reserved');
  if (r.remaining === 0) return { kind: 'routingActivationRequest', sourceAddress, activationType, reserved };
  return { kind: 'routingActivationRequest', sourceAddress, activationType, reserved, oem: r.bytes(OEM_FIELD_LENGTH, 'oem') };
}

/** Encodes the payload of a routing activation response (9 bytes, 13 with `oem`). */
export function encodeRoutingActivationResponse(m: RoutingActivationResponseMessage): Uint8Array {
  const w = new ByteWriter(13).u16(m.testerAddress).u16(m.entityAddress).u8(m.code).u32(m.reserved ?? 0);
  if (m.oem) w.bytes(oemBytes(m.oem));
  return w.finish();
}

/** Decodes the payload of a routing activation response. */
export function decodeRoutingActivationResponse(payload: Uint8Array): RoutingActivationResponseMessage {
  assertPayloadLength(PayloadType.routingActivationResponse, payload);
  const r = new ByteReader(payload, 'routing activation response');
  const testerAddress = r.u16('testerAddress');
  const entityAddress = r.u16('entityAddress');
  const code = r.u8('code');
  const reserved = r.u32('reserved');
  if (r.remaining === 0) return { kind: 'routingActivationResponse', testerAddress, entityAddress, code, reserved };
  return { kind: 'routingActivationResponse', testerAddress, entityAddress, code, reserved, oem: r.bytes(OEM_FIELD_LENGTH, 'oem') };
}
