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

/**
 * Where the pieces of a chunk came from: `count` pieces of `size` bytes each from `start` (offset in the
 * chunk), either one piece with an explicit `place`, or text records on consecutive lines from `line`, all
 * at `column`. A regular file needs a handful of runs per segment, not one object per record.
 */
interface Run {
  readonly start: number;
  readonly size: number;
  count: number;
  readonly line: number;
  readonly column: number;
  readonly place: SourcePlace | undefined;
}

interface Chunk {
  readonly address: number;
  buf: Uint8Array;
  length: number;
  readonly index: number;
  readonly runs: Run[];
}

/** Capacity of a chunk's buffer once it grows beyond its first piece. */
const MIN_GROWN_CAPACITY = 4096;
/** Chunks at least this large grow straight to the size {@link ImageBuilder.expect} announces, not by doubling. */
const HINT_FROM = 1024 * 1024;
/** Largest buffer a size hint may ask for at once (beyond it, chunks keep doubling). */
const MAX_HINTED_CAPACITY = 2 ** 31;
/**
 * A segment keeps its chunk's buffer (as a view, no copy) when the spare room is at most 1/8 of its length or
 * the buffer is at least this large: the untouched tail of a large buffer (doubled, or sized by a hint) costs
 * address space, not memory, and a copy would raise the peak. Smaller buffers with more room are trimmed.
 */
const KEEP_BUFFER_FROM = 4 * 1024 * 1024;

/**
 * Collects pieces (records) in file order and builds segments. Pieces that continue the previous one are
 * appended into one growable buffer per run of contiguous data (amortised doubling), and their origins are
 * kept as runs of consecutive records, so reading a 64 MiB file keeps neither millions of buffers nor
 * millions of place objects; overlap errors still name the exact record.
 */
export class ImageBuilder {
  private readonly chunks: Chunk[] = [];
  private current: Chunk | undefined;
  private readonly overlap: OverlapPolicy;
  private readonly file: string | undefined;
  private added = 0;
  private expected = 0;
  private addedAtHint = 0;

  /** `overlap` defaults to `'error'`; `file` names the source in the places of {@link addBytes}. */
  constructor(options: { overlap?: OverlapPolicy; file?: string } = {}) {
    this.overlap = options.overlap ?? 'error';
    this.file = options.file;
  }

  /**
   * A sizing hint: about `bytes` more data bytes will follow (a reader's estimate from the input still to
   * come). A run of contiguous data that passes 1 MiB then grows once to hold them all instead of doubling
   * again and again, so a large segment is not copied repeatedly and leaves no trail of old buffers.
   * Only ever makes a buffer larger than doubling would; a wrong hint costs address space, not correctness.
   */
  expect(bytes: number): void {
    this.expected = Number.isFinite(bytes) && bytes > 0 ? Math.floor(bytes) : 0;
    this.addedAtHint = this.added;
  }

  /** Data bytes added so far (overlapping bytes counted each time). */
  get addedBytes(): number {
    return this.added;
  }

  /** Adds `data` at `address`. Throws {@link InvalidArgumentError} outside the 32-bit address space. */
  add(address: number, data: Uint8Array, place?: SourcePlace): void {
    const n = data.length;
    const at = this.reserve(address, n);
    if (at < 0) return;
    const cur = this.current as Chunk;
    cur.buf.set(data, at);
    cur.runs.push({ start: at, size: n, count: 1, line: 0, column: 0, place });
    cur.length = at + n;
  }

