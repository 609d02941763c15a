/**
 * Routine FF00 eraseMemory (ISO 14229-1:2020 annex F, routine identifiers; spec/bootloader-and-flashing.md):
 * erases whole sectors of a flash region to its erased value. Option record `ALFID address size`
 * (ISO 14229-1:2020 15.2.2 format) or the prototype's `address(4) size(4)`.
 */
import { sleep } from '../../core/clock.js';
import { readUintBE } from '../../core/bytes.js';
import { hexNum } from '../../core/hex.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
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
      // spec/bootloader-and-flashing.md — only whole sectors of an erasable (flash) region, else 0x31.
      if (!region || region.kind !== 'flash') {
        throw new NrcError(NRC.requestOutOfRange, `${hexNum(address, 8)} + ${size} is not inside an erasable flash region`);
      }
      if (!ecu.memoryMap.isWholeSectors(region, address, size)) {
        throw new NrcError(NRC.requestOutOfRange, `${hexNum(address, 8)} + ${size} is not whole sectors of region "${region.name}"`);
      }
      const ms = ecu.memoryMap.sectorCount(region, address, size) * region.eraseTimePerSectorMs;
      // Longer than P2server: the dispatcher sends 0x78 meanwhile.
      if (ms > 0) await sleep(ecu.clock, ms);
      ecu.memory.erase(address, size, region.erasedValue);
      ecu.programmingLog.erased();
      ecu.logger.debug('erased', { address, size, region: region.name });
      return Uint8Array.of(0x00);
    },
  };
}
