/**
 * Flash content in the state directory (spec/bootloader-and-flashing.md "Persistence"): every region
 * that is not RAM survives a restart of the simulator. The directory `<ecu state dir>/flash/` holds one
 * file per 64 KiB chunk that holds something other than its region's erased value, named by the chunk's
 * start address (`08010000.bin`, 8 hex digits), with the chunk's raw bytes. A chunk is the part of a
 * 64 KiB-aligned window that lies inside one region, so a chunk file never mixes two regions and a
 * region that does not start on 64 KiB has a shorter first (and last) chunk. An erased chunk has no file:
 * an erased 4 GiB region costs nothing on disk either.
 *
 * Write-back: SparseMemory reports every change (`onChange`) to {@link FlashStore.markDirty}; the ECU
 * makes dirty chunks durable with {@link FlashStore.flush} before it answers 37 and after an erase, with
 * {@link FlashStore.flushSync} before any NV write (so a flag such as "app valid" is never on disk
 * before the flash it vouches for; {@link FlashStore.ordered}) and when it closes. Each chunk is
 * replaced atomically (temporary file, fsync, rename), the directory is fsync'ed once per flush: after a
 * crash every chunk holds the content of one flush or another, never a mix within a chunk.
 */
import { Buffer } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../core/errors.js';
import { hexNum } from '../../core/hex.js';
import type { MemoryRegionConfig } from '../config.js';
import type { NvStore } from '../nv-store.js';
import { PAGE_SIZE, type SparseMemory } from '../sparse-memory.js';
import {
  errnoOf,
  removeTempFilesSync,
  syncDirectory,
  syncDirectorySync,
  writeTempFile,
  writeTempFileSync,
  type AtomicWriteOptions,
} from './atomic-file.js';
import { StateDirError } from './state-dir-error.js';

/** Size of a chunk file's window (bytes); chunks are aligned to it. */
export const FLASH_CHUNK_SIZE = 0x1_0000;
/** Name of the flash directory inside an ECU's state directory. */
export const FLASH_DIR = 'flash';

/** A chunk file name: 8 lower-case hex digits of its start address and `.bin`. */
const CHUNK_NAME = /^([0-9a-f]{8})\.bin$/;

/** The memory region fields the store needs. */
export type PersistedRegion = Pick<MemoryRegionConfig, 'name' | 'kind' | 'start' | 'size' | 'erasedValue'>;

/** Options of a {@link FlashStore}. */
export interface FlashStoreOptions {
  /** The ECU's state directory (`ecuStateDirectory(stateDir, address)`); chunks go to `<ecuDir>/flash/`. */
  readonly ecuDir: string;
  /** The ECU's memory regions; every region whose kind is not `ram` is persisted. */
  readonly regions: readonly PersistedRegion[];
  /** Tests: passed to every atomic write (failure injection). */
  readonly writeOptions?: AtomicWriteOptions;
}

/** One chunk: `[start, start + length)` inside `region`. */
interface Chunk {
  readonly start: number;
  readonly length: number;
  readonly region: PersistedRegion;
}

/** What a flush does with one chunk. */
type ChunkPlan = { readonly kind: 'write'; readonly bytes: Uint8Array } | { readonly kind: 'delete' } | { readonly kind: 'none' };

