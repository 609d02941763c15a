import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { crc32 } from '../../../src/core/crc.js';
import { ImageOverlapError } from '../../../src/firmware/errors.js';
import { buildSegments, createImage, dataRanges, gaps, highestAddress, lowestAddress, totalSize, type FirmwareImage } from '../../../src/firmware/image.js';
import {
  compareImages,
  crop,
  fillGaps,
  imageCrc32,
  mergeImages,
  offsetImage,
  segmentCrc32s,
  splitIntoSectorBlocks,
} from '../../../src/firmware/image-ops.js';

const b = (...v: number[]): Uint8Array => Uint8Array.from(v);
const img = (...segs: [number, number[]][]): FirmwareImage => createImage(segs.map(([address, d]) => ({ address, data: Uint8Array.from(d) })));
const flat = (i: FirmwareImage): [number, number[]][] => i.segments.map((s) => [s.address, [...s.data]]);

describe('buildSegments', () => {
  it('sorts pieces and coalesces adjacent ones', () => {
    const segs = buildSegments([
      { address: 0x20, data: b(3) },
      { address: 0x10, data: b(1) },
      { address: 0x11, data: b(2) },
      { address: 0x21, data: b(4, 5) },
    ]);
    expect(segs.map((s) => [s.address, [...s.data]])).toEqual([
      [0x10, [1, 2]],
      [0x20, [3, 4, 5]],
    ]);
  });

  it('names both places of an overlap', () => {
    const build = () =>
      buildSegments([
        { address: 0x100, data: b(1, 2, 3, 4), place: { file: 'a.s19', line: 2, column: 9 } },
        { address: 0x200, data: b(9), place: { file: 'a.s19', line: 3, column: 9 } },
        { address: 0x102, data: b(7), place: { file: 'a.s19', line: 4, column: 9 } },
      ]);
    expect(build).toThrow(ImageOverlapError);
    expect(build).toThrow('overlapping data at 0x00000102: a.s19:4:9 writes over data from a.s19:2:9');
    try {
      build();
    } catch (e) {
      expect((e as ImageOverlapError).code).toBe('UDSKIT_IMAGE_OVERLAP');
    }
  });

  it('names the exact record inside a coalesced run', () => {
    const pieces = [0, 1, 2, 3].map((k) => ({ address: k * 4, data: b(k, k, k, k), place: { line: k + 1 } }));
    expect(() => buildSegments([...pieces, { address: 9, data: b(0), place: { line: 9 } }])).toThrow('<input>:9 writes over data from <input>:3');
  });

  it('lets the later piece win with last-wins', () => {
    const segs = buildSegments(
      [
        { address: 0, data: b(1, 1, 1, 1) },
        { address: 2, data: b(2, 2, 2, 2) },
        { address: 1, data: b(3) },
      ],
      { overlap: 'last-wins' },
    );
    expect(segs.map((s) => [s.address, [...s.data]])).toEqual([[0, [1, 3, 2, 2, 2, 2]]]);
  });

  it('rejects data beyond 32 bits', () => {
    expect(() => buildSegments([{ address: 0xffffffff, data: b(1, 2) }])).toThrow(/32-bit address space/);
  });

  it('keeps segments sorted, disjoint and non-touching for any input (last-wins)', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ address: fc.integer({ min: 0, max: 300 }), data: fc.uint8Array({ maxLength: 20 }) })), (pieces) => {
        const segs = buildSegments(pieces, { overlap: 'last-wins' });
        const mem = new Map<number, number>();
        for (const p of pieces) p.data.forEach((v, i) => mem.set(p.address + i, v));
        let prevEnd = -1;
        let n = 0;
        for (const s of segs) {
          expect(s.address).toBeGreaterThan(prevEnd);
          expect(s.data.length).toBeGreaterThan(0);
          s.data.forEach((v, i) => expect(mem.get(s.address + i)).toBe(v));
          prevEnd = s.address + s.data.length;
          n += s.data.length;
        }
        expect(n).toBe(mem.size);
      }),
    );
  });
});

describe('image facts', () => {
  const i = img([0x10, [1, 2]], [0x20, [3]]);
  it('lowest, highest, size, ranges, gaps', () => {
    expect(lowestAddress(i)).toBe(0x10);
    expect(highestAddress(i)).toBe(0x20);
    expect(totalSize(i)).toBe(3);
    expect(dataRanges(i)).toEqual([{ start: 0x10, end: 0x12 }, { start: 0x20, end: 0x21 }]);
    expect(gaps(i)).toEqual([{ start: 0x12, end: 0x20 }]);
    expect(lowestAddress(img())).toBeUndefined();
    expect(highestAddress(img())).toBeUndefined();
  });
});

