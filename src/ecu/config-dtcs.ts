/**
 * The `dtcs` section of an ECU profile: the diagnostic trouble codes the ECU knows, their initial
 * status, snapshot (freeze frame) and extended data records, the vehicle-state monitor that tests each
 * one, and the store-wide rules (status availability mask, confirmation and aging thresholds, conditions
 * for ClearDiagnosticInformation). Without the key the ECU gets {@link DEFAULT_DTCS}.
 *
 * A DTC code is written as a number (`0x056216`), a hex string (`"0x056216"`) or SAE J2012 text
 * (`"P0562-16"`).
 */
import { z } from 'zod';
import { parseIntAuto } from '../core/hex.js';
import { parseDtc } from '../uds/codec/dtc-format.js';
import { boundedNumber, configByte, configBytes, configU16 } from './config-values.js';

/** A 3-byte DTC written as a number, a number string or J2012 text ("P0562-16"). */
export const configDtcCode = z
  .union([z.number(), z.string()], { error: 'must be a DTC: 0x056216, "0x056216" or "P0562-16"' })
  .transform((v, ctx) => {
    let n: number | undefined;
    if (typeof v === 'string' && /^[PCBU]/i.test(v.trim())) {
      try {
        n = parseDtc(v);
      } catch {
        n = undefined;
      }
    } else {
      try {
        n = parseIntAuto(v);
      } catch {
        n = undefined;
      }
    }
    if (n === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffff) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a 3-byte DTC (write 0x056216, "0x056216" or "P0562-16")` });
      return z.NEVER;
    }
    return n;
  });

/** Extended data record kinds the store maintains (1 byte each, saturating at 255). */
export const EXTENDED_DATA_COUNTERS = ['occurrence', 'aging', 'failedCycles'] as const;

const snapshotSchema = z.strictObject({
  // ISO 14229-1:2020 12.3.2 — 0xFF means "all records" in a request, so it cannot name a record.
  record: boundedNumber(0x01, 0xfe, 'snapshot record number'),
  dids: z.array(configU16).min(1, 'a snapshot record captures at least one DID'),
  capture: z.enum(['first', 'latest']).default('latest'),
});

const extendedDataSchema = z
  .strictObject({
    // ISO 14229-1:2020 12.3.2 — 0xFE/0xFF select groups of records in a request.
    record: boundedNumber(0x01, 0xfd, 'extended data record number'),
    counter: z.enum(EXTENDED_DATA_COUNTERS).optional(),
    value: configBytes.optional(),
  })
  .refine((e) => (e.counter === undefined) !== (e.value === undefined), {
    message: 'give either counter (occurrence | aging | failedCycles) or a fixed value',
  });

const monitorSchema = z
  .strictObject({
    voltageBelow: z.number().optional(),
    voltageAbove: z.number().optional(),
    speedAbove: z.number().optional(),
    engineRunning: z.boolean().optional(),
  })
  .refine((m) => Object.values(m).some((v) => v !== undefined), {
    message: 'name at least one condition: voltageBelow, voltageAbove, speedAbove or engineRunning',
  });

const dtcSchema = z.strictObject({
  code: configDtcCode,
  name: z.string().optional(),
  // ISO 14229-1:2020 Annex D.2 — 0x50 = testNotCompletedSinceLastClear + testNotCompletedThisOperationCycle.
  status: configByte.default(0x50),
  warningIndicator: z.boolean().default(false),
  groups: z.array(configDtcCode).default(() => []),
  snapshots: z.array(snapshotSchema).default(() => []),
  extendedData: z.array(extendedDataSchema).default(() => []),
  monitor: monitorSchema.optional(),
});

const clearConditionsSchema = z
  .strictObject({
    engineOff: z.boolean().default(false),
    vehicleStopped: z.boolean().default(false),
    ignitionOn: z.boolean().default(false),
  })
  .prefault({});

/** Snapshot DIDs of the default DTCs: F442 control module voltage, F40D vehicle speed (ISO 15031-5 PIDs as DIDs). */
const DEFAULT_SNAPSHOT = [{ record: 0x01, dids: [0xf442, 0xf40d] }];
const DEFAULT_EXTENDED = [
  { record: 0x01, counter: 'occurrence' as const },
  { record: 0x02, counter: 'aging' as const },
];

/** The DTCs of an ECU profile without a `dtcs` key: supply voltage monitors and one stored history DTC. */
export const DEFAULT_DTCS = [
  { code: 'P0562-16', name: 'System voltage low', monitor: { voltageBelow: 9 }, snapshots: DEFAULT_SNAPSHOT, extendedData: DEFAULT_EXTENDED },
  { code: 'P0563-17', name: 'System voltage high', monitor: { voltageAbove: 16 }, snapshots: DEFAULT_SNAPSHOT, extendedData: DEFAULT_EXTENDED },
  // A confirmed fault from an earlier operation cycle (confirmedDTC + testFailedSinceLastClear).
  { code: 'U0100-87', name: 'Lost communication with ECM/PCM A', status: 0x28, extendedData: DEFAULT_EXTENDED },
];

const listSchema = z.array(dtcSchema);

const storeSchema = z.strictObject({
  list: listSchema.prefault(DEFAULT_DTCS),
  statusAvailabilityMask: configByte.default(0xff),
  formatIdentifier: configByte.default(0x01),
  confirmationThreshold: boundedNumber(1, 0xff, 'confirmationThreshold').default(1),
  agingThreshold: boundedNumber(0, 0xff, 'agingThreshold').default(40),
  clearConditions: clearConditionsSchema,
});

const STORE_DEFAULTS = { statusAvailabilityMask: 0xff, formatIdentifier: 0x01, confirmationThreshold: 1, agingThreshold: 40 };

/** `dtcs`: a list of DTCs, or `{ list, statusAvailabilityMask, formatIdentifier, confirmationThreshold, agingThreshold, clearConditions }`. */
export const dtcsSchema = z
  .union([listSchema, storeSchema], {
    error: 'must be a list of DTCs, or { list: [...], statusAvailabilityMask, formatIdentifier, confirmationThreshold, agingThreshold, clearConditions }',
  })
  .transform((d) =>
    Array.isArray(d) ? { list: d, ...STORE_DEFAULTS, clearConditions: { engineOff: false, vehicleStopped: false, ignitionOn: false } } : d,
  )
  .prefault({})
  .superRefine((d, ctx) => {
    const seen = new Set<number>();
    d.list.forEach((dtc, i) => {
      if (seen.has(dtc.code)) ctx.addIssue({ code: 'custom', path: ['list', i, 'code'], message: `DTC 0x${dtc.code.toString(16)} is defined twice` });
      seen.add(dtc.code);
      for (const [key, what] of [
        ['snapshots', 'snapshot'],
        ['extendedData', 'extended data'],
      ] as const) {
        const numbers = new Set<number>();
        dtc[key].forEach((r, j) => {
          if (numbers.has(r.record)) ctx.addIssue({ code: 'custom', path: ['list', i, key, j, 'record'], message: `${what} record ${r.record} is defined twice` });
          numbers.add(r.record);
        });
      }
    });
  });

/** The parsed `dtcs` section. */
export type DtcsConfig = z.output<typeof dtcsSchema>;
/** One parsed DTC definition. */
export type DtcConfig = DtcsConfig['list'][number];
/** A monitor condition on the vehicle state. */
export type DtcMonitorConfig = NonNullable<DtcConfig['monitor']>;
