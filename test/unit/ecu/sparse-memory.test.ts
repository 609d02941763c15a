import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/hex.js';
import { PAGE_SIZE, SparseMemory } from '../../../src/ecu/sparse-memory.js';

describe('SparseMemory', () => {
  it('reads unwritten bytes as the fill value and costs nothing until written', () => {
    const m = new SparseMemory();
    expect(toHex(m.read(0xfffffffc, 4))).toBe('FF FF FF FF');
    expect(m.usedBytes).toBe(0);
    const z = new SparseMemory({ fill: 0x00 });
    expect(toHex(z.read(0x1000, 2))).toBe('00 00');
  });

  it('uses a fill function per address (region erased values)', () => {
    const m = new SparseMemory({ fill: (a, out) => out.forEach((_, i) => (out[i] = a + i < 0x10 ? 0x00 : 0xff)) });
    expect(toHex(m.read(0x0e, 4))).toBe('00 00 FF FF');
    m.write(0x0f, Uint8Array.of(0x55));
    expect(toHex(m.read(0x0e, 4))).toBe('00 55 FF FF');
  });

  it('writes across page boundaries and allocates only touched pages', () => {
    const m = new SparseMemory();
    m.write(PAGE_SIZE - 2, Uint8Array.of(1, 2, 3, 4));
    expect(toHex(m.read(PAGE_SIZE - 3, 6))).toBe('FF 01 02 03 04 FF');
    expect(m.usedBytes).toBe(2 * PAGE_SIZE);
    m.write(0xfff00000, new Uint8Array(16 * PAGE_SIZE).fill(0xab));
    expect(m.usedBytes).toBe(18 * PAGE_SIZE);
  });

  it('erases whole pages without allocating them, and partial pages in place', () => {
    const m = new SparseMemory({ fill: 0x00 });
    m.write(0, new Uint8Array(3 * PAGE_SIZE).fill(0x12));
    m.erase(0, 2 * PAGE_SIZE + 10, 0xff);
    expect(m.usedBytes).toBe(PAGE_SIZE);
    expect(m.isErased(0, 2 * PAGE_SIZE + 10, 0xff)).toBe(true);
    expect(m.isErased(0, 2 * PAGE_SIZE + 11, 0xff)).toBe(false);
    expect(toHex(m.read(2 * PAGE_SIZE + 9, 2))).toBe('FF 12');
    // A whole region of 16 MiB erased costs nothing.
    m.erase(0x01000000, 0x01000000, 0xff);
    expect(m.usedBytes).toBe(PAGE_SIZE);
  });

  it('isErased sees unwritten bytes through the fill', () => {
    const m = new SparseMemory({ fill: 0xff });
    expect(m.isErased(0x100, 0x10000, 0xff)).toBe(true);
    expect(m.isErased(0x100, 1, 0x00)).toBe(false);
    m.write(0x8000, Uint8Array.of(0xfe));
    expect(m.isErased(0x100, 0x10000, 0xff)).toBe(false);
  });

  it('discard returns bytes to their unwritten state', () => {
    const m = new SparseMemory({ fill: 0x00 });
    m.write(0, new Uint8Array(PAGE_SIZE + 4).fill(7));
    m.discard(0, PAGE_SIZE + 2);
    expect(toHex(m.read(PAGE_SIZE, 4))).toBe('00 00 07 07');
    expect(m.isErased(0, PAGE_SIZE, 0)).toBe(true);
    m.clear();
    expect(m.usedBytes).toBe(0);
  });

  it('scan visits the bytes of a range in order, as read() returns them', () => {
    const m = new SparseMemory({ fill: (a, out) => out.forEach((_, i) => (out[i] = (a + i) & 0x0f)) });
    m.write(PAGE_SIZE - 3, Uint8Array.of(0xa1, 0xa2, 0xa3, 0xa4, 0xa5));
    m.erase(2 * PAGE_SIZE, PAGE_SIZE, 0x77);
    const seen: number[] = [];
    m.scan(PAGE_SIZE - 5, 2 * PAGE_SIZE + 10, (bytes) => seen.push(...bytes));
    expect(seen).toEqual([...m.read(PAGE_SIZE - 5, 2 * PAGE_SIZE + 10)]);
    expect(seen.slice(0, 8)).toEqual([0x0b, 0x0c, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0x02]);
    expect(() => m.scan(0xffffffff, 2, () => undefined)).toThrow(InvalidArgumentError);
  });

  it('a page written as a whole holds a copy of the bytes', () => {
    const m = new SparseMemory();
    m.erase(PAGE_SIZE, PAGE_SIZE, 0x00); // page 1 holds a single value
    const bytes = new Uint8Array(2 * PAGE_SIZE).fill(0x42);
    m.write(PAGE_SIZE, bytes.subarray(0, PAGE_SIZE)); // page 1 as a whole
    m.write(3 * PAGE_SIZE, bytes.subarray(PAGE_SIZE)); // page 3 as a whole, never written before
    bytes.fill(0);
    expect(toHex(m.read(PAGE_SIZE - 1, 3))).toBe('FF 42 42');
    expect(toHex(m.read(4 * PAGE_SIZE - 2, 3))).toBe('42 42 FF');
    expect(m.usedBytes).toBe(2 * PAGE_SIZE);
  });

  it('rejects ranges outside the 32-bit space', () => {
    const m = new SparseMemory();
    expect(() => m.read(0xffffffff, 2)).toThrow(InvalidArgumentError);
    expect(() => m.write(-1, Uint8Array.of(1))).toThrow(InvalidArgumentError);
  });

  it('behaves like a flat array (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * PAGE_SIZE }), fc.uint8Array({ minLength: 0, maxLength: 600 }), fc.boolean())),
        (ops) => {
          const m = new SparseMemory({ fill: 0xff });
          const flat = new Uint8Array(4 * PAGE_SIZE).fill(0xff);
          for (const [addr, bytes, erase] of ops) {
            if (erase) {
              m.erase(addr, bytes.length, 0xff);
              flat.fill(0xff, addr, addr + bytes.length);
            } else {
              m.write(addr, bytes);
              flat.set(bytes, addr);
            }
          }
          expect(toHex(m.read(0, flat.length))).toBe(toHex(flat));
        },
      ),
      { numRuns: 50 },
    );
  });
});