describe('image operations', () => {
  it('merges images, overlap is an error unless last-wins', () => {
    const a = { ...img([0, [1, 2]]), startAddress: 0x40 };
    expect(flat(mergeImages([a, img([2, [3]])]))).toEqual([[0, [1, 2, 3]]]);
    expect(mergeImages([a, img([2, [3]])]).startAddress).toBe(0x40);
    expect(() => mergeImages([a, img([1, [9]])])).toThrow(/image #1@0x1 writes over data from image #0@0x0/);
    expect(flat(mergeImages([a, img([1, [9]])], { overlap: 'last-wins' }))).toEqual([[0, [1, 9]]]);
  });

  it('fills gaps between segments, or within a range', () => {
    const i = img([2, [1]], [5, [2]]);
    expect(flat(fillGaps(i, 0xff))).toEqual([[2, [1, 0xff, 0xff, 2]]]);
    expect(flat(fillGaps(i, 0, { start: 0, end: 8 }))).toEqual([[0, [0, 0, 1, 0, 0, 2, 0, 0]]]);
    expect(flat(fillGaps(i, 0, { start: 3, end: 4 }))).toEqual([[2, [1, 0]], [5, [2]]]);
    expect(() => fillGaps(i, 256)).toThrow(/fill byte/);
  });

  it('crops to [start, end)', () => {
    const i = img([0, [1, 2, 3]], [10, [4, 5, 6]]);
    expect(flat(crop(i, 1, 11))).toEqual([[1, [2, 3]], [10, [4]]]);
    expect(flat(crop(i, 3, 10))).toEqual([]);
    expect(() => crop(i, 5, 4)).toThrow(/crop/);
  });

  it('offsets addresses, never outside 32 bits', () => {
    expect(flat(offsetImage(img([0x100, [1]]), -0x80))).toEqual([[0x80, [1]]]);
    expect(() => offsetImage(img([0x100, [1]]), -0x101)).toThrow(/outside/);
    expect(() => offsetImage(img([0xfffffff0, [1]]), 0x10)).toThrow(/outside/);
  });

  it('offsets the start address with the data, as srec_cat -offset', () => {
    // srec_cat in.s37 -offset 0x100 -o out.s37: S70500001004E6 (start 0x1004) becomes S70500001104E5 (0x1104).
    expect(offsetImage({ ...img([0x1000, [0xaa]]), startAddress: 0x1004 }, 0x100).startAddress).toBe(0x1104);
    expect(offsetImage({ ...img([0x1000, [0xaa]]), startAddress: 0x1004 }, -0x100).startAddress).toBe(0xf04);
    // An Intel 03 start segment becomes the linear start CS * 16 + IP + offset.
    const seg = offsetImage({ ...img([0x10, [1]]), startSegment: { cs: 0x1000, ip: 0x20 } }, 0x8);
    expect([seg.startAddress, seg.startSegment]).toEqual([0x10028, undefined]);
    expect(offsetImage(img([0x10, [1]]), 8).startAddress).toBeUndefined();
    expect(() => offsetImage({ ...img([0x100, [1]]), startAddress: 0x10 }, -0x11)).toThrow('offset -17 moves the start address 0x10 outside 0..0xFFFFFFFF');
  });

  it('splits into blocks aligned to a sector table', () => {
    const i = img([0x0ffe, [1, 2, 3, 4]], [0x3000, [5]]);
    const sectors = [
      { address: 0x1000, size: 0x1000 },
      { address: 0x0000, size: 0x1000 },
      { address: 0x2000, size: 0x2000 },
    ];
    expect(splitIntoSectorBlocks(i, sectors).map((x) => [x.address, [...x.data], x.sector])).toEqual([
      [0x0ffe, [1, 2], 1],
      [0x1000, [3, 4], 0],
      [0x3000, [5], 2],
    ]);
    expect(() => splitIntoSectorBlocks(i, [{ address: 0, size: 0x1000 }])).toThrow('data at 0x1000..0x1001 lies in no sector of the table');
    expect(() => splitIntoSectorBlocks(i, [{ address: 0, size: 0x10 }, { address: 8, size: 0x10 }])).toThrow(/overlaps/);
  });

  it('computes CRC-32 per segment and over all data', () => {
    const i = img([0, [0x31, 0x32, 0x33, 0x34]], [8, [0x35, 0x36, 0x37, 0x38, 0x39]]);
    expect(segmentCrc32s(i)).toEqual([crc32(b(0x31, 0x32, 0x33, 0x34)), crc32(b(0x35, 0x36, 0x37, 0x38, 0x39))]);
    // CRC-32 check value of "123456789" is 0xCBF43926.
    expect(imageCrc32(i)).toBe(0xcbf43926);
  });

  it('compares two images', () => {
    const a = img([0, [1, 2, 3, 4]], [0x10, [7]]);
    const c = img([2, [3, 9, 5]], [0x20, [8]]);
    const r = compareImages(a, c);
    expect(r.equal).toBe(false);
    expect(r.firstDifference).toEqual({ address: 3, a: 4, b: 9 });
    expect(r.differingBytes).toBe(1);
    expect(r.onlyInA).toEqual([{ start: 0, end: 2 }, { start: 0x10, end: 0x11 }]);
    expect(r.onlyInB).toEqual([{ start: 4, end: 5 }, { start: 0x20, end: 0x21 }]);
    expect(compareImages(a, img([0, [1, 2]], [2, [3, 4]], [0x10, [7]])).equal).toBe(true);
  });
});
