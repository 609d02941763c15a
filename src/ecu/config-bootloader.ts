/**
 * The `bootloader` section of an ECU profile (spec/bootloader-and-flashing.md "Bootloader behaviour"):
 * its own service set (`supportedServices` / `services`, config-services.ts) and how the bootloader
 * behaves. A profile with this section has two modes, application and bootloader (boot-manager.ts);
 * without it the ECU always runs its application.
 *
 * ```yaml
 * bootloader:
 *   supportedServices: [0x10, 0x11, 0x22, 0x27, 0x31, 0x34, 0x36, 0x37, 0x3E]
 *   appValidation: flag          # flag (default) | crc: the app's CRC32 must also match the one FF01 stored
 *   initialAppValid: true        # app-valid flag before anything was ever programmed (first start)
 *   jumpTimeMs: 50               # 10 02 in the application -> bootloader answers after this long (0x78 first if > P2)
 *   flashDriver: { required: true, region: ram }   # download it into that RAM region and check it (31 01 0202)
 *   dualBank: { banks: [bank-a, bank-b] }          # program the inactive bank; FF01 switches
 * ```
 */
import { z } from 'zod';
import { bootloaderSchema } from './config-services.js';
import { configNumber } from './config-values.js';
import { isProgrammableFlash, type MemoryKind } from './config-memory.js';

/** How the bootloader decides that the application may start. */
export const APP_VALIDATIONS = ['flag', 'crc'] as const;

const flashDriverSchema = z
  .strictObject({
    required: z.boolean().default(false).meta({ description: 'false: the driver is built in (no download needed)' }),
    region: z.string().min(1).optional().meta({ description: 'the ram region the driver is downloaded into (required when required is true)' }),
  })
  .meta({ description: 'flash driver: downloaded into RAM (34/36/37) and checked (31 01 0202) before FF00 / 34 into flash' });

const dualBankSchema = z
  .strictObject({
    banks: z.tuple([z.string().min(1), z.string().min(1)]).meta({ description: 'two app regions of the same size: bank A (active at first start) and bank B' }),
  })
  .meta({ description: 'dual bank: programming goes to the inactive bank (its own addresses); a successful FF01 makes it active' });

/** `bootloader`: the bootloader's service set and behaviour. */
export const bootloaderConfigSchema = bootloaderSchema
  .extend({
    appValidation: z
      .enum(APP_VALIDATIONS)
      .default('flag')
      .meta({ description: 'flag: the app-valid flag decides; crc: the CRC32 FF01 stored in NV must also match the programmed blocks' }),
    initialAppValid: z
      .boolean()
      .default(true)
      .meta({ description: 'app-valid flag while the NV memory holds none (first start, a fresh state directory)' }),
    jumpTimeMs: configNumber
      .optional()
      .meta({ description: 'ms from 10 02 in the application until the bootloader answers 50 02 (default 0; timingProfile realistic: 50)' }),
    flashDriver: flashDriverSchema.optional(),
    dualBank: dualBankSchema.optional(),
  })
  .meta({ description: 'the bootloader: its own supportedServices / services (used instead of the top-level ones in boot mode) and behaviour' });

/** The parsed `bootloader` section. */
export type BootloaderConfig = z.output<typeof bootloaderConfigSchema>;

/** The parts of a parsed profile that {@link bootloaderProblems} reads. */
export interface BootloaderProfileView {
  readonly memory: readonly { readonly name: string; readonly kind: MemoryKind; readonly size: number; readonly protected: boolean }[];
  readonly bootloader?: Pick<BootloaderConfig, 'flashDriver' | 'dualBank'> | undefined;
}

/** Cross-field checks of `bootloader` against `memory`: each as a field path and a message naming what is allowed. */
export function bootloaderProblems(c: BootloaderProfileView): { path: (string | number)[]; message: string }[] {
  const out: { path: (string | number)[]; message: string }[] = [];
  const b = c.bootloader;
  if (!b) return out;
  const names = (pred: (r: BootloaderProfileView['memory'][number]) => boolean): string =>
    c.memory.filter(pred).map((r) => r.name).join(', ') || 'none';
  const driver = b.flashDriver;
  if (driver?.required && driver.region === undefined) {
    out.push({ path: ['bootloader', 'flashDriver', 'region'], message: `a required flash driver needs the ram region it is downloaded into (${names((r) => r.kind === 'ram')})` });
  }
  if (driver?.region !== undefined && !c.memory.some((r) => r.name === driver.region && r.kind === 'ram')) {
    out.push({ path: ['bootloader', 'flashDriver', 'region'], message: `"${driver.region}" is not a ram region (${names((r) => r.kind === 'ram')})` });
  }
  const banks = b.dualBank?.banks;
  if (banks) {
    const regions = banks.map((n) => c.memory.find((r) => r.name === n));
    banks.forEach((n, i) => {
      const r = regions[i];
      if (!r || !isProgrammableFlash(r.kind) || r.kind === 'calibration' || r.protected) {
        out.push({ path: ['bootloader', 'dualBank', 'banks', i], message: `"${n}" is not an unprotected app (or flash) region (${names((x) => (x.kind === 'app' || x.kind === 'flash') && !x.protected)})` });
      }
    });
    const [a, bb] = regions;
    if (banks[0] === banks[1]) out.push({ path: ['bootloader', 'dualBank', 'banks'], message: 'the two banks must be different regions' });
    else if (a && bb && a.size !== bb.size) {
      out.push({ path: ['bootloader', 'dualBank', 'banks'], message: `banks "${banks[0]}" (${a.size} bytes) and "${banks[1]}" (${bb.size} bytes) must have the same size` });
    }
  }
  return out;
}
