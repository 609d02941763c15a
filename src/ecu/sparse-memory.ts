/**
 * A sparse 4 GiB byte space in 4 KiB pages: a page costs memory only once written. Unwritten bytes read
 * as a fill value supplied per address (the erased value of the memory region they belong to), and a
 * page erased as a whole to a single value is kept as that value, not as 4 KiB of bytes
 * (spec/bootloader-and-flashing.md "Memory is sparse").
 */
import { Buffer } from 'node:buffer';
import { InvalidArgumentError } from '../core/errors.js';

/** Size of one page in bytes. */
export const PAGE_SIZE = 4096;
/** The address space: 32-bit addresses. */
export const ADDRESS_SPACE = 0x1_0000_0000;

/** Writes into `out` what the unwritten bytes from `address` on read as. */
export type FillFunction = (address: number, out: Uint8Array) => void;

/** Options of a {@link SparseMemory}. */
export interface SparseMemoryOptions {
  /** Value of unwritten bytes: a constant (default 0xFF) or a function per address range. */
  readonly fill?: number | FillFunction;
}

/** A page: its bytes, or a single value every byte has. */
type Page = Uint8Array | number;

/** Sparse, page-allocated memory over the 32-bit address space. */
export class SparseMemory {
  private readonly pages = new Map<number, Page>();
  private readonly fillFn: FillFunction;

  constructor(options: SparseMemoryOptions = {}) {
    const fill = options.fill ?? 0xff;
    this.fillFn = typeof fill === 'number' ? (_a, out) => void out.fill(fill & 0xff) : fill;
  }

  /** Bytes held in allocated pages (pages erased to one value as a whole cost nothing). */
  get usedBytes(): number {
    let n = 0;
    for (const p of this.pages.values()) if (typeof p !== 'number') n += PAGE_SIZE;
    return n;
  }

  /** `length` bytes from `address`. */
  read(address: number, length: number): Uint8Array {
    checkRange(address, length);
    const out = new Uint8Array(length);
    this.forEachPage(address, length, (pageIndex, offset, n, outOffset) => {
      const page = this.pages.get(pageIndex);
      const view = out.subarray(outOffset, outOffset + n);
      if (page === undefined) this.fillFn(pageIndex * PAGE_SIZE + offset, view);
      else if (typeof page === 'number') view.fill(page);
      else view.set(page.subarray(offset, offset + n));
    });
    return out;
  }

  /**
   * Calls `visit` with the bytes of `[address, address + length)` in order, page by page, without
   * copying written pages. A view is only valid during its call: do not keep or change it.
   */
  scan(address: number, length: number, visit: (bytes: Uint8Array) => void): void {
    checkRange(address, length);
    let scratch: Uint8Array | undefined;
    this.forEachPage(address, length, (pageIndex, offset, n) => {
      const page = this.pages.get(pageIndex);
      if (page instanceof Uint8Array) {
        visit(page.subarray(offset, offset + n));
        return;
      }
      scratch ??= new Uint8Array(PAGE_SIZE);
      const view = scratch.subarray(0, n);
      if (page === undefined) this.fillFn(pageIndex * PAGE_SIZE + offset, view);
      else view.fill(page);
      visit(view);
    });
  }

  /** Writes `bytes` at `address`. */
  write(address: number, bytes: Uint8Array): void {
    checkRange(address, bytes.length);
    this.forEachPage(address, bytes.length, (pageIndex, offset, n, inOffset) => {
      const src = bytes.subarray(inOffset, inOffset + n);
      // A page written as a whole becomes a copy of the bytes, without materialising its old content first.
      if (n === PAGE_SIZE && !(this.pages.get(pageIndex) instanceof Uint8Array)) this.pages.set(pageIndex, new Uint8Array(src));
      else this.pageBytes(pageIndex).set(src, offset);
    });
  }

  /** Sets `length` bytes from `address` to `value`; whole pages become a single value. */
  erase(address: number, length: number, value: number): void {
    checkRange(address, length);
    const v = value & 0xff;
    this.forEachPage(address, length, (pageIndex, offset, n) => {
      if (n === PAGE_SIZE) this.pages.set(pageIndex, v);
      else this.pageBytes(pageIndex).fill(v, offset, offset + n);
    });
  }

  /** Returns `length` bytes from `address` to their unwritten state (e.g. RAM after a reset). */
  discard(address: number, length: number): void {
    checkRange(address, length);
    this.forEachPage(address, length, (pageIndex, offset, n) => {
      if (n === PAGE_SIZE) {
        this.pages.delete(pageIndex);
        return;
      }
      const page = this.pages.get(pageIndex);
      if (page === undefined) return;
      const bytes = this.pageBytes(pageIndex);
      this.fillFn(pageIndex * PAGE_SIZE + offset, bytes.subarray(offset, offset + n));
    });
  }

  /** True when every byte of the range equals `value`. */
  isErased(address: number, length: number, value: number): boolean {
    checkRange(address, length);
    const v = value & 0xff;
    let ok = true;
    let scratch: Uint8Array | undefined;
    this.forEachPage(address, length, (pageIndex, offset, n) => {
      if (!ok) return;
      const page = this.pages.get(pageIndex);
      let bytes: Uint8Array;
      if (typeof page === 'number') {
        ok = page === v;
        return;
      } else if (page === undefined) {
        scratch ??= new Uint8Array(PAGE_SIZE);
        bytes = scratch.subarray(0, n);
        this.fillFn(pageIndex * PAGE_SIZE + offset, bytes);
      } else {
        bytes = page.subarray(offset, offset + n);
      }
      ok = allBytesAre(bytes, v);
    });
    return ok;
  }

  /** Drops every page. */
  clear(): void {
    this.pages.clear();
  }

  /** The bytes of a page, materialising it from its fill or single value. */
  private pageBytes(pageIndex: number): Uint8Array {
    const page = this.pages.get(pageIndex);
    if (page instanceof Uint8Array) return page;
    const bytes = new Uint8Array(PAGE_SIZE);
    if (typeof page === 'number') bytes.fill(page);
    else this.fillFn(pageIndex * PAGE_SIZE, bytes);
    this.pages.set(pageIndex, bytes);
    return bytes;
  }

  /** Calls `fn(pageIndex, offsetInPage, count, offsetInRange)` for each page the range touches. */
  private forEachPage(address: number, length: number, fn: (pageIndex: number, offset: number, n: number, at: number) => void): void {
    let at = 0;
    while (at < length) {
      const a = address + at;
      const pageIndex = Math.floor(a / PAGE_SIZE);
      const offset = a - pageIndex * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - offset, length - at);
      fn(pageIndex, offset, n, at);
      at += n;
    }
  }
}

/** One page of each value asked for, to compare with natively (`Buffer.equals` is a memcmp). */
const filledPages = new Map<number, Buffer>();

/** True when every byte of `bytes` (at most a page) is `v`. */
function allBytesAre(bytes: Uint8Array, v: number): boolean {
  let filled = filledPages.get(v);
  if (!filled) {
    filled = Buffer.alloc(PAGE_SIZE, v);
    filledPages.set(v, filled);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).equals(filled.subarray(0, bytes.length));
}

function checkRange(address: number, length: number): void {
  if (!Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0 || address + length > ADDRESS_SPACE) {
    throw new InvalidArgumentError(
      `memory range 0x${address.toString(16)} + ${length} is outside the 32-bit address space (0..0xFFFFFFFF)`,
      { address, length },
    );
  }
}
