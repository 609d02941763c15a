/**
 * The generic DoIP header (ISO 13400-2:2019, generic DoIP header structure): `version(1) inverseVersion(1)
 * payloadType(2) payloadLength(4)`, big endian, and the generic DoIP header handler's checks in
 * their ISO order, each mapped to its generic NACK code and socket action.
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { hexByte, hexNum } from '../core/hex.js';
import { GenericNackCode } from './codes.js';
import { describeLengthRule, describePayloadType, isKnownPayloadType, isValidPayloadLength, payloadTypeInfo, PayloadType } from './payload-types.js';

/** Length of the generic DoIP header in bytes. */
export const DOIP_HEADER_LENGTH = 8;

/** Protocol versions of the generic header (ISO 13400-2:2019, generic DoIP header structure). */
export const DoipVersion = {
  iso13400_2010: 0x01,
  iso13400_2012: 0x02,
  iso13400_2019: 0x03,
  iso13400_2019Amd1: 0x04,
  /** "Any version": allowed only in vehicle identification requests. */
  vehicleIdentificationDefault: 0xff,
} as const;

/** udskit's default protocol version: 0x02 (ISO 13400-2:2012). */
export const DEFAULT_PROTOCOL_VERSION = DoipVersion.iso13400_2012;

/** Payload types that may be sent with protocol version 0xFF (vehicle identification requests). */
export const ANY_VERSION_PAYLOAD_TYPES: ReadonlySet<number> = new Set([
  PayloadType.vehicleIdentificationRequest,
  PayloadType.vehicleIdentificationRequestWithEid,
  PayloadType.vehicleIdentificationRequestWithVin,
]);

/** A decoded generic header, fields as on the wire (nothing validated). */
export interface DoipHeader {
  readonly version: number;
  readonly inverseVersion: number;
  readonly payloadType: number;
  readonly payloadLength: number;
}

/** Encodes a generic header. Throws {@link InvalidArgumentError} for values that do not fit. */
export function encodeHeader(version: number, payloadType: number, payloadLength: number): Uint8Array {
  return writeHeader(new ByteWriter(DOIP_HEADER_LENGTH), version, payloadType, payloadLength).finish();
}

/** Writes a generic header to `w` (for encoders that put header and payload into one array). */
export function writeHeader(w: ByteWriter, version: number, payloadType: number, payloadLength: number): ByteWriter {
  return w.u8(version).u8(version ^ 0xff).u16(payloadType).u32(payloadLength);
}

/** Reads the 8 header bytes at the start of `bytes`. Throws `DecodeError` when fewer than 8 are given. */
export function decodeHeader(bytes: Uint8Array): DoipHeader {
  const r = new ByteReader(bytes, 'DoIP header');
  return {
    version: r.u8('protocolVersion'),
    inverseVersion: r.u8('inverseProtocolVersion'),
    payloadType: r.u16('payloadType'),
    payloadLength: r.u32('payloadLength'),
  };
}

/** What the receiver of a header accepts. */
export interface HeaderRules {
  /** The protocol version this side speaks; any other version is an incorrect pattern (except 0xFF, see below). */
  readonly protocolVersion: number;
  /** Payload types this receiver supports on this socket; the others are NACK 01. */
  readonly supportedPayloadTypes: ReadonlySet<number>;
  /** Largest payload length accepted; longer is NACK 02. */
  readonly maxDataSize: number;
  /** Payload types that may also use version 0xFF. Default: none (TCP); UDP entities pass {@link ANY_VERSION_PAYLOAD_TYPES}. */
  readonly anyVersionPayloadTypes?: ReadonlySet<number>;
  /**
   * Payload types accepted with any ISO version 1..4 (matching inverse). A tester passes the generic
   * NACK here: an entity speaking another version answers with its own version, and the tester
   * should still read the NACK code. Default: none.
   */
  readonly otherVersionPayloadTypes?: ReadonlySet<number>;
}

/** A header the generic DoIP header handler rejects. */
export interface HeaderProblem {
  /** Generic header NACK code to send. */
  readonly code: number;
  /** True when the socket must be closed after the NACK (codes 00 and 04); otherwise the payload is discarded and the socket kept. */
  readonly close: boolean;
  /** Human explanation for logs and errors. */
  readonly reason: string;
}

/**
 * ISO 13400-2:2019, generic DoIP header handler: checks in this order —
 * pattern (version/inverse, NACK 00, close), payload type supported (NACK 01, discard),
 * length <= max data size (NACK 02, discard), length valid for the type (NACK 04, close).
 * NACK 03 (out of memory) is never produced: payloads up to `maxDataSize` are always buffered.
 * Returns `undefined` when the header is acceptable.
 */
export function checkHeader(h: DoipHeader, rules: HeaderRules): HeaderProblem | undefined {
  const versionOk =
    h.version === rules.protocolVersion ||
    (h.version === DoipVersion.vehicleIdentificationDefault && (rules.anyVersionPayloadTypes?.has(h.payloadType) ?? false)) ||
    (h.version >= 1 && h.version <= 4 && (rules.otherVersionPayloadTypes?.has(h.payloadType) ?? false));
  if ((h.version ^ 0xff) !== h.inverseVersion || !versionOk) {
    return {
      code: GenericNackCode.incorrectPatternFormat,
      close: true,
      reason: `incorrect pattern: version ${hexByte(h.version)} inverse ${hexByte(h.inverseVersion)} (expected ${hexByte(rules.protocolVersion)} ${hexByte(rules.protocolVersion ^ 0xff)})`,
    };
  }
  if (!rules.supportedPayloadTypes.has(h.payloadType)) {
    return {
      code: GenericNackCode.unknownPayloadType,
      close: false,
      reason: isKnownPayloadType(h.payloadType)
        ? `${describePayloadType(h.payloadType)} is not supported on this socket`
        : `unknown payload type ${hexNum(h.payloadType)}`,
    };
  }
  if (h.payloadLength > rules.maxDataSize) {
    return {
      code: GenericNackCode.messageTooLarge,
      close: false,
      reason: `payload length ${h.payloadLength} exceeds the maximum data size ${rules.maxDataSize}`,
    };
  }
  if (!isValidPayloadLength(h.payloadType, h.payloadLength)) {
    const info = payloadTypeInfo(h.payloadType);
    return {
      code: GenericNackCode.invalidPayloadLength,
      close: true,
      reason: `payload length ${h.payloadLength} is invalid for ${describePayloadType(h.payloadType)}${info ? ` (expected ${describeLengthRule(info.length)})` : ''}`,
    };
  }
  return undefined;
}

/** Throws {@link InvalidArgumentError} unless `v` is a protocol version an entity or tester may speak (1..4). */
export function assertProtocolVersion(v: number, field = 'protocolVersion'): void {
  if (!Number.isInteger(v) || v < 1 || v > 4) {
    throw new InvalidArgumentError(`${field} must be 1, 2, 3 or 4 (ISO 13400-2:2010/2012/2019/2019 AMD1), got ${String(v)}`, { field, value: v });
  }
}
