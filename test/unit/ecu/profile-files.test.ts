/** Profile files: shipped names, paths, `profile:` references with overrides, and their errors. */
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/hex.js';
import {
  expandProfileReference,
  listProfiles,
  loadEcuProfile,
  mergeProfile,
  resolveProfilePath,
  SHIPPED_PROFILES_DIR,
} from '../../../src/ecu/profile-files.js';
import { loadVehicleFile, parseVehicleConfig } from '../../../src/vehicle/config.js';

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'udskit-profiles-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('shipped profiles folder', () => {
  it('lists the shipped profiles with their kind and description', () => {
    const list = listProfiles();
    expect(list.map((p) => [p.name, p.kind])).toEqual([
      ['doipsimu', 'vehicle'],
      ['generic-iso14229', 'ecu'],
      ['stm32f103-uds-boot', 'ecu'],
    ]);
    expect(list[2]?.description).toMatch(/STM32F103/);
  });

  it('loads an ECU profile by name, with overrides', () => {
    const c = loadEcuProfile('stm32f103-uds-boot', { overrides: { address: 0x0712, name: 'bms-boot' } });
    expect([c.name, c.address]).toEqual(['bms-boot', 0x0712]);
    expect(toHex(c.identification.version)).toBe(toHex(new TextEncoder().encode('V1.0.0')));
  });

  it('an unknown name lists the available ones; a missing path names it', () => {
    expect(configError(() => resolveProfilePath('nope')).message).toBe(
      'profile "nope" not found: shipped profiles are doipsimu, generic-iso14229, stm32f103-uds-boot; or give a path to a YAML file',
    );
    expect(configError(() => resolveProfilePath('./nope.yaml', '/tmp')).message).toBe('profile file /tmp/nope.yaml not found (named "./nope.yaml")');
  });
});

describe('profile references', () => {
  it('merges objects key by key and replaces lists and values', () => {
    expect(mergeProfile({ a: 1, o: { x: 1, y: [1, 2] }, l: [1] }, { o: { y: [3] }, l: [2], n: true })).toEqual({
      a: 1,
      o: { x: 1, y: [3] },
      l: [2],
      n: true,
    });
  });

  it('expands nested references relative to the file naming them; a local file shadows a shipped name', () => {
    const dir = tempDir({
      'base/engine.yaml': 'address: 0x1010\nname: engine\nidentification: { vin: WUDSKIT0000000007, hardwareNumber: HW-1 }\n',
      'variants/engine-b.yaml': 'profile: ../base/engine.yaml\nidentification: { hardwareNumber: HW-B }\n',
      'generic-iso14229.yaml': 'profile: ./variants/engine-b.yaml\nname: local\n',
    });
    const expanded = expandProfileReference({ profile: 'generic-iso14229', address: 0x1011 }, { baseDir: dir, source: 'test' });
    expect(expanded).toEqual({
      address: 0x1011,
      name: 'local',
      identification: { vin: 'WUDSKIT0000000007', hardwareNumber: 'HW-B' },
    });
  });

  it('refuses cycles, vehicle files and a non-string profile', () => {
    const dir = tempDir({ 'a.yaml': 'profile: ./b.yaml\n', 'b.yaml': 'profile: ./a.yaml\n' });
    expect(configError(() => expandProfileReference({ profile: './a.yaml' }, { baseDir: dir, source: 'v.yaml' })).message).toMatch(
      /b\.yaml: profile references form a cycle: .*a\.yaml -> .*b\.yaml -> .*a\.yaml$/,
    );
    expect(configError(() => expandProfileReference({ profile: 'doipsimu' }, { baseDir: dir, source: 'v.yaml: ecus[0]' })).message).toMatch(
      /^v\.yaml: ecus\[0\]: profile "doipsimu" \(.*doipsimu\.yaml\) is a vehicle file \(it has ecus:\); profile: needs an ECU profile/,
    );
    expect(configError(() => expandProfileReference({ profile: 3 }, { baseDir: dir, source: 'v.yaml' })).message).toBe(
      'v.yaml: profile: must be the name of a shipped profile or a path to an ECU profile file',
    );
  });
});

describe('vehicle files with profile: entries', () => {
  it('builds ECUs from shipped profiles, the entry keys overriding', () => {
    const v = parseVehicleConfig(
      {
        ecus: [
          { profile: 'generic-iso14229', address: 0x1011, name: 'engine', identification: { vin: 'WUDSKIT0000000099' } },
          { profile: 'stm32f103-uds-boot' },
        ],
      },
      'car.yaml',
    );
    expect(v.ecus.map((e) => [e.name, e.address])).toEqual([
      ['engine', 0x1011],
      ['stm32f103-uds-boot', 0x0711],
    ]);
    expect(new TextDecoder().decode(v.ecus[0]?.identification.vin)).toBe('WUDSKIT0000000099');
    // Keys the entry does not give come from the profile.
    expect(new TextDecoder().decode(v.ecus[0]?.identification.bootSoftwareId)).toBe('BOOT-2.1.0');
    expect(v.ecus[0]?.services).toHaveProperty('0x28');
  });

  it('resolves relative profile paths against the vehicle file and names file, path and profile in errors', async () => {
    const dir = tempDir({
      'ecus/body.yaml': 'address: 0x1020\nservices: { RequestUpload: false }\n',
      'car.yaml': 'name: car\necus:\n  - profile: ecus/body.yaml\n    name: body\n',
      'bad.yaml': 'ecus:\n  - profile: ecus/body.yaml\n    services: { 0x22: { sessions: [9] } }\n',
    });
    const v = await loadVehicleFile(join(dir, 'car.yaml'));
    expect(v.ecus[0]).toMatchObject({ name: 'body', address: 0x1020, services: { '0x35': false } });
    const e = await loadVehicleFile(join(dir, 'bad.yaml')).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).message).toBe(
      `${join(dir, 'bad.yaml')}: invalid vehicle file:\n` +
        "  - ecus[0].services.0x22.sessions[0]: session 0x09 is not one of this profile's sessions (0x01 defaultSession, 0x02 programmingSession, 0x03 extendedDiagnosticSession)\n" +
        '  (ecus[0] is based on profile "ecus/body.yaml")',
    );
  });

  it('the shipped folder is the one next to src/', () => {
    expect(SHIPPED_PROFILES_DIR.replace(/\\/g, '/')).toMatch(/\/profiles\/$/);
  });
});
