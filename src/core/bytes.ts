/**
 * Big-endian byte reader and writer used by every codec.
 *
 * The reader throws {@link DecodeError} on any read past the end, so decoders never index out of
 * range; the writer grows as needed and returns a `Uint8Array` view of exactly what was written.
 */
import { DecodeError, InvalidArgumentError } from './errors.js';

/** Sequential big-endian reader over a `Uint8Array`. */
export class ByteReader {
  private pos = 0;

  constructor(private readonly buf: Uint8Array, private readonly what = 'message') {}

  /** Current read position. */
  get offset(): number {
    return this.pos;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number, field: string): void {
    if (n < 0 || this.pos + n > this.buf.length) {
      throw new DecodeError(
        `${this.what} too short: ${field} needs ${n} byte(s) at offset ${this.pos}, ${this.remaining} left`,
        { field, offset: this.pos, needed: n, length: this.buf.length },
      );
    }
  }

  /** One unsigned byte. */
  u8(field = 'u8'): number {
    this.need(1, field);
    return this.buf[this.pos++] as number;
  }

  /** Unsigned 16-bit big endian. */
  u16(field = 'u16'): number {
    this.need(2, field);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return ((b[p] as number) << 8) | (b[p + 1] as number);
  }

  /** Unsigned 32-bit big endian. */
  u32(field = 'u32'): number {
    this.need(4, field);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p] as number) * 0x1000000 + (((b[p + 1] as number) << 16) | ((b[p + 2] as number) << 8) | (b[p + 3] as number));
  }

  /** Unsigned big-endian integer of `n` bytes (0..6; 0 reads nothing and returns 0). */
  uint(n: number, field = 'uint'): number {
    if (n > 6) throw new InvalidArgumentError(`cannot read a ${n}-byte integer as a number (max 6)`);
    this.need(n, field);
    const v = readUintBE(this.buf, this.pos, n);
    this.pos += n;
    return v;
  }

  /** `n` bytes as a copy. */
  bytes(n: number, field = 'bytes'): Uint8Array {
    this.need(n, field);
    const out = this.buf.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Everything left, as a copy. */
  rest(): Uint8Array {
    const out = this.buf.slice(this.pos);
    this.pos = this.buf.length;
    return out;
  }

  /**
   * Everything left, as a view of the reader's buffer (no copy). For bulk fields (a TransferData
   * block) whose buffer nobody writes afterwards; a Node `Buffer` gives a `Buffer` view.
   */
  restView(): Uint8Array {
    const out = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return out;
  }

  /** Throws if bytes are left: for formats whose length is exact. */
  end(): void {
    if (this.remaining !== 0) {
      throw new DecodeError(`${this.what} too long: ${this.remaining} unexpected byte(s) at offset ${this.pos}`, {
        offset: this.pos,
        extra: this.remaining,
      });
    }
  }
}

function doesNotFit(v: number, n: number): InvalidArgumentError {
  return new InvalidArgumentError(`value ${v} does not fit in ${n} unsigned byte(s)`, { value: v, bytes: n });
}

/** `2 ** (8 * n)` for n = 0..5: the first value that does not fit in n bytes. */
const UINT_LIMITS: readonly number[] = [1, 2 ** 8, 2 ** 16, 2 ** 24, 2 ** 32, 2 ** 40];

/** Growable big-endian writer. */
export class ByteWriter {
  private buf: Uint8Array;
  private len = 0;

  constructor(initialCapacity = 64) {
    this.buf = new Uint8Array(Math.max(8, initialCapacity));
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** Number of bytes written so far. */
  get length(): number {
    return this.len;
  }

  /** One byte (0..255). */
  u8(v: number): this {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xff)) throw doesNotFit(v, 1);
    this.ensure(1);
    this.buf[this.len++] = v;
    return this;
  }

  /** Unsigned 16-bit big endian. */
  u16(v: number): this {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffff)) throw doesNotFit(v, 2);
    this.ensure(2);
    this.buf[this.len] = v >>> 8;
    this.buf[this.len + 1] = v & 0xff;
    this.len += 2;
    return this;
  }

  /** Unsigned 32-bit big endian. */
  u32(v: number): this {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) throw doesNotFit(v, 4);
    this.ensure(4);
    const b = this.buf;
    const o = this.len;
    b[o] = v >>> 24;
    b[o + 1] = (v >>> 16) & 0xff;
    b[o + 2] = (v >>> 8) & 0xff;
    b[o + 3] = v & 0xff;
    this.len = o + 4;
    return this;
  }

  /** Unsigned big-endian integer in `n` bytes (0..6). Throws if the value does not fit. */
  uint(v: number, n: number): this {
    if (!Number.isInteger(v) || v < 0 || n < 0 || n > 6 || (n < 6 && v >= (UINT_LIMITS[n] as number))) throw doesNotFit(v, n);
    this.ensure(n);
    let x = v;
    for (let i = n - 1; i >= 0; i--) {
      this.buf[this.len + i] = x % 256;
      x = Math.floor(x / 256);
    }
    this.len += n;
    return this;
  }

  /** Raw bytes. */
  bytes(b: Uint8Array | readonly number[]): this {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /**
   * The bytes written, as a new array of exactly that length. When the capacity was exact, that is the
   * writer's own array (no copy): any later write needs more room and moves the writer to a new array,
   * so the returned bytes never change.
   */
  finish(): Uint8Array {
    return this.len === this.buf.length ? this.buf : this.buf.slice(0, this.len);
  }
}

/** Reads an unsigned big-endian integer of `n` (0..6) bytes at `offset` without bounds checks beyond the array's. */
export function readUintBE(buf: Uint8Array, offset: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) v = v * 256 + (buf[offset + i] ?? 0);
  return v;
}

/** Encodes `v` as an unsigned big-endian integer of `n` bytes. */
export function uintToBytes(v: number, n: number): Uint8Array {
  return new ByteWriter(n).uint(v, n).finish();
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly (Uint8Array | readonly number[])[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** True when both arrays hold the same bytes. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Smallest number of bytes (1..4) that holds `v`. */
export function minBytesFor(v: number): number {
  if (v < 0x100) return 1;
  if (v < 0x10000) return 2;
  if (v < 0x1000000) return 3;
  return 4;
}
