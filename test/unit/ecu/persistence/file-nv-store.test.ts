import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { FileNvStore, NVM_FILE } from '../../../../src/ecu/persistence/file-nv-store.js';
import { StateDirError } from '../../../../src/ecu/persistence/state-dir-error.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'udskit-nv-'));
  dirs.push(d);
  return d;
}

describe('FileNvStore', () => {
  it('creates the ECU directory, starts empty, and keeps every set across a reopen', () => {
    const ecuDir = join(tempDir(), 'state', '1010');
    const nv = FileNvStore.open(ecuDir);
    expect(nv.persistent).toBe(true);
    expect(nv.get('boot.appValid')).toBeUndefined();
    expect(readdirSync(ecuDir)).toEqual([]);
    nv.set('boot.appValid', true);
    nv.set('security', { failedAttempts: 2, delayMs: 0 });
    nv.set('dids', { F190: '57 55' });
    // Durable when set returns: a second store on the same directory (a restarted simulator) reads it.
    const again = FileNvStore.open(ecuDir);
    expect(again.get('boot.appValid')).toBe(true);
    expect(again.get('security')).toEqual({ failedAttempts: 2, delayMs: 0 });
    expect(again.keys()).toEqual(['boot.appValid', 'dids', 'security']);
    again.set('dids', undefined);
    expect(FileNvStore.open(ecuDir).get('dids')).toBeUndefined();
  });

  it('writes a documented JSON file, and nothing else', () => {
    const ecuDir = tempDir();
    const nv = FileNvStore.open(ecuDir);
    nv.set('b', [1, 'x', null]);
    nv.set('a', 1);
    expect(readdirSync(ecuDir)).toEqual([NVM_FILE]);
    expect(JSON.parse(readFileSync(join(ecuDir, NVM_FILE), 'utf8'))).toEqual({ format: 'udskit-nvm', version: 1, values: { a: 1, b: [1, 'x', null] } });
  });

  it('stores a copy: changing the object after set changes nothing', () => {
    const nv = FileNvStore.open(tempDir());
    const value = { list: [1, 2] };
    nv.set('k', value);
    value.list.push(3);
    expect(nv.get('k')).toEqual({ list: [1, 2] });
  });

  it('refuses values JSON cannot hold, and leaves the old value', () => {
    const nv = FileNvStore.open(tempDir());
    nv.set('n', 1);
    expect(() => nv.set('n', { x: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => nv.set('n', Infinity)).toThrow(/"n" holds Infinity/);
    expect(nv.get('n')).toBe(1);
  });

  it('a failed write is a StateDirError naming the file; the value is then not set', () => {
    const ecuDir = join(tempDir(), 'ecu');
    const nv = FileNvStore.open(ecuDir);
    nv.set('k', 1);
    rmSync(ecuDir, { recursive: true });
    const err = (() => {
      try {
        nv.set('k', 2);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(StateDirError);
    expect((err as StateDirError).code).toBe('UDSKIT_STATE_DIR');
    expect((err as Error).message).toContain(join(ecuDir, NVM_FILE));
    expect(nv.get('k')).toBe(1);
  });

  it('a corrupt file stops the open with a ConfigError naming it and what to do (never an empty store)', () => {
    const ecuDir = tempDir();
    writeFileSync(join(ecuDir, NVM_FILE), '{"format": "udskit-nvm", "version": 1, "values": {"a": tru');
    expect(() => FileNvStore.open(ecuDir)).toThrow(ConfigError);
    expect(() => FileNvStore.open(ecuDir)).toThrow(new RegExp(`${join(ecuDir, NVM_FILE).replace(/[.\\]/g, '\\$&')} is not valid JSON.*delete it`));
    writeFileSync(join(ecuDir, NVM_FILE), '{"values": {}}');
    expect(() => FileNvStore.open(ecuDir)).toThrow(/is not a udskit NV file/);
    writeFileSync(join(ecuDir, NVM_FILE), '[]');
    expect(() => FileNvStore.open(ecuDir)).toThrow(/is not a udskit NV file/);
  });

  it('a state directory that is a file is a ConfigError naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain-file'), 'x');
    expect(() => FileNvStore.open(join(dir, 'plain-file', '1010'))).toThrow(/state directory .*plain-file.*cannot be used/);
  });

  it('removes the temporary file a crash left next to nvm.json', () => {
    const ecuDir = tempDir();
    FileNvStore.open(ecuDir).set('k', 'v');
    writeFileSync(join(ecuDir, '.tmp-nvm.json-dead'), '{"format": "udsk');
    expect(FileNvStore.open(ecuDir).get('k')).toBe('v');
    expect(readdirSync(ecuDir)).toEqual([NVM_FILE]);
  });
});
