/**
 * The `accessTiming` section of an ECU profile: the timing parameters AccessTimingParameter (0x83,
 * ISO 14229-1:2013 9.7) reports and accepts. The default values are those of the active session
 * (`p2ServerMs` / `p2StarServerMs`, or the session's own values under `sessions`).
 *
 * ```yaml
 * accessTiming:
 *   extendedP2ServerMs: 500       # 83 01 readExtendedTimingParameterSet reports these two,
 *   extendedP2StarServerMs: 10000 # and 83 04 accepts values up to them (0x31 above)
 *   minP2ServerMs: 10             # 83 04 accepts values down to these two (0x31 below)
 *   minP2StarServerMs: 500
 * ```
 */
import { z } from 'zod';
import { boundedNumber } from './config-values.js';

const p2 = (what: string) => boundedNumber(0, 0xffff, what);
// P2*server_max is sent in 10 ms units in a u16 (ISO 14229-1:2020 10.2.3).
const p2Star = (what: string) => boundedNumber(0, 655_350, what);

/** Schema of `accessTiming` (defaults applied when the key is absent). */
export const accessTimingSchema = z
  .strictObject({
    extendedP2ServerMs: p2('extendedP2ServerMs').default(500),
    extendedP2StarServerMs: p2Star('extendedP2StarServerMs').default(10_000),
    minP2ServerMs: p2('minP2ServerMs').default(10),
    minP2StarServerMs: p2Star('minP2StarServerMs').default(500),
  })
  .superRefine((t, ctx) => {
    if (t.minP2ServerMs > t.extendedP2ServerMs) {
      ctx.addIssue({ code: 'custom', path: ['minP2ServerMs'], message: `must be <= extendedP2ServerMs (${t.extendedP2ServerMs})` });
    }
    if (t.minP2StarServerMs > t.extendedP2StarServerMs) {
      ctx.addIssue({ code: 'custom', path: ['minP2StarServerMs'], message: `must be <= extendedP2StarServerMs (${t.extendedP2StarServerMs})` });
    }
  })
  .prefault({});

/** The parsed `accessTiming` section. */
export type AccessTimingConfig = z.output<typeof accessTimingSchema>;
