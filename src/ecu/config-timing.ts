/**
 * `timingProfile`: how long flash work takes when the profile gives no time of its own
 * (spec/bootloader-and-flashing.md "Memory model": 0 by default for tests; a "realistic" profile uses
 * real values and answers 0x78 while busy).
 *
 * - `instant` (default): erase, programming and the jump to the bootloader take no time.
 * - `realistic`: the values of {@link REALISTIC_TIMING} wherever the profile leaves a time out (erase and
 *   programming of app / calibration / flash regions: RAM and NVM writes stay instant). A time given in the
 *   profile (`eraseTimePerSectorMs`, `writeTimePerKiBMs`, `bootloader.jumpTimeMs`) always wins.
 *
 * `resetDurationMs` keeps its own default (50 ms) in both: that is already a realistic value.
 */
import { z } from 'zod';
import { isProgrammableFlash, type MemoryKind } from './config-memory.js';

/** The timing profiles. */
export const TIMING_PROFILES = ['instant', 'realistic'] as const;
/** A timing profile. */
export type TimingProfile = (typeof TIMING_PROFILES)[number];

/**
 * The realistic values. Sources: STM32F103xC/D/E datasheet (DS5792), "Flash memory characteristics":
 * page (2 KiB) erase time tERASE 20..40 ms, 16-bit programming time tPROG 40..70 µs (typ 52.5 µs, i.e.
 * about 27 ms per KiB on that part). Automotive MCUs with wide flash pages program faster; 2 ms/KiB is a
 * typical figure for them (set `writeTimePerKiBMs: 27` on a region to model the STM32F1 exactly).
 * Jump from the application into the bootloader: typical 50 ms (reset plus bootloader start-up).
 */
export const REALISTIC_TIMING = {
  /** Per sector erased (STM32F1 page erase: 20..40 ms). */
  eraseTimePerSectorMs: 30,
  /** Per KiB programmed (typical). */
  writeTimePerKiBMs: 2,
  /** From 10 02 in the application until the bootloader answers (typical). */
  jumpTimeMs: 50,
} as const;

/** `timingProfile`: `instant` (default) or `realistic`. */
export const timingProfileSchema = z
  .enum(TIMING_PROFILES)
  .default('instant')
  .meta({ description: 'instant (default): flash work takes no time; realistic: typical erase / programming / jump times where the profile gives none' });

/** A profile value of the timing keys: `given` when the profile says, else the timing profile's value. */
export function timingValue(profile: TimingProfile, given: number | undefined, key: keyof typeof REALISTIC_TIMING): number {
  if (given !== undefined) return given;
  return profile === 'realistic' ? REALISTIC_TIMING[key] : 0;
}

/** What the timing helpers read from a parsed profile. */
export interface TimedRegion {
  readonly kind: MemoryKind;
  readonly eraseTimePerSectorMs?: number | undefined;
  readonly writeTimePerKiBMs?: number | undefined;
}

/** Milliseconds to erase one sector of `region`. */
export function eraseTimePerSectorMs(profile: TimingProfile, region: TimedRegion): number {
  return timingValue(profile, region.eraseTimePerSectorMs, 'eraseTimePerSectorMs');
}

/** Milliseconds to program `bytes` bytes into `region` (the realistic default applies to flash only: RAM writes take no time). */
export function writeTimeMs(profile: TimingProfile, region: TimedRegion, bytes: number): number {
  const perKiB = isProgrammableFlash(region.kind) ? timingValue(profile, region.writeTimePerKiBMs, 'writeTimePerKiBMs') : (region.writeTimePerKiBMs ?? 0);
  return (perKiB * bytes) / 1024;
}
