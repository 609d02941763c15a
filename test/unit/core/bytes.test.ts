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
