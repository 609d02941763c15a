/**
 * Page storage of {@link SparseMemory}: 4 KiB pages carved out of 256 KiB slabs. Written memory is then a
 * few large buffers instead of one ArrayBuffer per page (16 MiB of flash: 64 buffers, not 4096), which
 * spares the allocator and the garbage collector, and pages written one after the other lie next to each
 * other in a slab, so reads, scans and CRCs run over long contiguous views.
 *
 * A page is named by its slot number: slab `floor(slot / SLAB_PAGES)`, page `slot % SLAB_PAGES` in it.
 * Freed slots are reused before a new slab is made. A slab whose pages are all free is released, except
 * for a reserve of empty slabs kept for the next writes (flash is typically erased and written again).
 */
import { Buffer } from 'node:buffer';

/** Size of one page in bytes (the unit of {@link SparseMemory}). */
export const PAGE_SIZE = 4096;
/** Pages per slab (256 KiB slabs). */
export const SLAB_PAGES = 64;
/**
 * Empty slabs a pool keeps by default for later writes (16 MiB): flashing erases a region and writes it
 * again, and slabs kept need no new memory (page faults, GC accounting) on the rewrite. They do not count
 * in `pagesInUse` (nor in SparseMemory.usedBytes); `reservedBytes` shows them.
 */
export const DEFAULT_RESERVE_SLABS = 64;

/** One slab: its bytes, a Buffer view of them (for native compares), and how many of its pages are in use. */
export interface Slab {
  /** The slab's memory; page `i` is `bytes[i * PAGE_SIZE, (i + 1) * PAGE_SIZE)`. */
  readonly bytes: Uint8Array;
  /** The same memory as a Buffer, for `compare` without a view per call. Never handed out. */
  readonly buffer: Buffer;
  /** Pages of this slab in use. */
  used: number;
}

/** Byte offset of `slot`'s page in its slab. */
export function slotOffset(slot: number): number {
  return (slot % SLAB_PAGES) * PAGE_SIZE;
}

/** Hands out and takes back page slots; see the module comment. */
export class PagePool {
  private readonly slabs = new Map<number, Slab>();
  /** Free slots, the next one to hand out last. May hold slots of released slabs (skipped, see `stale`). */
  private free: number[] = [];
  /** Free-list entries whose slab was released. */
  private stale = 0;
  /** Slab numbers are never reused, so a stale free-list entry can never name a live page. */
  private nextSlab = 0;
  private emptySlabs = 0;
  private used = 0;

  /** `reserveSlabs`: empty slabs kept instead of released (default {@link DEFAULT_RESERVE_SLABS}). */
  constructor(private readonly reserveSlabs = DEFAULT_RESERVE_SLABS) {}

  /** Pages in use. */
  get pagesInUse(): number {
    return this.used;
  }

  /** Bytes held in slabs, in use or not (what the pool costs). */
  get reservedBytes(): number {
    return this.slabs.size * SLAB_PAGES * PAGE_SIZE;
  }

  /** A free slot (its bytes are undefined: the caller initialises the whole page). */
  alloc(): number {
    for (let slot = this.free.pop(); slot !== undefined; slot = this.free.pop()) {
      const slab = this.slabs.get(Math.floor(slot / SLAB_PAGES));
      if (!slab) {
        this.stale--;
        continue;
      }
      if (slab.used++ === 0) this.emptySlabs--;
      this.used++;
      return slot;
    }
    const id = this.nextSlab++;
    const bytes = new Uint8Array(SLAB_PAGES * PAGE_SIZE);
    this.slabs.set(id, { bytes, buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), used: 1 });
    const first = id * SLAB_PAGES;
    // Pushed in reverse so that the next allocations take the slab's pages in ascending order.
    for (let i = SLAB_PAGES - 1; i >= 1; i--) this.free.push(first + i);
    this.used++;
    return first;
  }

  /**
   * Gives `slot` back. Slots released in a row are handed out again in the reverse order, so release a
   * range from its last page to its first to have it reused in ascending order.
   */
  release(slot: number): void {
    const id = Math.floor(slot / SLAB_PAGES);
    const slab = this.slabs.get(id);
    if (!slab || slab.used === 0) return;
    this.used--;
    this.free.push(slot);
    if (--slab.used > 0) return;
    if (this.emptySlabs < this.reserveSlabs) {
      this.emptySlabs++;
      return;
    }
    this.slabs.delete(id);
    this.stale += SLAB_PAGES;
    // Keep the free list at most twice as long as what it can still hand out.
    if (this.stale * 2 > this.free.length) {
      this.free = this.free.filter((s) => this.slabs.has(Math.floor(s / SLAB_PAGES)));
      this.stale = 0;
    }
  }

  /** The slab holding `slot` (which must be in use). */
  slab(slot: number): Slab {
    return this.slabs.get(Math.floor(slot / SLAB_PAGES)) as Slab;
  }

  /** Releases every slab. */
  clear(): void {
    this.slabs.clear();
    this.free = [];
    this.stale = 0;
    this.emptySlabs = 0;
    this.used = 0;
  }
}
