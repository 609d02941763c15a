/**
 * The `power-loss` fault (fault-spec.ts): the supply fails in the middle of an erase or of a
 * TransferData to flash. A real flash is then torn: the first sectors of the range are erased and the
 * rest still hold the old content, or the first part of the block is written and the rest is still
 * erased. The ECU answers nothing and powers up again.
 *
 * The torn part is done by the ECU's own handler (a request for the first part of the range / block
 * takes the original's place), so every side effect of a real erase or write happens as it would:
 * the app-valid flag is cleared, the programming log and a state directory are updated.
 */
import { concatBytes, uintToBytes } from '../core/bytes.js';
import type { MemoryRegionConfig } from '../ecu/config.js';
import { parseEraseRange } from '../ecu/routines/erase-memory.js';
import type { SimulatedEcu } from '../ecu/simulated-ecu.js';

/** ISO 14229-1:2020 14.2 — RoutineControl (0x31) with sub-function startRoutine (0x01). */
const ROUTINE_CONTROL = 0x31;
const START_ROUTINE = 0x01;
/** ISO 14229-1:2020 15.4 — TransferData. */
const TRANSFER_DATA = 0x36;

/**
 * Switches the ECU off and on again: RAM, session and security are lost, and after its reset time the
 * ECU starts as after power-on (in the bootloader when the application is not valid).
 */
export function powerCycleEcu(ecu: SimulatedEcu): void {
  ecu.powerCycle();
}

/** The erase range of `data` when it is a start of the ECU's eraseMemory routine naming whole sectors of a region. */
export function eraseRequestRange(ecu: SimulatedEcu, data: Uint8Array): { address: number; size: number; region: MemoryRegionConfig } | undefined {
  const id = ecu.config.programming.routines.eraseMemory;
  if (data.length < 4 || data[0] !== ROUTINE_CONTROL || ((data[1] as number) & 0x7f) !== START_ROUTINE) return undefined;
  if ((((data[2] as number) << 8) | (data[3] as number)) !== id) return undefined;
  let range: { address: number; size: number };
  try {
    range = parseEraseRange(data.subarray(4));
  } catch {
    return undefined;
  }
  const region = ecu.model.memoryMap.regionFor(range.address, range.size);
  if (!region || !ecu.model.memoryMap.isWholeSectors(region, range.address, range.size)) return undefined;
  return { ...range, region };
}

/**
 * The erase request that does what the interrupted `data` got done: the same routine over the first half
 * of its sectors (at least one), in the option record format of the original.
 */
export function tornEraseRequest(ecu: SimulatedEcu, data: Uint8Array): Uint8Array | undefined {
  const erase = eraseRequestRange(ecu, data);
  if (!erase) return undefined;
  const n = ecu.model.memoryMap.sectorCount(erase.region, erase.address, erase.size);
  const end = sectorEnd(erase.region, erase.address, Math.max(1, Math.floor(n / 2)));
  const size = end - erase.address;
  const option = data.subarray(4);
  const alfid = option[0] as number;
  const addrLen = alfid & 0x0f;
  const sizeLen = alfid >> 4;
  const alfidForm = addrLen >= 1 && addrLen <= 4 && sizeLen >= 1 && sizeLen <= 4 && option.length === 1 + addrLen + sizeLen;
  const record = alfidForm
    ? concatBytes([alfid], uintToBytes(erase.address, addrLen), uintToBytes(size, sizeLen))
    : concatBytes(uintToBytes(erase.address, 4), uintToBytes(size, 4));
  return concatBytes(data.subarray(0, 4), record);
}

/** True when `data` is a TransferData and the ECU's active transfer downloads into flash (not RAM). */
export function isTransferDataToFlash(ecu: SimulatedEcu, data: Uint8Array): boolean {
  if (data[0] !== TRANSFER_DATA) return false;
  const t = ecu.model.transfer.progress;
  if (!t || t.direction !== 'download' || t.file) return false;
  const region = ecu.model.memoryMap.regions.find((r) => r.name === t.region);
  return region !== undefined && region.kind !== 'ram';
}

/**
 * The TransferData that writes what the interrupted `data` got written: the first half of its block,
 * cut at the region's programming granularity; undefined when not even one unit would be written.
 */
export function tornProgrammingRequest(ecu: SimulatedEcu, data: Uint8Array): Uint8Array | undefined {
  const t = ecu.model.transfer.progress;
  const region = t ? ecu.model.memoryMap.regions.find((r) => r.name === t.region) : undefined;
  if (data.length < 3 || !region) return undefined;
  const granularity = Math.max(1, region.programmingGranularity);
  const block = data.length - 2;
  const keep = Math.floor(block / 2 / granularity) * granularity;
  return keep > 0 ? data.slice(0, 2 + keep) : undefined;
}

/** The address after the first `k` sectors of `region` from `address` (a sector boundary). */
export function sectorEnd(region: MemoryRegionConfig, address: number, k: number): number {
  let at = region.start;
  let next = address;
  let left = k;
  for (const g of region.sectors) {
    const groupEnd = at + g.size * g.count;
    if (next < groupEnd) {
      const from = Math.max(next, at);
      const inGroup = Math.floor((groupEnd - from) / g.size);
      if (left <= inGroup) return from + left * g.size;
      left -= inGroup;
      next = groupEnd;
    }
    at = groupEnd;
  }
  return region.start + region.size;
}
