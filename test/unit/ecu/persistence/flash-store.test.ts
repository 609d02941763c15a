import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/core/errors.js';
import { MemoryNvStore } from '../../../../src/ecu/nv-store.js';
import type { AtomicWriteStep } from '../../../../src/ecu/persistence/atomic-file.js';
import { FLASH_CHUNK_SIZE, FlashStore, type FlashStoreOptions, type PersistedRegion } from '../../../../src/ecu/persistence/flash-store.js';
import { StateDirError } from '../../../../src/ecu/persistence/state-dir-error.js';
import { SparseMemory } from '../../../../src/ecu/sparse-memory.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'udskit-flash-'));
  dirs.push(d);
  return d;
}

/** 256 KiB app flash at 0x08000000; a 64 KiB calibration region that does not start on 64 KiB; RAM. */
const REGIONS: PersistedRegion[] = [
  { name: 'app', kind: 'flash', start: 0x0800_0000, size: 0x4_0000, erasedValue: 0xff },
  { name: 'cal', kind: 'flash', start: 0x0804_8000, size: 0x1_0000, erasedValue: 0x00 },
  { name: 'ram', kind: 'ram', start: 0x2000_0000, size: 0x1_0000, erasedValue: 0x00 },
];

/** Unwritten bytes read as their region's erased value (as MemoryMap.fill does), 0xFF outside. */
function fill(regions: readonly PersistedRegion[], address: number, out: Uint8Array): void {
  out.fill(0xff);
  for (const r of regions) {
    const a = Math.max(address, r.start);
    const b = Math.min(address + out.length, r.start + r.size);
    if (b > a) out.fill(r.erasedValue, a - address, b - address);
  }
}

/** A memory + store pair as an EcuRuntime wires them (fill from the map, onChange to markDirty). */
function open(ecuDir: string, regions = REGIONS, extra: Partial<FlashStoreOptions> = {}): { memory: SparseMemory; store: FlashStore } {
  const store = new FlashStore({ ecuDir, regions, ...extra });
  const memory = new SparseMemory({ fill: (a, out) => fill(regions, a, out), onChange: (a, n, u) => store.markDirty(a, n, u) });
  store.load(memory);
  return { memory, store };
}

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed + (i >> 8)) & 0xff);
}
const files = (ecuDir: string): string[] => readdirSync(join(ecuDir, 'flash')).sort();

