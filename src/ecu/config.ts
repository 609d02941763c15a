/**
 * The ECU profile: a zod schema with documented defaults for everything but `address`, the types it
 * produces, and {@link parseEcuConfig}, which turns YAML/JSON/TS input into a complete {@link EcuConfig}
 * or throws one `ConfigError` naming the source, each field path and the allowed values.
 *
 * Numbers may be written as integers or strings ("0x1010", "4096", "64K"); byte values as ASCII text or
 * `{ hex: "..." }`. Unknown keys are errors. Parsing is idempotent: a parsed config parses to itself.
 *
 * Keys (defaults in brackets):
 * - `name` ["ecu-<hex address>"], `address` (required), `functionalAddresses` [[0xE400]]
 * - `p2ServerMs` [50], `p2StarServerMs` [5000], `s3ServerMs` [5000], `resetDurationMs` [50]
 * - `timingProfile` [instant] (instant | realistic: typical erase / programming / jump times, config-timing.ts)
 * - `maxResponseLength` [none: the link's `maxMessageSize` decides; longer positive responses are 0x14]
 * - `identification`: vin F190, bootSoftwareId F180, applicationSoftwareId F181, sparePartNumber F187,
 *   ecuSoftwareNumber F188, serialNumber F18C, hardwareNumber F191, repairShopCode F198,
 *   programmingDate F199, fingerprint F15A, version F1AA (F186 = active session, computed)
 * - `dids` (config-dids.ts): [{ id, name?, codec? (bytes|ascii|bcd|uint|int), value?, length? | minLength?/maxLength?,
 *   min?/max?, read?: {sessions?, securityLevels?}, write?: {...}, scaling?, ioControl? }] — absent `write` = read-only
 * - `dynamicDids`: { maxDataLength [255], maxSourceElements [32] } (0x2C limits)
 * - `security`: [{ level, algorithm ["shift-mul-xor"], secret, seedLength [4], keyLength?, maxAttempts [3],
 *   delayMs [10000], sessions [[2, 3]] }] or { levels, attemptsSurviveReset [true], powerOnDelayMs [0] }
 * - `memory`: [{ name, kind [flash] (flash|app|calibration|boot|ram|nvm), start, size, sectorSize [0x1000 for flash] | sectors:
 *   [{size, count}], erasedValue [FF; 00 for ram], programmingGranularity [1], protected [kind == boot],
 *   download [kind != boot/nvm], upload [true], eraseTimePerSectorMs [0], writeTimePerKiBMs [0] }] (config-memory.ts)
 * - `transfer`: { maxNumberOfBlockLength [0x1002], acceptMaxBlockLengthAsData [false], overflowNrc [0x31|0x71],
 *   busyNrc [0x22|0x70], dataFormatIdentifiers [[0x00]] }
 * - `programming`: { session [2], securityLevel [1], routines: { eraseMemory [FF00], checkMemory [0202],
 *   checkProgrammingDependencies [FF01], checkProgrammingPreconditions [0203] } }
 * - `vehicleState`: { voltage [12.5], ignition [true], speedKmh [0], engineRunning [false] }
 * - `dtcs` (config-dtcs.ts): [{ code, name?, status [0x50], warningIndicator, groups, snapshots, extendedData, monitor }]
 *   or { list, statusAvailabilityMask [FF], formatIdentifier [01], confirmationThreshold [1], agingThreshold [40], clearConditions }
 * - `periodic` (0x2A, config-periodic.ts): { slowMs [1000], mediumMs [200], fastMs [50], maxScheduled [8] }
 * - `accessTiming` (0x83, config-access-timing.ts): { extendedP2ServerMs [500], extendedP2StarServerMs [10000],
 *   minP2ServerMs [10], minP2StarServerMs [500] }
 * - `linkControl` (0x87, config-link-control.ts): { defaultBaudrate [500000], supportedBaudrates
 *   [[125000, 250000, 500000, 1000000]], programmingSetupBaudrate [none], requireStandstill [true] }
 * - `bootloader` (config-bootloader.ts): { supportedServices, services, appValidation [flag], initialAppValid [true],
 *   jumpTimeMs [0], flashDriver: { required [false], region }, dualBank: { banks } } — boot/app modes (boot-manager.ts)
 * - `description`, `sessions` [[01, 02, 03]], `supportedServices`, `services`, `routines` [[]]:
 *   the service table and data routines as data (config-services.ts, config-routines.ts, docs/profiles.md)
 * - `files` (0x38 file area, config-files.ts): { enabled [true], maxFileSize [1M], maxTotalBytes [16M], maxPathLength [255],
 *   maxBlockLength [0x1002], sessions [[2, 3]], securityLevels [[programming.securityLevel]], initial [[]] }
 */
