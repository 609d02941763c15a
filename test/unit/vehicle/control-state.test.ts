/**
 * What the control API reports: sector states read from sparse memory (erased / programmed / partial),
 * runs of equal sectors over regions with mixed sector sizes, the ECU view and the vehicle view.
 */
import { describe, expect, it } from 'vitest';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { SparseMemory } from '../../../src/ecu/sparse-memory.js';
import { FakeClock } from '../../../src/core/clock.js';
import { ecuView, rangeText, regionView, sectorState, vehicleView } from '../../../src/vehicle/control-state.js';

describe('sectorState', () => {
  const mem = new SparseMemory({ fill: 0xff });
  mem.write(0x1000, new Uint8Array(0x1000).fill(0x11)); // a whole sector
  mem.write(0x2000, new Uint8Array(0x100).fill(0x22)); // its first line only
  mem.write(0x3000, Uint8Array.of(0xff, 0xff)); // written, but with the erased value

  it.each([
    [0x0000, 'erased'],
    [0x1000, 'programmed'],
    [0x2000, 'partial'],
    [0x3000, 'erased'],
  ] as const)('sector at %i is %s', (start, state) => {
    expect(sectorState(mem, start, 0x1000, 0xff)).toBe(state);
  });

  it('a sector smaller than a line is erased or programmed, never partial', () => {
    expect(sectorState(mem, 0x2000, 0x80, 0xff)).toBe('programmed');
    expect(sectorState(mem, 0x2100, 0x80, 0xff)).toBe('erased');
  });
});

describe('regionView', () => {
  it('merges equal neighbouring sectors of one size into runs and counts each state', () => {
    // STM32F4-like: 4 x 16 KiB, 1 x 64 KiB, 3 x 128 KiB.
    const cfg = parseEcuConfig({
      address: 0x1010,
      memory: [{ name: 'app', kind: 'flash', start: 0x08000000, size: 0x80000, sectors: [{ size: 0x4000, count: 4 }, { size: 0x10000, count: 1 }, { size: 0x20000, count: 3 }] }],
    });
    const region = cfg.memory[0]!;
    const mem = new SparseMemory({ fill: 0xff });
    mem.write(0x08000000, new Uint8Array(0x8000).fill(0xa5)); // sectors 0 and 1
    mem.write(0x08020000, new Uint8Array(0x10).fill(0x01)); // start of the first 128 KiB sector
    const v = regionView(mem, region);
    expect(v).toMatchObject({ name: 'app', kind: 'flash', start: 0x08000000, end: 0x0807ffff, size: 0x80000, range: '0x08000000-0x0807FFFF', erasedValue: 0xff });
    expect(v.summary).toEqual({ erased: 5, programmed: 2, partial: 1 });
    expect(v.sectors).toEqual([
      { start: 0x08000000, end: 0x08007fff, count: 2, sectorSize: 0x4000, state: 'programmed' },
      { start: 0x08008000, end: 0x0800ffff, count: 2, sectorSize: 0x4000, state: 'erased' },
      { start: 0x08010000, end: 0x0801ffff, count: 1, sectorSize: 0x10000, state: 'erased' },
      { start: 0x08020000, end: 0x0803ffff, count: 1, sectorSize: 0x20000, state: 'partial' },
      { start: 0x08040000, end: 0x0807ffff, count: 2, sectorSize: 0x20000, state: 'erased' },
    ]);
  });

  it('reads a 32 MiB region of unwritten memory without allocating it', () => {
    const cfg = parseEcuConfig({ address: 0x1010, memory: [{ name: 'big', kind: 'flash', start: 0, size: 0x2000000, sectorSize: 0x10000 }] });
    const mem = new SparseMemory({ fill: 0xff });
    const v = regionView(mem, cfg.memory[0]!);
    expect(v.summary).toEqual({ erased: 512, programmed: 0, partial: 0 });
    expect(v.sectors).toHaveLength(1);
    expect(mem.usedBytes).toBe(0);
  });
});

describe('ecuView / vehicleView', () => {
  it('reports session, security, availability, transfer and memory of an ECU', () => {
    const ecu = new SimulatedEcu({ address: 0x1010, name: 'engine' }, { clock: new FakeClock() });
    ecu.memory.write(0, new Uint8Array(0x1000).fill(1));
    const v = ecuView(ecu);
    expect(v).toMatchObject({
      address: 0x1010,
      addressHex: '0x1010',
      name: 'engine',
      session: 1,
      securityLevel: null,
      failedAttempts: 0,
      available: true,
      transfer: null,
      vehicle: { voltage: 12.5, ignition: true, speedKmh: 0, engineRunning: false },
    });
    expect(['app', 'boot']).toContain(v.mode);
    expect(v.memory.map((r) => [r.name, r.summary.programmed])).toEqual(
      ecu.config.memory.map((r) => [r.name, r.start === 0 ? 1 : 0]),
    );
    ecu.close();
  });

  it('says whether every ECU reads the same vehicle conditions', () => {
    const clock = new FakeClock();
    const a = new SimulatedEcu({ address: 0x1010 }, { clock });
    const b = new SimulatedEcu({ address: 0x1020, vehicleState: { voltage: 13 } }, { clock });
    expect(vehicleView('car', [a, b])).toMatchObject({ name: 'car', state: { voltage: 12.5 }, consistent: false });
    b.setVehicleState({ voltage: 12.5 });
    expect(vehicleView('car', [a, b])).toMatchObject({ consistent: true, ecus: [{ address: 0x1010 }, { address: 0x1020, state: { voltage: 12.5 } }] });
    a.close();
    b.close();
  });

  it('writes ranges as 8 hex digits', () => {
    expect(rangeText(0x08008000, 0x38000)).toBe('0x08008000-0x0803FFFF');
  });
});
