import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZE, PagePool, SLAB_PAGES, slotOffset } from '../../../src/ecu/page-pool.js';
import { SparseMemory } from '../../../src/ecu/sparse-memory.js';

describe('PagePool', () => {
  it('hands out the pages of a slab in ascending order and reuses released slots', () => {
    const pool = new PagePool(0);
    const slots = Array.from({ length: SLAB_PAGES + 1 }, () => pool.alloc());
    expect(slots.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(slots[SLAB_PAGES]).toBe(SLAB_PAGES); // the first page of a second slab
    expect(pool.pagesInUse).toBe(SLAB_PAGES + 1);
    expect(pool.reservedBytes).toBe(2 * SLAB_PAGES * PAGE_SIZE);
    pool.release(5);
    expect(pool.alloc()).toBe(5);
    expect(slotOffset(5)).toBe(5 * PAGE_SIZE);
    expect(pool.slab(5)).toBe(pool.slab(0));
  });

  it('releases an empty slab beyond the reserve; keeps up to the reserve for later writes', () => {
    const keep = new PagePool(1);
    const a = Array.from({ length: 2 * SLAB_PAGES }, () => keep.alloc());
    for (const s of a) keep.release(s);
    expect(keep.pagesInUse).toBe(0);
    expect(keep.reservedBytes).toBe(SLAB_PAGES * PAGE_SIZE); // one empty slab kept
    // The kept slab is used again before a new one is made.
    const again = Array.from({ length: SLAB_PAGES }, () => keep.alloc());
    expect(keep.reservedBytes).toBe(SLAB_PAGES * PAGE_SIZE);
    expect(new Set(again).size).toBe(SLAB_PAGES);
  });

  it('property: slots in use are distinct and never in a released slab', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.nat(1000)), { maxLength: 600 }), fc.nat(2), (ops, reserve) => {
        const pool = new PagePool(reserve);
        const live: number[] = [];
        for (const [alloc, pick] of ops) {
          if (alloc || live.length === 0) live.push(pool.alloc());
          else pool.release(live.splice(pick % live.length, 1)[0] as number);
          expect(new Set(live).size).toBe(live.length);
          expect(pool.pagesInUse).toBe(live.length);
        }
        // Every live slot still has its slab, and the pool holds at most the slabs needed plus the reserve.
        for (const s of live) expect(pool.slab(s)).toBeDefined();
        const slabsInUse = new Set(live.map((s) => Math.floor(s / SLAB_PAGES))).size;
        expect(pool.reservedBytes).toBeLessThanOrEqual((slabsInUse + reserve) * SLAB_PAGES * PAGE_SIZE);
      }),
      { numRuns: 200 },
    );
  });
});

describe('SparseMemory on slabs', () => {
  it('erasing what was written frees it (usedBytes), rewriting reuses the slabs in order', () => {
    const m = new SparseMemory({ fill: 0xff });
    const data = Uint8Array.from({ length: 64 * PAGE_SIZE }, (_, i) => i & 0xff);
    m.write(0, data);
    expect(m.usedBytes).toBe(data.length);
    m.erase(0, data.length, 0xff);
    expect(m.usedBytes).toBe(0);
    m.write(0, data);
    // Pages written one after the other are one contiguous view for scan.
    const views: number[] = [];
    m.scan(0, data.length, (b) => views.push(b.length));
    expect(views).toEqual([data.length]);
    expect(Buffer.compare(m.read(0, data.length), data)).toBe(0);
  });

  it('readInto fills a caller-provided array, e.g. a response being built', () => {
    const m = new SparseMemory({ fill: 0x00 });
    m.write(PAGE_SIZE - 2, Uint8Array.of(1, 2, 3, 4));
    m.erase(2 * PAGE_SIZE, PAGE_SIZE, 0x77);
    const out = new Uint8Array(2 + 8);
    m.readInto(PAGE_SIZE - 3, out.subarray(2));
    expect([...out]).toEqual([0, 0, 0, 1, 2, 3, 4, 0, 0, 0]);
    const tail = new Uint8Array(3);
    m.readInto(3 * PAGE_SIZE - 1, tail);
    expect([...tail]).toEqual([0x77, 0, 0]);
  });

  it('generation counts the changes, not the reads', () => {
    const m = new SparseMemory();
    const g = m.generation;
    m.read(0, 10);
    m.isErased(0, 10, 0xff);
    expect(m.generation).toBe(g);
    m.write(0, Uint8Array.of(1));
    m.erase(0, 1, 0xff);
    m.discard(0, 1);
    m.clear();
    expect(m.generation).toBe(g + 4);
  });

  it('property: whole-page writes, erases and discards behave like a flat array; usedBytes counts written pages', () => {
    const op = fc.record({
      kind: fc.constantFrom('write', 'erase', 'discard'),
      page: fc.nat(7),
      offset: fc.constantFrom(0, 0, 1, 100),
      pages: fc.integer({ min: 0, max: 3 }),
      extra: fc.constantFrom(0, 0, 5),
      value: fc.nat(255),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const m = new SparseMemory({ fill: (a, out) => out.forEach((_, i) => (out[i] = (a + i) % 7)) });
        const size = 12 * PAGE_SIZE;
        const flat = Uint8Array.from({ length: size }, (_, i) => i % 7);
        // What each page holds: a single value, or bytes of its own (counted by usedBytes).
        const pages = new Map<number, 'value' | 'bytes'>();
        for (const o of ops) {
          const at = o.page * PAGE_SIZE + o.offset;
          const n = o.pages * PAGE_SIZE + o.extra;
          if (o.kind === 'write') {
            const bytes = Uint8Array.from({ length: n }, (_, i) => (o.value + i) & 0xff);
            m.write(at, bytes);
            flat.set(bytes, at);
          } else if (o.kind === 'erase') {
            m.erase(at, n, o.value);
            flat.fill(o.value, at, at + n);
          } else {
            m.discard(at, n);
            for (let i = at; i < at + n; i++) flat[i] = i % 7;
          }
          for (let p = Math.floor(at / PAGE_SIZE); n > 0 && p * PAGE_SIZE < at + n; p++) {
            const whole = p * PAGE_SIZE >= at && (p + 1) * PAGE_SIZE <= at + n;
            if (o.kind === 'write' || (o.kind === 'erase' && !whole)) pages.set(p, 'bytes');
            else if (o.kind === 'erase') pages.set(p, 'value');
            else if (whole) pages.delete(p);
            else if (pages.has(p)) pages.set(p, 'bytes');
          }
        }
        expect(Buffer.compare(m.read(0, size), flat)).toBe(0);
        const viaScan: Uint8Array[] = [];
        m.scan(0, size, (b) => viaScan.push(b.slice()));
        expect(Buffer.compare(Buffer.concat(viaScan), flat)).toBe(0);
        expect(m.usedBytes).toBe([...pages.values()].filter((k) => k === 'bytes').length * PAGE_SIZE);
      }),
      { numRuns: 200 },
    );
  });
});
