/**
 * The ECU's memory regions (boot / app / calibration / flash / ram / nvm) from its profile: which region holds an address
 * range, the sector table of each region, whole-sector checks for erase, and the value unwritten bytes
 * read as (spec/bootloader-and-flashing.md "Memory model").
 */
import type { MemoryRegionConfig } from './config.js';

/** Value of bytes outside every region. */
const OUTSIDE_FILL = 0xff;

/** The regions of one ECU. */
export class MemoryMap {
  /** Regions sorted by start address. */
  readonly regions: readonly MemoryRegionConfig[];

  constructor(regions: readonly MemoryRegionConfig[]) {
    this.regions = [...regions].sort((a, b) => a.start - b.start);
  }

  /** The region holding `address`, if any. */
  regionAt(address: number): MemoryRegionConfig | undefined {
    return this.regions.find((r) => address >= r.start && address < r.start + r.size);
  }

  /** The region holding the whole range `[address, address + size)` (size >= 1), if one does. */
  regionFor(address: number, size: number): MemoryRegionConfig | undefined {
    if (size < 1) return undefined;
    const r = this.regionAt(address);
    return r && address + size <= r.start + r.size ? r : undefined;
  }

  /** Regions by kind, e.g. every `ram` region to clear at reset. */
  regionsOfKind(kind: MemoryRegionConfig['kind']): MemoryRegionConfig[] {
    return this.regions.filter((r) => r.kind === kind);
  }

  /** True when `address` (inside `region` or at its end) is the start of a sector or the region's end. */
  isSectorBoundary(region: MemoryRegionConfig, address: number): boolean {
    const offset = address - region.start;
    if (offset < 0 || offset > region.size) return false;
    let groupStart = 0;
    for (const g of region.sectors) {
      const groupEnd = groupStart + g.size * g.count;
      if (offset >= groupStart && offset <= groupEnd) return (offset - groupStart) % g.size === 0;
      groupStart = groupEnd;
    }
    return false;
  }

  /** True when `[address, address + size)` is one or more whole sectors of `region`. */
  isWholeSectors(region: MemoryRegionConfig, address: number, size: number): boolean {
    return (
      size >= 1 &&
      address >= region.start &&
      address + size <= region.start + region.size &&
      this.isSectorBoundary(region, address) &&
      this.isSectorBoundary(region, address + size)
    );
  }

  /** Number of sectors of `region` that `[address, address + size)` touches. */
  sectorCount(region: MemoryRegionConfig, address: number, size: number): number {
    const from = Math.max(0, address - region.start);
    const to = Math.min(region.size, address + size - region.start);
    if (to <= from) return 0;
    let n = 0;
    let groupStart = 0;
    for (const g of region.sectors) {
      const groupEnd = groupStart + g.size * g.count;
      const a = Math.max(from, groupStart);
      const b = Math.min(to, groupEnd);
      if (b > a) n += Math.floor((b - 1 - groupStart) / g.size) - Math.floor((a - groupStart) / g.size) + 1;
      groupStart = groupEnd;
    }
    return n;
  }

  /**
   * The sectors of `region` inside `[address, address + size)` (whole sectors only, in address order),
   * computed from the sector table: O(sectors in the range), nothing per byte.
   */
  *sectorsIn(region: MemoryRegionConfig, address: number, size: number): Generator<{ start: number; size: number }> {
    const from = address - region.start;
    const to = Math.min(region.size, from + size);
    let groupStart = 0;
    for (const g of region.sectors) {
      const groupEnd = groupStart + g.size * g.count;
      if (groupEnd > from && groupStart < to) {
        const first = Math.max(0, Math.ceil((from - groupStart) / g.size));
        const last = Math.min(g.count, Math.floor((to - groupStart) / g.size));
        for (let i = first; i < last; i++) yield { start: region.start + groupStart + i * g.size, size: g.size };
      }
      groupStart = groupEnd;
    }
  }

  /** Writes into `out` the value unwritten bytes from `address` on read as (the region's erased value). */
  fill(address: number, out: Uint8Array): void {
    out.fill(OUTSIDE_FILL);
    const end = address + out.length;
    for (const r of this.regions) {
      const a = Math.max(address, r.start);
      const b = Math.min(end, r.start + r.size);
      if (b > a) out.fill(r.erasedValue, a - address, b - address);
    }
  }
}
