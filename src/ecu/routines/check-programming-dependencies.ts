/**
 * Routine FF01 checkProgrammingDependencies (spec/bootloader-and-flashing.md): every block downloaded
 * since the last erase must have been completed with 37, confirmed by checkMemory, and still hold the
 * data it was programmed with. Status `00 00` correct, or `01 reason` (see `DEPENDENCY_FAILURE`).
 */
import { crc32 } from '../../core/crc.js';
import { DEPENDENCY_FAILURE } from '../programming-log.js';
import type { RoutineDefinition } from './routine-registry.js';

/** The checkProgrammingDependencies routine with identifier `id`. */
export function checkProgrammingDependenciesRoutine(id: number, session: number, securityLevel: number): RoutineDefinition {
  return {
    id,
    name: 'checkProgrammingDependencies',
    sessions: [session],
    securityLevels: [securityLevel],
    start(ecu) {
      const blocks = ecu.programmingLog.blocks;
      let reason = 0;
      if (blocks.length === 0) reason = DEPENDENCY_FAILURE.noBlockDownloaded;
      for (const b of blocks) {
        if (reason !== 0) break;
        if (!b.completed) reason = DEPENDENCY_FAILURE.transferNotCompleted;
        else if (!b.checked) reason = DEPENDENCY_FAILURE.blockNotChecked;
        else if (crc32(ecu.memory.read(b.address, b.size)) !== b.crc) reason = DEPENDENCY_FAILURE.memoryChanged;
      }
      return reason === 0 ? Uint8Array.of(0x00, 0x00) : Uint8Array.of(0x01, reason);
    },
  };
}
