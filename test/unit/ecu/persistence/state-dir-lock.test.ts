import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/errors.js';
import { lockStateDir, STATE_DIR_LOCK_FILE } from '../../../../src/ecu/persistence/state-dir-lock.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'udskit-lock-'));
  dirs.push(d);
  return d;
}

describe('lockStateDir', () => {
  it('writes the process id, refuses a second simulator while held, and is free again after release', () => {
    const dir = join(tempDir(), 'state');
    const lock = lockStateDir(dir);
    expect(readFileSync(join(dir, STATE_DIR_LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(() => lockStateDir(dir)).toThrow(ConfigError);
    expect(() => lockStateDir(dir)).toThrow(/in use by another udskit simulator \(process \d+, this one\).*another --state-dir/);
    lock.release();
    lock.release();
    expect(existsSync(join(dir, STATE_DIR_LOCK_FILE))).toBe(false);
    lockStateDir(dir).release();
  });

  it('takes over the lock of a simulator that is gone (killed) or an unreadable lock file', () => {
    const dir = tempDir();
    // Linux: no process has this id (pid_max is at most 2^22).
    writeFileSync(join(dir, STATE_DIR_LOCK_FILE), '2147483646\n');
    const a = lockStateDir(dir);
    expect(readFileSync(a.file, 'utf8').trim()).toBe(String(process.pid));
    a.release();
    writeFileSync(join(dir, STATE_DIR_LOCK_FILE), 'not a pid');
    lockStateDir(dir).release();
  });

  it('release leaves a lock another process took over in place', () => {
    const dir = tempDir();
    const lock = lockStateDir(dir);
    writeFileSync(lock.file, '1\n');
    lock.release();
    expect(readFileSync(lock.file, 'utf8')).toBe('1\n');
  });
});
