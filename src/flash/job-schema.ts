/**
 * The flash job: what to flash where and how (spec/bootloader-and-flashing.md "The flashing sequence"),
 * as a YAML/JSON document validated by a zod schema whose errors name the field path
 * (`programming[2].session: a session id must be 0x01..0x7F`). docs/flashing.md documents every key.
 *
 * Top-level keys: `name`, `description`, `template`, `match`, `variables`, `connection`, `timing`,
 * `testerPresent`, `security`, `fingerprint`, `erase`, `download`, `verification`, `flashDriver`,
 * `memory`, `pre`, `programming`, `post`, `resume`, `ecus`.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { parseWithSchema } from '../ecu/config-values.js';
import { PHYSICAL_ONLY_STEPS, PROGRAMMING_ONLY_STEPS, stepSchema, SUPPRESSIBLE_STEPS, type FlashStep } from './job-steps.js';
import {
  boundedNumber,
  bytesTemplateSchema,
  decimalNumber,
  configByte,
  configU16,
  configU32,
  msSchema,
  secretSchema,
  securityLevelSchema,
} from './job-values.js';

const sectorGroupSchema = z.strictObject({ size: boundedNumber(1, 0xffffffff, 'sector size'), count: boundedNumber(1, 0xffffffff, 'sector count').default(1) });

/** A memory region of an ECU as the job sees it: where flash is and how it is divided into sectors. */
const memoryRegionSchema = z.strictObject({
  name: z.string().min(1).optional(),
  kind: z.enum(['flash', 'app', 'calibration', 'boot', 'ram', 'nvm']).default('flash').meta({ description: 'flash / app / calibration are programmed, ram takes the flash driver, boot and nvm are never programmed' }),
  start: configU32,
  size: boundedNumber(1, 0x1_0000_0000, 'size'),
  sectorSize: boundedNumber(1, 0xffffffff, 'sectorSize').optional().meta({ description: 'uniform sectors (default: the whole region is one sector)' }),
  sectors: z.array(sectorGroupSchema).optional().meta({ description: 'sector table: [{ size, count }] from the start of the region' }),
});

const fileFormatSchema = z.enum(['auto', 'srecord', 'intel-hex', 'binary', 'vbf']).default('auto');

/** One firmware file of an ECU and which part of it goes where. */
const firmwareSchema = z.strictObject({
  file: z.string().min(1).meta({ description: 'path (relative to the job file)' }),
  format: fileFormatSchema.meta({ description: 'auto: detected from the content' }),
  baseAddress: configU32.optional().meta({ description: 'load address of a binary file' }),
  offset: z.number().int().optional().meta({ description: 'move every segment by this many bytes' }),
  range: z.strictObject({ start: configU32, end: boundedNumber(0, 0x1_0000_0000, 'end') }).optional().meta({ description: 'keep only [start, end)' }),
});

/** The flash driver (or VBF secondary bootloader) downloaded into RAM before erasing. */
const flashDriverSchema = z.strictObject({
  file: z.string().min(1).optional(),
  format: fileFormatSchema,
  baseAddress: configU32.optional().meta({ description: 'load address when the driver file is binary (ignored for other formats)' }),
  required: z.boolean().default(false).meta({ description: 'the ECU cannot be erased without a driver: a job without flashDriver.file is refused' }),
  check: z.boolean().default(true).meta({ description: 'run checkMemory (CRC32) after downloading it' }),
  activate: z
    .strictObject({ routineId: configU16, address: configU32.optional().meta({ description: 'start address (default: the file\'s start address / VBF call)' }) })
    .optional()
    .meta({ description: 'start the driver with 31 01 RID address(4), e.g. VBF activateSBL 0301' }),
});

const securitySchema = z.strictObject({
  level: securityLevelSchema.optional(),
  algorithm: z.string().min(1).optional().meta({ description: 'doipsimu-pin, xor, shift-mul-xor, aes128-cmac or a name registered from module' }),
  secret: secretSchema.optional(),
  keyLength: decimalNumber(1, 255, 'keyLength').optional(),
  module: z.string().min(1).optional().meta({ description: 'FILE[#export] of a JavaScript seed/key module (relative to the job file)' }),
});

const fingerprintEntrySchema = z.strictObject({
  did: configU16,
  data: bytesTemplateSchema,
  length: decimalNumber(1, 4096, 'length').optional(),
  padByte: configByte.optional(),
});

