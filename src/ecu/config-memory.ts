/**
 * The `memory` section of an ECU profile: regions (flash / ram / boot) with their sector tables,
 * erased values, transfer rights and timing (spec/bootloader-and-flashing.md "Memory model"), and the
 * access rules of ReadMemoryByAddress / WriteMemoryByAddress (`read` / `write`, see memory-access.ts).
 */
import { z } from 'zod';
import { accessSchema } from './config-dids.js';
import { boundedNumber, configByte, configNumber, configU32 } from './config-values.js';

const sectorGroupSchema = z.strictObject({
  size: boundedNumber(1, 0xffffffff, 'sector size'),
  count: boundedNumber(1, 0xffffffff, 'sector count').default(1),
});

const regionSchema = z
  .strictObject({
    name: z.string().min(1),
    kind: z.enum(['flash', 'ram', 'boot']).default('flash'),
    start: configU32,
    size: boundedNumber(1, 0x1_0000_0000, 'size'),
    sectorSize: boundedNumber(1, 0x1_0000_0000, 'sectorSize').optional(),
    sectors: z.array(sectorGroupSchema).optional(),
    erasedValue: configByte.optional(),
    download: z.boolean().optional(),
    upload: z.boolean().optional(),
    // ReadMemoryByAddress (23) / WriteMemoryByAddress (3D) rules; false = never; defaults in memory-access.ts.
    read: z.union([z.literal(false), accessSchema]).optional(),
    write: z.union([z.literal(false), accessSchema]).optional(),
    eraseTimePerSectorMs: configNumber.default(0),
    writeTimePerKiBMs: configNumber.default(0),
  })
  .transform((r, ctx) => {
    if (r.start + r.size > 0x1_0000_0000) {
      ctx.addIssue({ code: 'custom', path: ['size'], message: 'start + size must not exceed the 32-bit address space (0x100000000)' });
    }
    const uniform = r.sectorSize ?? (r.kind === 'flash' ? 0x1000 : r.size);
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
    return {
      ...r,
      sectors,
      erasedValue: r.erasedValue ?? (r.kind === 'ram' ? 0x00 : 0xff),
      download: r.download ?? r.kind !== 'boot',
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

