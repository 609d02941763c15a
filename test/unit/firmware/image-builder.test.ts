import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { ImageOverlapError } from '../../../src/firmware/errors.js';
import { ImageBuilder } from '../../../src/firmware/image.js';

/**
 * ImageBuilder.addBytes (the readers' fast path: no copy of the record, places kept as runs of consecutive
 * lines) must build exactly what add() with one place object per piece builds, and name the same places.
 */
interface Rec {
  readonly address: number;
  readonly data: Uint8Array;
  readonly line: number;
  readonly column: number;
}

const records = fc
  .array(
    fc.record({
      // Mostly continuing the previous record, sometimes jumping (out of order, overlapping, gaps).
      jump: fc.option(fc.integer({ min: 0, max: 200 }), { nil: undefined, freq: 4 }),
      // Mostly records of one size, so that runs of consecutive records form.
      data: fc.oneof({ weight: 4, arbitrary: fc.uint8Array({ minLength: 8, maxLength: 8 }) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 20 }) }),
      skip: fc.oneof({ weight: 4, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.integer({ min: 2, max: 3 }) }),
      column: fc.oneof({ weight: 4, arbitrary: fc.constant(10) }, { weight: 1, arbitrary: fc.constantFrom(9, 13) }),
    }),
    { maxLength: 40 },
  )
  .map((xs) => {
    const out: Rec[] = [];
    let next = 0;
    let line = 0;
    for (const x of xs) {
      const address = x.jump ?? next;
      line += x.skip;
      out.push({ address, data: x.data, line, column: x.column });
      next = address + x.data.length;
    }
    return out;
  });

function build(recs: readonly Rec[], fast: boolean, overlap: 'error' | 'last-wins', file: string | undefined, hints: number[] = []): unknown {
  const b = new ImageBuilder({ overlap, ...(file !== undefined ? { file } : {}) });
  try {
    for (const [k, r] of recs.entries()) {
      const hint = hints[k];
      if (hint !== undefined) b.expect(hint);
      if (fast) {
        // The record sits inside a larger buffer, as in a reader's scratch buffer.
        const src = new Uint8Array(r.data.length + 7);
        src.set(r.data, 3);
        b.addBytes(r.address, src, 3, 3 + r.data.length, r.line, r.column);
      } else {
        b.add(r.address, r.data, { ...(file !== undefined ? { file } : {}), line: r.line, column: r.column });
      }
    }
    return b.build().map((s) => [s.address, [...s.data]]);
  } catch (e) {
    if (e instanceof ImageOverlapError) return { message: e.message, details: e.details };
    throw e;
  }
}

describe('ImageBuilder.addBytes', () => {
  it('builds the same segments and names the same places as add() with place objects', () => {
    fc.assert(
      fc.property(records, fc.constantFrom('error', 'last-wins') as fc.Arbitrary<'error' | 'last-wins'>, fc.option(fc.constant('a.hex'), { nil: undefined }), (recs, overlap, file) => {
        expect(build(recs, true, overlap, file)).toEqual(build(recs, false, overlap, file));
      }),
      { numRuns: 300 },
    );
  });

  it('size hints never change the result', () => {
    fc.assert(
      fc.property(records, fc.array(fc.integer({ min: -5, max: 5000 }), { maxLength: 40 }), (recs, hints) => {
        expect(build(recs, true, 'last-wins', 'f', hints)).toEqual(build(recs, true, 'last-wins', 'f'));
      }),
    );
  });

  it('a large run grows once to the hinted size instead of doubling', () => {
    const src = new Uint8Array(4096).fill(7);
    const fill = (b: ImageBuilder, total: number) => {
      for (let off = 0; off < total; off += 4096) b.addBytes(0x100000 + off, src, 0, 4096, 1 + off / 4096, 10);
    };
    const plain = new ImageBuilder();
    fill(plain, 3 << 20);
    expect(plain.build()[0]?.data.buffer.byteLength).toBe(4 << 20); // doubled: 1, 2, 4 MiB
    const hinted = new ImageBuilder();
    hinted.expect(9 << 20);
    fill(hinted, 3 << 20);
    const seg = hinted.build()[0];
    expect(seg?.data.length).toBe(3 << 20);
    expect(seg?.data.buffer.byteLength).toBeGreaterThanOrEqual(9 << 20); // one jump at 2 MiB to hold the rest
    expect(seg?.data.every((v) => v === 7)).toBe(true);
    expect(hinted.addedBytes).toBe(3 << 20);
  });

  it('names the exact line inside a run of records and after a change of record size', () => {
    const b = new ImageBuilder({ file: 'x.s19' });
    const src = new Uint8Array(64);
    for (let k = 0; k < 10; k++) b.addBytes(0x100 + k * 16, src, 0, 16, 2 + k, 9); // lines 2..11, 16 bytes each
    b.addBytes(0x1a0, src, 0, 8, 12, 9); // a shorter last record
    b.addBytes(0x1a8, src, 0, 8, 14, 9); // a blank line before it: a new run
    b.addBytes(0x1a9, src, 0, 1, 15, 9);
    expect(() => b.build()).toThrow('overlapping data at 0x000001A9: x.s19:15:9 writes over data from x.s19:14:9');
    const c = new ImageBuilder({ file: 'x.s19' });
    for (let k = 0; k < 10; k++) c.addBytes(0x100 + k * 16, src, 0, 16, 2 + k, 9);
    c.addBytes(0x175, src, 0, 2, 20, 9);
    expect(() => c.build()).toThrow('overlapping data at 0x00000175: x.s19:20:9 writes over data from x.s19:9:9');
    // Sizes 16, 8, 16 on consecutive lines: three runs; the overlap is in the third record.
    const d = new ImageBuilder({ file: 'x.s19' });
    d.addBytes(0x00, src, 0, 16, 1, 9);
    d.addBytes(0x10, src, 0, 8, 2, 9);
    d.addBytes(0x18, src, 0, 16, 3, 9);
    d.addBytes(0x1a, src, 0, 1, 5, 9);
    expect(() => d.build()).toThrow('overlapping data at 0x0000001A: x.s19:5:9 writes over data from x.s19:3:9');
  });

  it('checks the 32-bit address space like add()', () => {
    const b = new ImageBuilder();
    expect(() => b.addBytes(0xffffffff, new Uint8Array(2), 0, 2, 1, 1)).toThrow(InvalidArgumentError);
    expect(() => b.addBytes(-1, new Uint8Array(2), 0, 2, 1, 1)).toThrow(InvalidArgumentError);
    b.addBytes(0xfffffffe, Uint8Array.of(1, 2), 0, 2, 1, 1);
    b.addBytes(0x10, Uint8Array.of(9), 0, 0, 2, 1); // empty: nothing added
    expect(b.build().map((s) => [s.address, [...s.data]])).toEqual([[0xfffffffe, [1, 2]]]);
  });

  it('keeps large contiguous data in one segment without per-record buffers', () => {
    const b = new ImageBuilder();
    const src = Uint8Array.from({ length: 32 }, (_, i) => i);
    const n = 40_000; // 1.28 MB in 32-byte records
    for (let k = 0; k < n; k++) b.addBytes(0x08000000 + k * 32, src, 0, 32, k + 1, 10);
    const segs = b.build();
    expect(segs.length).toBe(1);
    expect(segs[0]?.data.length).toBe(n * 32);
    expect(segs[0]?.data[n * 32 - 1]).toBe(31);
  });
});