/** One ECU of the job. */
const ecuSchema = z.strictObject({
  address: configU16,
  name: z.string().min(1).optional(),
  profile: z.string().min(1).optional().meta({ description: 'ECU profile (shipped name or path): memory map and security secret come from it' }),
  host: z.string().min(1).optional().meta({ description: 'this ECU is behind another DoIP entity' }),
  port: decimalNumber(1, 65535, 'port').optional(),
  memory: z.array(memoryRegionSchema).optional(),
  firmware: z.array(firmwareSchema).default([]),
  flashDriver: flashDriverSchema.partial().optional(),
  security: securitySchema.optional(),
  variables: z.record(z.string(), z.string()).optional(),
});

const connectionSchema = z
  .strictObject({
    host: z.string().min(1).default('127.0.0.1'),
    port: decimalNumber(1, 65535, 'port').default(13400),
    testerAddress: configU16.default(0x0e00),
    functionalAddress: configU16.default(0xe400),
    mode: z.enum(['shared', 'per-ecu']).default('shared').meta({ description: 'shared: one DoIP connection per entity for all its ECUs; per-ecu: one each, the nth to an entity from testerAddress + n' }),
    connectTimeoutMs: msSchema.default(2000),
  })
  .prefault({});

const timingSchema = z
  .strictObject({
    p2ClientMs: msSchema.optional().meta({ description: 'P2client (default 150, then what 50 xx reports plus 100 ms)' }),
    p2StarClientMs: msSchema.optional().meta({ description: 'P2*client (default 5500)' }),
    retries: decimalNumber(0, 10, 'retries').default(2).meta({ description: 'repeats of a TransferData block whose response was lost (same counter)' }),
    attempts: decimalNumber(1, 10, 'attempts').default(3).meta({ description: 'tries of a block: after a lost connection or ECU the block is erased and written again' }),
    reconnectDelayMs: decimalNumber(0, 600_000, 'reconnectDelayMs').default(500),
    resetWaitMs: msSchema.default(5000).meta({ description: 'how long an ECU may take to answer again after a reset' }),
  })
  .prefault({});

const testerPresentSchema = z
  .union([
    z.literal(false),
    z.strictObject({
      functional: z.boolean().default(true).meta({ description: '3E 80 to the functional address (once per connection) or to each ECU' }),
      intervalMs: msSchema.default(2000),
    }),
  ])
  .default({ functional: true, intervalMs: 2000 });

const eraseSchema = z
  .strictObject({
    strategy: z.enum(['sectors', 'vbf', 'segments', 'none']).default('sectors').meta({
      description: 'sectors: whole sectors covering the data; vbf: the erase ranges of the VBF header; segments: exactly the data ranges; none: no erase',
    }),
    routineId: configU16.default(0xff00),
    format: z.enum(['alfid', 'addr4size4']).default('alfid').meta({ description: 'option record: ALFID 44 addr size (ISO 14229-1 annex F) or addr(4) size(4)' }),
  })
  .prefault({});

const downloadSchema = z
  .strictObject({
    dataFormatIdentifier: configByte.default(0x00),
    addressLength: decimalNumber(1, 4, 'addressLength').default(4),
    sizeLength: decimalNumber(1, 4, 'sizeLength').default(4),
    blockLengthIsDataSize: z.boolean().default(false).meta({ description: 'read maxNumberOfBlockLength as data bytes per block (non-ISO ECUs)' }),
  })
  .prefault({});

const verificationSchema = z
  .strictObject({
    checkMemory: z
      .union([z.literal(false), z.strictObject({ routineId: configU16.default(0x0202) })])
      .default({ routineId: 0x0202 })
      .meta({ description: '31 01 RID CRC32(4) after each download; false: none' }),
    checkDependencies: z.strictObject({ routineId: configU16.default(0xff01) }).prefault({}),
    transferExitCrc: z.enum(['compare', 'require']).default('compare').meta({ description: 'compare the CRC32 of the 77 response when present; require: it must be present' }),
  })
  .prefault({});

