/**
 * The `linkControl` section of an ECU profile: the baud rates LinkControl (0x87, ISO 14229-1:2020 10.10)
 * may switch the ECU's link to.
 *
 * ```yaml
 * linkControl:
 *   defaultBaudrate: 500000        # the link after power-on, reset and on return to the default session
 *   supportedBaudrates: [125000, 250000, 500000, 1000000]   # 87 01 (fixed) and 87 02 (specific); else 0x31
 *   programmingSetupBaudrate: 1000000   # optional: 87 01 20 (ProgrammingSetup) switches to it; absent = 0x31
 *   requireStandstill: true        # 87 01/02/03 while vehicleState.speedKmh > 0 -> 0x22
 * ```
 */
import { z } from 'zod';
import { boundedNumber } from './config-values.js';

/** The linkRecord of 87 02 is 3 bytes (ISO 14229-1:2020 10.10.2): baud rates up to 0xFFFFFF bit/s. */
const baudrate = (what: string) => boundedNumber(1, 0xffffff, what);

/** Schema of `linkControl` (defaults applied when the key is absent). */
export const linkControlSchema = z
  .strictObject({
    defaultBaudrate: baudrate('defaultBaudrate').default(500_000),
    supportedBaudrates: z.array(baudrate('a baud rate')).default(() => [125_000, 250_000, 500_000, 1_000_000]),
    programmingSetupBaudrate: baudrate('programmingSetupBaudrate').optional(),
    requireStandstill: z.boolean().default(true),
  })
  .prefault({});

/** The parsed `linkControl` section. */
export type LinkControlConfig = z.output<typeof linkControlSchema>;
