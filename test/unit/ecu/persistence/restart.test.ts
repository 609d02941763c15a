/**
 * A SimulatedEcu restarted on the same state directory: a new instance on the directory of one that was
 * dropped without close() is a killed simulator; with close() it is a clean stop. What was written with
 * 2E, the security attempt counter and its delay, and flash after 37 / an erase survive; RAM does not.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { crc32 } from '../../../../src/core/crc.js';
import { ConfigError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import type { EcuConfigInput } from '../../../../src/ecu/config.js';
import { SimulatedEcu } from '../../../../src/ecu/simulated-ecu.js';
import { getSecurityAlgorithm } from '../../../../src/uds/security/algorithms.js';
import { parseVehicleConfig } from '../../../../src/vehicle/config.js';
import { countingRandom, u32 } from '../helpers.js';

const ECU = 0x1010;
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'udskit-restart-'));
  dirs.push(d);
  return d;
}

/** An ECU on `stateDir` driven through `handle` (each request resolves with its final response). */
interface Running {
  ecu: SimulatedEcu;
  clock: FakeClock;
  req(hex: string): Promise<string>;
  unlock(level?: number): Promise<void>;
}

function start(stateDir: string, config: Partial<EcuConfigInput> = {}): Running {
  const clock = new FakeClock();
  const ecu = new SimulatedEcu({ address: ECU, ...config }, { clock, random: countingRandom(), stateDir });
  const req = async (hex: string): Promise<string> => {
    let last = '';
    await ecu.handle({ source: 0x0e00, target: ECU, addressing: 'physical', data: fromHex(hex) }, (data) => {
      last = toHex(data);
      return Promise.resolve();
    });
    return last;
  };
  const unlock = async (level = 0x01): Promise<void> => {
    const cfg = ecu.config.security.levels.find((l) => l.level === level);
    if (!cfg) throw new Error(`level ${level} not configured`);
    const seed = fromHex(await req(toHex([0x27, level]))).slice(2);
    const key = getSecurityAlgorithm(cfg.algorithm)(seed, level, cfg.secret, { keyLength: cfg.keyLength });
    expect(await req(toHex([0x27, level + 1, ...key]))).toBe(toHex([0x67, level + 1]));
  };
  return { ecu, clock, req, unlock };
}

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed + (i >> 9)) & 0xff);
}

