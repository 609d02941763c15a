/**
 * A sparse 4 GiB byte space in 4 KiB pages: a page costs memory only once written. Unwritten bytes read
 * as a fill value supplied per address (the erased value of the memory region they belong to), and a
 * page erased as a whole to a single value is kept as that value, not as 4 KiB of bytes
 * (spec/bootloader-and-flashing.md "Memory is sparse"). Written pages live in 256 KiB slabs of a
 * {@link PagePool} (page-pool.ts).
 */
import { Buffer } from 'node:buffer';
import { InvalidArgumentError } from '../core/errors.js';
import { PAGE_SIZE, PagePool, SLAB_PAGES, slotOffset } from './page-pool.js';

export { PAGE_SIZE } from './page-pool.js';
/** The address space: 32-bit addresses. */
export const ADDRESS_SPACE = 0x1_0000_0000;

/** Writes into `out` what the unwritten bytes from `address` on read as. */
export type FillFunction = (address: number, out: Uint8Array) => void;

/** Options of a {@link SparseMemory}. */
export interface SparseMemoryOptions {
  /** Value of unwritten bytes: a constant (default 0xFF) or a function per address range. */
  readonly fill?: number | FillFunction;
  /**
   * Called after every change (write, erase, discard, clear) with the range that changed, e.g. to track
   * what a state directory must write back (persistence/flash-store.ts). Not called by reads.
   */
  readonly onChange?: MemoryChangeHook;
}

/**
 * A change of `[address, address + length)`; `unwritten` is true when the range went back to its unwritten
 * state (discard, clear), i.e. it reads as the fill now.
 */
export type MemoryChangeHook = (address: number, length: number, unwritten: boolean) => void;

/**
 * What the page map holds for a page: below SLOT_BASE the single value (0..255) every byte of the page
 * has, from SLOT_BASE on `SLOT_BASE + slot` of its bytes in the pool. Plain numbers keep the map free of
 * objects for the garbage collector to trace.
 */
const SLOT_BASE = 0x100;

/** Sparse, page-allocated memory over the 32-bit address space. */
export class SparseMemory {
  private readonly pages = new Map<number, number>();
  private readonly pool = new PagePool();
  private readonly fillFn: FillFunction;
  /** A page to fill unwritten bytes into for a comparison (used synchronously, never handed out). */
  private readonly scratch = new Uint8Array(PAGE_SIZE);
  /** Change hook (SparseMemoryOptions.onChange); undefined when nobody tracks changes. */
  private readonly onChange: MemoryChangeHook | undefined;
  private changes = 0;

  constructor(options: SparseMemoryOptions = {}) {
    const fill = options.fill ?? 0xff;
    this.fillFn = typeof fill === 'number' ? (_a, out) => void out.fill(fill & 0xff) : fill;
    this.onChange = options.onChange;
  }

  /**
   * Counts the calls that changed memory (write, erase, discard, clear): a reader that remembers it can
   * tell whether anything changed since (e.g. a CRC computed block by block, transfer-crc.ts).
   */
  get generation(): number {
    return this.changes;
  }

  /** Bytes held in written pages (pages erased to one value as a whole cost nothing). */
  get usedBytes(): number {
    return this.pool.pagesInUse * PAGE_SIZE;
  }

  /** `length` bytes from `address`. */
  read(address: number, length: number): Uint8Array {
    checkRange(address, length);
    const out = new Uint8Array(length);
    this.readInto(address, out);
    return out;
  }

