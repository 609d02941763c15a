import { describe, it, expect } from 'vitest';
import { createImage, type FirmwareImage } from '../../../src/firmware/image.js';
import { diffImages, DIFF_SAMPLE_BYTES } from '../../../src/firmware/image-diff.js';
import { parseCropRange, transformImage } from '../../../src/firmware/image-transform.js';

const img = (...segs: [number, number[]][]): FirmwareImage => createImage(segs.map(([address, d]) => ({ address, data: Uint8Array.from(d) })));
const flat = (i: FirmwareImage): [number, number[]][] => i.segments.map((s) => [s.address, [...s.data]]);

describe('transformImage (srec_cat semantics)', () => {
  const base = { ...img([0x10, [1, 2, 3]], [0x20, [4]]), startAddress: 0x11 };

  it('crop [A, B): end exclusive; the start address is dropped when outside', () => {
    const c = transformImage(base, { crop: { start: 0x11, end: 0x20 } });
    expect(flat(c)).toEqual([[0x11, [2, 3]]]);
    expect(c.startAddress).toBe(0x11);
    expect(transformImage(base, { crop: { start: 0x12, end: 0x21 } }).startAddress).toBeUndefined();
    expect(transformImage({ ...img([0, [1]]), startSegment: { cs: 0, ip: 0x40 } }, { crop: { start: 0, end: 0x10 } }).startSegment).toBeUndefined();
  });

  it('fill between the lowest and highest address, after the crop', () => {
    expect(flat(transformImage(base, { fill: 0xee }))).toEqual([[0x10, [1, 2, 3, ...Array<number>(13).fill(0xee), 4]]]);
    expect(flat(transformImage(base, { crop: { start: 0, end: 0x13 }, fill: 0 }))).toEqual([[0x10, [1, 2, 3]]]);
  });

  it('offset moves the data and the start address (a CS:IP start becomes linear), then --exec-start sets it', () => {
    const o = transformImage(base, { offset: -0x10 });
    expect(flat(o)).toEqual([[0, [1, 2, 3]], [0x10, [4]]]);
    expect(o.startAddress).toBe(1);
    const seg = transformImage({ ...img([0, [1]]), startSegment: { cs: 0x1000, ip: 4 } }, { offset: 0x100 });
    expect([seg.startAddress, seg.startSegment]).toEqual([0x10104, undefined]);
    expect(transformImage(base, { offset: 1, startAddress: 0x99 }).startAddress).toBe(0x99);
    expect(() => transformImage(base, { offset: -0x11 })).toThrow(/outside/);
    expect(() => transformImage({ ...img([0x100, [1]]), startAddress: 0 }, { offset: -1 })).toThrow(/moves the start address 0x0 outside/);
    expect(() => transformImage(base, { startAddress: 2 ** 32 })).toThrow(/start address must be/);
  });

  it('parseCropRange: A:B, A: to the end, K suffix; errors say the form', () => {
    expect(parseCropRange('0x1000:0x2000')).toEqual({ start: 0x1000, end: 0x2000 });
    expect(parseCropRange('4K:8k')).toEqual({ start: 4096, end: 8192 });
    expect(parseCropRange('0x10:')).toEqual({ start: 0x10, end: 0x100000000 });
    for (const bad of ['0x2000:0x1000', '5', 'a:b', '0:0x100000001', '1:1']) expect(() => parseCropRange(bad), bad).toThrow(/--crop must be START:END/);
  });
});

describe('diffImages', () => {
  it('identical data in different segmentations is identical', () => {
    const a = createImage([{ address: 0, data: Uint8Array.of(1, 2, 3, 4) }]);
    const b = createImage([{ address: 2, data: Uint8Array.of(3, 4) }, { address: 0, data: Uint8Array.of(1, 2) }]);
    expect(diffImages(a, b)).toMatchObject({ identical: true, differing: [], differingBytes: 0, onlyInA: [], onlyInB: [], startDiffers: false });
  });

  it('runs of differing bytes with their first bytes, ranges only in A or B, start addresses', () => {
    const a = { ...img([0x10, [1, 2, 3, 4, 5, 6]], [0x100, Array.from({ length: 20 }, () => 0)]), startAddress: 1 };
    const b = { ...img([0x12, [9, 9, 5, 7]], [0x100, Array.from({ length: 20 }, () => 1)], [0x200, [1]]), startAddress: 2 };
    const d = diffImages(a, b);
    expect(d.identical).toBe(false);
    expect(d.differing.map((r) => [r.start, r.end, [...r.a], [...r.b]])).toEqual([
      [0x12, 0x14, [3, 4], [9, 9]],
      [0x15, 0x16, [6], [7]],
      [0x100, 0x114, Array<number>(DIFF_SAMPLE_BYTES).fill(0), Array<number>(DIFF_SAMPLE_BYTES).fill(1)],
    ]);
    expect(d.differingBytes).toBe(23);
    expect(d.onlyInA).toEqual([{ start: 0x10, end: 0x12 }]);
    expect(d.onlyInB).toEqual([{ start: 0x200, end: 0x201 }]);
    expect([d.startA, d.startB, d.startDiffers]).toEqual([1, 2, true]);
  });

  it('a different start address alone makes the files different unless ignored', () => {
    const a = { ...img([0, [1]]), startAddress: 1 };
    expect(diffImages(a, img([0, [1]])).identical).toBe(false);
    expect(diffImages(a, img([0, [1]]), { ignoreStart: true }).identical).toBe(true);
    expect(diffImages(a, { ...img([0, [1]]), startSegment: { cs: 0, ip: 1 } }).identical).toBe(true);
  });

  it('differing runs stop at gaps', () => {
    const split = diffImages(img([0, [1, 1, 1]]), img([0, [2]], [2, [2]]));
    expect(split.differing.map((r) => [r.start, r.end])).toEqual([[0, 1], [2, 3]]);
    expect(split.onlyInA).toEqual([{ start: 1, end: 2 }]);
    expect(split.differingBytes).toBe(2);
  });
});
