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
  /** A page to fill unwritten bytes into for a comparison (used synchronously, never handed out). */
  private readonly scratch = new Uint8Array(PAGE_SIZE);

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
    for (let at = 0; at < length; ) {
      const { pageIndex, offset, n } = pageSpan(address + at, length - at);
      const target = out.subarray(at, at + n);
      // Unwritten and single-value pages are filled straight into `target`.
      const bytes = this.bytesOf(pageIndex, offset, n, target);
      if (bytes !== target) target.set(bytes);
      at += n;
    }
    return out;
  }

  /**
   * Calls `visit` with the bytes of `[address, address + length)` in order, page by page, without
   * copying written pages. A view is only valid during its call: do not keep or change it.
   */
  scan(address: number, length: number, visit: (bytes: Uint8Array) => void): void {
    checkRange(address, length);
    const scratch = new Uint8Array(Math.min(PAGE_SIZE, length));
    for (let at = 0; at < length; ) {
      const { pageIndex, offset, n } = pageSpan(address + at, length - at);
      visit(this.bytesOf(pageIndex, offset, n, scratch));
      at += n;
    }
  }

  /** Writes `bytes` at `address`. */
  write(address: number, bytes: Uint8Array): void {
    checkRange(address, bytes.length);
    for (let at = 0; at < bytes.length; ) {
      const { pageIndex, offset, n } = pageSpan(address + at, bytes.length - at);
      const src = bytes.subarray(at, at + n);
      // A page written as a whole becomes a copy of the bytes, without materialising its old content first.
      if (n === PAGE_SIZE && !(this.pages.get(pageIndex) instanceof Uint8Array)) this.pages.set(pageIndex, new Uint8Array(src));
      else this.pageBytes(pageIndex).set(src, offset);
      at += n;
    }
  }

  /** Sets `length` bytes from `address` to `value`; whole pages become a single value. */
  erase(address: number, length: number, value: number): void {
    checkRange(address, length);
    const v = value & 0xff;
    for (let at = 0; at < length; ) {
      const { pageIndex, offset, n } = pageSpan(address + at, length - at);
      if (n === PAGE_SIZE) this.pages.set(pageIndex, v);
      else this.pageBytes(pageIndex).fill(v, offset, offset + n);
      at += n;
    }
  }

  /** Returns `length` bytes from `address` to their unwritten state (e.g. RAM after a reset). */
  discard(address: number, length: number): void {
    checkRange(address, length);
    for (let at = 0; at < length; ) {
      const { pageIndex, offset, n } = pageSpan(address + at, length - at);
      if (n === PAGE_SIZE) this.pages.delete(pageIndex);
      else if (this.pages.has(pageIndex)) this.fillFn(pageIndex * PAGE_SIZE + offset, this.pageBytes(pageIndex).subarray(offset, offset + n));
      at += n;
    }
  }

  /** True when every byte of the range equals `value`. */
  isErased(address: number, length: number, value: number): boolean {
    checkRange(address, length);
    const v = value & 0xff;
    for (let at = 0; at < length; ) {
      const { pageIndex, offset, n } = pageSpan(address + at, length - at);
      const page = this.pages.get(pageIndex);
      if (typeof page === 'number' ? page !== v : !allBytesAre(this.bytesOf(pageIndex, offset, n, this.scratch), v)) return false;
      at += n;
    }
    return true;
  }

  /** Drops every page. */
  clear(): void {
    this.pages.clear();
  }

  /**
   * The `n` bytes at `offset` of page `pageIndex` as they read: a view of the page when it is written,
   * else `into` (at least `n` long) filled with the page's value or fill.
   */
  private bytesOf(pageIndex: number, offset: number, n: number, into: Uint8Array): Uint8Array {
    const page = this.pages.get(pageIndex);
    if (page instanceof Uint8Array) return page.subarray(offset, offset + n);
    const view = into.length === n ? into : into.subarray(0, n);
    if (page === undefined) this.fillFn(pageIndex * PAGE_SIZE + offset, view);
    else view.fill(page);
    return view;
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

/** The part of a range from `address` (`left` bytes long) that lies in one page. */
function pageSpan(address: number, left: number): { pageIndex: number; offset: number; n: number } {
  const pageIndex = Math.floor(address / PAGE_SIZE);
  const offset = address - pageIndex * PAGE_SIZE;
  return { pageIndex, offset, n: Math.min(PAGE_SIZE - offset, left) };
}

function checkRange(address: number, length: number): void {
  if (!Number.isInteger(address) || !Number.isInteger(length) || address < 0 || length < 0 || address + length > ADDRESS_SPACE) {
    throw new InvalidArgumentError(
      `memory range 0x${address.toString(16)} + ${length} is outside the 32-bit address space (0..0xFFFFFFFF)`,
      { address, length },
    );
  }
}
