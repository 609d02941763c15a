/** Operations on {@link FirmwareImage}s: merge, fill, crop, offset, sector blocks, CRC32, compare. Pure. */
import { crc32 } from '../core/crc.js';
import { InvalidArgumentError } from '../core/errors.js';
import { ADDRESS_LIMIT, ImageBuilder, type DataRange, type FirmwareImage, type OverlapPolicy, type Segment } from './image.js';

function checkRange(start: number, end: number, what: string): void {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > ADDRESS_LIMIT || start > end) {
    throw new InvalidArgumentError(`${what}: range ${start}..${end} must satisfy 0 <= start <= end <= 0x100000000`, { start, end });
  }
}

/**
 * Merges images in order; metadata comes from the first image, a start address from the first image that
 * has one. Overlap is an ImageOverlapError naming `image #i @address` unless `overlap: 'last-wins'`.
 */
export function mergeImages(images: readonly FirmwareImage[], options: { overlap?: OverlapPolicy } = {}): FirmwareImage {
  const b = new ImageBuilder(options);
  images.forEach((img, i) => {
    for (const s of img.segments) b.add(s.address, s.data, { file: `image #${i}`, offset: s.address });
  });
  const first = images[0];
  const start = images.find((im) => im.startAddress !== undefined)?.startAddress;
  const seg = images.find((im) => im.startSegment !== undefined)?.startSegment;
  return {
    ...(first ?? {}),
    ...(start !== undefined ? { startAddress: start } : {}),
    ...(seg !== undefined ? { startSegment: seg } : {}),
    segments: b.build(),
  };
}

/**
 * Fills gaps with `fill` (0..255). Without a range, fills between the lowest and highest address (one
 * segment results). With `range` `[start, end)`, every address of the range without data is filled
 * (including before the first and after the last segment); data outside the range is kept.
 */
export function fillGaps(image: FirmwareImage, fill: number, range?: DataRange): FirmwareImage {
  if (!Number.isInteger(fill) || fill < 0 || fill > 0xff) throw new InvalidArgumentError(`fill byte must be 0..255, got ${fill}`, { fill });
  const segs = image.segments;
  const first = segs[0];
  const last = segs[segs.length - 1];
  const r = range ?? (first && last ? { start: first.address, end: last.address + last.data.length } : undefined);
  if (!r) return image;
  checkRange(r.start, r.end, 'fillGaps');
  const b = new ImageBuilder();
  let cursor = r.start;
  for (const s of segs) {
    if (s.address > cursor && cursor < r.end) b.add(cursor, new Uint8Array(Math.min(s.address, r.end) - cursor).fill(fill));
    b.add(s.address, s.data);
    cursor = Math.max(cursor, s.address + s.data.length);
  }
  if (cursor < r.end) b.add(cursor, new Uint8Array(r.end - cursor).fill(fill));
  return { ...image, segments: b.build() };
}

/** Keeps only the bytes in `[start, end)`. */
export function crop(image: FirmwareImage, start: number, end: number): FirmwareImage {
  checkRange(start, end, 'crop');
  const out: Segment[] = [];
  for (const s of image.segments) {
    const a = Math.max(s.address, start);
    const e = Math.min(s.address + s.data.length, end);
    if (a < e) out.push({ address: a, data: s.data.subarray(a - s.address, e - s.address) });
  }
  return { ...image, segments: out };
}

/**
 * Moves every segment and the execution start address by `delta` bytes (may be negative), as srec_cat's
 * `-offset` does: `srec_cat in.s37 -offset 0x100 -o out.s37` turns `S70500001004E6` into `S70500001104E5`.
 * An Intel 03 start segment becomes the linear start address CS * 16 + IP + delta (as srec_cat reads it).
 * Throws InvalidArgumentError when data or the start address would leave 0..0xFFFFFFFF.
 */
export function offsetImage(image: FirmwareImage, delta: number): FirmwareImage {
  if (!Number.isInteger(delta)) throw new InvalidArgumentError(`offset must be an integer, got ${delta}`, { delta });
  const out = image.segments.map((s) => ({ address: s.address + delta, data: s.data }));
  const lo = out[0];
  const hi = out[out.length - 1];
  if ((lo && lo.address < 0) || (hi && hi.address + hi.data.length > ADDRESS_LIMIT)) {
    throw new InvalidArgumentError(`offset ${delta} moves data outside the 32-bit address space 0..0xFFFFFFFF`, { delta });
  }
  const { startAddress, startSegment, ...rest } = image;
  const start = startAddress ?? (startSegment ? startSegment.cs * 16 + startSegment.ip : undefined);
  if (start === undefined) return { ...rest, segments: out };
  const moved = start + delta;
  if (moved < 0 || moved >= ADDRESS_LIMIT) {
    throw new InvalidArgumentError(`offset ${delta} moves the start address 0x${start.toString(16).toUpperCase()} outside 0..0xFFFFFFFF`, { delta, startAddress: start });
  }
  return { ...rest, segments: out, startAddress: moved };
}

/** A flash sector (erase unit): `[address, address + size)`. */
export interface Sector {
  readonly address: number;
  readonly size: number;
}

/** A block of data that lies inside one sector. */
export interface SectorBlock extends Segment {
  /** Index of the sector in the table given to {@link splitIntoSectorBlocks}. */
  readonly sector: number;
}