  /**
   * Copies the `out.length` bytes from `address` into `out` (e.g. straight into a response being built,
   * without an array of their own first).
   */
  readInto(address: number, out: Uint8Array): void {
    const length = out.length;
    checkRange(address, length);
    for (let at = 0; at < length; ) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const page = this.pages.get(pageIndex);
      let n: number;
      if (page !== undefined && page >= SLOT_BASE) {
        const slot = page - SLOT_BASE;
        n = this.slotRun(pageIndex, slot, offset, length - at);
        const start = slotOffset(slot) + offset;
        out.set(this.pool.slab(slot).bytes.subarray(start, start + n), at);
      } else {
        n = Math.min(PAGE_SIZE - offset, length - at);
        if (page === undefined) this.fillFn(a, out.subarray(at, at + n));
        else out.fill(page, at, at + n);
      }
      at += n;
    }
  }

  /**
   * Calls `visit` with the bytes of `[address, address + length)` in order, without copying written
   * pages (pages written one after the other come as one view). A view is only valid during its call:
   * do not keep or change it.
   */
  scan(address: number, length: number, visit: (bytes: Uint8Array) => void): void {
    checkRange(address, length);
    let scratch: Uint8Array | undefined;
    for (let at = 0; at < length; ) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const page = this.pages.get(pageIndex);
      let n: number;
      if (page !== undefined && page >= SLOT_BASE) {
        const slot = page - SLOT_BASE;
        n = this.slotRun(pageIndex, slot, offset, length - at);
        const start = slotOffset(slot) + offset;
        visit(this.pool.slab(slot).bytes.subarray(start, start + n));
      } else {
        n = Math.min(PAGE_SIZE - offset, length - at);
        if (page === undefined) {
          scratch ??= new Uint8Array(Math.min(PAGE_SIZE, length));
          const view = scratch.subarray(0, n);
          this.fillFn(a, view);
          visit(view);
        } else {
          visit(filledPage(page).subarray(0, n));
        }
      }
      at += n;
    }
  }

  /** Writes `bytes` at `address`. */
  write(address: number, bytes: Uint8Array): void {
    const length = bytes.length;
    checkRange(address, length);
    this.changes++;
    for (let at = 0; at < length; ) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - offset, length - at);
      // A page written as a whole gets its bytes without materialising its old content first.
      const slot = this.slotOf(pageIndex, offset, offset + n);
      this.pool.slab(slot).bytes.set(n === length ? bytes : bytes.subarray(at, at + n), slotOffset(slot) + offset);
      at += n;
    }
    if (length > 0) this.onChange?.(address, length, false);
  }

  /** Sets `length` bytes from `address` to `value`; whole pages become a single value. */
  erase(address: number, length: number, value: number): void {
    checkRange(address, length);
    this.changes++;
    const v = value & 0xff;
    const released: number[] = [];
    for (let at = 0; at < length; ) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - offset, length - at);
      if (n === PAGE_SIZE) {
        const page = this.pages.get(pageIndex);
        if (page !== undefined && page >= SLOT_BASE) released.push(page - SLOT_BASE);
        this.pages.set(pageIndex, v);
      } else {
        const slot = this.slotOf(pageIndex, offset, offset + n);
        const start = slotOffset(slot) + offset;
        this.pool.slab(slot).bytes.fill(v, start, start + n);
      }
      at += n;
    }
    this.releaseAll(released);
    if (length > 0) this.onChange?.(address, length, false);
  }

  /** Returns `length` bytes from `address` to their unwritten state (e.g. RAM after a reset). */
  discard(address: number, length: number): void {
    checkRange(address, length);
    this.changes++;
    const released: number[] = [];
    for (let at = 0; at < length; ) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - offset, length - at);
      const page = this.pages.get(pageIndex);
      if (n === PAGE_SIZE) {
        if (page !== undefined && page >= SLOT_BASE) released.push(page - SLOT_BASE);
        this.pages.delete(pageIndex);
      } else if (page !== undefined) {
        const slot = this.slotOf(pageIndex);
        const start = slotOffset(slot) + offset;
        this.fillFn(a, this.pool.slab(slot).bytes.subarray(start, start + n));
      }
      at += n;
    }
    this.releaseAll(released);
    if (length > 0) this.onChange?.(address, length, true);
  }

  /** True when every byte of the range equals `value`. */
  isErased(address: number, length: number, value: number): boolean {
    checkRange(address, length);
    const v = value & 0xff;
    const filled = filledPage(v);
    for (let at = 0; at < length; ) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - offset, length - at);
      const page = this.pages.get(pageIndex);
      if (page === undefined) {
        const view = n === PAGE_SIZE ? this.scratch : this.scratch.subarray(0, n);
        this.fillFn(a, view);
        if (Buffer.compare(view, filled.subarray(0, n)) !== 0) return false;
      } else if (page < SLOT_BASE) {
        if (page !== v) return false;
      } else {
        const slot = page - SLOT_BASE;
        const start = slotOffset(slot) + offset;
        // A native memcmp of the page's bytes against a page of `v`, without a view.
        if (this.pool.slab(slot).buffer.compare(filled, 0, n, start, start + n) !== 0) return false;
      }
      at += n;
    }
    return true;
  }

  /** Drops every page. */
  clear(): void {
    this.changes++;
    this.pages.clear();
    this.pool.clear();
    this.onChange?.(0, ADDRESS_SPACE, true);
  }

  /**
   * The slot holding page `pageIndex`, allocating one when the page has no bytes of its own yet. A new
   * page gets its old content (single value or fill) except in `[skipFrom, skipTo)`, which the caller
   * is about to overwrite (the whole page when written as a whole).
   */
  private slotOf(pageIndex: number, skipFrom = 0, skipTo = 0): number {
    const page = this.pages.get(pageIndex);
    if (page !== undefined && page >= SLOT_BASE) return page - SLOT_BASE;
    const slot = this.pool.alloc();
    this.pages.set(pageIndex, SLOT_BASE + slot);
    const start = slotOffset(slot);
    const bytes = this.pool.slab(slot).bytes;
    if (skipFrom > 0) this.initPage(bytes, start, pageIndex, page, 0, skipFrom);
    if (skipTo < PAGE_SIZE) this.initPage(bytes, start, pageIndex, page, Math.max(skipFrom, skipTo), PAGE_SIZE);
    return slot;
  }

  /** Writes the old content of `[from, to)` of page `pageIndex` (its single value, or the fill) into its new slot at `start`. */
  private initPage(bytes: Uint8Array, start: number, pageIndex: number, value: number | undefined, from: number, to: number): void {
    if (value === undefined) this.fillFn(pageIndex * PAGE_SIZE + from, bytes.subarray(start + from, start + to));
    else bytes.fill(value, start + from, start + to);
  }

  /**
   * Bytes from `offset` of page `pageIndex` (at `slot`) that lie contiguous in its slab, up to `left`:
   * the following pages count while they sit in the next slots of the same slab.
   */
  private slotRun(pageIndex: number, slot: number, offset: number, left: number): number {
    let n = PAGE_SIZE - offset;
    for (let s = slot + 1, p = pageIndex + 1; n < left && s % SLAB_PAGES !== 0 && this.pages.get(p) === SLOT_BASE + s; s++, p++) n += PAGE_SIZE;
    return Math.min(n, left);
  }

  /** Releases slots freed by one erase / discard, last first, so that rewriting the range reuses them in order. */
  private releaseAll(slots: number[]): void {
    for (let i = slots.length - 1; i >= 0; i--) this.pool.release(slots[i] as number);
  }
}

/** One page of each value asked for (never handed out for writing). */
const filledPages = new Map<number, Uint8Array>();

/** A page whose every byte is `v`. */
function filledPage(v: number): Uint8Array {
  let page = filledPages.get(v);
  if (!page) {
    page = new Uint8Array(PAGE_SIZE).fill(v);
    filledPages.set(v, page);
  }
  return page;
}

function checkRange(address: number, length: number): void {
  if (!Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0 || address + length > ADDRESS_SPACE) {
    throw new InvalidArgumentError(
      `memory range 0x${address.toString(16)} + ${length} is outside the 32-bit address space (0..0xFFFFFFFF)`,
      { address, length },
    );
  }
}
