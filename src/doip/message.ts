/**
 * Every DoIP message as one discriminated union ({@link DoipMessage}, discriminated by `kind`, which
 * is the payload type's name), and the dispatch between payload types and their codecs: whole
 * frames (header + payload) in and out, and the datagram check the UDP side of an entity applies.
 */
import { Buffer } from 'node:buffer';
import { concatBytes } from '../core/bytes.js';
import { DecodeError } from '../core/errors.js';
import { hexNum } from '../core/hex.js';
import type { AliveCheckRequestMessage, AliveCheckResponseMessage } from './alive-check.js';
import { decodeAliveCheckRequest, decodeAliveCheckResponse, encodeAliveCheckRequest, encodeAliveCheckResponse } from './alive-check.js';
import type { DiagnosticMessage, DiagnosticMessageAck, DiagnosticMessageNack } from './diagnostic-message.js';
import {
  decodeDiagnosticMessage,
  decodeDiagnosticMessageAck,
  decodeDiagnosticMessageNack,
  diagnosticMessageFrameParts,
  encodeDiagnosticAckFrame,
  encodeDiagnosticMessage,
  encodeDiagnosticMessageAck,
  encodeDiagnosticMessageFrame,
  encodeDiagnosticMessageNack,
} from './diagnostic-message.js';
import type { EntityStatusRequestMessage, EntityStatusResponseMessage } from './entity-status.js';
import { decodeEntityStatusRequest, decodeEntityStatusResponse, encodeEntityStatusRequest, encodeEntityStatusResponse } from './entity-status.js';
import type { GenericNackMessage } from './generic-nack.js';
import { decodeGenericNack, encodeGenericNack } from './generic-nack.js';
import type { DoipHeader, HeaderProblem, HeaderRules } from './header.js';
import { checkHeader, DEFAULT_PROTOCOL_VERSION, decodeHeader, DOIP_HEADER_LENGTH, encodeHeader } from './header.js';
import { GenericNackCode } from './codes.js';
import type { PayloadTypeName } from './payload-types.js';
import { PayloadType } from './payload-types.js';
import type { PowerModeRequestMessage, PowerModeResponseMessage } from './power-mode.js';
import { decodePowerModeRequest, decodePowerModeResponse, encodePowerModeRequest, encodePowerModeResponse } from './power-mode.js';
import type { RoutingActivationRequestMessage, RoutingActivationResponseMessage } from './routing-activation.js';
import {
  decodeRoutingActivationRequest,
  decodeRoutingActivationResponse,
  encodeRoutingActivationRequest,
  encodeRoutingActivationResponse,
} from './routing-activation.js';
import type {
  VehicleAnnouncementMessage,
  VehicleIdentificationRequestMessage,
  VehicleIdentificationRequestWithEidMessage,
  VehicleIdentificationRequestWithVinMessage,
} from './vehicle-identification.js';
import {
  decodeVehicleAnnouncement,
  decodeVehicleIdentificationRequest,
  decodeVehicleIdentificationRequestWithEid,
  decodeVehicleIdentificationRequestWithVin,
  encodeVehicleAnnouncement,
  encodeVehicleIdentificationRequest,
  encodeVehicleIdentificationRequestWithEid,
  encodeVehicleIdentificationRequestWithVin,
} from './vehicle-identification.js';

/** Any DoIP message; `kind` names its payload type (see `PayloadType`). */
export type DoipMessage =
  | GenericNackMessage
  | VehicleIdentificationRequestMessage
  | VehicleIdentificationRequestWithEidMessage
  | VehicleIdentificationRequestWithVinMessage
  | VehicleAnnouncementMessage
  | RoutingActivationRequestMessage
  | RoutingActivationResponseMessage
  | AliveCheckRequestMessage
  | AliveCheckResponseMessage
  | EntityStatusRequestMessage
  | EntityStatusResponseMessage
  | PowerModeRequestMessage
  | PowerModeResponseMessage
  | DiagnosticMessage
  | DiagnosticMessageAck
  | DiagnosticMessageNack;

/** The message of one kind, e.g. `DoipMessageOf<'diagnosticMessage'>`. */
export type DoipMessageOf<K extends PayloadTypeName> = Extract<DoipMessage, { kind: K }>;