describe('restart on the same state directory', () => {
  it('keeps DIDs written with 2E (and only the written ones)', async () => {
    const dir = tempDir();
    const a = start(dir);
    const vin = toHex(new TextEncoder().encode('WVWZZZ1JZXW000001'));
    expect(await a.req('10 03')).toMatch(/^50 03/);
    await a.unlock();
    expect(await a.req(`2E F1 90 ${vin}`)).toBe('6E F1 90');
    expect(await a.req('2E F1 5A 01 02 03')).toBe('6E F1 5A');
    // Killed: no close().
    const b = start(dir);
    expect(await b.req('22 F1 90')).toBe(`62 F1 90 ${vin}`);
    expect(await b.req('22 F1 5A')).toBe('62 F1 5A 01 02 03');
    const nvm = JSON.parse(readFileSync(join(dir, '1010', 'nvm.json'), 'utf8')) as { values: { dids: Record<string, string> } };
    expect(Object.keys(nvm.values.dids).sort()).toEqual(['F15A', 'F190']);
    b.ecu.close();
  });

  it('does not use a stored DID value that no longer fits the profile', async () => {
    const dir = tempDir();
    const a = start(dir, { dids: [{ id: 0x0100, value: { hex: '00 01' }, write: { sessions: [0x03] } }] });
    await a.req('10 03');
    expect(await a.req('2E 01 00 AB CD')).toBe('6E 01 00');
    const b = start(dir, { dids: [{ id: 0x0100, value: { hex: '00 01 02' }, write: { sessions: [0x03] } }] });
    expect(await b.req('22 01 00')).toBe('62 01 00 00 01 02');
    const c = start(dir, { dids: [{ id: 0x0100, value: { hex: '00 01' }, write: { sessions: [0x03] } }] });
    expect(await c.req('22 01 00')).toBe('62 01 00 AB CD');
  });

  it('keeps the failed-attempt counter and runs a running delay again after a kill', async () => {
    const dir = tempDir();
    const a = start(dir);
    await a.req('10 03');
    expect(await a.req('27 01')).toMatch(/^67 01/);
    expect(await a.req('27 02 00 00')).toBe('7F 27 35');
    expect(await a.req('27 01')).toMatch(/^67 01/);
    expect(await a.req('27 02 00 00')).toBe('7F 27 35');

    // Killing the simulator does not give the attacker fresh attempts (ISO 14229-1:2020 10.4).
    const b = start(dir);
    expect(b.ecu.state.securityFailedAttempts).toBe(2);
    await b.req('10 03');
    await b.req('27 01');
    expect(await b.req('27 02 00 00')).toBe('7F 27 36');

    const c = start(dir);
    expect(c.ecu.state.securityFailedAttempts).toBe(3);
    expect(c.ecu.state.securityDelayRemainingMs).toBe(10_000);
    await c.req('10 03');
    expect(await c.req('27 01')).toBe('7F 27 37');
    await c.clock.advance(10_000);
    await c.req('10 03'); // S3 ended the session meanwhile
    await c.unlock();
    expect(c.ecu.state.securityFailedAttempts).toBe(0);
    c.ecu.close();
    expect(start(dir).ecu.state).toMatchObject({ securityFailedAttempts: 0, securityDelayRemainingMs: 0 });
  });

  it('does not keep the counter when the profile lets it reset (attemptsSurviveReset: false)', async () => {
    const dir = tempDir();
    const vulnerable = { security: { levels: [{ level: 0x01 }], attemptsSurviveReset: false } };
    const a = start(dir, vulnerable);
    await a.req('10 03');
    await a.req('27 01');
    expect(await a.req('27 02 00 00')).toBe('7F 27 35');
    expect(start(dir, vulnerable).ecu.state.securityFailedAttempts).toBe(0);
  });

  it('keeps flash after 37 and after an erase, but not a download cut before 37, nor RAM', async () => {
    const dir = tempDir();
    const config = { transfer: { maxNumberOfBlockLength: 0x402 } };
    const a = start(dir, config);
    expect(await a.req('10 02')).toMatch(/^50 02/);
    await a.unlock();
    expect(await a.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x2000)}`)).toBe('71 01 FF 00 00');
    const data = pattern(0x1800, 1);
    expect(await a.req(`34 00 44 ${u32(0)} ${u32(data.length)}`)).toMatch(/^74/);
    for (let i = 0; i < 6; i++) expect(await a.req(`36 ${toHex([i + 1])} ${toHex(data.subarray(i * 0x400, i * 0x400 + 0x400))}`)).toBe(toHex([0x76, i + 1]));
    expect(await a.req('37')).toBe(`77 ${u32(crc32(data))}`);
    a.ecu.memory.write(0x2000_0000, pattern(16, 2)); // RAM
    expect(readdirSync(join(dir, '1010', 'flash'))).toEqual(['00000000.bin']);

    // Killed after 37: the download is there, RAM is not.
    const b = start(dir, config);
    expect(b.ecu.memory.read(0, data.length)).toEqual(data);
    expect(b.ecu.memory.read(0x2000_0000, 16)).toEqual(new Uint8Array(16));
    expect(b.ecu.memory.read(0x1800, 0x800).every((x) => x === 0xff)).toBe(true);

    // Erase (durable before its response), then a download killed before 37: erased flash after the restart.
    expect(await b.req('10 02')).toMatch(/^50 02/);
    await b.unlock();
    expect(await b.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x2000)}`)).toBe('71 01 FF 00 00');
    expect(readdirSync(join(dir, '1010', 'flash'))).toEqual([]);
    expect(await b.req(`34 00 44 ${u32(0)} ${u32(0x400)}`)).toMatch(/^74/);
    expect(await b.req(`36 01 ${toHex(pattern(0x400, 3))}`)).toBe('76 01');
    const c = start(dir, config);
    expect(c.ecu.memory.read(0, 0x2000).every((x) => x === 0xff)).toBe(true);
    expect(c.ecu.memory.usedBytes).toBe(0);
  });

  it('writes pending flash changes on close()', () => {
    const dir = tempDir();
    const a = start(dir);
    a.ecu.memory.write(0x1000, pattern(100, 4));
    a.ecu.close();
    expect(start(dir).ecu.memory.read(0x1000, 100)).toEqual(pattern(100, 4));
  });

  it('writes the flash before an NV value that depends on it', async () => {
    const dir = tempDir();
    const a = start(dir);
    a.ecu.memory.write(0x3000, pattern(10, 5));
    a.ecu.model.nv.set('boot.appValid', true);
    // Killed right after the NV write: the flash it vouches for is on disk.
    const b = start(dir);
    expect(b.ecu.memory.read(0x3000, 10)).toEqual(pattern(10, 5));
    expect(b.ecu.model.nv.get('boot.appValid')).toBe(true);
  });

  it('a corrupt nvm.json stops the ECU from starting, with the file named', () => {
    const dir = tempDir();
    start(dir).ecu.close();
    writeFileSync(join(dir, '1010', 'nvm.json'), '{ not json');
    expect(() => start(dir)).toThrow(ConfigError);
    expect(() => start(dir)).toThrow(/1010[\\/]nvm\.json is not valid JSON/);
  });
});

describe('vehicle file stateDir', () => {
  it('is resolved against the vehicle file directory', () => {
    const cfg = parseVehicleConfig({ stateDir: 'state', ecus: [{ name: 'e', address: 0x1010 }] }, 'v.yaml', { baseDir: '/srv/car' });
    expect(cfg.stateDir).toBe(join('/srv/car', 'state'));
    const abs = parseVehicleConfig({ stateDir: '/var/lib/udskit', ecus: [{ name: 'e', address: 0x1010 }] }, 'v.yaml', { baseDir: '/srv/car' });
    expect(abs.stateDir).toBe('/var/lib/udskit');
    expect(parseVehicleConfig({ ecus: [{ name: 'e', address: 0x1010 }] }).stateDir).toBeUndefined();
  });
});
