/**
 * DoIP payload types (ISO 13400-2:2019 Table 17, "Overview of DoIP payload types"): their codes,
 * names, meaning, which transport carries them and which payload lengths are valid for each.
 *
 * The length rules are what the generic DoIP header handler checks before any payload is read:
 * a length outside them is generic header NACK 04 (invalid payload length).
 */
import { DecodeError } from '../core/errors.js';
import { hexNum } from '../core/hex.js';

/** Payload type codes by name. */
export const PayloadType = {
  genericNack: 0x0000,
  vehicleIdentificationRequest: 0x0001,
  vehicleIdentificationRequestWithEid: 0x0002,
  vehicleIdentificationRequestWithVin: 0x0003,
  vehicleAnnouncement: 0x0004,
  routingActivationRequest: 0x0005,
  routingActivationResponse: 0x0006,
  aliveCheckRequest: 0x0007,
  aliveCheckResponse: 0x0008,
  entityStatusRequest: 0x4001,
  entityStatusResponse: 0x4002,
  powerModeRequest: 0x4003,
  powerModeResponse: 0x4004,
  diagnosticMessage: 0x8001,
  diagnosticMessageAck: 0x8002,
  diagnosticMessageNack: 0x8003,
} as const;

/** Name of a payload type, e.g. `'routingActivationRequest'`; also the `kind` of its decoded message. */
export type PayloadTypeName = keyof typeof PayloadType;

/** Which socket a payload type travels on. */
export type DoipTransport = 'udp' | 'tcp' | 'both';

/**
 * Valid payload lengths of one type: a list of exact lengths, or a minimum (variable-length
 * messages carrying UDS data).
 */
export type PayloadLengthRule = { readonly exact: readonly number[] } | { readonly min: number };

/** Facts about one payload type. */
export interface PayloadTypeInfo {
  readonly type: number;
  readonly name: PayloadTypeName;
  /** One line: what the message is for. */
  readonly meaning: string;
  readonly transport: DoipTransport;
  readonly length: PayloadLengthRule;
}

/** Every payload type of ISO 13400-2:2019 Table 17 that udskit implements, in code order. */
export const PAYLOAD_TYPE_TABLE: readonly PayloadTypeInfo[] = [
  { type: 0x0000, name: 'genericNack', meaning: 'generic DoIP header negative acknowledge: the header of the previous message was rejected', transport: 'both', length: { exact: [1] } },
  { type: 0x0001, name: 'vehicleIdentificationRequest', meaning: 'asks every DoIP entity to identify itself', transport: 'udp', length: { exact: [0] } },
  { type: 0x0002, name: 'vehicleIdentificationRequestWithEid', meaning: 'asks the DoIP entity with this EID to identify itself', transport: 'udp', length: { exact: [6] } },
  { type: 0x0003, name: 'vehicleIdentificationRequestWithVin', meaning: 'asks the DoIP entities of the vehicle with this VIN to identify themselves', transport: 'udp', length: { exact: [17] } },
  { type: 0x0004, name: 'vehicleAnnouncement', meaning: 'vehicle announcement / identification response: VIN, logical address, EID, GID', transport: 'udp', length: { exact: [32, 33] } },
  { type: 0x0005, name: 'routingActivationRequest', meaning: 'the tester asks to route its diagnostic messages on this TCP socket', transport: 'tcp', length: { exact: [7, 11] } },
  { type: 0x0006, name: 'routingActivationResponse', meaning: 'the entity accepts or refuses the routing activation', transport: 'tcp', length: { exact: [9, 13] } },
  { type: 0x0007, name: 'aliveCheckRequest', meaning: 'the entity checks that the tester on this socket is still there', transport: 'tcp', length: { exact: [0] } },
  { type: 0x0008, name: 'aliveCheckResponse', meaning: 'the tester answers an alive check with its logical address', transport: 'tcp', length: { exact: [2] } },
  { type: 0x4001, name: 'entityStatusRequest', meaning: 'asks for node type, socket counts and maximum data size', transport: 'udp', length: { exact: [0] } },
  { type: 0x4002, name: 'entityStatusResponse', meaning: 'node type, maximum and currently open TCP sockets, maximum data size', transport: 'udp', length: { exact: [3, 7] } },
  { type: 0x4003, name: 'powerModeRequest', meaning: 'asks whether the vehicle is ready for diagnostics', transport: 'udp', length: { exact: [0] } },
  { type: 0x4004, name: 'powerModeResponse', meaning: 'diagnostic power mode: not ready, ready, or not supported', transport: 'udp', length: { exact: [1] } },
  { type: 0x8001, name: 'diagnosticMessage', meaning: 'UDS bytes from a source to a target logical address', transport: 'tcp', length: { min: 5 } },
  { type: 0x8002, name: 'diagnosticMessageAck', meaning: 'the entity accepted a diagnostic message for routing', transport: 'tcp', length: { min: 5 } },
  { type: 0x8003, name: 'diagnosticMessageNack', meaning: 'the entity refused a diagnostic message (see the diagnostic NACK code)', transport: 'tcp', length: { min: 5 } },
];

const byType = new Map<number, PayloadTypeInfo>(PAYLOAD_TYPE_TABLE.map((i) => [i.type, i]));

/** Facts about `type`, or `undefined` for a type ISO 13400-2 does not define (or udskit does not implement). */
export function payloadTypeInfo(type: number): PayloadTypeInfo | undefined {
  return byType.get(type);
}

/** True for the payload types of {@link PAYLOAD_TYPE_TABLE}. */
export function isKnownPayloadType(type: number): boolean {
  return byType.has(type);
}

/** `'routingActivationRequest (0x0005)'`, or `'unknown payload type 0x1234'`. */
export function describePayloadType(type: number): string {
  const info = byType.get(type);
  return info ? `${info.name} (${hexNum(type)})` : `unknown payload type ${hexNum(type)}`;
}

/** True when `length` is a valid payload length for the known `type` (ISO 13400-2:2019, generic DoIP header handler). */
export function isValidPayloadLength(type: number, length: number): boolean {
  const info = byType.get(type);
  if (!info) return false;
  const rule = info.length;
  return 'exact' in rule ? rule.exact.includes(length) : length >= rule.min;
}

/** Human text for a length rule: `7 or 11 bytes`, `at least 5 bytes`. */
export function describeLengthRule(rule: PayloadLengthRule): string {
  return 'exact' in rule ? `${rule.exact.join(' or ')} byte(s)` : `at least ${rule.min} bytes`;
}

/** Throws {@link DecodeError} unless `payload` has a valid length for `type`. Used by every payload decoder. */
export function assertPayloadLength(type: number, payload: Uint8Array): void {
  const info = byType.get(type);
  if (!info) throw new DecodeError(`unknown DoIP payload type ${hexNum(type)}`, { payloadType: type });
  if (!isValidPayloadLength(type, payload.length)) {
    throw new DecodeError(
      `DoIP ${info.name} payload must be ${describeLengthRule(info.length)}, got ${payload.length}`,
      { payloadType: type, length: payload.length },
    );
  }
}
