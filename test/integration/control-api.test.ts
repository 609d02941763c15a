/**
 * The control API over real HTTP on 127.0.0.1, next to the DoIP gateway of the same vehicle: the
 * routes through ControlClient and raw requests (403 / 405 / 413 / 415 / 400), and every fault seen
 * by a tester over DoIP: the NRC, the late response, the closed connection, and the power loss that
 * leaves a torn flash and an ECU powered up again in its bootloader, where a fresh flash succeeds.
 */
import * as http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/crc.js';
import { InvalidArgumentError, LinkError, TimeoutError } from '../../src/core/errors.js';
import { DoipClient } from '../../src/doip/client.js';
import { testFirmware } from '../../src/cli/demo-scenario.js';
import { TransferStepError } from '../../src/tester/errors.js';
import { Tester } from '../../src/tester/tester.js';
import { NegativeResponseError } from '../../src/uds/client/errors.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { secretFromConfig } from '../../src/uds/security/algorithms.js';
import { ControlClient } from '../../src/vehicle/control-client.js';
import { ControlApiError } from '../../src/vehicle/control-errors.js';
import type { VehicleConfigInput } from '../../src/vehicle/config.js';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';

let vehicle: Vehicle | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => {});
  await vehicle?.stop();
  vehicle = undefined;
});

async function start(config: VehicleConfigInput = defaultVehicle): Promise<{ v: Vehicle; ctl: ControlClient }> {
  vehicle = await Vehicle.start(config, { port: 0, udpPort: null, controlPort: 0 });
  const url = vehicle.control?.url;
  if (!url) throw new Error('no control API');
  return { v: vehicle, ctl: new ControlClient(url) };
}

async function connect(v: Vehicle, target: number, p2ClientMs = 2000): Promise<{ doip: DoipClient; client: UdsClient; tester: Tester }> {
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: v.tcpPort, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target, p2ClientMs });
  closers.push(async () => {
    await client.close();
    await doip.close();
  });
  return { doip, client, tester: new Tester(client, { keepAlive: false }) };
}

/** A raw HTTP request, to send what fetch will not (a foreign Host header) or see every header. */
function raw(url: string, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; json: unknown }> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? (JSON.parse(text) as unknown) : undefined }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const BODY_UNLOCK = { algorithm: 'xor', secret: secretFromConfig({ hex: 'A5 5A C3 3C' }) };

