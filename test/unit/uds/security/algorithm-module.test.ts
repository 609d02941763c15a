/** Seed/key algorithms loaded from user modules (spec/uds.md "Security access": a user function from a module). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/errors.js';
import { getSecurityAlgorithm, unregisterSecurityAlgorithm } from '../../../../src/uds/security/algorithms.js';
import { loadSecurityAlgorithmModule } from '../../../../src/uds/security/algorithm-module.js';
import { loadVehicleFile } from '../../../../src/vehicle/config.js';

const dir = mkdtempSync(join(tmpdir(), 'udskit-algo-'));
const names: string[] = [];
function file(name: string, text: string): string {
  writeFileSync(join(dir, name), text);
  return name;
}
afterAll(() => {
  for (const n of names) unregisterSecurityAlgorithm(n);
  rmSync(dir, { recursive: true, force: true });
});

file('plus-one.mjs', 'export default (seed) => seed.map((b) => (b + 1) & 0xff);');
file('named.mjs', 'export const computeKey = (seed, level) => Array.from(seed, (b) => b ^ level);\nexport const other = 1;');
file('bad-return.mjs', 'export default () => "not bytes";');
file('throws-on-load.mjs', 'throw new Error("boom");');

describe('loadSecurityAlgorithmModule', () => {
  it('registers the default export under the given name', async () => {
    names.push('t-plus-one');
    await loadSecurityAlgorithmModule({ name: 't-plus-one', module: 'plus-one.mjs' }, dir);
    expect([...getSecurityAlgorithm('t-plus-one')(Uint8Array.of(1, 0xff), 1, new Uint8Array(), {})]).toEqual([2, 0]);
  });

  it('takes a named export and turns an array result into bytes', async () => {
    names.push('t-named');
    await loadSecurityAlgorithmModule({ name: 't-named', module: join(dir, 'named.mjs'), export: 'computeKey' });
    const key = getSecurityAlgorithm('t-named')(Uint8Array.of(0x10, 0x20), 0x03, new Uint8Array(), {});
    expect(key).toBeInstanceOf(Uint8Array);
    expect([...key]).toEqual([0x13, 0x23]);
  });

  it('loading the same module under the same name twice is a no-op', async () => {
    const again = await loadSecurityAlgorithmModule({ name: 't-plus-one', module: 'plus-one.mjs' }, dir);
    expect(again).toBe(getSecurityAlgorithm('t-plus-one'));
  });

  it('refuses a built-in name, a missing export, a missing file and a module that throws', async () => {
    await expect(loadSecurityAlgorithmModule({ name: 'xor', module: 'plus-one.mjs' }, dir)).rejects.toThrow(ConfigError);
    await expect(loadSecurityAlgorithmModule({ name: 't-x', module: 'named.mjs', export: 'nope' }, dir)).rejects.toThrow(
      /has no function export "nope" \(it exports: computeKey, other\)/,
    );
    await expect(loadSecurityAlgorithmModule({ name: 't-y', module: 'missing.mjs' }, dir)).rejects.toThrow(/cannot load module/);
    await expect(loadSecurityAlgorithmModule({ name: 't-z', module: 'throws-on-load.mjs' }, dir)).rejects.toThrow(/boom/);
  });

  it('a function that returns no bytes fails with a message naming the algorithm', async () => {
    names.push('t-bad');
    await loadSecurityAlgorithmModule({ name: 't-bad', module: 'bad-return.mjs' }, dir);
    expect(() => getSecurityAlgorithm('t-bad')(Uint8Array.of(1), 1, new Uint8Array(), {})).toThrow(/"t-bad" .* must return the key as bytes/);
  });
});

describe('vehicle file securityAlgorithms:', () => {
  it('loads the modules relative to the file before the ECUs name them', async () => {
    names.push('t-vehicle-algo');
    file('v-algo.mjs', 'export default (seed, level, secret) => seed.map((b, i) => b ^ secret[i % secret.length]);');
    const path = join(dir, 'vehicle.yaml');
    writeFileSync(
      path,
      [
        'securityAlgorithms:',
        '  - { name: t-vehicle-algo, module: ./v-algo.mjs }',
        'ecus:',
        '  - address: 0x1010',
        '    security: [{ level: 1, algorithm: t-vehicle-algo, secret: { hex: "0102" } }]',
      ].join('\n'),
    );
    const cfg = await loadVehicleFile(path);
    expect(cfg.ecus[0]?.security.levels[0]?.algorithm).toBe('t-vehicle-algo');
  });

  it('names the file and the entry when a module cannot be loaded', async () => {
    const path = join(dir, 'broken.yaml');
    writeFileSync(path, 'securityAlgorithms:\n  - { name: t-broken, module: ./nowhere.mjs }\necus:\n  - address: 0x1010\n');
    await expect(loadVehicleFile(path)).rejects.toThrow(/broken\.yaml is invalid:\n {2}securityAlgorithms\.0: security algorithm "t-broken": cannot load module/);
  });
});