import { z } from 'zod';
import { boundedNumber, configByte, configBytes, configNumber, configU16, parseWithSchema } from './config-values.js';
import { memorySchema } from './config-memory.js';
import { didsSchema, dynamicDidsSchema } from './config-dids.js';
import { securitySchema } from './config-security.js';
import { dtcsSchema } from './config-dtcs.js';
import { periodicSchema } from './config-periodic.js';
import { accessTimingSchema } from './config-access-timing.js';
import { linkControlSchema } from './config-link-control.js';
import { serviceProfileProblems, serviceProfileShape } from './config-services.js';
import { filesSchema } from './config-files.js';
import { bootloaderConfigSchema, bootloaderProblems } from './config-bootloader.js';
import { timingProfileSchema } from './config-timing.js';

/** Standard identification DIDs (spec/uds.md "Standard identifiers") by their profile key. */
export const IDENTIFICATION_DIDS = {
  bootSoftwareId: 0xf180,
  applicationSoftwareId: 0xf181,
  sparePartNumber: 0xf187,
  ecuSoftwareNumber: 0xf188,
  serialNumber: 0xf18c,
  vin: 0xf190,
  hardwareNumber: 0xf191,
  repairShopCode: 0xf198,
  programmingDate: 0xf199,
  fingerprint: 0xf15a,
  version: 0xf1aa,
} as const;

/** DID of the active diagnostic session (computed, read-only). */
export const ACTIVE_SESSION_DID = 0xf186;

const ascii = (s: string): (() => Uint8Array) => () => Uint8Array.from(s, (c) => c.charCodeAt(0));

const identificationSchema = z
  .strictObject({
    vin: configBytes.default(ascii('WUDSKIT0000000001')),
    bootSoftwareId: configBytes.default(ascii('BOOT-1.0.0')),
    applicationSoftwareId: configBytes.default(ascii('APP-1.0.0')),
    sparePartNumber: configBytes.default(ascii('UDSKIT-0001')),
    ecuSoftwareNumber: configBytes.default(ascii('SW-1.0.0')),
    serialNumber: configBytes.default(ascii('SN0000000001')),
    hardwareNumber: configBytes.default(ascii('HW-1.0')),
    repairShopCode: configBytes.default(ascii('0000000000')),
    // BCD YYYYMMDD (spec/uds.md F199).
    programmingDate: configBytes.default(() => Uint8Array.of(0x20, 0x24, 0x01, 0x01)),
    fingerprint: configBytes.default(() => new Uint8Array(16)),
    version: configBytes.default(ascii('1.0.0')),
  })
  .prefault({});

const transferSchema = z
  .strictObject({
    maxNumberOfBlockLength: boundedNumber(3, 0xffffffff, 'maxNumberOfBlockLength').default(0x1002),
    acceptMaxBlockLengthAsData: z.boolean().default(false),
    overflowNrc: configByte.refine((n) => n === 0x31 || n === 0x71, { message: 'must be 0x31 or 0x71' }).default(0x31),
    busyNrc: configByte.refine((n) => n === 0x22 || n === 0x70, { message: 'must be 0x22 or 0x70' }).default(0x22),
    dataFormatIdentifiers: z.array(configByte).default(() => [0x00]),
  })
  .prefault({});