/** Write-back persistence of an ECU's non-RAM memory regions (see the module doc). */
export class FlashStore {
  /** The directory of the chunk files. */
  readonly directory: string;
  private readonly regions: readonly PersistedRegion[];
  /**
   * Start addresses of chunks changed since they were last written; the value is false while every
   * change was a discard (the range reads as erased again), true once anything was written.
   */
  private readonly dirty = new Map<number, boolean>();
  /** Start addresses of chunks that have a file. */
  private readonly files = new Set<number>();
  /** Counts changes; a chunk copy taken at count N holds every change up to N. */
  private changes = 0;
  /** While an async flush runs: the change count of the newest copy of each chunk put on disk. */
  private readonly onDisk = new Map<number, number>();
  private memory: SparseMemory | undefined;
  private loading = false;
  private asyncRunning = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: FlashStoreOptions) {
    this.directory = join(options.ecuDir, FLASH_DIR);
    this.regions = options.regions.filter((r) => r.kind !== 'ram').sort((a, b) => a.start - b.start);
  }

  /** Chunks waiting to be written. */
  get dirtyChunks(): number {
    return this.dirty.size;
  }

  /** Chunk files on disk (as far as this store wrote or loaded them). */
  get chunkFiles(): number {
    return this.files.size;
  }

  /** The persisted regions (every region of the map whose kind is not `ram`). */
  get persistedRegions(): readonly PersistedRegion[] {
    return this.regions;
  }

  /**
   * Creates the directory if needed, removes temporary files of an interrupted flush, and restores every
   * chunk file into `memory` (pages whose bytes are all one value become that single value again, so the
   * memory stays sparse). From then on the store tracks `memory` (connect its `onChange` to
   * {@link markDirty}). Throws a {@link ConfigError} naming the directory or file when the state cannot
   * be used: not a directory, unreadable, or a chunk that does not fit the ECU's memory map.
   */
  load(memory: SparseMemory): void {
    this.memory = memory;
    let names: string[];
    try {
      const created = mkdirSync(this.directory, { recursive: true });
      if (created !== undefined) syncDirectorySync(dirname(this.directory));
      removeTempFilesSync(this.directory);
      names = readdirSync(this.directory).sort();
    } catch (e) {
      throw new ConfigError(`state directory ${this.directory} cannot be used: ${(e as Error).message}; give a directory udskit can create and write`, {
        path: this.directory,
        errno: errnoOf(e),
      });
    }
    this.loading = true;
    try {
      for (const name of names) {
        const m = CHUNK_NAME.exec(name);
        if (!m?.[1]) continue;
        this.loadChunk(memory, join(this.directory, name), parseInt(m[1], 16));
      }
    } finally {
      this.loading = false;
    }
  }

  /**
   * Records that `[address, address + length)` changed (the SparseMemory `onChange` hook); `unwritten`:
   * the range went back to its unwritten state (reads as the region's erased value).
   */
  markDirty(address: number, length: number, unwritten = false): void {
    if (this.loading || length <= 0) return;
    this.changes++;
    const end = address + length;
    for (const r of this.regions) {
      const a = Math.max(address, r.start);
      const b = Math.min(end, r.start + r.size);
      if (a >= b) continue;
      for (let w = Math.floor(a / FLASH_CHUNK_SIZE) * FLASH_CHUNK_SIZE; w < b; w += FLASH_CHUNK_SIZE) {
        const start = Math.max(w, r.start);
        if (!unwritten) this.dirty.set(start, true);
        else if (!this.dirty.has(start)) this.dirty.set(start, false);
      }
    }
  }

  /**
   * Writes every dirty chunk (async, one chunk after the other, each atomically), then fsyncs the
   * directory; resolves when all of them are durable. Calls are queued, so a flush started after a change
   * includes it. Rejects with a {@link StateDirError} when a write fails (the chunk stays dirty).
   */
  flush(): Promise<void> {
    const run = this.queue.catch(() => undefined).then(() => this.flushAsync());
    this.queue = run;
    return run;
  }

  /** {@link flush} synchronously: every change so far is durable when it returns. */
  flushSync(): void {
    if (this.dirty.size === 0) return;
    let touched = false;
    for (const [start, written] of [...this.dirty].sort(([a], [b]) => a - b)) {
      this.dirty.delete(start);
      const label = this.changes;
      try {
        // During an async flush a chunk without a file may have one in flight: look at its bytes.
        const plan = this.plan(start, written || this.asyncRunning);
        if (plan.kind === 'write') {
          const tmp = writeTempFileSync(this.fileOf(start), plan.bytes, this.options.writeOptions);
          touched = this.commit(start, label, plan, tmp) || touched;
        } else if (plan.kind === 'delete') {
          touched = this.commit(start, label, plan, undefined) || touched;
        } else if (this.asyncRunning) {
          this.onDisk.set(start, label);
        }
      } catch (e) {
        this.dirty.set(start, true);
        throw StateDirError.wrap('write', this.fileOf(start), e);
      }
    }
    if (touched) this.syncDir(() => syncDirectorySync(this.directory));
  }

  /**
   * An {@link NvStore} that makes the flash durable ({@link flushSync}) before every `set` of `nv`:
   * a value set after flash was programmed (e.g. the app-valid flag after FF01) never reaches the disk
   * before that flash content.
   */
  ordered(nv: NvStore): NvStore {
    return {
      persistent: nv.persistent,
      get: (key) => nv.get(key),
      set: (key, value) => {
        this.flushSync();
        nv.set(key, value);
      },
    };
  }

  private async flushAsync(): Promise<void> {
    if (this.dirty.size === 0) return;
    this.asyncRunning = true;
    let touched = false;
    try {
      for (const start of [...this.dirty.keys()].sort((a, b) => a - b)) {
        const written = this.dirty.get(start);
        // Written meanwhile by flushSync: nothing left to do for it.
        if (written === undefined) continue;
        this.dirty.delete(start);
        const label = this.changes;
        try {
          const plan = this.plan(start, written);
          if (plan.kind === 'write') {
            const tmp = await writeTempFile(this.fileOf(start), plan.bytes, this.options.writeOptions);
            touched = this.commit(start, label, plan, tmp) || touched;
          } else if (plan.kind === 'delete') {
            touched = this.commit(start, label, plan, undefined) || touched;
          }
        } catch (e) {
          this.dirty.set(start, true);
          throw StateDirError.wrap('write', this.fileOf(start), e);
        }
      }
      if (touched) await this.syncDirAsync();
    } finally {
      this.asyncRunning = false;
      this.onDisk.clear();
    }
  }

  /**
   * Puts a chunk's new state in place: renames `tmp` over the chunk file, or deletes it. Synchronous, so
   * that no other flush interleaves: a copy older than what a flushSync already put there (during an
   * async flush) is dropped. Returns true when the directory changed.
   */
  private commit(start: number, label: number, plan: ChunkPlan, tmp: string | undefined): boolean {
    if ((this.onDisk.get(start) ?? -1) >= label) {
      if (tmp !== undefined) rmSync(tmp, { force: true });
      return false;
    }
    if (this.asyncRunning) this.onDisk.set(start, label);
    const file = this.fileOf(start);
    if (plan.kind === 'write' && tmp !== undefined) {
      try {
        renameSync(tmp, file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
      this.options.writeOptions?.afterStep?.('rename', tmp);
      this.files.add(start);
      return true;
    }
    rmSync(file, { force: true });
    this.files.delete(start);
    return true;
  }

  /**
   * What a flush must do for the chunk at `start` now (a copy of its bytes when it is written).
   * `written` false: only discards since the last flush, so a chunk without a file is still erased.
   */
  private plan(start: number, written: boolean): ChunkPlan {
    const memory = this.memory;
    if (!memory) throw new StateDirError('flash store: load() was not called before flushing', { path: this.directory });
    const chunk = this.chunkAt(start);
    if (!chunk || (!written && !this.files.has(start))) return { kind: 'none' };
    if (memory.isErased(chunk.start, chunk.length, chunk.region.erasedValue)) return this.files.has(start) ? { kind: 'delete' } : { kind: 'none' };
    return { kind: 'write', bytes: memory.read(chunk.start, chunk.length) };
  }

  private syncDir(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      throw StateDirError.wrap('sync', this.directory, e);
    }
  }

  private async syncDirAsync(): Promise<void> {
    try {
      await syncDirectory(this.directory);
    } catch (e) {
      throw StateDirError.wrap('sync', this.directory, e);
    }
  }

  /** The chunk that starts at `start`, if `start` is a chunk start of a persisted region. */
  private chunkAt(start: number): Chunk | undefined {
    const region = this.regions.find((r) => start >= r.start && start < r.start + r.size);
    if (!region) return undefined;
    const window = Math.floor(start / FLASH_CHUNK_SIZE) * FLASH_CHUNK_SIZE;
    if (start !== Math.max(window, region.start)) return undefined;
    return { start, length: Math.min(window + FLASH_CHUNK_SIZE, region.start + region.size) - start, region };
  }

  private fileOf(start: number): string {
    return join(this.directory, `${start.toString(16).padStart(8, '0')}.bin`);
  }

  /** Restores one chunk file; a file that does not fit the memory map is a ConfigError. */
  private loadChunk(memory: SparseMemory, file: string, start: number): void {
    const chunk = this.chunkAt(start);
    const fix = `the ECU's memory map changed since this state was written; delete ${this.directory} (or the whole state directory) to start with erased flash`;
    if (!chunk) {
      throw new ConfigError(`${file}: ${hexNum(start, 8)} is not the start of a chunk of a persisted memory region; ${fix}`, { path: file });
    }
    let bytes: Buffer;
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      bytes = readFileSync(file);
    } catch (e) {
      throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`, { path: file, errno: errnoOf(e) });
    }
    if (bytes.length !== chunk.length) {
      throw new ConfigError(`${file} holds ${bytes.length} bytes, but the chunk at ${hexNum(start, 8)} of region "${chunk.region.name}" has ${chunk.length}; ${fix}`, {
        path: file,
      });
    }
    // Page by page: a page of one value is stored as that value (or not at all when it is the erased value).
    for (let at = 0; at < bytes.length; ) {
      const address = start + at;
      const n = Math.min(PAGE_SIZE - (address % PAGE_SIZE), bytes.length - at);
      const page = bytes.subarray(at, at + n);
      const v = page[0] ?? 0;
      if (uniform(page, v)) {
        if (v !== chunk.region.erasedValue) memory.erase(address, n, v);
      } else {
        memory.write(address, page);
      }
      at += n;
    }
    this.files.add(start);
  }
}

/** One buffer per value, to compare a page with natively. */
const filled = new Map<number, Buffer>();

/** True when every byte of `bytes` (at most a page) is `v`. */
function uniform(bytes: Buffer, v: number): boolean {
  let ref = filled.get(v);
  if (!ref) {
    ref = Buffer.alloc(PAGE_SIZE, v);
    filled.set(v, ref);
  }
  return bytes.equals(ref.subarray(0, bytes.length));
}