  /**
   * Adds `src[from, to)` at `address`, read from `line`:`column` of the builder's file (the fast path of the
   * text readers: no copy of the record, no place object). Same address checks as {@link add}.
   */
  addBytes(address: number, src: Uint8Array, from: number, to: number, line: number, column: number): void {
    const n = to - from;
    const at = this.reserve(address, n);
    if (at < 0) return;
    const cur = this.current as Chunk;
    const buf = cur.buf;
    if (n <= 64) {
      for (let i = 0; i < n; i++) buf[at + i] = src[from + i] as number;
    } else {
      buf.set(src.subarray(from, to), at);
    }
    const runs = cur.runs;
    const last = runs[runs.length - 1];
    if (last !== undefined && last.place === undefined && last.line > 0 && last.size === n && last.column === column && last.line + last.count === line) {
      last.count++;
    } else {
      runs.push({ start: at, size: n, count: 1, line, column, place: undefined });
    }
    cur.length = at + n;
  }

  /** Makes room for `n` bytes at `address` in the current chunk (or a new one); returns the offset, -1 for no data. */
  private reserve(address: number, n: number): number {
    if (!Number.isInteger(address) || address < 0 || address + n > ADDRESS_LIMIT) {
      throw new InvalidArgumentError(
        `data at address ${address} (${n} bytes) is outside the 32-bit address space 0..0xFFFFFFFF`,
        { address, length: n },
      );
    }
    if (n === 0) return -1;
    const cur = this.current;
    if (cur !== undefined && cur.address + cur.length === address) {
      const need = cur.length + n;
      if (need > cur.buf.length) this.grow(cur, need);
      this.added += n;
      return cur.length;
    }
    const chunk: Chunk = { address, buf: new Uint8Array(n), length: 0, index: this.chunks.length, runs: [] };
    this.chunks.push(chunk);
    this.current = chunk;
    this.added += n;
    return 0;
  }

  /** Replaces the chunk's buffer by a larger one: doubled, or the hinted size when that is larger. */
  private grow(cur: Chunk, need: number): void {
    let cap = Math.max(need, cur.buf.length * 2, MIN_GROWN_CAPACITY);
    const left = this.expected - (this.added - this.addedAtHint);
    if (cur.length >= HINT_FROM && left > 0) {
      cap = Math.max(cap, Math.min(need + left, ADDRESS_LIMIT - cur.address, MAX_HINTED_CAPACITY));
    }
    let grown: Uint8Array;
    try {
      grown = new Uint8Array(cap);
    } catch (e) {
      // A hinted size the process cannot map: fall back to doubling.
      const doubled = Math.max(need, cur.buf.length * 2);
      if (cap <= doubled) throw e;
      grown = new Uint8Array(doubled);
    }
    grown.set(cur.buf.subarray(0, cur.length));
    cur.buf = grown;
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
          throw new ImageOverlapError(addr, this.placeAt(a, addr), this.placeAt(b, addr));
        }
        if (next.address + next.length > runEnd) {
          runEnd = next.address + next.length;
          holder = next;
        }
        j++;
      }
      if (j === i + 1) {
        out.push({ address: first.address, data: trimmed(first) });
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

  /** The place of the piece holding `address` in `chunk`. */
  private placeAt(chunk: Chunk, address: number): SourcePlace | undefined {
    const off = address - chunk.address;
    const runs = chunk.runs;
    let lo = 0;
    let hi = runs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((runs[mid] as Run).start <= off) lo = mid;
      else hi = mid - 1;
    }
    const r = runs[lo];
    if (r === undefined || r.line === 0) return r?.place;
    const k = Math.min(Math.floor((off - r.start) / r.size), r.count - 1);
    return { ...(this.file !== undefined ? { file: this.file } : {}), line: r.line + k, column: r.column };
  }
}

/** The chunk's data: a view of its buffer, or a trimmed copy (see {@link KEEP_BUFFER_FROM}). */
function trimmed(chunk: Chunk): Uint8Array {
  const slack = chunk.buf.length - chunk.length;
  if (slack === 0) return chunk.buf;
  if (slack <= chunk.length / 8 || chunk.buf.length >= KEEP_BUFFER_FROM) return chunk.buf.subarray(0, chunk.length);
  return chunk.buf.slice(0, chunk.length);
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