describe('control API over HTTP', () => {
  it('serves the routes with JSON through ControlClient', async () => {
    const { v, ctl } = await start();
    expect(v.control?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ecus = await ctl.ecus();
    expect(ecus.map((e) => e.name)).toEqual(['engine', 'body']);
    expect(await ctl.ecu('body')).toMatchObject({ address: 0x1020, mode: 'app', appValid: true });
    expect((await ctl.patchVehicle({ ignition: false })).state.ignition).toBe(false);
    expect((await ctl.vehicle()).consistent).toBe(true);
    const f = await ctl.addFault({ type: 'delay', ecu: 'engine', ms: 5 });
    expect(await ctl.faults()).toHaveLength(1);
    expect((await ctl.removeFault(f.id)).id).toBe(f.id);
    expect(await ctl.clearFaults()).toBe(0);
    expect((await ctl.powerCycle(0x1010)).name).toBe('engine');
    await expect(ctl.ecu('gearbox')).rejects.toMatchObject({ status: 404, hint: 'GET /api/v1/ecus lists the ECUs' });
    await expect(ctl.addFault({ type: 'nrc', ecu: 'engine', nrc: 0 })).rejects.toBeInstanceOf(ControlApiError);
  });

  it('refuses web pages, foreign Host headers, non-JSON and oversized bodies; 405 carries Allow', async () => {
    const { v } = await start();
    const url = v.control?.url as string;
    expect(await raw(url, 'GET', '/api/v1/ecus', { origin: 'http://example.com' })).toMatchObject({ status: 403 });
    expect(await raw(url, 'GET', '/api/v1/ecus', { host: 'attacker.example:80' })).toMatchObject({ status: 403 });
    expect(await raw(url, 'PATCH', '/api/v1/vehicle', { 'content-type': 'text/plain' }, '{"voltage": 8}')).toMatchObject({ status: 415 });
    expect(await raw(url, 'PATCH', '/api/v1/vehicle', { 'content-type': 'application/json' }, '{"voltage": ')).toMatchObject({ status: 400 });
    const big = await raw(url, 'POST', '/api/v1/faults', { 'content-type': 'application/json' }, JSON.stringify({ pad: 'x'.repeat(70_000) })).catch((e: unknown) => e);
    // The server answers 413 and closes; depending on timing the client sees the answer or the reset.
    if (!(big instanceof Error)) expect(big).toMatchObject({ status: 413 });
    const put = await raw(url, 'PUT', '/api/v1/faults');
    expect(put.status).toBe(405);
    expect(put.headers['allow']).toBe('GET, POST, DELETE');
    expect(put.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('listens on loopback only and is off unless asked for', async () => {
    await expect(Vehicle.start(defaultVehicle, { port: 0, udpPort: null, controlPort: 0, controlHost: '0.0.0.0' })).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(() => new ControlClient('http://192.0.2.1:80')).toThrow(/loopback only/);
    const { v } = await start({ ...defaultVehicle, control: { port: 0 } });
    expect(v.control).toBeDefined();
    await v.stop();
    vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
    expect(vehicle.control).toBeUndefined();
  });

  it('says how to start the simulator when nothing listens', async () => {
    const { v, ctl } = await start();
    await v.stop();
    const e = await ctl.ecus().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LinkError);
    expect((e as Error).message).toContain('udskit sim --control-port N');
  });
});

describe('faults seen by a tester over DoIP', () => {
  it('nrc: the tester gets 7F SID NRC; delay: the response comes after the P2 client wait', async () => {
    const { v, ctl } = await start();
    const { client } = await connect(v, 0x1010, 200);
    await ctl.addFault({ type: 'nrc', ecu: 'engine', sid: 0x22, nrc: '0x22' });
    const e = await client.readDataByIdentifier(0xf190).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NegativeResponseError);
    expect((e as NegativeResponseError).nrc).toBe(0x22);
    await ctl.addFault({ type: 'delay', ecu: 'engine', ms: 1000, count: 1 });
    await expect(client.testerPresent()).rejects.toBeInstanceOf(TimeoutError);
    expect((await ctl.faults()).map((f) => [f.type, f.fired])).toEqual([
      ['nrc', 1],
      ['delay', 1],
    ]);
  });

  it('drop-connection: the gateway closes the connection at the Nth TransferData, unprocessed', async () => {
    const { v, ctl } = await start();
    const { doip, tester } = await connect(v, 0x1020);
    await ctl.addFault({ type: 'drop-connection', ecu: 'body', atTransferData: 3 });
    await tester.openSession(0x02);
    await tester.unlock(1, BODY_UNLOCK);
    await tester.eraseMemory(0x08000000, 0x4000);
    const fw = testFirmware(0x3000, 7);
    const e = await tester.download(0x08000000, fw).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransferStepError);
    expect(e).toMatchObject({ step: 'transferData', block: 3 });
    expect((e as TransferStepError).cause).toBeInstanceOf(LinkError);
    expect(doip.closed).toBe(true);
    const state = await ctl.ecu('body');
    expect(state.transfer).toMatchObject({ blocks: 2, transferred: 2 * (0x0ff2 - 2) });
    expect((await ctl.faults())[0]).toMatchObject({ fired: 1, remaining: 0 });
  });
});

/** Resolves once the first ECU of `v` serves requests again (after a power cycle or reset). */
function untilAvailable(v: Vehicle): Promise<void> {
  const ecu = v.ecus[0];
  if (!ecu || ecu.available) return Promise.resolve();
  return new Promise<void>((resolve) => ecu.events.once('ready', () => resolve()));
}

/** A vehicle with one ECU that has a bootloader (no flash driver to download). */
const BOOT_VEHICLE: VehicleConfigInput = {
  name: 'boot-test',
  ecus: [
    {
      name: 'bms',
      address: 0x1030,
      security: { levels: [{ level: 1, algorithm: 'xor', secret: { hex: 'A5 5A C3 3C' }, seedLength: 4, sessions: [2, 3] }] },
      memory: [
        { name: 'boot', kind: 'boot', start: 0x08000000, size: 0x8000, sectorSize: 0x800 },
        { name: 'app', kind: 'app', start: 0x08008000, size: 0x38000, sectorSize: 0x800 },
        { name: 'ram', kind: 'ram', start: 0x20000000, size: 0xc000 },
      ],
      transfer: { maxNumberOfBlockLength: 0x0402 },
      bootloader: {},
    },
  ],
};

describe('power loss through the control API', () => {
  it('during programming: no answer, a torn block, the ECU back in its bootloader with the app invalid; a fresh flash then succeeds', async () => {
    const { v, ctl } = await start(BOOT_VEHICLE);
    expect(await ctl.ecu('bms')).toMatchObject({ mode: 'app', appValid: true });
    const { tester, client } = await connect(v, 0x1030, 500);
    await ctl.addFault({ type: 'power-loss', ecu: 'bms', during: 'programming', nth: 3 });
    await tester.openSession(0x02);
    await tester.unlock(1, BODY_UNLOCK);
    await tester.eraseMemory(0x08008000, 0x2000);
    const fw = testFirmware(0x1800, 3);
    const e = await tester.download(0x08008000, fw).catch((x: unknown) => x);
    expect(e).toMatchObject({ step: 'transferData', block: 3 });
    // No answer; the tester repeats the block (spec: a lost response is retried with the same counter)
    // and that repeat reaches an ECU powered up in its default session: 7F 36 7F.
    const cause = (e as TransferStepError).cause;
    if (!(cause instanceof TimeoutError)) expect(cause).toMatchObject({ sid: 0x36, nrc: 0x7f });
    await untilAvailable(v);
    const after = await ctl.ecu('bms');
    expect(after).toMatchObject({ mode: 'boot', appValid: false, session: 1, securityLevel: null, transfer: null });
    // Two blocks of 1 KiB fill the first 2 KiB sector; half of the third leaves the second one partial.
    expect(after.memory.find((r) => r.name === 'app')?.sectors).toEqual([
      { start: 0x08008000, end: 0x080087ff, count: 1, sectorSize: 0x800, state: 'programmed' },
      { start: 0x08008800, end: 0x08008fff, count: 1, sectorSize: 0x800, state: 'partial' },
      { start: 0x08009000, end: 0x0803ffff, count: 110, sectorSize: 0x800, state: 'erased' },
    ]);

    // The bootloader accepts 10 02 directly (forced flashing); the flash is erased again and programmed.
    await tester.openSession(0x02);
    await tester.unlock(1, BODY_UNLOCK);
    await tester.eraseMemory(0x08008000, 0x2000);
    await tester.download(0x08008000, fw);
    await tester.checkMemory(crc32(fw));
    await tester.checkDependencies();
    expect(await ctl.ecu('bms')).toMatchObject({ appValid: true });
    await tester.reset(0x01);
    await client.close();
    await untilAvailable(v);
    expect(await ctl.ecu('bms')).toMatchObject({ mode: 'app', appValid: true });
  });

  it('during erase: half of the sectors erased, no answer, the ECU in its bootloader', async () => {
    const { v, ctl } = await start(BOOT_VEHICLE);
    const ecu = v.ecus[0];
    if (!ecu) throw new Error('no ECU');
    ecu.memory.write(0x08008000, new Uint8Array(0x2000).fill(0x5a));
    const { tester } = await connect(v, 0x1030, 500);
    await ctl.addFault({ type: 'power-loss', ecu: 0x1030, during: 'erase' });
    await tester.openSession(0x02);
    await tester.unlock(1, BODY_UNLOCK);
    await expect(tester.eraseMemory(0x08008000, 0x2000)).rejects.toBeInstanceOf(TimeoutError);
    await untilAvailable(v);
    const after = await ctl.ecu('bms');
    expect(after).toMatchObject({ mode: 'boot', appValid: false });
    expect(after.memory.find((r) => r.name === 'app')?.sectors.slice(0, 2)).toEqual([
      { start: 0x08008000, end: 0x08008fff, count: 2, sectorSize: 0x800, state: 'erased' },
      { start: 0x08009000, end: 0x08009fff, count: 2, sectorSize: 0x800, state: 'programmed' },
    ]);
  });
});
