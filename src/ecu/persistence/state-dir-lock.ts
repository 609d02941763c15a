/**
 * One simulator per state directory: two processes writing the same flash chunks and NV file would mix
 * their states. `<stateDir>/udskit.lock` holds the process id of the simulator using the directory; a
 * lock whose process is gone (the simulator was killed) is taken over, a live one refuses the start.
 */
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { errnoOf } from './atomic-file.js';
import { StateDirError } from './state-dir-error.js';

/** The lock file's name in the state directory. */
export const STATE_DIR_LOCK_FILE = 'udskit.lock';

/** A held lock on a state directory. */
export interface StateDirLock {
  /** The lock file. */
  readonly file: string;
  /** Gives the directory up (removes the lock file if it is still ours). Idempotent. */
  release(): void;
}

/** True when a process with id `pid` exists (signal 0 only checks). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user.
    return errnoOf(e) === 'EPERM';
  }
}

/**
 * Takes the lock of `stateDir` (created if missing) for this process. Throws a ConfigError naming the
 * other process when a live simulator holds it, a StateDirError when the directory cannot be written.
 */
export function lockStateDir(stateDir: string): StateDirLock {
  const file = join(stateDir, STATE_DIR_LOCK_FILE);
  try {
    mkdirSync(stateDir, { recursive: true });
  } catch (e) {
    throw StateDirError.wrap('create', stateDir, e);
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      try {
        writeSync(fd, `${process.pid}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        file,
        release: () => {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            // Already gone: nothing to give up.
          }
        },
      };
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw StateDirError.wrap('create the lock file', file, e);
    }
    let holder = Number.NaN;
    try {
      holder = Number(readFileSync(file, 'utf8').trim());
    } catch {
      // Removed meanwhile: try again.
    }
    if (Number.isInteger(holder) && holder > 0 && processExists(holder)) {
      throw new ConfigError(
        `state directory ${stateDir} is in use by another udskit simulator (process ${holder}${holder === process.pid ? ', this one' : ''}); stop that one, or give this one another --state-dir`,
        { stateDir, pid: holder },
      );
    }
    // The holder is gone (killed, crashed) or the file is unreadable: the lock is stale, take it over.
    try {
      unlinkSync(file);
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') throw StateDirError.wrap('remove the stale lock file', file, e);
    }
  }
  throw new StateDirError(`state directory: could not take the lock ${file}; another process keeps creating it`, { path: file });
}
