/**
 * Routine FF00 eraseMemory (ISO 14229-1:2020 annex F, routine identifiers; spec/bootloader-and-flashing.md):
 * erases whole sectors of an app / calibration / flash region to its erased value, sector by sector
 * (eraseTimePerSectorMs each), after clearing the app-valid flag (boot-manager.ts). Option record `ALFID address size`
 * (ISO 14229-1:2020 15.2.2 format) or the prototype's `address(4) size(4)`.
 */
import { sleep } from '../../core/clock.js';
import { readUintBE } from '../../core/bytes.js';
import { hexNum } from '../../core/hex.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { isProgrammableFlash } from '../config-memory.js';
import { eraseTimePerSectorMs } from '../config-timing.js';
import type { RoutineDefinition } from './routine-registry.js';

/** The range an erase option record names. */
export interface EraseRange {
  readonly address: number;
  readonly size: number;
}

/**
 * Parses the option record: `ALFID address size` when the ALFID nibbles are 1..4 and the length matches
 * them, else `address(4) size(4)` when it is 8 bytes long. Anything else is 0x13.
 */
export function parseEraseRange(option: Uint8Array): EraseRange {
  const alfid = option[0];
  if (alfid !== undefined) {
    const addrLen = alfid & 0x0f;
    const sizeLen = alfid >> 4;
    if (addrLen >= 1 && addrLen <= 4 && sizeLen >= 1 && sizeLen <= 4 && option.length === 1 + addrLen + sizeLen) {
      return { address: readUintBE(option, 1, addrLen), size: readUintBE(option, 1 + addrLen, sizeLen) };
    }
  }
  if (option.length === 8) return { address: readUintBE(option, 0, 4), size: readUintBE(option, 4, 4) };
  // ISO 14229-1:2020 14.2.4 NRC 0x13 — the routineControlOptionRecord has the wrong length/format.
  throw new NrcError(
    NRC.incorrectMessageLengthOrInvalidFormat,
    `eraseMemory option record must be "ALFID address size" or "address(4) size(4)", got ${option.length} byte(s)`,
  );
}

/** The eraseMemory routine with identifier `id`, allowed in `session` with `securityLevel` unlocked. */
export function eraseMemoryRoutine(id: number, session: number, securityLevel: number): RoutineDefinition {
  return {
    id,
    name: 'eraseMemory',
    sessions: [session],
    securityLevels: [securityLevel],
    async start(ecu, option) {
      const { address, size } = parseEraseRange(option);
      const region = ecu.memoryMap.regionFor(address, size);
      // spec/bootloader-and-flashing.md — only whole sectors of an erasable region (app / calibration /
      // flash), never boot or protected memory, else 0x31 (ISO 14229-1:2020 14.2.4 requestOutOfRange).
      if (!region || !isProgrammableFlash(region.kind)) {
        throw new NrcError(NRC.requestOutOfRange, `${hexNum(address, 8)} + ${size} is not inside an erasable flash region`);
      }
      ecu.boot.assertProgrammable(region, address, size);
      if (!ecu.memoryMap.isWholeSectors(region, address, size)) {
        throw new NrcError(NRC.requestOutOfRange, `${hexNum(address, 8)} + ${size} is not whole sectors of region "${region.name}"`);
      }
      // spec/bootloader-and-flashing.md — the flash driver must be in RAM and checked (ISO 14229-1:2020 14.2.4 0x22).
      ecu.boot.assertDriverForErase();
      // The app-valid flag goes (in NV) before any flash byte changes.
      ecu.boot.beforeErase(region, address, size);
      ecu.programmingLog.erased(address, size, region.name);
      const perSector = eraseTimePerSectorMs(ecu.config.timingProfile, region);
      if (perSector === 0) {
        // Erased flash reads as its erased value: whole pages are dropped, nothing is allocated.
        ecu.memory.discard(address, size);
      } else {
        // Sector by sector, so that a power loss in the middle leaves some sectors erased. Longer than
        // P2server: the dispatcher sends 0x78 meanwhile (ISO 14229-1:2020 7.5).
        const generation = ecu.boot.powerGeneration;
        for (const sector of ecu.memoryMap.sectorsIn(region, address, size)) {
          await sleep(ecu.clock, perSector);
          if (ecu.boot.powerGeneration !== generation) throw new NrcError(NRC.conditionsNotCorrect, 'power was lost during the erase');
          ecu.memory.discard(sector.start, sector.size);
        }
      }
      ecu.logger.debug('erased', { address, size, region: region.name });
      return Uint8Array.of(0x00);
    },
  };
}
