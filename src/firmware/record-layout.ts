/**
 * Where the hex-text writers (S-record, Intel HEX) cut an image's data into records: exactly where
 * `srec_cat` 1.64 cuts it, so that the default output is byte-identical to srec_cat's.
 *
 * srec_cat holds data in memory chunks of 7 * 256 = 1792 bytes at multiples of 1792 (srecord's
 * memory_chunk::size) and writes each chunk on its own: every run of contiguous bytes inside one chunk
 * becomes records of `-obs` bytes from the run's first byte, the last one shorter (memory_chunk::walk,
 * output::write_data). So a record never crosses a multiple of 1792, and the records of a run start at
 * its first byte. In Intel HEX segment (02) addressing, a record that would cross a 64 KiB boundary is
 * written as two records cut at the boundary, and the next record starts where the whole one would have
 * ended (the record grid goes on).
 */
import type { Segment } from './image.js';

/** srec_cat's memory chunk: records never cross a multiple of this many bytes. */
export const SREC_CAT_CHUNK_SIZE = 7 * 256;

const NO_DATA = new Uint8Array(0);
const SEGMENT_SIZE = 0x10000;

/**
 * Walks the data records of a list of segments (sorted, as in a {@link FirmwareImage}) in srec_cat's layout
 * (see the module doc). After {@link next} returned true, the record is `data[from..to)` at `address`; it is
 * valid until the next call. Segments that touch are one run of data (as for srec_cat, which sees bytes, not
 * segments): a record that spans two of them is copied into a small buffer of the cursor.
 */
export class RecordCursor {
  /** Address of the current record. */
  address = 0;
  /** The current record's bytes are `data[from..to)` (a view of the segment's data, never a copy unless it spans segments). */
  data: Uint8Array = NO_DATA;
  from = 0;
  to = 0;
  /** Index of the segment holding the next record's first byte. */
  private seg = 0;
  /** Index of the first segment after the current run. */
  private nextSeg = 0;
  /** Address of the next record, the end of the current run of contiguous data, and of its 1792-byte chunk. */
  private pos = 0;
  private runEnd = 0;
  private chunkEnd = 0;
  /** Next 64 KiB boundary after `pos` (segment addressing only). */
  private boundary = 0;
  /** The end of the second half of a record cut at a 64 KiB boundary, or -1. */
  private pendingEnd = -1;
  private scratch: Uint8Array | undefined;

  /**
   * `per`: data bytes per record (srec_cat's `-obs`); `splitAt64K`: cut records at 64 KiB boundaries
   * (Intel HEX segment addressing).
   */
  constructor(
    private readonly segments: readonly Segment[],
    private readonly per: number,
    private readonly splitAt64K = false,
  ) {}

  /** Moves to the next record; false after the last one. */
  next(): boolean {
    let pos = this.pos;
    let end: number;
    if (this.pendingEnd >= 0) {
      end = this.pendingEnd;
      this.pendingEnd = -1;
    } else {
      if (pos >= this.runEnd) {
        if (!this.nextRun()) return false;
        pos = this.pos;
      }
      if (pos >= this.chunkEnd) this.chunkEnd = pos - (pos % SREC_CAT_CHUNK_SIZE) + SREC_CAT_CHUNK_SIZE;
      end = Math.min(pos + this.per, this.chunkEnd, this.runEnd);
      if (this.splitAt64K) {
        if (pos >= this.boundary) this.boundary = pos - (pos % SEGMENT_SIZE) + SEGMENT_SIZE;
        if (end > this.boundary) {
          this.pendingEnd = end;
          end = this.boundary;
        }
      }
    }
    let s = this.segments[this.seg] as Segment;
    // Bounded: moves through the touching segments of the current run only.
    while (pos >= s.address + s.data.length && this.seg + 1 < this.nextSeg) s = this.segments[++this.seg] as Segment;
    this.address = pos;
    if (end <= s.address + s.data.length) {
      this.data = s.data;
      this.from = pos - s.address;
      this.to = end - s.address;
    } else {
      this.spanning(pos, end);
    }
    this.pos = end;
    return true;
  }

  /** Enters the next run of contiguous data (touching segments joined); false when there is none. */
  private nextRun(): boolean {
    const segs = this.segments;
    let i = this.nextSeg;
    while (i < segs.length && (segs[i] as Segment).data.length === 0) i++;
    const first = segs[i];
    if (first === undefined) {
      this.nextSeg = i;
      return false;
    }
    let end = first.address + first.data.length;
    let k = i + 1;
    // Bounded by the number of segments.
    while (k < segs.length && (segs[k] as Segment).address === end) {
      end += (segs[k] as Segment).data.length;
      k++;
    }
    this.seg = i;
    this.nextSeg = k;
    this.pos = first.address;
    this.runEnd = end;
    // A new run: its chunk and 64 KiB boundary are computed from its first byte.
    this.chunkEnd = 0;
    this.boundary = 0;
    return true;
  }

  /** The record `[pos, end)` runs over touching segments: copy its bytes into the scratch buffer. */
  private spanning(pos: number, end: number): void {
    const out = (this.scratch ??= new Uint8Array(256));
    let at = 0;
    let a = pos;
    // Bounded: a record holds at most 255 bytes, each segment of the run gives at least one.
    while (a < end) {
      const s = this.segments[this.seg] as Segment;
      const sEnd = s.address + s.data.length;
      if (a >= sEnd) {
        this.seg++;
        continue;
      }
      const n = Math.min(end, sEnd) - a;
      out.set(s.data.subarray(a - s.address, a - s.address + n), at);
      at += n;
      a += n;
    }
    this.data = out;
    this.from = 0;
    this.to = at;
  }
}
