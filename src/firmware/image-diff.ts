/**
 * Address-level comparison of two images for `udskit image diff`: the ranges present in both whose
 * bytes differ (with their first differing bytes), the ranges only in A and only in B, and the start
 * addresses. Works across formats: only addresses and bytes count.
 */
import type { DataRange, FirmwareImage, Segment } from './image.js';
import { compareImages, forEachOverlap } from './image-ops.js';
import { linearStart } from './firmware-write.js';

/** A run of consecutive addresses present in both images whose bytes all differ. */
export interface DifferingRange extends DataRange {
  /** The first bytes of the run in A and in B (at most {@link DIFF_SAMPLE_BYTES}). */
  readonly a: Uint8Array;
  readonly b: Uint8Array;
}

/** How many bytes of each differing range {@link diffImages} keeps. */
export const DIFF_SAMPLE_BYTES = 8;

/** Result of {@link diffImages}. */
export interface ImageDiff {
  /** Same addresses, same bytes, same start address (unless ignored). */
  readonly identical: boolean;
  /** Runs of differing bytes at addresses present in both, in address order. */
  readonly differing: readonly DifferingRange[];
  /** Number of addresses present in both with different bytes. */
  readonly differingBytes: number;
  readonly onlyInA: readonly DataRange[];
  readonly onlyInB: readonly DataRange[];
  /** Execution start addresses (linear; an Intel 03 CS:IP counts as CS * 16 + IP). */
  readonly startA?: number;
  readonly startB?: number;
  /** True when the start addresses differ and were compared. */
  readonly startDiffers: boolean;
}

/** Options of {@link diffImages}. */
export interface DiffOptions {
  /** Do not compare the execution start addresses. */
  readonly ignoreStart?: boolean;
}

/** Compares two images address by address (see {@link ImageDiff}). Linear in the data size. */
export function diffImages(a: FirmwareImage, b: FirmwareImage, options: DiffOptions = {}): ImageDiff {
  const cmp = compareImages(a, b);
  const differing: DifferingRange[] = [];
  let open: { start: number; end: number; sa: Segment; sb: Segment } | undefined;
  const close = (): void => {
    if (!open) return;
    const n = Math.min(DIFF_SAMPLE_BYTES, open.end - open.start);
    const oa = open.start - open.sa.address;
    const ob = open.start - open.sb.address;
    differing.push({ start: open.start, end: open.end, a: open.sa.data.slice(oa, oa + n), b: open.sb.data.slice(ob, ob + n) });
    open = undefined;
  };
  if (cmp.differingBytes > 0) {
    forEachOverlap(a, b, (sa, sb, lo, hi) => {
      for (let addr = lo; addr < hi; addr++) {
        if (sa.data[addr - sa.address] !== sb.data[addr - sb.address]) {
          // A run continues only within the same pair of segments (so its sample bytes are contiguous).
          if (open && open.end === addr && open.sa === sa && open.sb === sb) open.end = addr + 1;
          else {
            close();
            open = { start: addr, end: addr + 1, sa, sb };
          }
        }
      }
    });
    close();
  }
  const startA = linearStart(a);
  const startB = linearStart(b);
  const startDiffers = !options.ignoreStart && startA !== startB;
  return {
    identical: cmp.equal && !startDiffers,
    differing,
    differingBytes: cmp.differingBytes,
    onlyInA: cmp.onlyInA,
    onlyInB: cmp.onlyInB,
    ...(startA !== undefined ? { startA } : {}),
    ...(startB !== undefined ? { startB } : {}),
    startDiffers,
  };
}
