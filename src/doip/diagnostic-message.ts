/**
 * Diagnostic messages (ISO 13400-2:2019 Table 17): 0x8001 (`sourceAddress(2) targetAddress(2)
 * UDS bytes`), positive ACK 0x8002 and NACK 0x8003 (`sourceAddress(2) targetAddress(2) code(1)
 * [echo of the request's UDS bytes, possibly shortened]`).
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { DOIP_HEADER_LENGTH, writeHeader } from './header.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Bytes before the UDS data of a diagnostic message (source and target address). */
export const DIAGNOSTIC_MESSAGE_OVERHEAD = 4;

/** Diagnostic message: UDS bytes between logical addresses. */
export interface DiagnosticMessage {
  readonly kind: 'diagnosticMessage';
  readonly sourceAddress: number;
  readonly targetAddress: number;
  /** UDS bytes (at least one). */
  readonly data: Uint8Array;
}

/** Diagnostic message positive acknowledge. */
export interface DiagnosticMessageAck {
  readonly kind: 'diagnosticMessageAck';
  /** The target address of the acknowledged message (ECU or functional address). */
  readonly sourceAddress: number;
  /** The tester address. */
  readonly targetAddress: number;
  /** 0x00 (routing confirmation). */
  readonly code: number;
  /** Start of the acknowledged UDS bytes; may be empty. */
  readonly echo: Uint8Array;
}

/** Diagnostic message negative acknowledge. */
export interface DiagnosticMessageNack {
  readonly kind: 'diagnosticMessageNack';
  /** The target address of the refused message. */
  readonly sourceAddress: number;
  /** The tester address. */
  readonly targetAddress: number;
  /** See `DiagnosticNackCode`. */
  readonly code: number;
  /** Start of the refused UDS bytes; may be empty. */
  readonly echo: Uint8Array;
}

/** Encodes the payload of a diagnostic message. */
export function encodeDiagnosticMessage(m: DiagnosticMessage): Uint8Array {
  return new ByteWriter(DIAGNOSTIC_MESSAGE_OVERHEAD + m.data.length).u16(m.sourceAddress).u16(m.targetAddress).bytes(m.data).finish();
}

/**
 * Encodes a whole diagnostic message frame (generic header with `version`, then the payload) into one
 * array: the UDS bytes, possibly a whole TransferData block, are copied once.
 */
export function encodeDiagnosticMessageFrame(m: DiagnosticMessage, version: number): Uint8Array {
  return writeFrameHead(new ByteWriter(DOIP_HEADER_LENGTH + DIAGNOSTIC_MESSAGE_OVERHEAD + m.data.length), m, version).bytes(m.data).finish();
}

/** UDS bytes from which {@link diagnosticMessageFrameParts} leaves them apart instead of copying them. */
export const FRAME_PARTS_MIN_DATA = 1024;

/**
 * A diagnostic message frame as the parts to write one after the other: with at least
 * {@link FRAME_PARTS_MIN_DATA} UDS bytes, the generic header and addresses, then `m.data` itself (no
 * copy: the writer must not change it until it was written); with fewer, the whole frame in one array.
 */
export function diagnosticMessageFrameParts(m: DiagnosticMessage, version: number): Uint8Array[] {
  if (m.data.length < FRAME_PARTS_MIN_DATA) return [encodeDiagnosticMessageFrame(m, version)];
  return [writeFrameHead(new ByteWriter(DOIP_HEADER_LENGTH + DIAGNOSTIC_MESSAGE_OVERHEAD), m, version).finish(), m.data];
}

function writeFrameHead(w: ByteWriter, m: DiagnosticMessage, version: number): ByteWriter {
  const payloadLength = DIAGNOSTIC_MESSAGE_OVERHEAD + m.data.length;
  return writeHeader(w, version, PayloadType.diagnosticMessage, payloadLength).u16(m.sourceAddress).u16(m.targetAddress);
}

/** Decodes the payload of a diagnostic message (at least 5 bytes); `data` is a copy. */
export function decodeDiagnosticMessage(payload: Uint8Array): DiagnosticMessage {
  assertPayloadLength(PayloadType.diagnosticMessage, payload);
  const r = new ByteReader(payload, 'diagnostic message');
  return { kind: 'diagnosticMessage', sourceAddress: r.u16('sourceAddress'), targetAddress: r.u16('targetAddress'), data: r.rest() };
}

/**
 * Like {@link decodeDiagnosticMessage}, but `data` is a view of `payload` (no copy of the UDS bytes,
 * which may be a whole TransferData block). Only for an owner of `payload` that never writes it again,
 * such as the stream parser with socket chunks.
 */
export function decodeDiagnosticMessageView(payload: Uint8Array): DiagnosticMessage {
  assertPayloadLength(PayloadType.diagnosticMessage, payload);
  const r = new ByteReader(payload, 'diagnostic message');
  return { kind: 'diagnosticMessage', sourceAddress: r.u16('sourceAddress'), targetAddress: r.u16('targetAddress'), data: r.restView() };
}

function encodeAckLike(m: DiagnosticMessageAck | DiagnosticMessageNack): Uint8Array {
  return new ByteWriter(5 + m.echo.length).u16(m.sourceAddress).u16(m.targetAddress).u8(m.code).bytes(m.echo).finish();
}

function decodeAckLike(payload: Uint8Array, what: string): { sourceAddress: number; targetAddress: number; code: number; echo: Uint8Array } {
  const r = new ByteReader(payload, what);
  return { sourceAddress: r.u16('sourceAddress'), targetAddress: r.u16('targetAddress'), code: r.u8('code'), echo: r.rest() };
}

/** Encodes a whole ACK (0x8002) or NACK (0x8003) frame, generic header with `version` and payload, into one array. */
export function encodeDiagnosticAckFrame(m: DiagnosticMessageAck | DiagnosticMessageNack, version: number): Uint8Array {
  const payloadType = m.kind === 'diagnosticMessageAck' ? PayloadType.diagnosticMessageAck : PayloadType.diagnosticMessageNack;
  const payloadLength = 5 + m.echo.length;
  const w = writeHeader(new ByteWriter(DOIP_HEADER_LENGTH + payloadLength), version, payloadType, payloadLength);
  return w.u16(m.sourceAddress).u16(m.targetAddress).u8(m.code).bytes(m.echo).finish();
}

/** Encodes the payload of a diagnostic message positive ACK. */
export function encodeDiagnosticMessageAck(m: DiagnosticMessageAck): Uint8Array {
  return encodeAckLike(m);
}

/** Decodes the payload of a diagnostic message positive ACK. */
export function decodeDiagnosticMessageAck(payload: Uint8Array): DiagnosticMessageAck {
  assertPayloadLength(PayloadType.diagnosticMessageAck, payload);
  return { kind: 'diagnosticMessageAck', ...decodeAckLike(payload, 'diagnostic message ACK') };
}

/** Encodes the payload of a diagnostic message NACK. */
export function encodeDiagnosticMessageNack(m: DiagnosticMessageNack): Uint8Array {
  return encodeAckLike(m);
}

/** Decodes the payload of a diagnostic message NACK. */
export function decodeDiagnosticMessageNack(payload: Uint8Array): DiagnosticMessageNack {
  assertPayloadLength(PayloadType.diagnosticMessageNack, payload);
  return { kind: 'diagnosticMessageNack', ...decodeAckLike(payload, 'diagnostic message NACK') };
}
