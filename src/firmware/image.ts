/**
 * The in-memory firmware image every format loads into (spec/firmware-formats.md): ordered,
 * non-overlapping, non-adjacent segments plus metadata. Pure, no I/O.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { ImageOverlapError, type SourcePlace } from './errors.js';

/** Highest address + 1 an image may hold (32-bit address space). */
export const ADDRESS_LIMIT = 0x1_0000_0000;

/** The file format an image was read from (or is meant for). */
export type FirmwareFormat = 'srecord' | 'intel-hex' | 'binary' | 'vbf';

/** A run of contiguous bytes at `address`. */
export interface Segment {
  readonly address: number;
  readonly data: Uint8Array;
}

/** A half-open address range `[start, end)`. */
export interface DataRange {
  readonly start: number;
  readonly end: number;
}

/** An Intel HEX start segment address (record type 03): CS:IP. */
export interface StartSegment {
  readonly cs: number;
  readonly ip: number;
}

/** A firmware image: segments sorted by address, never overlapping nor touching, plus metadata. */
export interface FirmwareImage {
  readonly segments: readonly Segment[];
  /** Source format, when read from a file. */
  readonly format?: FirmwareFormat;
  /** Header bytes: S-record S0 data, VBF header text. */
  readonly header?: Uint8Array;
  /** Execution start address: S7/S8/S9, Intel HEX 05, VBF `call`. */
  readonly startAddress?: number;
  /** Intel HEX 03 start segment address. */
  readonly startSegment?: StartSegment;
  /** Per-format fields (e.g. the parsed VBF header). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** A piece of data to place into an image, with where it came from (for overlap messages). */
export interface ImagePiece {
  readonly address: number;
  readonly data: Uint8Array;
  readonly place?: SourcePlace;
}

/** How to treat overlapping data: an {@link ImageOverlapError} (default) or the later piece wins. */
export type OverlapPolicy = 'error' | 'last-wins';

interface Chunk {
  readonly address: number;
  buf: Uint8Array;
  length: number;
  readonly index: number;
  /** Offsets (in the chunk) where each added piece starts, and its place. */
  readonly starts: number[];
  readonly places: (SourcePlace | undefined)[];
}

/**
 * Collects pieces (records) in file order and builds segments. Pieces that continue the previous one
 * are appended in place (amortised growth), so reading a 64 MiB file does not keep millions of objects.
 */
export class ImageBuilder {
  private readonly chunks: Chunk[] = [];
  private current: Chunk | undefined;
  private readonly overlap: OverlapPolicy;

  /** `overlap` defaults to `'error'`. */
  constructor(options: { overlap?: OverlapPolicy } = {}) {
    this.overlap = options.overlap ?? 'error';
  }

  /** Adds `data` at `address`. Throws {@link InvalidArgumentError} outside the 32-bit address space. */
  add(address: number, data: Uint8Array, place?: SourcePlace): void {
    if (!Number.isInteger(address) || address < 0 || address + data.length > ADDRESS_LIMIT) {
      throw new InvalidArgumentError(
        `data at address ${address} (${data.length} bytes) is outside the 32-bit address space 0..0xFFFFFFFF`,
        { address, length: data.length },
      );
    }
    if (data.length === 0) return;
    const cur = this.current;
    if (cur && cur.address + cur.length === address) {
      if (cur.length + data.length > cur.buf.length) {
        const grown = new Uint8Array(Math.max(cur.length + data.length, cur.buf.length * 2));
        grown.set(cur.buf.subarray(0, cur.length));
        cur.buf = grown;
      }
      cur.buf.set(data, cur.length);
      cur.starts.push(cur.length);
      cur.places.push(place);
      cur.length += data.length;
      return;
    }
    const chunk: Chunk = { address, buf: data.slice(), length: data.length, index: this.chunks.length, starts: [0], places: [place] };
    this.chunks.push(chunk);
    this.current = chunk;
  }

  /** Sorted, coalesced segments. Throws {@link ImageOverlapError} naming both places unless last-wins. */
  build(): Segment[] {
    const sorted = [...this.chunks].sort((a, b) => a.address - b.address || a.index - b.index);
    const out: Segment[] = [];
    let i = 0;
    while (i < sorted.length) {
      const first = sorted[i] as Chunk;
      let runEnd = first.address + first.length;
      let j = i + 1;
      let holder = first;
      while (j < sorted.length) {
        const next = sorted[j] as Chunk;
        if (next.address > runEnd) break;
        if (next.address < runEnd && this.overlap === 'error') {
          const [a, b] = holder.index < next.index ? [holder, next] : [next, holder];
          const addr = next.address;
          throw new ImageOverlapError(addr, placeAt(a, addr), placeAt(b, addr));
        }
        if (next.address + next.length > runEnd) {
          runEnd = next.address + next.length;
          holder = next;
        }
        j++;
      }
      if (j === i + 1) {
        out.push({ address: first.address, data: first.buf.length === first.length ? first.buf : first.buf.slice(0, first.length) });
      } else {
        const data = new Uint8Array(runEnd - first.address);
        // Later pieces (in file order) are written last, so they win on overlap.
        const run = sorted.slice(i, j).sort((a, b) => a.index - b.index);
        for (const c of run) data.set(c.buf.subarray(0, c.length), c.address - first.address);
        out.push({ address: first.address, data });
      }
      i = j;
    }
    return out;
  }
}

function placeAt(chunk: Chunk, address: number): SourcePlace | undefined {
  const off = address - chunk.address;
  let lo = 0;
  let hi = chunk.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((chunk.starts[mid] as number) <= off) lo = mid;
    else hi = mid - 1;
  }
  return chunk.places[lo];
}

/** Builds sorted, coalesced segments from pieces in any order (see {@link ImageBuilder}). */
export function buildSegments(pieces: Iterable<ImagePiece>, options: { overlap?: OverlapPolicy } = {}): Segment[] {
  const b = new ImageBuilder(options);
  for (const p of pieces) b.add(p.address, p.data, p.place);
  return b.build();
}

/** An image from pieces plus metadata (see {@link buildSegments}). */
export function createImage(
  pieces: Iterable<ImagePiece>,
  meta: Omit<FirmwareImage, 'segments'> = {},
  options: { overlap?: OverlapPolicy } = {},
): FirmwareImage {
  return { ...meta, segments: buildSegments(pieces, options) };
}

/** Lowest address holding data, or undefined for an empty image. */
export function lowestAddress(image: FirmwareImage): number | undefined {
  return image.segments[0]?.address;
}

/** Highest address holding data (inclusive), or undefined for an empty image. */
export function highestAddress(image: FirmwareImage): number | undefined {
  const last = image.segments[image.segments.length - 1];
  return last ? last.address + last.data.length - 1 : undefined;
}

/** Number of data bytes in the image (gaps not counted). */
export function totalSize(image: FirmwareImage): number {
  let n = 0;
  for (const s of image.segments) n += s.data.length;
  return n;
}

/** The data ranges `[start, end)` of the image, in address order. */
export function dataRanges(image: FirmwareImage): DataRange[] {
  return image.segments.map((s) => ({ start: s.address, end: s.address + s.data.length }));
}

/** The gaps between segments, `[start, end)`, in address order. */
export function gaps(image: FirmwareImage): DataRange[] {
  const out: DataRange[] = [];
  for (let i = 1; i < image.segments.length; i++) {
    const prev = image.segments[i - 1] as Segment;
    const cur = image.segments[i] as Segment;
    out.push({ start: prev.address + prev.data.length, end: cur.address });
  }
  return out;
}
