/**
 * Issue 6 "Faults and bad input": each fault of the simulator's control API (over HTTP with
 * ControlClient) while a flash job runs over DoIP on 127.0.0.1 — connection dropped at block N, NRC 0x72
 * while programming, power loss during erase, preconditions failing, wrong key — and a file that does not
 * fit the ECU's memory map. Each ends with a report of what failed and what to do; the ECU never runs a
 * partly written application (after a power cycle it stays in its bootloader); running the job again succeeds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSRecord } from '../../src/firmware/srecord.js';
import { FlashEngine } from '../../src/flash/engine.js';
import { FlashPlanError } from '../../src/flash/errors.js';
import { parseFirmware, type FirmwareSource } from '../../src/flash/firmware-files.js';
import { resolveFlashJob } from '../../src/flash/job-files.js';
import { planFlashJob, type FlashPlan } from '../../src/flash/plan.js';
import type { FlashReport } from '../../src/flash/report.js';
import { ControlClient } from '../../src/vehicle/control-client.js';
import { parseVehicleConfig } from '../../src/vehicle/config.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';

const TEST_TIMEOUT_MS = 60_000;
const ECU = 0x1010;
const APP = Uint8Array.from({ length: 0x10000 }, (_, i) => (i * 41 + (i >> 10)) & 0xff); // 64 KiB: 4 sectors, 16 TransferData blocks
const files: Record<string, Uint8Array> = {
  'app.s19': Buffer.from(writeSRecord({ segments: [{ address: 0x10000, data: APP }] }, { addressBytes: 4 }), 'latin1'),
  'boot.s19': Buffer.from(writeSRecord({ segments: [{ address: 0x4000, data: APP.subarray(0, 0x100) }] }, { addressBytes: 4 }), 'latin1'),
  'driver.bin': Uint8Array.from({ length: 0x400 }, (_, i) => i & 0xff),
};
const SECURITY = { algorithm: 'shift-mul-xor', secret: 0x464c4147, keyLength: 4 };

let vehicle: Vehicle;
let ctl: ControlClient;

beforeEach(async () => {
  vehicle = await Vehicle.start(parseVehicleConfig({ name: 'flash-faults', doip: { logicalAddress: 0x1000 }, ecus: [{ profile: 'generic-iso14229', address: ECU }] }), {
    port: 0,
    udpPort: null,
    controlPort: 0,
  });
  ctl = new ControlClient(vehicle.control!.url);
});

afterEach(async () => {
  await vehicle.stop();
});

async function planOf(file = 'app.s19', security: Record<string, unknown> = SECURITY): Promise<FlashPlan> {
  const job = resolveFlashJob(
    {
      template: 'iso14229-generic',
      connection: { port: vehicle.tcpPort },
      timing: { reconnectDelayMs: 50 },
      security,
      ecus: [{ address: ECU, profile: 'generic-iso14229', firmware: [{ file }], flashDriver: { file: 'driver.bin', baseAddress: 0x20000000 } }],
    },
    { baseDir: '/virtual' },
  );
  return planFlashJob(job, { loadFirmware: async (s: FirmwareSource) => parseFirmware(files[s.file.split('/').pop() as string] as Uint8Array, s) });
}

function run(p: FlashPlan): Promise<FlashReport> {
  return new FlashEngine().run(p);
}

function flashed(): boolean {
  return Buffer.from(vehicle.ecu(ECU)!.memory.read(0x10000, APP.length)).equals(Buffer.from(APP));
}

/** After a power cycle the ECU runs its bootloader: the partly written application never starts. */
async function staysInBootloader(): Promise<void> {
  // Wait for the ECU's own 'ready' (end of its reset time), not for a guessed delay.
  const ready = new Promise<void>((resolve) => vehicle.ecu(ECU)!.events.once('ready', () => resolve()));
  await ctl.powerCycle(ECU);
  await ready;
  const state = await ctl.ecu(ECU);
  expect(state).toMatchObject({ appValid: false, mode: 'boot' });
}

