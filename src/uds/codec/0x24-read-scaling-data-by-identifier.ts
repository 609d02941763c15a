/**
 * ReadScalingDataByIdentifier (0x24), ISO 14229-1:2020 11.4, with the scaling records of Annex C
 * (scalingByte, scalingByteExtension, formula identifiers and the two-byte real number format).
 *
 * Request `24 DID(2)`, positive response `64 DID(2) scalingByte [scalingByteExtension] [scalingByte ...]`.
 */
import { ByteWriter, type ByteReader } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { decodeRequestFrame, decodeResponseFrame, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** The high nibble of a scalingByte: the type of the data (ISO 14229-1:2020 Annex C, scalingByte table). */
export const ScalingType = {
  unSignedNumeric: 0x0,
  signedNumeric: 0x1,
  bitMappedReportedWithOutMask: 0x2,
  bitMappedReportedWithMask: 0x3,
  binaryCodedDecimal: 0x4,
  stateEncodedVariable: 0x5,
  ascii: 0x6,
  signedFloatingPoint: 0x7,
  packet: 0x8,
  formula: 0x9,
  unitFormat: 0xa,
  stateAndConnectionType: 0xb,
} as const;

/**
 * formulaIdentifier values of a `formula` scalingByteExtension (ISO 14229-1:2020 Annex C, formula table);
 * x is the raw value, C0..C2 the constants that follow the identifier.
 */
export const ScalingFormula = {
  /** y = C0 * x + C1 */
  linear: 0x00,
  /** y = C0 * (x + C1) */
  scaledOffset: 0x01,
  /** y = C0 / (x + C1) + C2 */
  reciprocal: 0x02,
  /** y = x / C0 + C1 */
  dividedPlusOffset: 0x03,
  /** y = (x + C0) / C1 */
  offsetDivided: 0x04,
  /** y = (x + C0) / C1 + C2 */
  offsetDividedPlusOffset: 0x05,
  /** y = C0 * x */
  multiplied: 0x06,
  /** y = x / C0 */
  divided: 0x07,
  /** y = x + C0 */
  offset: 0x08,
  /** y = x * C0 / C1 */
  multipliedDivided: 0x09,
} as const;

/** Number of constants each formula of {@link ScalingFormula} takes. */
export const FORMULA_CONSTANTS: Readonly<Record<number, number>> = { 0: 2, 1: 2, 2: 3, 3: 2, 4: 2, 5: 3, 6: 1, 7: 1, 8: 1, 9: 2 };

/**
 * True when a scalingByte of `type` is followed by a scalingByteExtension of (low nibble) bytes:
 * bitMappedReportedWithOutMask (the validity mask), formula (identifier + constants) and unit/format.
 */
export function scalingHasExtension(type: number): boolean {
  return type === ScalingType.bitMappedReportedWithOutMask || type === ScalingType.formula || type === ScalingType.unitFormat;
}

/** One scalingByte and its scalingByteExtension. */
export interface ScalingRecord {
  /** The scalingByte: type in bits 7-4, number of bytes in bits 3-0. */
  scalingByte: number;
  /** The scalingByteExtension (empty for the types without one); its length is the low nibble. */
  extension: Uint8Array;
}

/** A decoded 0x24 request. */
export interface ReadScalingDataByIdentifierRequest {
  /** The data identifier, 0..0xFFFF. */
  did: number;
}

/** A decoded 0x24 positive response. */
export interface ReadScalingDataByIdentifierResponse {
  /** Echo of the data identifier. */
  did: number;
  /** The scaling records, at least one, in wire order. */
  records: ScalingRecord[];
}

const NAME = 'ReadScalingDataByIdentifier';

/**
 * Encodes `value` as the two-byte real number of ISO 14229-1:2020 Annex C (formula constants):
 * bits 15-12 a base-10 exponent E (-8..7, two's complement), bits 11-0 a mantissa M (-2048..2047, two's
 * complement), value = M * 10^E. Picks the smallest mantissa that represents `value` exactly; throws
 * `InvalidArgumentError` when no (M, E) does (e.g. 1/3, or 123456789).
 */
export function encodeTwoByteReal(value: number): number {
  if (!Number.isFinite(value)) throw new InvalidArgumentError(`two-byte real: ${value} is not a finite number`, { value });
  if (value === 0) return 0;
  for (let e = 7; e >= -8; e--) {
    const m = e >= 0 ? value / 10 ** e : value * 10 ** -e;
    const rounded = Math.round(m);
    if (rounded < -2048 || rounded > 2047 || rounded === 0) continue;
    if (Math.abs(decodeParts(rounded, e) - value) <= Math.abs(value) * 1e-12) return ((e & 0x0f) << 12) | (rounded & 0x0fff);
  }
  throw new InvalidArgumentError(
    `two-byte real: ${value} cannot be written exactly as M * 10^E with M in -2048..2047 and E in -8..7`,
    { value },
  );
}

function decodeParts(m: number, e: number): number {
  return e >= 0 ? m * 10 ** e : m / 10 ** -e;
}

/** Decodes a two-byte real number (see {@link encodeTwoByteReal}) from its 16-bit value. */
export function decodeTwoByteReal(raw: number): number {
  const e4 = (raw >> 12) & 0x0f;
  const m12 = raw & 0x0fff;
  return decodeParts(m12 >= 0x800 ? m12 - 0x1000 : m12, e4 >= 8 ? e4 - 16 : e4);
}

function readRecords(r: ByteReader): ScalingRecord[] {
  const records: ScalingRecord[] = [];
  // ISO 14229-1:2020 11.4.3 — at least one scalingByte after the DID.
  do {
    const scalingByte = r.u8('scalingByte');
    const extension = scalingHasExtension(scalingByte >> 4)
      ? r.bytes(scalingByte & 0x0f, `scalingByteExtension of scalingByte 0x${hexByte(scalingByte)}`)
      : new Uint8Array(0);
    records.push({ scalingByte, extension });
  } while (r.remaining > 0);
  return records;
}

/** Codec of ReadScalingDataByIdentifier (0x24). */
export const readScalingDataByIdentifier: ServiceCodec<ReadScalingDataByIdentifierRequest, ReadScalingDataByIdentifierResponse> = {
  sid: SID.ReadScalingDataByIdentifier,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 3,

  encodeRequest(req) {
    return new ByteWriter(3).u8(SID.ReadScalingDataByIdentifier).u16(req.did).finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 11.4.2 — exactly one 2-byte DID; any other length is 0x13.
    return decodeRequestFrame(SID.ReadScalingDataByIdentifier, NAME, bytes, (r) => ({ did: r.u16('dataIdentifier') }));
  },

  encodeResponse(res) {
    if (res.records.length === 0) throw new InvalidArgumentError(`${NAME}: records must hold at least one scaling record`, { field: 'records' });
    const w = new ByteWriter().u8(SID.ReadScalingDataByIdentifier + 0x40).u16(res.did);
    for (const rec of res.records) {
      const want = scalingHasExtension(rec.scalingByte >> 4) ? rec.scalingByte & 0x0f : 0;
      if (rec.extension.length !== want) {
        throw new InvalidArgumentError(
          `${NAME}: scalingByte 0x${hexByte(rec.scalingByte)} takes a ${want}-byte scalingByteExtension, got ${rec.extension.length}`,
          { field: 'records' },
        );
      }
      w.u8(rec.scalingByte).bytes(rec.extension);
    }
    return w.finish();
  },

  decodeResponse(bytes) {
    return decodeResponseFrame(SID.ReadScalingDataByIdentifier, NAME, bytes, (r) => {
      const did = r.u16('dataIdentifier');
      if (r.remaining === 0) throw new DecodeError(`${NAME} response has no scalingByte after the DID`, { did });
      return { did, records: readRecords(r) };
    });
  },
};