type Codec<K extends PayloadTypeName> = {
  encode: (m: DoipMessageOf<K>) => Uint8Array;
  decode: (payload: Uint8Array) => DoipMessageOf<K>;
};

const CODECS: { [K in PayloadTypeName]: Codec<K> } = {
  genericNack: { encode: encodeGenericNack, decode: decodeGenericNack },
  vehicleIdentificationRequest: { encode: encodeVehicleIdentificationRequest, decode: decodeVehicleIdentificationRequest },
  vehicleIdentificationRequestWithEid: { encode: encodeVehicleIdentificationRequestWithEid, decode: decodeVehicleIdentificationRequestWithEid },
  vehicleIdentificationRequestWithVin: { encode: encodeVehicleIdentificationRequestWithVin, decode: decodeVehicleIdentificationRequestWithVin },
  vehicleAnnouncement: { encode: encodeVehicleAnnouncement, decode: decodeVehicleAnnouncement },
  routingActivationRequest: { encode: encodeRoutingActivationRequest, decode: decodeRoutingActivationRequest },
  routingActivationResponse: { encode: encodeRoutingActivationResponse, decode: decodeRoutingActivationResponse },
  aliveCheckRequest: { encode: encodeAliveCheckRequest, decode: decodeAliveCheckRequest },
  aliveCheckResponse: { encode: encodeAliveCheckResponse, decode: decodeAliveCheckResponse },
  entityStatusRequest: { encode: encodeEntityStatusRequest, decode: decodeEntityStatusRequest },
  entityStatusResponse: { encode: encodeEntityStatusResponse, decode: decodeEntityStatusResponse },
  powerModeRequest: { encode: encodePowerModeRequest, decode: decodePowerModeRequest },
  powerModeResponse: { encode: encodePowerModeResponse, decode: decodePowerModeResponse },
  diagnosticMessage: { encode: encodeDiagnosticMessage, decode: decodeDiagnosticMessage },
  diagnosticMessageAck: { encode: encodeDiagnosticMessageAck, decode: decodeDiagnosticMessageAck },
  diagnosticMessageNack: { encode: encodeDiagnosticMessageNack, decode: decodeDiagnosticMessageNack },
};

const NAME_BY_TYPE = new Map<number, PayloadTypeName>(
  (Object.entries(PayloadType) as [PayloadTypeName, number][]).map(([name, type]) => [type, name]),
);

/**
 * `b` as a plain `Uint8Array` view over the same memory. Node's `Buffer.slice` does not copy, so
 * decoders turn Buffers into plain views first: every decoded byte field is then an owned copy.
 */
export function asPlainBytes(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** The payload type code of `m`. */
export function payloadTypeOf(m: DoipMessage): number {
  return PayloadType[m.kind];
}

/** Encodes the payload of `m` (no header). Throws `InvalidArgumentError` for fields that do not fit. */
export function encodePayload(m: DoipMessage): Uint8Array {
  const codec = CODECS[m.kind] as Codec<PayloadTypeName>;
  return codec.encode(m as never);
}

/** Encodes `m` as a whole frame: generic header with `version` (default 0x02) followed by the payload. */
export function encodeMessage(m: DoipMessage, version: number = DEFAULT_PROTOCOL_VERSION): Uint8Array {
  // Diagnostic messages carry the bulk data: written with their header in one go.
  if (m.kind === 'diagnosticMessage') return encodeDiagnosticMessageFrame(m, version);
  // ... as do their ACKs, one per message.
  if (m.kind === 'diagnosticMessageAck' || m.kind === 'diagnosticMessageNack') return encodeDiagnosticAckFrame(m, version);
  const payload = encodePayload(m);
  return concatBytes(encodeHeader(version, payloadTypeOf(m), payload.length), payload);
}

/**
 * Encodes `m` as the parts of one frame, to be written in order: the whole frame in one array, except
 * for a diagnostic message with large UDS bytes, whose bytes then follow the header as they are
 * (see `diagnosticMessageFrameParts`: they must not change until written).
 */
export function encodeMessageParts(m: DoipMessage, version: number = DEFAULT_PROTOCOL_VERSION): Uint8Array[] {
  return m.kind === 'diagnosticMessage' ? diagnosticMessageFrameParts(m, version) : [encodeMessage(m, version)];
}

/** Arrays up to this length live inside V8's heap (`typed_array_max_size_in_heap`). */
const ON_HEAP_MAX = 64;

/**
 * {@link encodeMessageParts} ready for `socket.write`: parts of up to 64 bytes (a generic header, an
 * ACK, a short response) are copied into Node's pooled Buffers. Such a small plain array lives inside
 * the JS heap, and a socket asks for its `.buffer`, which moves it into an ArrayBuffer of its own: a
 * malloc and more garbage-collector work for every message.
 */
export function encodeSocketParts(m: DoipMessage, version: number = DEFAULT_PROTOCOL_VERSION): Uint8Array[] {
  const parts = encodeMessageParts(m, version);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as Uint8Array;
    if (p.length <= ON_HEAP_MAX) parts[i] = Buffer.from(p);
  }
  return parts;
}