const programmingSchema = z
  .strictObject({
    session: configByte.default(0x02),
    securityLevel: configByte.default(0x01),
    routines: z
      .strictObject({
        eraseMemory: configU16.default(0xff00),
        checkMemory: configU16.default(0x0202),
        checkProgrammingDependencies: configU16.default(0xff01),
        checkProgrammingPreconditions: configU16.default(0x0203),
      })
      .prefault({}),
  })
  .prefault({});

const vehicleStateSchema = z
  .strictObject({
    voltage: z.number().default(12.5),
    ignition: z.boolean().default(true),
    speedKmh: z.number().default(0),
    engineRunning: z.boolean().default(false),
  })
  .prefault({});

/** The schema of an ECU profile (see the module doc and `docs/` for every key and default). */
export const ecuConfigSchema = z
  .strictObject({
    name: z.string().min(1).optional(),
    address: configU16,
    functionalAddresses: z.array(configU16).default(() => [0xe400]),
    p2ServerMs: boundedNumber(0, 0xffff, 'p2ServerMs').default(50),
    p2StarServerMs: boundedNumber(0, 655_350, 'p2StarServerMs').default(5000),
    s3ServerMs: configNumber.default(5000),
    resetDurationMs: configNumber.default(50),
    timingProfile: timingProfileSchema,
    maxResponseLength: boundedNumber(1, 0xffffffff, 'maxResponseLength').optional(),
    identification: identificationSchema,
    dids: didsSchema,
    dynamicDids: dynamicDidsSchema,
    security: securitySchema,
    memory: memorySchema,
    transfer: transferSchema,
    programming: programmingSchema,
    vehicleState: vehicleStateSchema,
    dtcs: dtcsSchema,
    periodic: periodicSchema,
    accessTiming: accessTimingSchema,
    linkControl: linkControlSchema,
    ...serviceProfileShape,
    bootloader: bootloaderConfigSchema.optional(),
    files: filesSchema,
  })
  .transform((c) => ({ ...c, name: c.name ?? `ecu-${c.address.toString(16).padStart(4, '0')}` }))
  .superRefine((c, ctx) => {
    for (const p of serviceProfileProblems(c)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    for (const p of bootloaderProblems(c)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
    if (!c.security.levels.some((l) => l.level === c.programming.securityLevel)) {
      ctx.addIssue({
        code: 'custom',
        path: ['programming', 'securityLevel'],
        message: `level ${c.programming.securityLevel} is not among the security levels (${c.security.levels.map((l) => l.level).join(', ')})`,
      });
    }
    const known = new Set<number>([...Object.values(IDENTIFICATION_DIDS), ACTIVE_SESSION_DID]);
    c.dids.forEach((d, i) => {
      if (d.id === ACTIVE_SESSION_DID) {
        ctx.addIssue({ code: 'custom', path: ['dids', i, 'id'], message: 'F186 (active session) is computed by the ECU and cannot be configured' });
      } else if (d.value === undefined && !known.has(d.id)) {
        ctx.addIssue({ code: 'custom', path: ['dids', i, 'value'], message: 'a new DID needs a value (text or { hex })' });
      }
    });
  });

/** An ECU profile as written (YAML / JSON / TS object). */
export type EcuConfigInput = z.input<typeof ecuConfigSchema>;
/** A complete ECU profile, defaults applied. */
export type EcuConfig = z.output<typeof ecuConfigSchema>;
/** One memory region of a parsed profile. */
export type MemoryRegionConfig = EcuConfig['memory'][number];
/** One security level of a parsed profile. */
export type SecurityLevelConfig = EcuConfig['security']['levels'][number];
/** One DID entry of a parsed profile. */
export type DidConfig = EcuConfig['dids'][number];
/** Read or write access rule of a DID. */
export type DidAccessConfig = NonNullable<DidConfig['read']>;
/** The simulated vehicle state an ECU reads (checkProgrammingPreconditions). */
export type VehicleState = EcuConfig['vehicleState'];

/**
 * Validates `input` and applies the defaults. Throws `ConfigError` whose message names `source`
 * (a file name, default "ECU configuration"), each bad field's path and the allowed values.
 */
export function parseEcuConfig(input: unknown, source = 'ECU configuration'): EcuConfig {
  return parseWithSchema(ecuConfigSchema, input, source);
}
