/**
 * The `memory` section of an ECU profile: regions with their kind, sector tables, erased values,
 * programming granularity, transfer rights and timing (spec/bootloader-and-flashing.md "Memory model"),
 * and the access rules of ReadMemoryByAddress / WriteMemoryByAddress (`read` / `write`, see memory-access.ts).
 *
 * Kinds: `boot` (the bootloader's flash, read-only to UDS), `app` and `calibration` (flash the tester
 * programs), `flash` (generic flash: treated as application flash), `ram` (where the flash driver goes;
 * cleared by every reset) and `nvm` (EEPROM / data flash for DIDs and flags: byte-writable, never erased
 * by FF00).
 */
import { z } from 'zod';
import { accessSchema } from './config-dids.js';
import { boundedNumber, configByte, configNumber, configU32 } from './config-values.js';

/** Every region kind. */
export const MEMORY_KINDS = ['flash', 'app', 'calibration', 'boot', 'ram', 'nvm'] as const;
/** A region kind. */
export type MemoryKind = (typeof MEMORY_KINDS)[number];

/** Kinds of flash the tester erases (31 01 FF00) and programs (34/36/37). */
export const PROGRAMMABLE_FLASH_KINDS: ReadonlySet<MemoryKind> = new Set(['flash', 'app', 'calibration']);

/** True for flash a tester erases and programs (`flash`, `app`, `calibration`): erased before written, sectors, granularity. */
export function isProgrammableFlash(kind: MemoryKind): boolean {
  return PROGRAMMABLE_FLASH_KINDS.has(kind);
}

/** True for any flash (`boot` included): unwritten bytes read as the erased value 0xFF by default. */
export function isFlashKind(kind: MemoryKind): boolean {
  return kind === 'boot' || isProgrammableFlash(kind);
}

const sectorGroupSchema = z.strictObject({
  size: boundedNumber(1, 0xffffffff, 'sector size'),
  count: boundedNumber(1, 0xffffffff, 'sector count').default(1),
});

const regionSchema = z
  .strictObject({
    name: z.string().min(1),
    kind: z.enum(MEMORY_KINDS).default('flash'),
    start: configU32,
    size: boundedNumber(1, 0x1_0000_0000, 'size'),
    sectorSize: boundedNumber(1, 0x1_0000_0000, 'sectorSize').optional(),
    sectors: z.array(sectorGroupSchema).optional(),
    erasedValue: configByte.optional(),
    // spec/bootloader-and-flashing.md — a write that is not aligned to it fails with 0x72 (e.g. 2 on an STM32F1).
    programmingGranularity: boundedNumber(1, 0x1_0000, 'programmingGranularity')
      .optional()
      .meta({ description: 'bytes: TransferData into this flash must start and end on a multiple of it (else 0x72); default 1' }),
    protected: z
      .boolean()
      .optional()
      .meta({ description: 'never erased or programmed through UDS (FF00 / 34 -> 0x31); default true for kind boot' }),
    download: z.boolean().optional(),
    upload: z.boolean().optional(),
    // ReadMemoryByAddress (23) / WriteMemoryByAddress (3D) rules; false = never; defaults in memory-access.ts.
    read: z.union([z.literal(false), accessSchema]).optional(),
    write: z.union([z.literal(false), accessSchema]).optional(),
    // Absent: 0, or the realistic value with `timingProfile: realistic` (config-timing.ts).
    eraseTimePerSectorMs: configNumber.optional().meta({ description: 'ms per sector erased by FF00 (default 0; timingProfile realistic: 30)' }),
    writeTimePerKiBMs: configNumber.optional().meta({ description: 'ms per KiB programmed by 36 (default 0; timingProfile realistic: 2)' }),
  })
  .transform((r, ctx) => {
    if (r.start + r.size > 0x1_0000_0000) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'start + size must not exceed the 32-bit address space (0x100000000)' });
    }
    // spec/bootloader-and-flashing.md — boot is read-only to UDS.
    if (r.kind === 'boot' && r.download === true) {
      ctx.addIssue({ code: 'custom', path: ['download'], message: 'a boot region is read-only to UDS (34 into it answers 0x31); remove download or use kind app' });
    }
    const flash = isFlashKind(r.kind);
    const uniform = r.sectorSize ?? (flash ? 0x1000 : r.size);
    if (!r.sectors && r.size % uniform !== 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['size'],
        message: `size ${r.size} is not a multiple of the sector size ${uniform} (sectorSize, default 0x1000 for flash)`,
      });
      return z.NEVER;
    }
    const sectors = r.sectors ?? [{ size: uniform, count: Math.floor(r.size / uniform) }];
    if (r.sectors && r.sectorSize !== undefined && r.sectors.some((g) => g.size !== r.sectorSize)) {
      ctx.addIssue({ code: 'custom', path: ['sectors'], message: 'sectors disagree with sectorSize; give one of them' });
    }
    const total = sectors.reduce((a, g) => a + g.size * g.count, 0);
    if (total !== r.size) {
      ctx.addIssue({
        code: 'custom',
        path: [r.sectors ? 'sectors' : 'sectorSize'],
        message: `sectors cover ${total} bytes but the region size is ${r.size}; the sector table must cover the region exactly`,
      });
    }
    const granularity = r.programmingGranularity ?? 1;
    if (sectors.some((g) => g.size % granularity !== 0)) {
      ctx.addIssue({ code: 'custom', path: ['programmingGranularity'], message: `${granularity} does not divide every sector size; sectors must be whole programming units` });
    }
    return {
      ...r,
      sectors,
      erasedValue: r.erasedValue ?? (r.kind === 'ram' ? 0x00 : 0xff),
      programmingGranularity: granularity,
      protected: r.protected ?? r.kind === 'boot',
      download: r.download ?? (r.kind !== 'boot' && r.kind !== 'nvm'),
      upload: r.upload ?? true,
    };
  });

const DEFAULT_MEMORY = [
  { name: 'flash', kind: 'flash' as const, start: 0x0000_0000, size: 0x10_0000, sectorSize: 0x1000 },
  { name: 'ram', kind: 'ram' as const, start: 0x2000_0000, size: 0x1_0000 },
];

/** `memory`: the regions; default a 1 MiB flash at 0 (4 KiB sectors) and 64 KiB RAM at 0x20000000. */
export const memorySchema = z
  .array(regionSchema)
  .prefault(DEFAULT_MEMORY)
  .superRefine((regions, ctx) => {
    const names = new Set<string>();
    regions.forEach((r, i) => {
      if (names.has(r.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `region name "${r.name}" is used twice` });
      names.add(r.name);
      regions.forEach((o, j) => {
        if (j <= i) return;
        if (r.start < o.start + o.size && o.start < r.start + r.size) {
          ctx.addIssue({ code: 'custom', path: [j, 'start'], message: `region "${o.name}" overlaps region "${r.name}"` });
        }
      });
    });
  });
