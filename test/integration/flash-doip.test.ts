/**
 * Flash jobs over DoIP on 127.0.0.1 with the flash engine in-process: three ECUs in parallel over one
 * connection (multiplexed by target address) and over one connection each, and a connection that drops in
 * the middle of a download (through a TCP proxy): the engine reconnects, activates routing again, erases the
 * block and writes it again.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeSRecord } from '../../src/firmware/srecord.js';
import { FlashEngine } from '../../src/flash/engine.js';
import { parseFirmware, type FirmwareSource } from '../../src/flash/firmware-files.js';
import { resolveFlashJob } from '../../src/flash/job-files.js';
import { planFlashJob, type FlashPlan } from '../../src/flash/plan.js';
import { parseVehicleConfig } from '../../src/vehicle/config.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const TEST_TIMEOUT_MS = 60_000;
const ADDRESSES = [0x1010, 0x1011, 0x1012];

function data(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed * 5 + (i >> 9)) & 0xff);
}

const images = new Map(ADDRESSES.map((a, i) => [a, data(0x20000 + i * 0x8000, i)]));
const files: Record<string, Uint8Array> = {
  ...Object.fromEntries([...images].map(([a, d]) => [`app-${a.toString(16)}.s19`, Buffer.from(writeSRecord({ segments: [{ address: 0x10000, data: d }] }, { addressBytes: 4 }), 'latin1')])),
  'driver.bin': data(0x400, 9),
};

const load = async (s: FirmwareSource) => parseFirmware(files[s.file.split('/').pop() as string] as Uint8Array, s);

let vehicle: Vehicle | undefined;
let proxy: TcpProxy | undefined;

afterEach(async () => {
  await proxy?.close();
  proxy = undefined;
  await vehicle?.stop();
  vehicle = undefined;
});

async function start(): Promise<Vehicle> {
  vehicle = await Vehicle.start(parseVehicleConfig({ name: 'flash-doip', doip: { logicalAddress: 0x1000 }, ecus: ADDRESSES.map((address) => ({ profile: 'generic-iso14229', address })) }), { port: 0, udpPort: null });
  return vehicle;
}

async function planFor(port: number, addresses: number[], extra: Record<string, unknown> = {}): Promise<FlashPlan> {
  const job = resolveFlashJob(
    {
      template: 'iso14229-generic',
      connection: { port, ...((extra['connection'] as object | undefined) ?? {}) },
      security: { algorithm: 'shift-mul-xor', secret: 0x464c4147, keyLength: 4 },
      flashDriver: { file: 'driver.bin', baseAddress: 0x20000000 },
      ecus: addresses.map((a) => ({ address: a, profile: 'generic-iso14229', firmware: [{ file: `app-${a.toString(16)}.s19` }] })),
      ...(extra['timing'] ? { timing: extra['timing'] } : {}),
    },
    { baseDir: '/virtual' },
  );
  return planFlashJob(job, { loadFirmware: load });
}

function flashedAll(v: Vehicle, addresses: number[]): boolean {
  return addresses.every((a) => Buffer.from(v.ecu(a)!.memory.read(0x10000, images.get(a)!.length)).equals(Buffer.from(images.get(a)!)));
}

describe('flash jobs over DoIP on 127.0.0.1', () => {
  it(
    'three ECUs in parallel over one DoIP connection',
    async () => {
      const v = await start();
      const activations: number[] = [];
      v.entity.events.on('activation', (a) => activations.push(a.testerAddress));
      const report = await new FlashEngine().run(await planFor(v.tcpPort, ADDRESSES));
      expect(report.ok, JSON.stringify(report.ecus.map((e) => e.failure))).toBe(true);
      expect(activations).toEqual([0x0e00]);
      expect(flashedAll(v, ADDRESSES)).toBe(true);
      expect(report.ecus.map((e) => e.bytesWritten)).toEqual(ADDRESSES.map((a) => images.get(a)!.length));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'one DoIP connection per ECU, each with its own tester address',
    async () => {
      const v = await start();
      const activations: number[] = [];
      v.entity.events.on('activation', (a) => activations.push(a.testerAddress));
      const report = await new FlashEngine().run(await planFor(v.tcpPort, ADDRESSES, { connection: { mode: 'per-ecu' } }));
      expect(report.ok, JSON.stringify(report.ecus.map((e) => e.failure))).toBe(true);
      expect(activations.sort()).toEqual([0x0e00, 0x0e01, 0x0e02]);
      expect(flashedAll(v, ADDRESSES)).toBe(true);
      // The functional steps go out once per connection here.
      expect(report.steps.filter((s) => s.ecu === undefined)).toHaveLength(3 * 7);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reconnects after the connection drops mid-download and writes the block again',
    async () => {
      const v = await start();
      proxy = await startTcpProxy(v.tcpPort);
      const p = await planFor(proxy.port, [0x1010, 0x1011], { timing: { reconnectDelayMs: 50 } });
      const engine = new FlashEngine();
      let cut = false;
      engine.events.on('progress', (e) => {
        // Half-way through the first ECU's firmware: the cable is pulled.
        if (!cut && e.activity === 'download' && e.bytes > 0x10000) {
          cut = true;
          proxy?.cutAfter(1);
        }
      });
      const report = await engine.run(p);
      expect(report.ok, JSON.stringify(report.ecus.map((e) => e.failure))).toBe(true);
      expect(proxy.connections).toBe(2);
      expect(flashedAll(v, [0x1010, 0x1011])).toBe(true);
      expect(report.ecus.reduce((n, e) => n + e.recoveries, 0)).toBeGreaterThanOrEqual(1);
      expect(report.steps.some((s) => s.phase === 'resume' && s.step === 'securityAccess')).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );
});
