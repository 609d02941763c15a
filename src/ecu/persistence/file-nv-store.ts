/**
 * The ECU's non-volatile key/value memory in the state directory: one JSON file
 * `<ecu state dir>/nvm.json`, loaded when the store opens and rewritten atomically (temporary file,
 * fsync, rename, directory fsync; atomic-file.ts) by every `set` before it returns
 * (spec/bootloader-and-flashing.md "Persistence"). The file reads
 *
 * ```json
 * { "format": "udskit-nvm", "version": 1, "values": { "dids": { "F190": "57 55 ..." }, "security": { ... } } }
 * ```
 *
 * A file that is not that (edited by hand, damaged) stops the start with a {@link ConfigError} naming it:
 * the store never silently starts empty over it.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, InvalidArgumentError } from '../../core/errors.js';
import type { NvStore, NvValue } from '../nv-store.js';
import { errnoOf, removeTempFilesSync, writeFileAtomicSync } from './atomic-file.js';
import { StateDirError } from './state-dir-error.js';

/** Name of the NV file inside an ECU's state directory. */
export const NVM_FILE = 'nvm.json';
/** `format` field of the file. */
const FORMAT = 'udskit-nvm';
/** `version` field of the file. */
const VERSION = 1;

/** What to tell the user about a file the store cannot use. */
const WHAT_TO_DO =
  'udskit writes this file atomically, so something else changed it; restore it from a copy, or delete it to start ' +
  'this ECU with empty non-volatile memory (bootloader flags, security attempt counters and written DIDs back to their defaults)';

/** An {@link NvStore} in `<ecuDir>/nvm.json`; open it with {@link FileNvStore.open}. */
export class FileNvStore implements NvStore {
  readonly persistent = true;

  private constructor(
    /** The JSON file. */
    readonly file: string,
    private values: ReadonlyMap<string, NvValue>,
  ) {}

  /**
   * Creates `ecuDir` if needed, removes temporary files an interrupted write left in it, and loads
   * `nvm.json` (none yet = empty). Throws a {@link ConfigError} naming the directory or the file when it
   * cannot be used or the file is not a valid NV file.
   */
  static open(ecuDir: string): FileNvStore {
    const file = join(ecuDir, NVM_FILE);
    try {
      mkdirSync(ecuDir, { recursive: true });
      removeTempFilesSync(ecuDir);
    } catch (e) {
      throw new ConfigError(`state directory ${ecuDir} cannot be used: ${(e as Error).message}; give a directory udskit can create and write`, {
        path: ecuDir,
        errno: errnoOf(e),
      });
    }
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return new FileNvStore(file, new Map());
      throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`, { path: file, errno: errnoOf(e) });
    }
    return new FileNvStore(file, parseNvFile(file, text));
  }

  get(key: string): NvValue | undefined {
    return this.values.get(key);
  }

  /** Every key with a value, sorted. */
  keys(): string[] {
    return [...this.values.keys()].sort();
  }

  /**
   * Sets (or with `undefined` removes) the value under `key` and rewrites the file atomically before
   * returning. Throws {@link InvalidArgumentError} for a value JSON cannot hold (NaN, Infinity) and
   * {@link StateDirError} when the file cannot be written (the value is then not set).
   */
  set(key: string, value: NvValue | undefined): void {
    const next = new Map(this.values);
    if (value === undefined) next.delete(key);
    else next.set(key, jsonCopy(key, value));
    const doc = { format: FORMAT, version: VERSION, values: Object.fromEntries([...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
    try {
      writeFileAtomicSync(this.file, new TextEncoder().encode(JSON.stringify(doc, null, 2) + '\n'));
    } catch (e) {
      throw StateDirError.wrap('write', this.file, e);
    }
    this.values = next;
  }
}

/** A deep copy of `value` through JSON, refusing what JSON would change (non-finite numbers). */
function jsonCopy(key: string, value: NvValue): NvValue {
  const text = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new InvalidArgumentError(`NV value of "${key}" holds ${v}, which JSON cannot store`, { key });
    }
    return v;
  });
  return JSON.parse(text) as NvValue;
}

/** The values of an NV file's text; a {@link ConfigError} naming `file` when it is not one. */
function parseNvFile(file: string, text: string): Map<string, NvValue> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON (${(e as Error).message}); ${WHAT_TO_DO}`, { path: file });
  }
  const o = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  const values = o?.['values'];
  if (!o || o['format'] !== FORMAT || o['version'] !== VERSION || typeof values !== 'object' || values === null || Array.isArray(values)) {
    throw new ConfigError(`${file} is not a udskit NV file (expected {"format": "${FORMAT}", "version": ${VERSION}, "values": {...}}); ${WHAT_TO_DO}`, {
      path: file,
    });
  }
  return new Map(Object.entries(values as Record<string, NvValue>));
}
