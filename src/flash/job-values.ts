/**
 * Zod building blocks of the flash job schema: the number and byte forms of the ECU profiles
 * (`configNumber` & co. from ecu/config-values.ts: `0x1010`, `"4K"`, `{ hex }`), byte values with
 * placeholders ({@link BytesTemplate}), raw hex strings, sessions, addressing.
 */
import { z } from 'zod';
import { fromHex } from '../core/hex.js';
import { configByte, configNumber } from '../ecu/config-values.js';
import type { BytesTemplate } from './placeholders.js';

export { boundedNumber, configByte, configNumber, configU16, configU32 } from '../ecu/config-values.js';

/** A count or duration in `min..max` (inclusive), its bounds written in decimal in the message. */
export function decimalNumber(min: number, max: number, what: string): z.ZodType<number, number | string> {
  return configNumber.refine((n) => n >= min && n <= max, { message: `${what} must be ${min}..${max}` });
}

/** `physical` (one ECU) or `functional` (every ECU on the functional address). */
export const addressingSchema = z.enum(['physical', 'functional']).meta({ description: 'physical: one ECU; functional: every ECU at once (run once for all)' });

/** A diagnostic session id 0x01..0x7F (ISO 14229-1:2020 10.2.2; bit 7 is the SPRMIB). */
export const sessionSchema = configNumber.refine((n) => n >= 0x01 && n <= 0x7f, { message: 'a session id must be 0x01..0x7F (bit 7 is the SPRMIB: set suppress instead)' });

/** A requestSeed level: odd, 0x01..0x7D (ISO 14229-1:2020 10.4.2). */
export const securityLevelSchema = configByte.refine((v) => v % 2 === 1 && v <= 0x7d, { message: 'must be the odd requestSeed value (0x01, 0x03, ... 0x7D)' });

/** A timeout or duration in ms, 1..600000. */
export const msSchema = decimalNumber(1, 600_000, 'a number of ms');

/**
 * A byte value with placeholders: a string (ASCII text), `{ text }` or `{ hex }` (see placeholders.ts).
 * Placeholder names are checked when the job is planned, against its variables.
 */
export const bytesTemplateSchema = z
  .union([z.string(), z.strictObject({ text: z.string() }), z.strictObject({ hex: z.string() })], {
    error: 'must be ASCII text (with placeholders such as {date}), { text: "..." } or { hex: "01 02 {date}" }',
  })
  .transform((v): BytesTemplate => (typeof v === 'string' ? { mode: 'text', text: v } : 'text' in v ? { mode: 'text', text: v.text } : { mode: 'hex', hex: v.hex }));

/** Hex bytes written as a string (`"31 01 02 05"`, `"310102"`), at least `min` of them. */
export function hexBytesSchema(min = 0): z.ZodType<Uint8Array, string> {
  return z.string({ error: 'must be hex bytes such as "31 01 02 05"' }).transform((v, ctx) => {
    try {
      const b = fromHex(v);
      if (b.length < min) {
        ctx.addIssue({ code: 'custom', message: `needs at least ${min} byte(s), got ${b.length}` });
        return z.NEVER;
      }
      return b;
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: (e as Error).message });
      return z.NEVER;
    }
  });
}

/** A seed/key secret as a profile writes it: ASCII text, a 32-bit number, or `{ hex }`. */
export const secretSchema = z.union([z.string(), z.number().int().min(0).max(0xffffffff), z.strictObject({ hex: z.string() })], {
  error: 'must be ASCII text ("2345"), a 32-bit number (0x464C4147) or { hex: "A5 5A C3 3C" }',
});
