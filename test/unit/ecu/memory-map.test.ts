import { describe, it, expect } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { MemoryMap } from '../../../src/ecu/memory-map.js';

const config = parseEcuConfig({
  address: 1,
  memory: [
    // STM32F4-like: 4 x 16K, 1 x 64K, 1 x 128K.
    { name: 'app', start: 0x08000000, size: 0x40000, sectors: [{ size: 0x4000, count: 4 }, { size: 0x10000 }, { size: 0x20000 }] },
    { name: 'ram', kind: 'ram', start: 0x20000000, size: 0x100 },
    { name: 'boot', kind: 'boot', start: 0x1000, size: 0x1000 },
  ],
});
const map = new MemoryMap(config.memory);
const app = config.memory.find((r) => r.name === 'app') ?? config.memory[0];
if (!app) throw new Error('no app region');

describe('MemoryMap', () => {
  it('finds the region holding a whole range', () => {
    expect(map.regionFor(0x08000000, 0x40000)?.name).toBe('app');
    expect(map.regionFor(0x0803ffff, 2)).toBeUndefined();
    expect(map.regionFor(0x20000000, 0)).toBeUndefined();
    expect(map.regionAt(0x1800)?.kind).toBe('boot');
    expect(map.regionsOfKind('ram').map((r) => r.name)).toEqual(['ram']);
  });

  it('checks whole sectors with differing sector sizes', () => {
    expect(map.isWholeSectors(app, 0x08000000, 0x4000)).toBe(true);
    expect(map.isWholeSectors(app, 0x08004000, 0x4000 * 3 + 0x10000)).toBe(true);
    expect(map.isWholeSectors(app, 0x08010000, 0x10000)).toBe(true);
    expect(map.isWholeSectors(app, 0x08010000, 0x8000)).toBe(false);
    expect(map.isWholeSectors(app, 0x08000800, 0x4000)).toBe(false);
    expect(map.isWholeSectors(app, 0x08000000, 0x40001)).toBe(false);
  });

  it('counts the sectors a range touches', () => {
    expect(map.sectorCount(app, 0x08000000, 0x40000)).toBe(6);
    expect(map.sectorCount(app, 0x08003fff, 2)).toBe(2);
    expect(map.sectorCount(app, 0x08010000, 0x30000)).toBe(2);
  });

  it('fills unwritten bytes with each region erased value', () => {
    const out = new Uint8Array(4);
    map.fill(0x200000fe, out);
    expect(toHex(out)).toBe('00 00 FF FF');
  });
});