/** Decodes the payload of a message of `payloadType`. Throws `DecodeError` for an unknown type or an invalid payload. */
export function decodePayload(payloadType: number, payload: Uint8Array): DoipMessage {
  const name = NAME_BY_TYPE.get(payloadType);
  if (!name) throw new DecodeError(`unknown DoIP payload type ${hexNum(payloadType)}`, { payloadType });
  return (CODECS[name] as Codec<PayloadTypeName>).decode(asPlainBytes(payload));
}

/** A decoded frame. */
export interface DecodedFrame {
  readonly header: DoipHeader;
  readonly message: DoipMessage;
}

/**
 * Decodes exactly one whole frame (header and payload, nothing after it). Throws `DecodeError`
 * when the version and inverse do not match, the payload length disagrees with the bytes given,
 * or the payload is invalid for its type.
 */
export function decodeMessage(bytes: Uint8Array): DecodedFrame {
  const header = decodeHeader(bytes);
  if ((header.version ^ 0xff) !== header.inverseVersion) {
    throw new DecodeError(`DoIP header pattern is incorrect: version ${hexNum(header.version, 2)} with inverse ${hexNum(header.inverseVersion, 2)}`, {
      version: header.version,
      inverseVersion: header.inverseVersion,
    });
  }
  const actual = bytes.length - DOIP_HEADER_LENGTH;
  if (header.payloadLength !== actual) {
    throw new DecodeError(`DoIP payload length field says ${header.payloadLength} bytes but ${actual} follow the header`, {
      payloadLength: header.payloadLength,
      actual,
    });
  }
  return { header, message: decodePayload(header.payloadType, bytes.subarray(DOIP_HEADER_LENGTH)) };
}

/** Result of {@link checkDatagram}. */
export type DatagramCheck =
  | { readonly ok: true; readonly header: DoipHeader; readonly message: DoipMessage }
  /** `header` is undefined when the datagram is shorter than a header (nothing to answer). */
  | { readonly ok: false; readonly header: DoipHeader | undefined; readonly problem: HeaderProblem | undefined };

/**
 * Applies the generic DoIP header handler to one UDP datagram (ISO 13400-2:2019, generic DoIP
 * header handler): the header checks of {@link checkHeader}, then the payload length field must
 * match the datagram (else NACK 04), then the payload is decoded.
 */
export function checkDatagram(bytes: Uint8Array, rules: HeaderRules): DatagramCheck {
  if (bytes.length < DOIP_HEADER_LENGTH) return { ok: false, header: undefined, problem: undefined };
  const header = decodeHeader(bytes);
  const problem = checkHeader(header, rules);
  if (problem) return { ok: false, header, problem };
  const payload = bytes.subarray(DOIP_HEADER_LENGTH);
  if (payload.length !== header.payloadLength) {
    return {
      ok: false,
      header,
      problem: {
        code: GenericNackCode.invalidPayloadLength,
        close: false,
        reason: `payload length field ${header.payloadLength} does not match the ${payload.length} byte(s) received`,
      },
    };
  }
  try {
    return { ok: true, header, message: decodePayload(header.payloadType, payload) };
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    return { ok: false, header, problem: { code: GenericNackCode.invalidPayloadLength, close: false, reason: e.message } };
  }
}
