/**
 * The `routines` section of an ECU profile: simple RoutineControl (0x31) routines defined as data, next
 * to the built-in code routines (FF00 eraseMemory, 0202 checkMemory, FF01 checkProgrammingDependencies,
 * 0203 checkProgrammingPreconditions; identifiers from `programming.routines`).
 *
 * ```yaml
 * routines:
 *   - id: 0x0301
 *     name: selfTest
 *     sessions: [0x03]
 *     securityLevels: [0x01]
 *     start: { status: 0x00, durationMs: 200 }     # 71 01 03 01 00 after 200 ms (0x78 first when > P2)
 *     stop: { status: 0x00 }                       # absent: 31 02 answers 0x12
 *     results: { result: { hex: "00 2A" } }        # absent: the status record of the last start / stop
 *     requiresStart: true                          # 31 03 before 31 01 answers 0x24 (the default)
 *   - id: 0xFF00                                   # a built-in id: only its access rules change
 *     sessions: [0x02]
 *     securityLevels: [0x03]
 * ```
 */
import { z } from 'zod';
import { boundedNumber, configByte, configBytes, configNumber, configU16 } from './config-values.js';

/** A session identifier 0x01..0x7F (ISO 14229-1:2020 10.2.2: 0x00 is reserved, bit 7 is SPRMIB). */
export const sessionIdSchema = boundedNumber(0x01, 0x7f, 'a session id');

/** NRC 0x78 is the dispatcher's; 0x00 is not an NRC (ISO 14229-1:2020 A.1). */
const routineNrcSchema = configByte.refine((n) => n >= 0x10 && n !== 0x78, {
  message: 'must be a negative response code 0x10..0xFF other than 0x78 (e.g. 0x22 conditionsNotCorrect)',
});

/** What one sub-function (start / stop / results) of a data routine does. */
const routineActionSchema = z
  .strictObject({
    status: configByte.optional().meta({ description: 'one status byte: the response is 71 xx RID status' }),
    result: configBytes.optional().meta({ description: 'the whole routineStatusRecord (text or { hex })' }),
    nrc: routineNrcSchema.optional().meta({ description: 'refuse with this NRC, e.g. 0x22 conditionsNotCorrect' }),
    durationMs: configNumber.optional().meta({ description: 'time the routine takes (0x78 is sent while it runs past P2)' }),
    optionLength: boundedNumber(0, 0xffff, 'optionLength')
      .optional()
      .meta({ description: 'exact length of the routineControlOptionRecord (else 0x13)' }),
  })
  .superRefine((a, ctx) => {
    if (a.status !== undefined && a.result !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['result'], message: 'give either status (one byte) or result (the whole record), not both' });
    }
  });

/** One routine entry of a profile. */
const routineSchema = z.strictObject({
  id: configU16,
  name: z.string().min(1).optional(),
  supported: z.boolean().optional().meta({ description: 'false removes the routine (also a built-in one): 31 xx RID answers 0x31' }),
  sessions: z.array(sessionIdSchema).optional().meta({ description: 'sessions where it runs (else 0x31); absent: wherever 0x31 is allowed' }),
  securityLevels: z.array(configByte).optional().meta({ description: 'levels of which one must be unlocked (else 0x33)' }),
  start: routineActionSchema.optional(),
  stop: routineActionSchema.optional(),
  results: routineActionSchema.optional(),
  requiresStart: z.boolean().optional().meta({ description: 'false: 31 03 works before any 31 01 (default true: 0x24)' }),
});

/** `routines`: data-defined routines and access rules of built-in ones; default none. */
export const routinesSchema = z
  .array(routineSchema)
  .default(() => [])
  .meta({ description: 'RoutineControl routines as data; an entry with a built-in id changes only its access rules' });

/** One routine of a parsed profile. */
export type RoutineConfig = z.output<typeof routineSchema>;
/** One sub-function behaviour of a data routine. */
export type RoutineActionConfig = z.output<typeof routineActionSchema>;

/** The built-in routines' identifiers, by name, as `programming.routines` sets them. */
export type BuiltInRoutineIds = Readonly<Record<string, number>>;

/** An issue found by {@link routineProblems}: a path below `routines` and a message. */
export interface ProfileProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Cross-field checks of `routines` (duplicates, built-in ids, a `start` for data routines); the
 * session and security lists are checked with the rest of the profile.
 */
export function routineProblems(routines: readonly RoutineConfig[], builtIn: BuiltInRoutineIds): ProfileProblem[] {
  const out: ProfileProblem[] = [];
  const names = new Map<number, string>(Object.entries(builtIn).map(([name, id]) => [id, name]));
  const seen = new Set<number>();
  const hex = (n: number): string => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`;
  routines.forEach((r, i) => {
    if (seen.has(r.id)) out.push({ path: [i, 'id'], message: `routine ${hex(r.id)} is defined twice` });
    seen.add(r.id);
    const builtInName = names.get(r.id);
    if (builtInName !== undefined) {
      for (const key of ['start', 'stop', 'results', 'requiresStart'] as const) {
        if (r[key] !== undefined) {
          out.push({
            path: [i, key],
            message: `routine ${hex(r.id)} is the built-in ${builtInName}: an entry with its id changes only name, sessions, securityLevels and supported; remove ${key}`,
          });
        }
      }
    } else if (r.start === undefined && r.supported !== false) {
      const list = [...names.keys()].map(hex).join(', ');
      out.push({ path: [i, 'start'], message: `routine ${hex(r.id)} is not built in (${list}): give start, e.g. { status: 0x00 }` });
    }
  });
  return out;
}
