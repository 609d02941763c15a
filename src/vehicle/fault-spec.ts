/**
 * The faults the control API can inject (docs/control-api.md "Faults"), as zod schemas: the body of
 * `POST /api/v1/faults` and the argument of `FaultInjector.add`. Unknown keys are errors.
 *
 * - `drop-connection` {ecu, atTransferData: N}: the gateway closes the tester's TCP connection when the
 *   Nth TransferData (0x36) to the ECU arrives; that request is not processed.
 * - `nrc` {ecu, nth: N, nrc, sid?}: the Nth request (of that SID) is answered `7F SID NRC` unprocessed.
 * - `delay` {ecu, ms, count?}: every response of the ECU leaves `ms` later (the ECU's clock).
 * - `power-loss` {ecu, during: erase | programming, nth?}: power fails during the Nth erase (31 01 FF00)
 *   or the Nth TransferData to flash: part of it is done, nothing is answered, the ECU powers up again.
 *
 * Each fault fires `count` times (default 1; `delay`: until removed) on consecutive matching requests,
 * starting with the Nth.
 */
import { z } from 'zod';
import { InvalidArgumentError } from '../core/errors.js';
import { hexByte } from '../core/hex.js';
import { issueList, issuesText } from './control-errors.js';

/** An ECU: its logical address as a number or text (`0x1010`, `4112`), or its name (`engine`). */
export const ecuRefSchema = z.union([z.number().int().min(0).max(0xffff), z.string().min(1)]);

/** A byte as a number or as hex text (`"0x72"`, `"72"`: written as on the wire). */
const byteSchema = z.union([
  z.number().int().min(0).max(0xff),
  z
    .string()
    .regex(/^\s*(0x)?[0-9a-fA-F]{1,2}\s*$/, 'expected a byte such as 0x72 (hex)')
    .transform((s) => parseInt(s.trim().replace(/^0x/i, ''), 16)),
]);

const nth = z.number().int().min(1, 'counts start at 1 (the first matching request)');
const count = z.number().int().min(1, 'a fault fires at least once').optional();

/** `drop-connection`: close the tester's connection at the Nth 0x36 to the ECU. */
export const dropConnectionFaultSchema = z.strictObject({
  type: z.literal('drop-connection'),
  ecu: ecuRefSchema,
  atTransferData: nth,
  count,
});

/** `nrc`: answer the Nth request (of `sid`, if given) with `7F SID NRC`. */
export const nrcFaultSchema = z.strictObject({
  type: z.literal('nrc'),
  ecu: ecuRefSchema,
  nth: nth.default(1),
  nrc: byteSchema.refine((n) => n !== 0x00, 'NRC 0x00 is the positive response code, not a negative one'),
  sid: byteSchema.optional(),
  count,
});

/** `delay`: responses leave `ms` later, for `count` requests or until removed. */
export const delayFaultSchema = z.strictObject({
  type: z.literal('delay'),
  ecu: ecuRefSchema,
  ms: z.number().int().min(1).max(600_000, 'at most 600000 ms (10 minutes)'),
  count,
});

/** `power-loss`: power fails during the Nth erase or the Nth TransferData to flash. */
export const powerLossFaultSchema = z.strictObject({
  type: z.literal('power-loss'),
  ecu: ecuRefSchema,
  during: z.enum(['erase', 'programming'], { error: 'during must be "erase" (31 01 FF00) or "programming" (36 to flash)' }),
  nth: nth.default(1),
  count,
});

/** Any fault. */
export const faultSpecSchema = z.discriminatedUnion('type', [dropConnectionFaultSchema, nrcFaultSchema, delayFaultSchema, powerLossFaultSchema], {
  error: 'type must be one of drop-connection, nrc, delay, power-loss',
});

/** A fault as written (before defaults). */
export type FaultSpecInput = z.input<typeof faultSpecSchema>;
/** A validated fault. */
export type FaultSpec = z.output<typeof faultSpecSchema>;
/** The fault types. */
export type FaultType = FaultSpec['type'];

/** The fault types, for help texts and errors. */
export const FAULT_TYPES: readonly FaultType[] = ['drop-connection', 'nrc', 'delay', 'power-loss'];

/** Validates a fault; throws `InvalidArgumentError` listing each bad field (`details.issues`). */
export function parseFaultSpec(input: unknown): FaultSpec {
  const r = faultSpecSchema.safeParse(input);
  if (r.success) return r.data;
  throw new InvalidArgumentError(`invalid fault: ${issuesText(r.error.issues)}`, { issues: issueList(r.error.issues) });
}

/** How many times `spec` fires; null = until removed. */
export function faultCount(spec: FaultSpec): number | null {
  return spec.count ?? (spec.type === 'delay' ? null : 1);
}

/** The first matching request `spec` fires on (1-based). */
export function faultStart(spec: FaultSpec): number {
  switch (spec.type) {
    case 'drop-connection':
      return spec.atTransferData;
    case 'delay':
      return 1;
    default:
      return spec.nth;
  }
}

/** `1st`, `2nd`, `3rd`, `11th`. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** One line saying what `spec` does to ECU `ecuLabel`. */
export function describeFault(spec: FaultSpec, ecuLabel: string): string {
  const times = spec.count !== undefined && spec.count > 1 ? ` (${spec.count} times in a row)` : '';
  switch (spec.type) {
    case 'drop-connection':
      return `close the tester's connection at the ${ordinal(spec.atTransferData)} TransferData (0x36) to ${ecuLabel}${times}`;
    case 'nrc': {
      const which = spec.sid !== undefined ? `${ordinal(spec.nth)} request 0x${hexByte(spec.sid)}` : `${ordinal(spec.nth)} request`;
      const sid = spec.sid !== undefined ? hexByte(spec.sid) : 'SID';
      return `answer the ${which} to ${ecuLabel} with 7F ${sid} ${hexByte(spec.nrc)}${times}`;
    }
    case 'delay':
      return `delay the responses of ${ecuLabel} by ${spec.ms} ms${spec.count !== undefined ? ` for ${spec.count} request(s)` : ' until removed'}`;
    case 'power-loss':
      return `cut the power of ${ecuLabel} during the ${ordinal(spec.nth)} ${spec.during === 'erase' ? 'eraseMemory (31 01 FF00)' : 'TransferData (0x36) to flash'}${times}`;
  }
}
