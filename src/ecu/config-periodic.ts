/**
 * The `periodic` section of an ECU profile: the rates of ReadDataByPeriodicIdentifier (0x2A) and how
 * many periodic DIDs the ECU schedules at once.
 *
 * ```yaml
 * periodic: { slowMs: 1000, mediumMs: 200, fastMs: 50, maxScheduled: 8 }
 * ```
 *
 * ISO 14229-1:2020 11.5.1 leaves the period of each transmissionMode and the number of pDIDs scheduled
 * at once to the vehicle manufacturer; the defaults are typical OEM values (1 s / 200 ms / 50 ms).
 */
import { z } from 'zod';
import { boundedNumber } from './config-values.js';

/** Longest period a profile may give a rate (one hour). */
const MAX_PERIOD_MS = 3_600_000;

/** Schema of `periodic` (defaults applied when the key is absent). */
export const periodicSchema = z
  .strictObject({
    slowMs: boundedNumber(1, MAX_PERIOD_MS, 'slowMs').default(1000),
    mediumMs: boundedNumber(1, MAX_PERIOD_MS, 'mediumMs').default(200),
    fastMs: boundedNumber(1, MAX_PERIOD_MS, 'fastMs').default(50),
    maxScheduled: boundedNumber(1, 256, 'maxScheduled').default(8),
  })
  .superRefine((p, ctx) => {
    if (!(p.fastMs <= p.mediumMs && p.mediumMs <= p.slowMs)) {
      ctx.addIssue({
        code: 'custom',
        path: ['fastMs'],
        message: `the rates must satisfy fastMs <= mediumMs <= slowMs (got ${p.fastMs} / ${p.mediumMs} / ${p.slowMs} ms)`,
      });
    }
  })
  .prefault({});

/** The parsed `periodic` section. */
export type PeriodicConfig = z.output<typeof periodicSchema>;
