import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { SparseMemory } from '../../../src/ecu/sparse-memory.js';
import { RangeCrc } from '../../../src/ecu/transfer-crc.js';

/** Lets the catch-ups scheduled with setImmediate run. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);
}

/** Writes `data` at `address` in blocks of `block` bytes, telling `crc` about each write. */
async function download(m: SparseMemory, crc: RangeCrc, address: number, data: Uint8Array, block: number, yieldEvery: number): Promise<void> {
  for (let at = 0, i = 0; at < data.length; at += block, i++) {
    const chunk = data.subarray(at, Math.min(at + block, data.length));
    m.write(address + at, chunk);
    crc.written(address + at, chunk.length);
    if (yieldEvery > 0 && i % yieldEvery === 0) await turn();
  }
}

describe('RangeCrc', () => {
  it('property: the running CRC equals the CRC of the range, whatever the block size and scheduling', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 70_000 }), fc.nat(3), fc.nat(5000), async (size, block, yieldEvery, offset) => {
        const m = new SparseMemory({ fill: 0xff });
        const data = pattern(size, size);
        const crc = new RangeCrc(m, offset, size);
        await download(m, crc, offset, data, block, yieldEvery);
        expect(crc.finish()).toBe(crc32(data));
      }),
      { numRuns: 60 },
    );
  });

  it('without other changes, 37 does not read the range again', async () => {
    const m = new SparseMemory({ fill: 0xff });
    const data = pattern(256 * 1024, 5);
    const crc = new RangeCrc(m, 0, data.length);
    await download(m, crc, 0, data, 65_534, 1);
    const scanned: number[] = [];
    const scan = m.scan.bind(m);
    m.scan = (address, length, visit) => {
      scanned.push(length);
      scan(address, length, visit);
    };
    expect(crc.finish()).toBe(crc32(data));
    expect(Math.max(0, ...scanned)).toBeLessThan(data.length);
  });

  it('a write by anybody else during the download: 37 reports the memory as it is', async () => {
    const m = new SparseMemory({ fill: 0xff });
    const data = pattern(100_000, 1);
    const crc = new RangeCrc(m, 0x1000, data.length);
    await download(m, crc, 0x1000, data.subarray(0, 50_000), 10_000, 1);
    m.write(0x1000 + 20, Uint8Array.of(0xaa, 0xbb)); // e.g. a WriteMemoryByAddress in between
    m.write(0x1000 + 50_000, data.subarray(50_000));
    crc.written(0x1000 + 50_000, 50_000);
    await turn();
    expect(crc.finish()).toBe(crc32(m.read(0x1000, data.length)));
    expect(crc.finish()).not.toBe(crc32(data));
  });

  it('a change after the last block (before 37) is seen too', async () => {
    const m = new SparseMemory({ fill: 0xff });
    const data = pattern(70_000, 2);
    const crc = new RangeCrc(m, 0, data.length);
    await download(m, crc, 0, data, 35_000, 1);
    await turn();
    m.erase(0, 4096, 0xff);
    expect(crc.finish()).toBe(crc32(m.read(0, data.length)));
  });

  it('upload: blocks read front to back keep the CRC; a change of memory in between is seen at 37', async () => {
    const m = new SparseMemory({ fill: 0xff });
    m.write(0x2000, pattern(50_000, 6));
    const up = new RangeCrc(m, 0x2000, 50_000);
    for (let at = 0; at < 50_000; at += 16_000) {
      up.read(0x2000 + at, Math.min(16_000, 50_000 - at));
      await turn();
    }
    expect(up.finish()).toBe(crc32(m.read(0x2000, 50_000)));

    const changed = new RangeCrc(m, 0x2000, 50_000);
    changed.read(0x2000, 25_000);
    await turn();
    m.write(0x2000 + 10, Uint8Array.of(1, 2, 3));
    changed.read(0x2000 + 25_000, 25_000);
    expect(changed.finish()).toBe(crc32(m.read(0x2000, 50_000)));
  });

  it('blocks not written front to back: falls back to reading the range', async () => {
    const m = new SparseMemory({ fill: 0xff });
    const data = pattern(8192, 3);
    const crc = new RangeCrc(m, 0, data.length);
    m.write(4096, data.subarray(4096));
    crc.written(4096, 4096);
    m.write(0, data.subarray(0, 4096));
    crc.written(0, 4096);
    expect(crc.finish()).toBe(crc32(data));
  });

  it('a range written only in part reports the unwritten rest as it reads (erased)', () => {
    const m = new SparseMemory({ fill: 0xff });
    const crc = new RangeCrc(m, 0, 8192);
    m.write(0, pattern(100, 4));
    crc.written(0, 100);
    expect(crc.finish()).toBe(crc32(m.read(0, 8192)));
  });
});
