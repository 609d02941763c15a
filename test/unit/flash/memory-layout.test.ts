/** Erase blocks of each strategy and the memory map checks (a file that does not fit the ECU is refused before anything is sent). */
import { describe, it, expect } from 'vitest';
import { FlashPlanError } from '../../../src/flash/errors.js';
import { noEraseBlocks, placeSegments, sectorBlocks, segmentBlocks, vbfBlocks, type LayoutRegion } from '../../../src/flash/memory-layout.js';

const seg = (address: number, size: number): { address: number; data: Uint8Array } => ({ address, data: new Uint8Array(size).fill(0xa5) });
const regions: LayoutRegion[] = [
  { name: 'boot', kind: 'boot', start: 0x0, size: 0x10000, sectors: [{ size: 0x4000, count: 4 }] },
  // STM32F4-like mixed sectors: 4 x 16 KiB, 1 x 64 KiB, then 128 KiB.
  { name: 'app', kind: 'flash', start: 0x10000, size: 0x60000, sectors: [{ size: 0x4000, count: 4 }, { size: 0x10000, count: 1 }, { size: 0x20000, count: 2 }] },
  { name: 'cal', kind: 'flash', start: 0x70000, size: 0x8000, sectors: [{ size: 0x2000, count: 4 }] },
  { name: 'ram', kind: 'ram', start: 0x20000000, size: 0x10000, sectors: [{ size: 0x10000, count: 1 }] },
];

describe('erase blocks', () => {
  it('sectors: whole sectors touched, adjacent runs of one region merged, data sharing a sector kept in one block', () => {
    const blocks = sectorBlocks([seg(0x10000, 0x200), seg(0x10400, 0x5000), seg(0x40000, 0x10), seg(0x6ff00, 0x200)], regions, 'app.s19');
    expect(blocks.map((b) => [b.erase, b.segments.map((s) => [s.address, s.data.length]), b.bytes])).toEqual([
      // 0x10000..0x157FF touches the 16 KiB sectors 0 and 1.
      [{ address: 0x10000, size: 0x8000 }, [[0x10000, 0x200], [0x10400, 0x5000]], 0x5200],
      // 0x40000 is in the first 128 KiB sector (0x30000..0x4FFFF); 0x6FF00..0x6FFFF in the second -> adjacent: one run.
      [{ address: 0x30000, size: 0x40000 }, [[0x40000, 0x10], [0x6ff00, 0x100]], 0x110],
      // The rest crosses into the calibration region: its own block.
      [{ address: 0x70000, size: 0x2000 }, [[0x70000, 0x100]], 0x100],
    ]);
  });

  it('refuses data outside the map or in boot / ram, naming the range and the map', () => {
    expect(() => sectorBlocks([seg(0x8000, 0x10)], regions, 'x.hex')).toThrow(/x\.hex: data at 0x00008000 lies in the boot region "boot"; firmware can only be programmed into flash regions/);
    expect(() => sectorBlocks([seg(0x90000, 0x10)], regions, 'x.hex')).toThrow(/data at 0x00090000\.\.0x0009000F lies outside the ECU's memory map \(boot \(boot\)/);
    expect(() => placeSegments([seg(0x10000, 0x10)], regions, 'ram', 'driver')).toThrow(FlashPlanError);
    expect(placeSegments([seg(0x20000000, 0x10)], regions, 'ram', 'driver')).toHaveLength(1);
  });

  it('segments, none and vbf strategies', () => {
    expect(segmentBlocks([seg(0x10000, 0x100)], regions, 'a').map((b) => b.erase)).toEqual([{ address: 0x10000, size: 0x100 }]);
    expect(noEraseBlocks([seg(0x10000, 0x100), seg(0x20000, 0x10)], undefined, 'a').map((b) => b.erase)).toEqual([undefined, undefined]);
    const v = vbfBlocks([seg(0x10000, 0x100), seg(0x30000, 0x10)], [{ address: 0x30000, size: 0x4000 }, { address: 0x10000, size: 0x4000 }, { address: 0x50000, size: 0x4000 }], undefined, 'a.vbf');
    expect(v.map((b) => [b.erase?.address, b.segments.length])).toEqual([[0x10000, 1], [0x30000, 1], [0x50000, 0]]);
    expect(() => vbfBlocks([seg(0x60000, 1)], [{ address: 0x10000, size: 0x100 }], undefined, 'a.vbf')).toThrow(/lies in none of the VBF erase ranges/);
    expect(() => vbfBlocks([seg(0x60000, 1)], [], undefined, 'a.vbf')).toThrow(/needs erase ranges in the VBF header/);
  });
});
