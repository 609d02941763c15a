/**
 * RequestFileTransfer (0x38) over DoIP on 127.0.0.1 with a state directory (a temporary folder): files
 * put before a restart of the Vehicle are read back after it, and a put interrupted before the restart
 * is resumed after it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DoipClient } from '../../src/doip/client.js';
import { FileTransferError } from '../../src/tester/errors.js';
import { Tester } from '../../src/tester/tester.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { secretFromConfig } from '../../src/uds/security/algorithms.js';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';

let vehicle: Vehicle | undefined;
const closers: (() => Promise<void>)[] = [];
const temps: string[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => {});
  await vehicle?.stop();
  vehicle = undefined;
});
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

const ENGINE = 0x1010;
const UNLOCK = { algorithm: 'shift-mul-xor', secret: secretFromConfig(0x464c4147), keyLength: 4 };

async function session(v: Vehicle): Promise<Tester> {
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: v.tcpPort, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target: ENGINE });
  closers.push(async () => {
    await client.close();
    await doip.close();
  });
  const tester = new Tester(client);
  await tester.openSession(0x03);
  await tester.unlock(0x01, UNLOCK);
  return tester;
}

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed + (i >> 10)) & 0xff);
}

describe('file transfer with --state-dir over DoIP', () => {
  it('keeps files and an interrupted put across a restart of the vehicle', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'udskit-state-'));
    temps.push(stateDir);
    const log = pattern(20_000, 1);
    const big = pattern(50_000, 2);

    vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir });
    let tester = await session(vehicle);
    await tester.putFile('/logs/run.bin', log);
    const stop = new AbortController();
    const cut = await tester
      .putFile('/big.bin', big, { signal: stop.signal, onProgress: (p) => (p.block === 4 ? stop.abort() : undefined) })
      .catch((e: unknown) => e);
    expect(cut).toBeInstanceOf(FileTransferError);
    // The file is on disk, under the ECU's address; the interrupted one is not (it is a partial).
    expect(new Uint8Array(await readFile(join(stateDir, '1010', 'files', 'logs', 'run.bin')))).toEqual(log);
    await expect(readFile(join(stateDir, '1010', 'files', 'big.bin'))).rejects.toThrow();
    for (const c of closers.splice(0)) await c();
    await vehicle.stop();

    vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir });
    tester = await session(vehicle);
    expect(await tester.getFile('/logs/run.bin')).toEqual(log);
    const resumed = await tester.resumeFile('/big.bin', big);
    expect(resumed.filePosition).toBeGreaterThan(0);
    expect(resumed.filePosition).toBeLessThan(big.length);
    expect(resumed.crcVerifiedByEcu).toBe(true);
    expect(await tester.getFile('/big.bin')).toEqual(big);
    const listing = await tester.listDirectory('/');
    expect(listing.entries).toEqual([
      { name: 'big.bin', kind: 'file', size: 50_000 },
      { name: 'logs', kind: 'directory', size: 0 },
    ]);
  });

  it('fails the start when the state directory cannot be used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'udskit-state-'));
    temps.push(dir);
    await writeFile(join(dir, 'not-a-dir'), 'x');
    await expect(Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir: join(dir, 'not-a-dir') })).rejects.toThrow(/not-a-dir/);
  });
});