/** The schema of a flash job (after template merging). */
export const flashJobSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    description: z.string().optional(),
    template: z.string().min(1).optional().meta({ description: 'base job: a shipped template name (iso14229-generic) or a path; keys here override it' }),
    match: z
      .strictObject({
        profiles: z.array(z.string()).optional(),
        formats: z.array(z.enum(['srecord', 'intel-hex', 'binary', 'vbf'])).optional(),
        dids: z.array(z.strictObject({ did: configU16, pattern: z.string() })).optional(),
      })
      .optional()
      .meta({ description: 'when this template is the default for an ECU (udskit flash --ecu ... FILE)' }),
    variables: z.record(z.string(), z.string()).default({}),
    connection: connectionSchema,
    timing: timingSchema,
    testerPresent: testerPresentSchema,
    security: securitySchema.prefault({}),
    fingerprint: z.array(fingerprintEntrySchema).default([]),
    erase: eraseSchema,
    download: downloadSchema,
    verification: verificationSchema,
    flashDriver: flashDriverSchema.prefault({}),
    memory: z.array(memoryRegionSchema).optional().meta({ description: 'memory map of the ECUs that give neither memory: nor profile: (a board template)' }),
    pre: z.array(stepSchema).default([]),
    programming: z.array(stepSchema).default([]),
    post: z.array(stepSchema).default([]),
    resume: z.array(stepSchema).optional().meta({ description: 'steps after a lost connection or ECU, before the block is written again (default: the session, securityAccess and flashDriver steps of programming)' }),
    ecus: z.array(ecuSchema).default([]),
  })
  .superRefine((job, ctx) => {
    const phases = [['pre', job.pre], ['programming', job.programming], ['post', job.post], ['resume', job.resume ?? []]] as const;
    for (const [phase, steps] of phases) {
      steps.forEach((s, i) => {
        for (const p of stepProblems(phase, s)) ctx.addIssue({ code: 'custom', path: [phase, i, ...p.path], message: p.message });
      });
    }
    const programs = job.programming.filter((s) => s.step === 'program').length;
    if (programs > 1) ctx.addIssue({ code: 'custom', path: ['programming'], message: 'has more than one program step' });
    if (job.resume?.some((s) => s.step === 'program')) ctx.addIssue({ code: 'custom', path: ['resume'], message: 'must not contain program: the interrupted block is written again after these steps' });
    const seen = new Set<number>();
    job.ecus.forEach((e, i) => {
      if (seen.has(e.address)) ctx.addIssue({ code: 'custom', path: ['ecus', i, 'address'], message: `ECU 0x${e.address.toString(16).toUpperCase()} is listed twice` });
      seen.add(e.address);
    });
  });

function stepProblems(phase: 'pre' | 'programming' | 'post' | 'resume', s: FlashStep): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  if (s.suppress && !SUPPRESSIBLE_STEPS.has(s.step)) out.push({ path: ['suppress'], message: `${s.step} has no sub-function: SPRMIB does not apply (ISO 14229-1:2020 8.2.2)` });
  if (s.addressing === 'functional') {
    if (PHYSICAL_ONLY_STEPS.has(s.step)) out.push({ path: ['addressing'], message: `${s.step} is for one ECU: use physical addressing` });
    else if (phase === 'programming' || phase === 'resume') {
      out.push({ path: ['addressing'], message: `the ${phase} steps run per ECU (in parallel): functional steps belong in pre or post` });
    }
  }
  if (PROGRAMMING_ONLY_STEPS.has(s.step) && (phase === 'pre' || phase === 'post')) {
    out.push({ path: ['step'], message: `${s.step} belongs in programming (the ECU must be in its programming session and unlocked)` });
  }
  return out;
}

/** A flash job as written (YAML / JSON / TS object). */
export type FlashJobInput = z.input<typeof flashJobSchema>;
/** A flash job with every default applied. */
export type FlashJob = z.output<typeof flashJobSchema>;
/** One ECU of a job. */
export type FlashJobEcu = FlashJob['ecus'][number];
/** A memory region of a job ECU. */
export type JobMemoryRegion = z.output<typeof memoryRegionSchema>;
/** A firmware entry. */
export type JobFirmware = z.output<typeof firmwareSchema>;
/** The flash driver section. */
export type JobFlashDriver = z.output<typeof flashDriverSchema>;
/** The security section. */
export type JobSecurity = z.output<typeof securitySchema>;
/** One fingerprint entry. */
export type JobFingerprint = FlashJob['fingerprint'][number];

/**
 * Validates `input` and applies the defaults. Throws one `ConfigError` naming `source` (the file) and,
 * for each problem, the field path (`programming[2].session`) and the allowed values.
 */
export function parseFlashJob(input: unknown, source = 'flash job'): FlashJob {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError(`${source}: a flash job must be an object (YAML mapping) with pre / programming / post / ecus`, { source });
  }
  return parseWithSchema(flashJobSchema, input, source, 'flash job');
}