describe('FlashStore', () => {
  it('writes one file per non-erased chunk, named by address, only on flush; RAM never', async () => {
    const ecuDir = tempDir();
    const { memory, store } = open(ecuDir);
    memory.write(0x0800_0010, pattern(100, 1));
    memory.write(0x0801_fff0, pattern(0x20, 2)); // straddles chunks 0x08010000 and 0x08020000
    memory.write(0x2000_0000, pattern(64, 3));
    expect(files(ecuDir)).toEqual([]);
    expect(store.dirtyChunks).toBe(3);
    await store.flush();
    expect(store.dirtyChunks).toBe(0);
    expect(files(ecuDir)).toEqual(['08000000.bin', '08010000.bin', '08020000.bin']);
    const first = readFileSync(join(ecuDir, 'flash', '08000000.bin'));
    expect(first.length).toBe(FLASH_CHUNK_SIZE);
    expect(first.subarray(0x10, 0x10 + 100)).toEqual(Buffer.from(pattern(100, 1)));
    expect(first[0]).toBe(0xff);
  });

  it('chunks of a region that does not start on 64 KiB are clipped to it', async () => {
    const ecuDir = tempDir();
    const { memory, store } = open(ecuDir);
    memory.write(0x0804_8000, Uint8Array.of(1));
    memory.write(0x0805_7fff, Uint8Array.of(2));
    await store.flush();
    expect(files(ecuDir)).toEqual(['08048000.bin', '08050000.bin']);
    expect(readFileSync(join(ecuDir, 'flash', '08048000.bin')).length).toBe(0x8000);
    expect(readFileSync(join(ecuDir, 'flash', '08050000.bin')).length).toBe(0x8000);
  });

  it('deletes the file of a chunk that is erased again', async () => {
    const ecuDir = tempDir();
    const { memory, store } = open(ecuDir);
    memory.write(0x0800_0000, pattern(0x20000, 4));
    await store.flush();
    expect(files(ecuDir)).toEqual(['08000000.bin', '08010000.bin']);
    memory.discard(0x0800_0000, 0x1_0000);
    memory.erase(0x0801_0000, 0x1_0000, 0xff);
    await store.flush();
    expect(files(ecuDir)).toEqual([]);
    expect(store.chunkFiles).toBe(0);
  });

  it('a chunk partly discarded keeps its other bytes on disk', async () => {
    const ecuDir = tempDir();
    const { memory, store } = open(ecuDir);
    const data = pattern(0x2000, 10);
    memory.write(0x0800_0000, data);
    await store.flush();
    memory.discard(0x0800_0000, 0x1000);
    await store.flush();
    const file = readFileSync(join(ecuDir, 'flash', '08000000.bin'));
    expect(file.subarray(0, 0x1000).every((x) => x === 0xff)).toBe(true);
    expect(new Uint8Array(file.subarray(0x1000, 0x2000))).toEqual(data.subarray(0x1000));
  });

  it('restores the content at the next start, sparse: uniform pages become single values again', async () => {
    const ecuDir = tempDir();
    const a = open(ecuDir);
    const code = pattern(5000, 5);
    a.memory.write(0x0800_1000, code);
    a.memory.erase(0x0802_0000, 0x3000, 0x00); // three pages of zeros
    a.memory.write(0x0804_8000, pattern(16, 6));
    a.memory.write(0x2000_0000, pattern(16, 7));
    a.store.flushSync();

    const b = open(ecuDir);
    expect(b.memory.read(0x0800_1000, code.length)).toEqual(code);
    expect(b.memory.read(0x0800_0000, 0x1000).every((x) => x === 0xff)).toBe(true);
    expect(b.memory.read(0x0802_0000, 0x3000).every((x) => x === 0)).toBe(true);
    expect(b.memory.read(0x0804_8000, 16)).toEqual(pattern(16, 6));
    expect(b.memory.read(0x2000_0000, 16).every((x) => x === 0)).toBe(true);
    // Two pages of code + one page of the calibration write; the zero pages cost nothing.
    expect(b.memory.usedBytes).toBe(3 * 4096);
    expect(b.store.dirtyChunks).toBe(0);
  });

  it('a 4 GiB region costs nothing on disk until written', async () => {
    const ecuDir = tempDir();
    const whole: PersistedRegion[] = [{ name: 'all', kind: 'flash', start: 0, size: 0x1_0000_0000, erasedValue: 0xff }];
    const { memory, store } = open(ecuDir, whole);
    memory.discard(0, 0x1_0000_0000);
    await store.flush();
    expect(files(ecuDir)).toEqual([]);
    memory.write(0xffff_fff0, pattern(16, 8));
    await store.flush();
    expect(files(ecuDir)).toEqual(['ffff0000.bin']);
    expect(open(ecuDir, whole).memory.read(0xffff_fff0, 16)).toEqual(pattern(16, 8));
  });

  it('an NV store ordered after it makes the flash durable before the NV value', () => {
    const ecuDir = tempDir();
    const { memory, store } = open(ecuDir);
    const nv = store.ordered(new MemoryNvStore());
    memory.write(0x0800_0000, pattern(32, 9));
    expect(files(ecuDir)).toEqual([]);
    nv.set('boot.appValid', true);
    expect(files(ecuDir)).toEqual(['08000000.bin']);
    expect(nv.get('boot.appValid')).toBe(true);
  });

  it('a flushSync during an async flush wins: the async copy taken earlier is not renamed over it', async () => {
    const ecuDir = tempDir();
    let inside = false;
    const late: { memory?: SparseMemory; store?: FlashStore } = {};
    const afterStep = (step: AtomicWriteStep): void => {
      if (step !== 'sync' || inside || !late.memory || !late.store) return;
      // The async flush has copied and written the old content; now the memory changes and is flushed synchronously.
      inside = true;
      late.memory.write(0x0800_0000, Uint8Array.of(0x22));
      late.store.flushSync();
    };
    const { memory, store } = open(ecuDir, REGIONS, { writeOptions: { afterStep } });
    Object.assign(late, { memory, store });
    memory.write(0x0800_0000, Uint8Array.of(0x11));
    await store.flush();
    expect(inside).toBe(true);
    expect(readFileSync(join(ecuDir, 'flash', '08000000.bin'))[0]).toBe(0x22);
    expect(readdirSync(join(ecuDir, 'flash'))).toEqual(['08000000.bin']);
  });

  it('a failed write rejects with a StateDirError, keeps the old file and the chunk dirty; the next flush writes it', async () => {
    const ecuDir = tempDir();
    let fail = false;
    const { memory, store } = open(ecuDir, REGIONS, {
      writeOptions: {
        afterStep: (step) => {
          if (fail && step === 'sync') throw new Error('EIO: simulated disk failure');
        },
      },
    });
    memory.write(0x0800_0000, Uint8Array.of(1));
    await store.flush();
    memory.write(0x0800_0001, Uint8Array.of(2));
    fail = true;
    const err = await store.flush().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StateDirError);
    expect((err as Error).message).toMatch(/08000000\.bin.*simulated disk failure/);
    expect(readFileSync(join(ecuDir, 'flash', '08000000.bin'))[1]).toBe(0xff);
    expect(store.dirtyChunks).toBe(1);
    expect(() => store.flushSync()).toThrow(StateDirError);
    fail = false;
    await store.flush();
    expect(readFileSync(join(ecuDir, 'flash', '08000000.bin'))[1]).toBe(2);
    expect(readdirSync(join(ecuDir, 'flash'))).toEqual(['08000000.bin']);
  });

  it('at start: removes temporary files, ignores unknown names, refuses chunks that do not fit the memory map', () => {
    const ecuDir = tempDir();
    mkdirSync(join(ecuDir, 'flash'), { recursive: true });
    writeFileSync(join(ecuDir, 'flash', '.tmp-08000000.bin-x'), 'half');
    writeFileSync(join(ecuDir, 'flash', 'README'), 'notes');
    open(ecuDir);
    expect(files(ecuDir)).toEqual(['README']);

    writeFileSync(join(ecuDir, 'flash', '08000000.bin'), Buffer.alloc(100));
    expect(() => open(ecuDir)).toThrow(ConfigError);
    expect(() => open(ecuDir)).toThrow(/08000000\.bin holds 100 bytes.*65536.*memory map changed/);
    rmSync(join(ecuDir, 'flash', '08000000.bin'));
    writeFileSync(join(ecuDir, 'flash', '20000000.bin'), Buffer.alloc(FLASH_CHUNK_SIZE));
    expect(() => open(ecuDir)).toThrow(/0x20000000 is not the start of a chunk of a persisted memory region/);
  });

  it('a flash directory that cannot be created is a ConfigError naming it', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => open(join(dir, 'file'))).toThrow(/state directory .*file.*flash cannot be used/);
  });
});