/**
 * Splits the image into blocks that never cross a sector boundary, in address order. Data outside every
 * sector is an InvalidArgumentError naming the range (the flash job cannot write it).
 */
export function splitIntoSectorBlocks(image: FirmwareImage, sectors: readonly Sector[]): SectorBlock[] {
  const table = sectors.map((s, i) => ({ ...s, i })).sort((a, b) => a.address - b.address);
  for (let k = 0; k < table.length; k++) {
    const s = table[k] as (typeof table)[number];
    checkRange(s.address, s.address + s.size, `sector #${s.i}`);
    const prev = table[k - 1];
    if (prev && prev.address + prev.size > s.address) {
      throw new InvalidArgumentError(`sector #${s.i} at 0x${s.address.toString(16)} overlaps sector #${prev.i}`, { sector: s.i });
    }
  }
  const out: SectorBlock[] = [];
  let k = 0;
  for (const seg of image.segments) {
    let addr = seg.address;
    const end = seg.address + seg.data.length;
    while (addr < end) {
      while (k < table.length && (table[k] as (typeof table)[number]).address + (table[k] as (typeof table)[number]).size <= addr) k++;
      const s = table[k];
      if (!s || s.address > addr) {
        const stop = s ? Math.min(s.address, end) : end;
        throw new InvalidArgumentError(
          `data at 0x${addr.toString(16).toUpperCase()}..0x${(stop - 1).toString(16).toUpperCase()} lies in no sector of the table`,
          { start: addr, end: stop },
        );
      }
      const e = Math.min(end, s.address + s.size);
      out.push({ address: addr, data: seg.data.subarray(addr - seg.address, e - seg.address), sector: s.i });
      addr = e;
    }
  }
  return out;
}

/** CRC-32 (zlib) of each segment's data, in segment order. */
export function segmentCrc32s(image: FirmwareImage): number[] {
  return image.segments.map((s) => crc32(s.data));
}

/** CRC-32 (zlib) over the data of all segments in address order (gaps are not part of it). */
export function imageCrc32(image: FirmwareImage): number {
  let c = 0;
  for (const s of image.segments) c = crc32(s.data, c);
  return c;
}

/** Result of {@link compareImages}. */
export interface ImageComparison {
  /** Same addresses and same bytes (metadata is not compared). */
  readonly equal: boolean;
  /** Lowest address present in both with different bytes. */
  readonly firstDifference?: { readonly address: number; readonly a: number; readonly b: number };
  /** Number of addresses present in both with different bytes. */
  readonly differingBytes: number;
  /** Ranges holding data only in A / only in B. */
  readonly onlyInA: DataRange[];
  readonly onlyInB: DataRange[];
}

function subtract(x: readonly Segment[], y: readonly Segment[]): DataRange[] {
  const out: DataRange[] = [];
  let j = 0;
  for (const s of x) {
    let cur = s.address;
    const end = s.address + s.data.length;
    while (j < y.length && (y[j] as Segment).address + (y[j] as Segment).data.length <= cur) j++;
    let k = j;
    while (cur < end) {
      const o = y[k];
      if (!o || o.address >= end) {
        out.push({ start: cur, end });
        break;
      }
      if (o.address > cur) out.push({ start: cur, end: o.address });
      cur = Math.max(cur, o.address + o.data.length);
      k++;
    }
  }
  return out;
}

/**
 * Calls `visit` for every address range `[lo, hi)` where a segment of `a` and a segment of `b` overlap, in
 * address order (segments sorted and not overlapping within each image). Linear in the number of segments.
 */
export function forEachOverlap(a: FirmwareImage, b: FirmwareImage, visit: (sa: Segment, sb: Segment, lo: number, hi: number) => void): void {
  let j = 0;
  for (const sa of a.segments) {
    const ea = sa.address + sa.data.length;
    while (j < b.segments.length && (b.segments[j] as Segment).address + (b.segments[j] as Segment).data.length <= sa.address) j++;
    for (let k = j; k < b.segments.length; k++) {
      const sb = b.segments[k] as Segment;
      if (sb.address >= ea) break;
      visit(sa, sb, Math.max(sa.address, sb.address), Math.min(ea, sb.address + sb.data.length));
    }
  }
}

/** Compares the data of two images: first difference, number of differing bytes, ranges only in one. */
export function compareImages(a: FirmwareImage, b: FirmwareImage): ImageComparison {
  let first: ImageComparison['firstDifference'];
  let differing = 0;
  forEachOverlap(a, b, (sa, sb, lo, hi) => {
    for (let addr = lo; addr < hi; addr++) {
      const va = sa.data[addr - sa.address] as number;
      const vb = sb.data[addr - sb.address] as number;
      if (va !== vb) {
        differing++;
        if (!first) first = { address: addr, a: va, b: vb };
      }
    }
  });
  const onlyInA = subtract(a.segments, b.segments);
  const onlyInB = subtract(b.segments, a.segments);
  return {
    equal: differing === 0 && onlyInA.length === 0 && onlyInB.length === 0,
    ...(first ? { firstDifference: first } : {}),
    differingBytes: differing,
    onlyInA,
    onlyInB,
  };
}
