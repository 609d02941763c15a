/**
 * What the control API reports about an ECU and the vehicle (control-types.ts): mode, session,
 * security, app-valid flag, transfer, vehicle conditions, and the memory map with the state of each
 * sector, read from the sparse memory without materialising it (unwritten pages cost nothing).
 */
import { hexNum } from '../core/hex.js';
import type { MemoryRegionConfig, VehicleState } from '../ecu/config.js';
import type { SimulatedEcu } from '../ecu/simulated-ecu.js';
import type { SparseMemory } from '../ecu/sparse-memory.js';
import type { EcuView, RegionView, SectorRun, SectorState, VehicleView } from './control-types.js';

/**
 * A sector with some erased lines and some written ones is `partial`. A line is this many bytes (or the
 * whole sector when it is smaller); data that holds a whole line of the erased value reads as erased there.
 */
export const SECTOR_LINE_BYTES = 256;

/** `0x08008000-0x0803FFFF`. */
export function rangeText(start: number, size: number): string {
  return `${hexNum(start, 8)}-${hexNum(start + size - 1, 8)}`;
}

/** The state of the sector `[start, start + size)` of a region whose erased value is `erasedValue`. */
export function sectorState(memory: SparseMemory, start: number, size: number, erasedValue: number): SectorState {
  if (memory.isErased(start, size, erasedValue)) return 'erased';
  const line = Math.min(SECTOR_LINE_BYTES, size);
  for (let at = start; at < start + size; at += line) {
    if (memory.isErased(at, Math.min(line, start + size - at), erasedValue)) return 'partial';
  }
  return 'programmed';
}

/** The regions of `ecu` with the state of every sector, runs of equal sectors merged. */
export function regionView(memory: SparseMemory, region: MemoryRegionConfig): RegionView {
  const summary: Record<SectorState, number> = { erased: 0, programmed: 0, partial: 0 };
  const runs: SectorRun[] = [];
  let current: { start: number; count: number; sectorSize: number; state: SectorState } | undefined;
  let at = region.start;
  for (const group of region.sectors) {
    for (let i = 0; i < group.count; i++, at += group.size) {
      const state = sectorState(memory, at, group.size, region.erasedValue);
      summary[state]++;
      if (current && current.state === state && current.sectorSize === group.size) {
        current.count++;
        continue;
      }
      if (current) runs.push(run(current));
      current = { start: at, count: 1, sectorSize: group.size, state };
    }
  }
  if (current) runs.push(run(current));
  return {
    name: region.name,
    kind: region.kind,
    start: region.start,
    end: region.start + region.size - 1,
    size: region.size,
    range: rangeText(region.start, region.size),
    erasedValue: region.erasedValue,
    summary,
    sectors: runs,
  };
}

function run(r: { start: number; count: number; sectorSize: number; state: SectorState }): SectorRun {
  return { start: r.start, end: r.start + r.count * r.sectorSize - 1, count: r.count, sectorSize: r.sectorSize, state: r.state };
}

/** Everything the control API reports about `ecu`. */
export function ecuView(ecu: SimulatedEcu): EcuView {
  const s = ecu.state;
  return {
    address: ecu.address,
    addressHex: hexNum(ecu.address),
    name: ecu.name,
    mode: s.mode,
    session: s.session,
    securityLevel: s.securityLevel,
    failedAttempts: s.securityFailedAttempts,
    securityDelayRemainingMs: s.securityDelayRemainingMs,
    appValid: s.appValid,
    available: s.available,
    transfer: s.transfer ?? null,
    vehicle: s.vehicle,
    memoryUsedBytes: s.memoryUsedBytes,
    memory: ecu.model.memoryMap.regions.map((r) => regionView(ecu.memory, r)),
  };
}

/** The vehicle conditions the ECUs read. */
export function vehicleView(name: string, ecus: readonly SimulatedEcu[]): VehicleView {
  const list = ecus.map((e) => ({ address: e.address, name: e.name, state: { ...e.model.vehicle } }));
  const first: VehicleState = list[0]?.state ?? { voltage: 0, ignition: false, speedKmh: 0, engineRunning: false };
  const firstText = JSON.stringify(first);
  return { name, state: first, consistent: list.every((e) => JSON.stringify(e.state) === firstText), ecus: list };
}
