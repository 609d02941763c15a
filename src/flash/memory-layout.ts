/**
 * Where firmware may go in an ECU and what to erase for it (spec/bootloader-and-flashing.md "Memory
 * model" and step 10): flash regions with their sector tables, the check that every byte of a file lies
 * in a programmable region, and the erase blocks of each strategy. Pure.
 *
 * A *block* is one erase (31 01 FF00) and the downloads (34/36/37) of the data inside it: the unit the
 * engine writes again from its start after a lost connection.
 */
import { hexNum } from '../core/hex.js';
import type { Segment } from '../firmware/image.js';
import { FlashPlanError } from './errors.js';

/** A memory region as the plan uses it. */
export interface LayoutRegion {
  readonly name: string;
  /** flash: programmable (app, calibration); boot: never written; ram: the flash driver; nvm: not programmed. */
  readonly kind: 'flash' | 'ram' | 'boot' | 'nvm';
  readonly start: number;
  readonly size: number;
  /** Sector sizes from `start` on, covering the region exactly. */
  readonly sectors: readonly { readonly size: number; readonly count: number }[];
}

/** An address range (what a block erases). */
export interface BlockRange {
  readonly address: number;
  readonly size: number;
}

/** One erase and the data written into it. */
export interface PlanBlock {
  /** 0-based position in the ECU's plan. */
  readonly index: number;
  /** The range erased first; undefined when nothing is erased (strategy `none`). */
  readonly erase: BlockRange | undefined;
  /** The downloads (one 34/36/37 each), in address order. */
  readonly segments: readonly Segment[];
  /** Data bytes of the block. */
  readonly bytes: number;
}

/** The layout kind of a profile's or job's region kind (`app` and `calibration` are programmable flash; protected flash is boot). */
export function layoutKind(kind: string, isProtected = false): LayoutRegion['kind'] {
  if (kind === 'ram' || kind === 'nvm') return kind;
  if (kind === 'boot' || isProtected) return 'boot';
  return 'flash';
}

/** `[0x00010000, 0x00013FFF]`. */
export function rangeText(address: number, size: number): string {
  return `${hexNum(address, 8)}..${hexNum(address + size - 1, 8)}`;
}

/** The sectors of `r` as `[address, size]`, in address order. */
export function sectorsOf(r: LayoutRegion): { address: number; size: number }[] {
  const out: { address: number; size: number }[] = [];
  let at = r.start;
  for (const g of r.sectors) {
    for (let i = 0; i < g.count; i++) {
      out.push({ address: at, size: g.size });
      at += g.size;
    }
  }
  return out;
}

/**
 * `segments` cut at region boundaries, each piece with its region. Data outside every region, or in a
 * region of another kind than `kind`, is a {@link FlashPlanError} naming the range, the file and the map.
 */
export function placeSegments(segments: readonly Segment[], regions: readonly LayoutRegion[], kind: 'flash' | 'ram', what: string): { region: LayoutRegion; segment: Segment }[] {
  const out: { region: LayoutRegion; segment: Segment }[] = [];
  const map = regions.map((r) => `${r.name} (${r.kind}) ${rangeText(r.start, r.size)}`).join(', ');
  for (const s of segments) {
    let at = s.address;
    const end = s.address + s.data.length;
    while (at < end) {
      const r = regions.find((x) => at >= x.start && at < x.start + x.size);
      if (!r) {
        const next = regions.filter((x) => x.start > at).reduce((m, x) => Math.min(m, x.start), end);
        throw new FlashPlanError(
          `${what}: data at ${rangeText(at, Math.min(next, end) - at)} lies outside the ECU's memory map (${map}); check the file's addresses (offset:, range:) or the ECU's memory:`,
          { start: at, end: Math.min(next, end) },
        );
      }
      if (r.kind !== kind) {
        throw new FlashPlanError(
          `${what}: data at ${hexNum(at, 8)} lies in the ${r.kind} region "${r.name}"; ${kind === 'flash' ? 'firmware can only be programmed into flash regions' : 'the flash driver goes into RAM'} (${map})`,
          { address: at, region: r.name },
        );
      }
      const stop = Math.min(end, r.start + r.size);
      out.push({ region: r, segment: { address: at, data: s.data.subarray(at - s.address, stop - s.address) } });
      at = stop;
    }
  }
  return out;
}

