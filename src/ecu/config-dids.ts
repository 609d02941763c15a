/**
 * The `dids` section of an ECU profile: more DIDs or overrides of the standard ones, each with its value,
 * its codec (how the bytes read: bytes, ascii, bcd, uint, int), its lengths, read / write rules per
 * session and security level, optional `scaling` records (0x24) and optional `ioControl` (0x2F).
 *
 * ```yaml
 * dids:
 *   - { id: 0x0100, codec: uint, length: 2, value: 12345, max: 60000, write: { sessions: [3] } }
 *   - { id: 0xF199, codec: bcd, value: "20240101" }
 *   - id: 0x9B00
 *     name: fanDuty
 *     codec: uint
 *     length: 1
 *     value: 0
 *     ioControl: { parameters: [0, 1, 2, 3], default: 0, sessions: [3], securityLevels: [1], conditions: { engineOff: true } }
 * ```
 */
import { z } from 'zod';
import { DID_CODECS, DidValueError, encodeDidValue, MAX_INTEGER_LENGTH, type DidCodecSpec, type DidValueInput } from './did-codec.js';
import { scalingSchema } from './config-scaling.js';
import { boundedNumber, configByte, configU16 } from './config-values.js';

/** Where something may be used: sessions (absent = all) and security levels (absent or empty = none needed). */
export const accessSchema = z.strictObject({
  sessions: z.array(configByte).optional(),
  securityLevels: z.array(configByte).optional(),
});

/** How a profile writes a DID value: text, a number (uint / int / bcd), `{ hex }` or bytes. */
const valueInput = z.union([z.string(), z.number(), z.strictObject({ hex: z.string() }), z.instanceof(Uint8Array)], {
  error: 'must be text, a number (codec uint, int or bcd) or { hex: "01 02 ..." }',
});

/** Vehicle conditions an IO control needs (else NRC 0x22). */
const conditionsSchema = z.strictObject({
  /** The engine must be off. */
  engineOff: z.boolean().optional(),
  /** The vehicle speed must be 0. */
  vehicleStopped: z.boolean().optional(),
  /** The ignition must be on. */
  ignitionOn: z.boolean().optional(),
});

const ioControlSchema = z.strictObject({
  parameters: z
    .array(configByte.refine((n) => n <= 3, { message: 'must be 0..3 (00 returnControlToECU, 01 resetToDefault, 02 freezeCurrentState, 03 shortTermAdjustment)' }))
    .min(1)
    .default(() => [0, 1, 2, 3]),
  default: valueInput.optional(),
  signals: z.array(boundedNumber(1, 0xffff, 'a signal length in bytes')).min(1).optional(),
  sessions: z.array(configByte).optional(),
  securityLevels: z.array(configByte).optional(),
  conditions: conditionsSchema.optional(),
});

/** One DID entry of the profile (see the module doc). */
export const didSchema = z
  .strictObject({
    id: configU16,
    name: z.string().optional(),
    codec: z.enum(DID_CODECS).optional(),
    value: valueInput.optional(),
    length: boundedNumber(1, 0xffff, 'length').optional(),
    minLength: boundedNumber(1, 0xffff, 'minLength').optional(),
    maxLength: boundedNumber(1, 0xffff, 'maxLength').optional(),
    min: z.number().int().optional(),
    max: z.number().int().optional(),
    read: accessSchema.optional(),
    write: accessSchema.optional(),
    scaling: scalingSchema.optional(),
    ioControl: ioControlSchema.optional(),
  })
  .transform((d, ctx) => {
    const codec = d.codec ?? 'bytes';
    const numeric = codec === 'uint' || codec === 'int';
    if (numeric && (d.length === undefined || d.length > MAX_INTEGER_LENGTH)) {
      ctx.addIssue({ code: 'custom', path: ['length'], message: `codec ${codec} needs a length of 1..${MAX_INTEGER_LENGTH} bytes` });
      return z.NEVER;
    }
    if (!numeric && (d.min !== undefined || d.max !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [d.min !== undefined ? 'min' : 'max'], message: 'min / max apply to codec uint or int only' });
    }
    const spec: DidCodecSpec = { codec, length: d.length, min: d.min, max: d.max };
    const value = encodeOrIssue(spec, d.value, ['value'], ctx);
    if (value === null) return z.NEVER;
    let ioControl;
    if (d.ioControl) {
      const length = d.length ?? value?.length;
      const def = encodeOrIssue({ ...spec, length }, d.ioControl.default, ['ioControl', 'default'], ctx);
      if (def === null) return z.NEVER;
      const signals = d.ioControl.signals;
      const total = signals?.reduce((a, b) => a + b, 0);
      if (total !== undefined && length !== undefined && total !== length) {
        ctx.addIssue({ code: 'custom', path: ['ioControl', 'signals'], message: `signals cover ${total} byte(s) but the DID is ${length} byte(s) long` });
      }
      ioControl = { ...d.ioControl, parameters: [...new Set(d.ioControl.parameters)].sort((a, b) => a - b), default: def };
    }
    return { ...d, value, ioControl };
  });

/** `value` as bytes; undefined when absent; null after reporting an issue at `path`. */
function encodeOrIssue(
  spec: DidCodecSpec,
  value: DidValueInput | undefined,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): Uint8Array | undefined | null {
  if (value === undefined) return undefined;
  try {
    return encodeDidValue(spec, value);
  } catch (e) {
    if (!(e instanceof DidValueError)) throw e;
    ctx.addIssue({ code: 'custom', path, message: e.message });
    return null;
  }
}

/** `dids`: the profile's DIDs, default none. */
export const didsSchema = z.array(didSchema).default(() => []);

/**
 * `dynamicDids`: limits of DynamicallyDefineDataIdentifier (0x2C): the longest composed record
 * [255 bytes] and the most source elements per DDDID [32]; beyond them a define answers 0x31.
 */
export const dynamicDidsSchema = z
  .strictObject({
    maxDataLength: boundedNumber(1, 0xffff, 'maxDataLength').default(255),
    maxSourceElements: boundedNumber(1, 0xffff, 'maxSourceElements').default(32),
  })
  .prefault({});
