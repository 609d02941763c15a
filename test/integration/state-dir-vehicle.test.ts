/**
 * The vehicle file's `stateDir` and Vehicle.stop: a vehicle started from a config with `stateDir` keeps its
 * ECUs' flash and NV there (the start option overrides it), and stop() writes pending flash changes.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/core/errors.js';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';

const temps: string[] = [];
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'udskit-vehicle-state-'));
  temps.push(d);
  return d;
}

describe('Vehicle with a state directory', () => {
  it('refuses a second vehicle on a state directory in use, and takes it once the first one stopped', async () => {
    const stateDir = join(await tempDir(), 'state');
    const v1 = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir });
    try {
      await expect(Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir })).rejects.toThrow(ConfigError);
      await expect(Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir })).rejects.toThrow(/is in use by another udskit simulator/);
    } finally {
      await v1.stop();
    }
    const v2 = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir });
    await v2.stop();
  });

  it('uses the file\'s stateDir, writes pending flash at stop, and restores it at the next start', async () => {
    const stateDir = join(await tempDir(), 'state');
    const config = { ...defaultVehicle, stateDir };
    const v1 = await Vehicle.start(config, { port: 0, udpPort: null });
    expect(v1.stateDir).toBe(stateDir);
    v1.ecu(0x1010)?.memory.write(0x20000, Uint8Array.of(1, 2, 3));
    v1.ecu(0x1020)?.model.nv.set('test.key', 'kept');
    await v1.stop();
    expect(await readdir(join(stateDir, '1010', 'flash'))).toEqual(['00020000.bin']);

    const v2 = await Vehicle.start(config, { port: 0, udpPort: null });
    try {
      expect(v2.ecu(0x1010)?.memory.read(0x20000, 3)).toEqual(Uint8Array.of(1, 2, 3));
      expect(v2.ecu(0x1020)?.model.nv.get('test.key')).toBe('kept');
    } finally {
      await v2.stop();
    }
  });

  it('lets the start option override the file, and without either keeps everything in memory', async () => {
    const fromFile = join(await tempDir(), 'file');
    const fromOption = join(await tempDir(), 'option');
    const v = await Vehicle.start({ ...defaultVehicle, stateDir: fromFile }, { port: 0, udpPort: null, stateDir: fromOption });
    expect(v.stateDir).toBe(fromOption);
    expect(v.ecus.every((e) => e.model.nv.persistent)).toBe(true);
    await v.stop();
    expect((await readdir(fromOption)).sort()).toEqual(['1010', '1020']);
    const plain = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
    expect(plain.stateDir).toBeUndefined();
    expect(plain.ecus.some((e) => e.model.nv.persistent || e.model.persistence !== undefined)).toBe(false);
    await plain.stop();
  });

  it('does not start on a state it cannot read, and names the file', async () => {
    const stateDir = await tempDir();
    const v = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir });
    await v.stop();
    await writeFile(join(stateDir, '1020', 'nvm.json'), '{"format": "udskit-nvm", "version": 1, "values": ');
    const err = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, stateDir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(join(stateDir, '1020', 'nvm.json'));
  });
});
