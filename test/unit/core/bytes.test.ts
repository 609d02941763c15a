import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter, bytesEqual, concatBytes, minBytesFor, uintToBytes } from '../../../src/core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../../src/core/errors.js';

describe('ByteReader', () => {
  it('reads big-endian fields in order', () => {
    const r = new ByteReader(Uint8Array.from([0x34, 0x00, 0x44, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0xaa]));
    expect(r.u8()).toBe(0x34);
    expect(r.u8()).toBe(0x00);
    expect(r.u8()).toBe(0x44);
    expect(r.u32()).toBe(0x00010000);
    expect(r.uint(3)).toBe(0x000010);
    expect(r.u8()).toBe(0x00);
    expect(r.remaining).toBe(1);
    expect(Array.from(r.rest())).toEqual([0xaa]);
    expect(() => r.end()).not.toThrow();
  });

  it('throws DecodeError naming the field on a short read', () => {
    const r = new ByteReader(Uint8Array.from([0x22, 0xf1]), 'ReadDataByIdentifier request');
    r.u8('sid');
    expect(() => r.u16('dataIdentifier')).toThrow(DecodeError);
    expect(() => r.u16('dataIdentifier')).toThrow(/dataIdentifier needs 2 byte\(s\) at offset 1, 1 left/);
  });

  it('restView() is a view of the rest (no copy); rest() is a copy', () => {
    const buf = Uint8Array.from([0x76, 0x01, 0xaa, 0xbb]);
    const r = new ByteReader(buf);
    r.u16();
    const view = r.restView();
    expect(Array.from(view)).toEqual([0xaa, 0xbb]);
    expect(r.remaining).toBe(0);
    buf[2] = 0x11;
    expect(view[0]).toBe(0x11);
    const copy = new ByteReader(buf).rest();
    buf[0] = 0x00;
    expect(copy[0]).toBe(0x76);
  });

  it('u16 / u32 read the same values as uint (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), (b) => {
        expect(new ByteReader(b).u16()).toBe(new ByteReader(b).uint(2));
        expect(new ByteReader(b).u32()).toBe(new ByteReader(b).uint(4));
      }),
    );
  });

  it('end() rejects trailing bytes', () => {
    const r = new ByteReader(Uint8Array.from([1, 2]));
    r.u8();
    expect(() => r.end()).toThrow(/1 unexpected byte/);
  });

  it('never throws anything but DecodeError on random input (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 8 }), (buf, sizes) => {
        const r = new ByteReader(buf);
        try {
          for (const n of sizes) r.uint(n);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });
});

describe('ByteWriter', () => {
  it('writes and grows', () => {
    const w = new ByteWriter(1);
    w.u8(0x74).u8(0x20).u16(0x1002).u32(0xdeadbeef).uint(0x010203, 3).bytes([9, 8]);
    expect(Array.from(w.finish())).toEqual([0x74, 0x20, 0x10, 0x02, 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 9, 8]);
    expect(w.length).toBe(13);
  });

  it('finish() hands over an exactly filled array, which later writes never change', () => {
    const w = new ByteWriter(3).u8(0x36).u16(0x0102);
    const done = w.finish();
    expect(Array.from(done)).toEqual([0x36, 0x01, 0x02]);
    w.u8(0xff);
    expect(Array.from(done)).toEqual([0x36, 0x01, 0x02]);
    expect(Array.from(w.finish())).toEqual([0x36, 0x01, 0x02, 0xff]);
  });

  it('u8 / u16 / u32 write the same bytes as uint, and reject the same values (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -2, max: 2 ** 32 + 2 }), fc.double()), (v) => {
        for (const [n, write] of [
          [1, (w: ByteWriter) => w.u8(v)],
          [2, (w: ByteWriter) => w.u16(v)],
          [4, (w: ByteWriter) => w.u32(v)],
        ] as const) {
          let viaUint: number[] | string;
          let fast: number[] | string;
          try {
            viaUint = Array.from(new ByteWriter().uint(v, n).finish());
          } catch (e) {
            viaUint = (e as Error).message;
          }
          try {
            fast = Array.from(write(new ByteWriter()).finish());
          } catch (e) {
            fast = (e as Error).message;
          }
          expect(fast).toEqual(viaUint);
        }
      }),
    );
  });

  it('rejects values that do not fit', () => {
    expect(() => new ByteWriter().u8(256)).toThrow(InvalidArgumentError);
    expect(() => new ByteWriter().u16(-1)).toThrow(InvalidArgumentError);
    expect(() => new ByteWriter().uint(1.5, 2)).toThrow(InvalidArgumentError);
  });

  it('round-trips every width (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), (n, raw) => {
        const v = raw % 2 ** (8 * Math.min(n, 4));
        const bytes = uintToBytes(v, n);
        expect(bytes.length).toBe(n);
        expect(new ByteReader(bytes).uint(n)).toBe(v);
      }),
    );
  });
});

describe('helpers', () => {
  it('concatBytes, bytesEqual, minBytesFor', () => {
    expect(Array.from(concatBytes([1], Uint8Array.of(2, 3), []))).toEqual([1, 2, 3]);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true);
    expect(bytesEqual(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false);
    expect(bytesEqual(Uint8Array.of(1), Uint8Array.of(1, 3))).toBe(false);
    expect([0xff, 0x100, 0xffff, 0x10000, 0x1000000].map(minBytesFor)).toEqual([1, 2, 2, 3, 4]);
  });
});