function block(index: number, erase: BlockRange | undefined, segments: Segment[]): PlanBlock {
  return { index, erase, segments, bytes: segments.reduce((n, s) => n + s.data.length, 0) };
}

/**
 * Strategy `sectors`: every sector touched by data is erased; runs of touched, adjacent sectors of one
 * region form one block (so data sharing a sector is never erased after it was written).
 */
export function sectorBlocks(segments: readonly Segment[], regions: readonly LayoutRegion[], what: string): PlanBlock[] {
  const placed = placeSegments(segments, regions, 'flash', what);
  const runs: { erase: { address: number; size: number }; segments: Segment[] }[] = [];
  const tables = new Map<LayoutRegion, { address: number; size: number }[]>();
  for (const { region, segment } of placed) {
    let table = tables.get(region);
    if (!table) tables.set(region, (table = sectorsOf(region)));
    const end = segment.address + segment.data.length;
    const first = table[sectorIndex(table, segment.address)];
    const last = table[sectorIndex(table, end - 1)];
    if (!first || !last) continue;
    const start = first.address;
    const stop = last.address + last.size;
    const prev = runs[runs.length - 1];
    if (prev && prev.erase.address + prev.erase.size >= start && region.start <= prev.erase.address) {
      prev.erase.size = Math.max(prev.erase.address + prev.erase.size, stop) - prev.erase.address;
      prev.segments.push(segment);
    } else {
      runs.push({ erase: { address: start, size: stop - start }, segments: [segment] });
    }
  }
  return runs.map((r, i) => block(i, r.erase, r.segments));
}

/** Index of the sector holding `address` (binary search; the table covers the region). */
function sectorIndex(table: readonly { address: number; size: number }[], address: number): number {
  let lo = 0;
  let hi = table.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((table[mid] as { address: number }).address <= address) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Strategy `segments`: each data range is erased exactly (the ECU must accept unaligned erases). */
export function segmentBlocks(segments: readonly Segment[], regions: readonly LayoutRegion[] | undefined, what: string): PlanBlock[] {
  const pieces = regions ? placeSegments(segments, regions, 'flash', what).map((p) => p.segment) : [...segments];
  return pieces.map((s, i) => block(i, { address: s.address, size: s.data.length }, [s]));
}

/** Strategy `none`: one download per data range, nothing erased. */
export function noEraseBlocks(segments: readonly Segment[], regions: readonly LayoutRegion[] | undefined, what: string): PlanBlock[] {
  const pieces = regions ? placeSegments(segments, regions, 'flash', what).map((p) => p.segment) : [...segments];
  return pieces.map((s, i) => block(i, undefined, [s]));
}

/**
 * Strategy `vbf`: the erase ranges of the VBF headers, in address order, each with the data inside it;
 * data outside every erase range is a {@link FlashPlanError} (the ECU would program unerased flash).
 */
export function vbfBlocks(segments: readonly Segment[], erase: readonly BlockRange[], regions: readonly LayoutRegion[] | undefined, what: string): PlanBlock[] {
  if (erase.length === 0) throw new FlashPlanError(`${what}: erase.strategy vbf needs erase ranges in the VBF header, and it has none; use erase.strategy sectors with the ECU's memory map`);
  if (regions) placeSegments(segments, regions, 'flash', what);
  const ranges = [...erase].sort((a, b) => a.address - b.address);
  const out = ranges.map(() => [] as Segment[]);
  for (const s of segments) {
    let at = s.address;
    const end = s.address + s.data.length;
    while (at < end) {
      const i = ranges.findIndex((r) => at >= r.address && at < r.address + r.size);
      const r = ranges[i];
      if (!r) {
        throw new FlashPlanError(`${what}: data at ${hexNum(at, 8)} lies in none of the VBF erase ranges (${ranges.map((x) => rangeText(x.address, x.size)).join(', ')}); the file is inconsistent`, { address: at });
      }
      const stop = Math.min(end, r.address + r.size);
      (out[i] as Segment[]).push({ address: at, data: s.data.subarray(at - s.address, stop - s.address) });
      at = stop;
    }
  }
  return ranges.map((r, i) => block(i, r, out[i] as Segment[]));
}
