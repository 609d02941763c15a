/**
 * The `security` section of an ECU profile: levels with their seed/key algorithm, secret, seed and key
 * lengths, attempt limit and delay (spec/uds.md "Security access"). Each level's algorithm is run once
 * at parse time so a wrong secret or length is reported with the profile, not at the first sendKey.
 */
import { z } from 'zod';
import { parseIntAuto } from '../core/hex.js';
import { getSecurityAlgorithm, secretFromConfig } from '../uds/security/algorithms.js';
import { boundedNumber, configByte, configNumber } from './config-values.js';

/** How a profile writes a security secret. */
const secretInput = z.union([z.string(), z.number(), z.strictObject({ hex: z.string() }), z.instanceof(Uint8Array)], {
  error: 'must be a string (the PIN for doipsimu-pin), a number, or { hex: "..." }',
});

const securityLevelSchema = z
  .strictObject({
    level: configByte.refine((n) => n % 2 === 1 && n <= 0x7d, {
      message: 'must be an odd requestSeed value 0x01..0x7D (sendKey is level + 1)',
    }),
    algorithm: z.string().default('shift-mul-xor'),
    secret: secretInput.optional(),
    seedLength: boundedNumber(1, 0xff, 'seedLength').default(4),
    keyLength: boundedNumber(1, 0xff, 'keyLength').optional(),
    maxAttempts: boundedNumber(1, 0xff, 'maxAttempts').default(3),
    delayMs: configNumber.default(10_000),
    sessions: z.array(configByte).default(() => [0x02, 0x03]),
  })
  .transform((l, ctx) => {
    let secret: Uint8Array;
    try {
      secret = secretBytes(l.algorithm, l.secret);
    } catch (e) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: (e as Error).message });
      return z.NEVER;
    }
    try {
      const algo = getSecurityAlgorithm(l.algorithm);
      // Run the algorithm once, so a wrong secret / seed length / key length is reported now.
      algo(new Uint8Array(l.seedLength), l.level, secret, { keyLength: l.keyLength });
    } catch (e) {
      // An unknown name: getSecurityAlgorithm's ConfigError already lists the known ones.
      ctx.addIssue({ code: 'custom', path: ['algorithm'], message: (e as Error).message });
      return z.NEVER;
    }
    return { ...l, secret };
  });

/**
 * A secret as bytes: doipsimu-pin takes text as the ASCII PIN; the other algorithms take numbers (and
 * numeric strings such as "0x464C4147") as a 32-bit big-endian constant; `{ hex }` and bytes are exact.
 */
function secretBytes(algorithm: string, value: z.output<typeof secretInput> | undefined): Uint8Array {
  if (value === undefined) return new Uint8Array(0);
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string' && algorithm !== 'doipsimu-pin') {
    let n: number | undefined;
    try {
      n = parseIntAuto(value);
    } catch {
      n = undefined;
    }
    if (n !== undefined) return secretFromConfig(n);
  }
  return secretFromConfig(value);
}

const DEFAULT_SECURITY_LEVELS = [{ level: 0x01 }];

/** `security`: a list of levels, or `{ levels, attemptsSurviveReset, powerOnDelayMs }`. */
export const securitySchema = z
  .union(
    [
      z.array(securityLevelSchema),
      z.strictObject({
        levels: z.array(securityLevelSchema).prefault(DEFAULT_SECURITY_LEVELS),
        attemptsSurviveReset: z.boolean().default(true),
        powerOnDelayMs: configNumber.default(0),
      }),
    ],
    { error: 'must be a list of levels, or { levels: [...], attemptsSurviveReset, powerOnDelayMs }' },
  )
  .transform((s) => (Array.isArray(s) ? { levels: s, attemptsSurviveReset: true, powerOnDelayMs: 0 } : s))
  .prefault(DEFAULT_SECURITY_LEVELS)
  .superRefine((s, ctx) => {
    const seen = new Set<number>();
    s.levels.forEach((l, i) => {
      if (seen.has(l.level)) ctx.addIssue({ code: 'custom', path: ['levels', i, 'level'], message: `level ${l.level} is defined twice` });
      seen.add(l.level);
    });
  });

