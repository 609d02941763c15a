/**
 * Flash engine test harness: simulated ECUs on an in-memory bus (FakeClock, deterministic seeds), a
 * connector that attaches a new tester endpoint for each (re)connection, in-memory firmware files, and
 * `drive()` that moves fake time until a promise settles.
 */
import { FakeClock } from '../../../src/core/clock.js';
import { MemoryBus, type MemoryLink } from '../../../src/core/memory-link.js';
import type { EcuConfigInput } from '../../../src/ecu/config.js';
import { loadEcuProfile } from '../../../src/ecu/profile-files.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { writeSRecord } from '../../../src/firmware/srecord.js';
import type { Connector } from '../../../src/flash/connections.js';
import { parseFirmware, type FirmwareSource, type LoadedFirmware } from '../../../src/flash/firmware-files.js';
import { resolveFlashJob } from '../../../src/flash/job-files.js';
import type { FlashJob } from '../../../src/flash/job-schema.js';
import { planFlashJob, type FlashPlan } from '../../../src/flash/plan.js';
import { track } from '../uds/client/helpers.js';
import { countingRandom } from '../ecu/helpers.js';

/** Runs `p` while moving fake time forward 1 ms at a time (bounded), so timers of both sides fire. */
export async function drive<T>(clock: FakeClock, p: Promise<T>, maxMs = 120_000): Promise<T> {
  const t = track(p);
  for (let ms = 0; ms < maxMs && !t.settled; ms++) await clock.advance(1);
  await t.done;
  if (!t.settled) throw new Error(`not done after ${maxMs} ms of fake time`);
  if (t.error !== undefined) throw t.error;
  return t.value as T;
}

/** Deterministic data. */
export function pattern(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff);
}

/** An in-memory vehicle: ECUs on a bus, a connector, the tester links made so far. */
export interface MemoryVehicle {
  clock: FakeClock;
  bus: MemoryBus;
  ecus: SimulatedEcu[];
  /** Every tester link the connector made, oldest first. */
  links: MemoryLink[];
  connector: Connector;
}

/** ECUs from `configs` (or shipped profile names with an address) on one bus with functional address 0xE400. */
export function memoryVehicle(configs: (EcuConfigInput | ({ profile: string; address: number } & Record<string, unknown>))[]): MemoryVehicle {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const ecus = configs.map((c) => {
    const config = 'profile' in c && typeof c.profile === 'string' ? loadEcuProfile(c.profile, { overrides: withoutProfile(c) }) : (c as EcuConfigInput);
    const ecu = new SimulatedEcu(config, { clock, random: countingRandom() });
    ecu.attach(bus.attach(ecu.address, { functionalAddresses: [0xe400] }));
    return ecu;
  });
  const links: MemoryLink[] = [];
  const connector: Connector = async (t) => {
    const link = bus.attach(t.testerAddress);
    links.push(link);
    return link;
  };
  return { clock, bus, ecus, links, connector };
}

function withoutProfile(c: Record<string, unknown>): Record<string, unknown> {
  const { profile: _p, ...rest } = c;
  return rest;
}

/** In-memory firmware files by name (S-record text, VBF bytes, binary). */
export function memoryFiles(files: Record<string, Uint8Array | string>): (s: FirmwareSource) => Promise<LoadedFirmware> {
  return async (s) => {
    const name = Object.keys(files).find((k) => s.file === k || s.file.endsWith(`/${k}`));
    const content = name === undefined ? undefined : files[name];
    if (content === undefined) throw new Error(`no in-memory file ${s.file}`);
    return parseFirmware(typeof content === 'string' ? Buffer.from(content, 'latin1') : content, s);
  };
}

/** S-record text of segments. */
export function srec(segments: { address: number; data: Uint8Array }[]): string {
  return writeSRecord({ segments }, { addressBytes: 4 });
}

/** Resolves `input` (templates from the shipped folder) and plans it with in-memory files. */
export async function plan(input: Record<string, unknown>, files: Record<string, Uint8Array | string>): Promise<{ job: FlashJob; plan: FlashPlan }> {
  const job = resolveFlashJob(input, { baseDir: '/virtual' });
  return { job, plan: await planFlashJob(job, { loadFirmware: memoryFiles(files) }) };
}