describe('flash job faults through the control API', () => {
  it(
    'connection dropped at TransferData N: reconnected, the block erased and written again, the job succeeds',
    async () => {
      await ctl.addFault({ type: 'drop-connection', ecu: ECU, atTransferData: 6 });
      const report = await run(await planOf());
      expect(report.ok, JSON.stringify(report.ecus[0]?.failure)).toBe(true);
      expect(report.ecus[0]?.recoveries).toBe(1);
      expect(flashed()).toBe(true);
      expect(await ctl.ecu(ECU)).toMatchObject({ appValid: true, mode: 'app' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'NRC 0x72 while programming: a report naming the step and what to do, bootloader after a power cycle, a second run succeeds',
    async () => {
      await ctl.addFault({ type: 'nrc', ecu: ECU, sid: 0x36, nth: 4, nrc: 0x72 });
      const report = await run(await planOf());
      expect(report).toMatchObject({ ok: false, exitCode: 2 });
      expect(report.ecus[0]?.failure).toMatchObject({ phase: 'programming', step: 'program', kind: 'refused', nrc: 0x72 });
      expect(report.ecus[0]?.failure?.message).toMatch(/generalProgrammingFailure/);
      expect(report.ecus[0]?.failure?.advice).toMatch(/run the job again/);
      await staysInBootloader();
      await ctl.clearFaults();
      expect((await run(await planOf())).ok).toBe(true);
      expect(flashed()).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'power loss during erase: the ECU is waited for, set up again and the block erased again; the job succeeds',
    async () => {
      await ctl.addFault({ type: 'power-loss', ecu: ECU, during: 'erase', nth: 1 });
      const report = await run(await planOf());
      expect(report.ok, JSON.stringify(report.ecus[0]?.failure)).toBe(true);
      expect(report.ecus[0]?.recoveries).toBe(1);
      expect(report.steps.filter((s) => s.phase === 'resume').map((s) => `${s.name}:${s.outcome}`)).toContain('session 02:ok');
      expect(flashed()).toBe(true);
      expect(await ctl.ecu(ECU)).toMatchObject({ appValid: true, mode: 'app' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'power loss during programming, again and again: the job gives up after timing.attempts, the application is not valid, a second run succeeds',
    async () => {
      // From the 2nd TransferData into flash on, every one loses power: each try of the block fails.
      await ctl.addFault({ type: 'power-loss', ecu: ECU, during: 'programming', nth: 2, count: 20 });
      const report = await run(await planOf());
      expect(report).toMatchObject({ ok: false, exitCode: 1 });
      expect(report.ecus[0]?.failure).toMatchObject({ step: 'program', kind: 'communication', code: 'UDSKIT_FLASH_ATTEMPTS' });
      expect(report.ecus[0]?.failure?.message).toMatch(/could not be written in 3 tries: the connection or the ECU was lost each time/);
      expect(report.ecus[0]?.recoveries).toBe(2);
      await staysInBootloader();
      await ctl.clearFaults();
      expect((await run(await planOf())).ok).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'preconditions failing (vehicle moving): stops before programming with the reason; the old application still runs',
    async () => {
      await ctl.patchVehicle({ speedKmh: 30 });
      const report = await run(await planOf());
      expect(report).toMatchObject({ ok: false, exitCode: 2 });
      expect(report.ecus[0]?.failure).toMatchObject({ phase: 'pre', kind: 'verification' });
      expect(report.ecus[0]?.failure?.message).toMatch(/preconditions are not met/);
      expect(report.steps.some((s) => s.phase === 'programming')).toBe(false);
      expect(await ctl.ecu(ECU)).toMatchObject({ appValid: true, mode: 'app' });
      await ctl.patchVehicle({ speedKmh: 0 });
      expect((await run(await planOf())).ok).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'wrong key: NRC 0x35 with the security advice, nothing erased; the right key succeeds',
    async () => {
      const report = await run(await planOf('app.s19', { ...SECURITY, secret: 0x0badf00d }));
      expect(report).toMatchObject({ ok: false, exitCode: 2 });
      expect(report.ecus[0]?.failure).toMatchObject({ step: 'securityAccess', nrc: 0x35 });
      expect(report.ecus[0]?.failure?.advice).toMatch(/security\.algorithm and security\.secret/);
      expect(report.steps.some((s) => s.step === 'program')).toBe(false);
      expect((await run(await planOf())).ok).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a file that does not fit the memory map is refused before anything is sent',
    async () => {
      const before = (await ctl.ecu(ECU)).session;
      const e = await planOf('boot.s19').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(FlashPlanError);
      expect((e as Error).message).toMatch(/data at 0x00004000 lies in the boot region "boot"/);
      expect((await ctl.ecu(ECU)).session).toBe(before);
    },
    TEST_TIMEOUT_MS,
  );
});
