/**
 * The `scaling` of a DID in the profile: what ReadScalingDataByIdentifier (0x24) answers, i.e. the
 * scalingByte / scalingByteExtension records of ISO 14229-1:2020 11.4 and Annex C. Written either as
 * the bytes (`{ hex: "02 95 00 F0 01 1F FC" }`) or as a list of typed records:
 *
 * ```yaml
 * scaling:
 *   - { type: unsignedNumeric, length: 2 }          # 0x02
 *   - { type: formula, formula: 0, constants: [0.1, -40] }  # 0x95 00 F001 1FFC: y = 0.1 x - 40
 *   - { type: unit, unit: 0x2E }                    # 0xA1 2E
 * ```
 */
import { z } from 'zod';
import { DecodeError, InvalidArgumentError } from '../core/errors.js';
import { fromHex } from '../core/hex.js';
import {
  encodeTwoByteReal,
  FORMULA_CONSTANTS,
  readScalingDataByIdentifier,
  ScalingType,
} from '../uds/codec/0x24-read-scaling-data-by-identifier.js';
import { boundedNumber, configByte } from './config-values.js';

/** Record types whose scalingByte low nibble is just the data length (no extension). */
const SIMPLE_TYPES = {
  unsignedNumeric: ScalingType.unSignedNumeric,
  signedNumeric: ScalingType.signedNumeric,
  bitMappedReportedWithMask: ScalingType.bitMappedReportedWithMask,
  bcd: ScalingType.binaryCodedDecimal,
  stateEncodedVariable: ScalingType.stateEncodedVariable,
  ascii: ScalingType.ascii,
  signedFloatingPoint: ScalingType.signedFloatingPoint,
  packet: ScalingType.packet,
  stateAndConnectionType: ScalingType.stateAndConnectionType,
} as const;

const hexInput = z.strictObject({ hex: z.string() });

const recordSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.enum(Object.keys(SIMPLE_TYPES) as [keyof typeof SIMPLE_TYPES, ...(keyof typeof SIMPLE_TYPES)[]]),
    length: boundedNumber(0, 15, 'length (the scalingByte low nibble)'),
  }),
  z.strictObject({ type: z.literal('bitMappedReportedWithOutMask'), mask: hexInput }),
  z.strictObject({ type: z.literal('formula'), formula: configByte, constants: z.array(z.number()).default(() => []) }),
  z.strictObject({ type: z.literal('unit'), unit: configByte }),
  z.strictObject({ type: z.literal('raw'), scalingByte: configByte, extension: hexInput.optional() }),
]);

type ScalingRecordInput = z.output<typeof recordSchema>;

function recordBytes(rec: ScalingRecordInput): number[] {
  switch (rec.type) {
    case 'bitMappedReportedWithOutMask': {
      const mask = fromHex(rec.mask.hex);
      if (mask.length < 1 || mask.length > 15) throw new Error(`mask must be 1..15 bytes, got ${mask.length}`);
      return [(ScalingType.bitMappedReportedWithOutMask << 4) | mask.length, ...mask];
    }
    case 'formula': {
      const want = FORMULA_CONSTANTS[rec.formula];
      if (want !== undefined && rec.constants.length !== want) {
        throw new Error(`formula ${rec.formula} takes ${want} constant(s), got ${rec.constants.length}`);
      }
      if (rec.constants.length > 7) throw new Error('at most 7 constants fit the 15-byte scalingByteExtension');
      const ext = [rec.formula];
      for (const c of rec.constants) {
        const raw = encodeTwoByteReal(c);
        ext.push(raw >> 8, raw & 0xff);
      }
      return [(ScalingType.formula << 4) | ext.length, ...ext];
    }
    case 'unit':
      return [(ScalingType.unitFormat << 4) | 1, rec.unit];
    case 'raw':
      return [rec.scalingByte, ...(rec.extension ? fromHex(rec.extension.hex) : [])];
    default:
      return [(SIMPLE_TYPES[rec.type] << 4) | rec.length];
  }
}

/** Throws unless `bytes` is a well-formed list of scaling records (what 0x24 sends after the DID). */
function checkRecords(bytes: Uint8Array): Uint8Array {
  try {
    readScalingDataByIdentifier.decodeResponse(Uint8Array.from([0x64, 0, 0, ...bytes]));
  } catch (e) {
    if (e instanceof DecodeError) {
      throw new Error(`not well-formed scaling records: ${e.message.replace(/^ReadScalingDataByIdentifier response:? ?/, '')}`, { cause: e });
    }
    throw e;
  }
  return bytes;
}

/**
 * `scaling` of a DID: bytes (`{ hex }` or a Uint8Array) or a list of typed records; the output is the
 * scaling record bytes 0x24 answers after the DID, checked for well-formedness.
 */
export const scalingSchema = z
  .union([hexInput, z.instanceof(Uint8Array), z.array(recordSchema).min(1)], {
    error: 'must be { hex: "..." } or a list of records such as { type: unsignedNumeric, length: 2 }',
  })
  .transform((v, ctx): Uint8Array => {
    try {
      if (v instanceof Uint8Array) return checkRecords(v);
      if (!Array.isArray(v)) return checkRecords(fromHex(v.hex));
      return checkRecords(Uint8Array.from(v.flatMap((rec) => recordBytes(rec))));
    } catch (e) {
      const msg = e instanceof InvalidArgumentError || e instanceof Error ? e.message : String(e);
      ctx.addIssue({ code: 'custom', message: msg });
      return z.NEVER;
    }
  });

