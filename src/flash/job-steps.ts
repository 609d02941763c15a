/**
 * The steps of a flash job, one schema per kind (`step:`), following spec/bootloader-and-flashing.md
 * "The flashing sequence". Every step may carry:
 * - `name`: its label in the report (default: the kind and its identifiers),
 * - `addressing`: `physical` (default) or `functional` (pre/post only: sent once for all ECUs),
 * - `suppress`: SPRMIB (ISO 14229-1:2020 8.2.2) for services with a sub-function (`10 83`, `85 82`, `28 83 03`),
 * - `optional`: a failure is recorded and the job goes on,
 * - `timeoutMs`: P2client for this step.
 */
import { z } from 'zod';
import {
  addressingSchema,
  boundedNumber,
  bytesTemplateSchema,
  configByte,
  configU16,
  configU32,
  decimalNumber,
  hexBytesSchema,
  msSchema,
  securityLevelSchema,
  sessionSchema,
} from './job-values.js';

const common = {
  name: z.string().min(1).optional().meta({ description: 'label of the step in the report' }),
  addressing: addressingSchema.default('physical'),
  suppress: z.boolean().default(false).meta({ description: 'set SPRMIB (bit 7 of the sub-function): the ECUs answer only negatively' }),
  optional: z.boolean().default(false).meta({ description: 'a failure is recorded and the job goes on' }),
  timeoutMs: msSchema.optional().meta({ description: 'P2client for this step in ms' }),
};

const session = z.strictObject({ step: z.literal('session'), session: sessionSchema, ...common }).meta({ description: '10 xx DiagnosticSessionControl' });

const securityAccess = z
  .strictObject({ step: z.literal('securityAccess'), level: securityLevelSchema.optional().meta({ description: 'default: security.level' }), ...common })
  .meta({ description: '27 level / 27 level+1: seed, key from security.algorithm and security.secret' });

const didExpectation = z.strictObject({
  did: configU16,
  equals: bytesTemplateSchema.optional().meta({ description: 'the value must be exactly these bytes' }),
  pattern: z.string().optional().meta({ description: 'the value, read as text, must match this regular expression' }),
});

const readDid = z
  .strictObject({
    step: z.literal('readDid'),
    dids: z.array(configU16).min(1),
    expect: z.array(didExpectation).optional().meta({ description: 'checks of the values read (a mismatch fails the ECU: wrong files for it)' }),
    ...common,
  })
  .meta({ description: '22 DID...: read identification (shown in the report)' });

const writeDid = z
  .strictObject({
    step: z.literal('writeDid'),
    did: configU16,
    data: bytesTemplateSchema,
    length: decimalNumber(1, 4096, 'length').optional().meta({ description: 'pad (padByte) or cut the data to this many bytes' }),
    padByte: configByte.optional(),
    ...common,
  })
  .meta({ description: '2E DID data' });

const fingerprint = z.strictObject({ step: z.literal('fingerprint'), ...common }).meta({ description: '2E for every entry of fingerprint:' });

const routine = z
  .strictObject({
    step: z.literal('routine'),
    routineId: configU16,
    control: z.enum(['start', 'stop', 'results']).default('start'),
    option: bytesTemplateSchema.optional().meta({ description: 'routineControlOptionRecord (hex or text, with placeholders)' }),
    expectStatus: z
      .union([z.literal('any'), hexBytesSchema(1)])
      .optional()
      .meta({ description: 'the status record must start with these bytes; "any" accepts every status (default: empty or 00)' }),
    hint: z.string().optional().meta({ description: 'what to do when the routine reports failure' }),
    ...common,
  })
  .meta({ description: '31 01/02/03 RID [option]' });

const dtcSetting = z
  .strictObject({ step: z.literal('dtcSetting'), setting: z.union([z.enum(['on', 'off']), configByte]), ...common })
  .meta({ description: '85 01 on / 85 02 off' });

const communicationControl = z
  .strictObject({
    step: z.literal('communicationControl'),
    controlType: boundedNumber(0, 0x7f, 'controlType'),
    communicationType: configByte,
    nodeId: configU16.optional(),
    ...common,
  })
  .meta({ description: '28 controlType communicationType (28 03 03 off, 28 00 03 on)' });

const clearDtc = z.strictObject({ step: z.literal('clearDtc'), group: configU32.default(0xffffff), ...common }).meta({ description: '14 group (FF FF FF: all)' });

const reset = z
  .strictObject({
    step: z.literal('reset'),
    resetType: boundedNumber(1, 0x7f, 'resetType').default(1),
    wait: z.boolean().default(true).meta({ description: 'wait until the ECU answers again (3E 00) after the reset' }),
    ...common,
  })
  .meta({ description: '11 resetType (01 hard reset)' });

const request = z
  .strictObject({
    step: z.literal('request'),
    data: hexBytesSchema(1),
    expect: hexBytesSchema(1).optional().meta({ description: 'the positive response must start with these bytes' }),
    ...common,
  })
  .meta({ description: 'any request as hex bytes' });

const delay = z.strictObject({ step: z.literal('delay'), ms: msSchema, ...common }).meta({ description: 'wait this long' });

const flashDriver = z
  .strictObject({ step: z.literal('flashDriver'), ...common })
  .meta({ description: 'download the ECU flash driver / SBL into RAM (34/36/37), check it, start it (flashDriver:)' });

const program = z
  .strictObject({ step: z.literal('program'), ...common })
  .meta({ description: 'every block of the firmware: erase, 34/36/37 (77 CRC compared), checkMemory' });

const checkDependencies = z
  .strictObject({ step: z.literal('checkDependencies'), routineId: configU16.optional().meta({ description: 'default: verification.checkDependencies.routineId' }), ...common })
  .meta({ description: '31 01 FF01 checkProgrammingDependencies (sets the app-valid flag)' });

/** One step of a flash job. */
export const stepSchema = z.discriminatedUnion('step', [
  session,
  securityAccess,
  readDid,
  writeDid,
  fingerprint,
  routine,
  dtcSetting,
  communicationControl,
  clearDtc,
  reset,
  request,
  delay,
  flashDriver,
  program,
  checkDependencies,
]).meta({ id: 'FlashStep', description: 'one step: session, securityAccess, readDid, writeDid, fingerprint, routine, dtcSetting, communicationControl, clearDtc, reset, request, delay, flashDriver, program, checkDependencies' });

/** A step as written. */
export type FlashStepInput = z.input<typeof stepSchema>;
/** A step with defaults. */
export type FlashStep = z.output<typeof stepSchema>;
/** The kinds of step. */
export type FlashStepKind = FlashStep['step'];

/** Steps whose service has a sub-function, so SPRMIB applies (ISO 14229-1:2020 8.2.2). */
export const SUPPRESSIBLE_STEPS: ReadonlySet<FlashStepKind> = new Set(['session', 'routine', 'dtcSetting', 'communicationControl', 'reset', 'request']);

/** Steps that only make sense for one ECU (never functional). */
export const PHYSICAL_ONLY_STEPS: ReadonlySet<FlashStepKind> = new Set(['securityAccess', 'fingerprint', 'writeDid', 'flashDriver', 'program', 'checkDependencies', 'delay']);

/** Steps that belong to the programming phase (or its resume list) only. */
export const PROGRAMMING_ONLY_STEPS: ReadonlySet<FlashStepKind> = new Set(['flashDriver', 'program', 'checkDependencies']);
