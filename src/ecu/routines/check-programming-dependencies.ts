/**
 * Routine FF01 checkProgrammingDependencies (spec/bootloader-and-flashing.md): every block downloaded
 * into flash since the last reset must have been completed with 37, confirmed by checkMemory, and still
 * hold the data it was programmed with; every region erased since the last success must have received a
 * block; on a dual-bank ECU the blocks must lie in one bank. Status `00 00` correct — the app-valid flag
 * is then set and the blocks' CRC32s stored in NV (boot-manager.ts) — or `01 reason` (`DEPENDENCY_FAILURE`)
 * with the flag left as it is. Downloads into RAM (the flash driver) are not part of the application.
 */
import { crc32 } from '../../core/crc.js';
import { isProgrammableFlash } from '../config-memory.js';
import type { EcuRuntime } from '../ecu-runtime.js';
import { DEPENDENCY_FAILURE, type DownloadedBlock } from '../programming-log.js';
import type { RoutineDefinition } from './routine-registry.js';

/** The reason FF01 fails for `blocks` (flash blocks since the last reset), or 0 when it succeeds. */
export function dependencyFailure(ecu: EcuRuntime, blocks: readonly DownloadedBlock[]): number {
  if (blocks.length === 0) return DEPENDENCY_FAILURE.noBlockDownloaded;
  for (const b of blocks) {
    if (!b.completed) return DEPENDENCY_FAILURE.transferNotCompleted;
    if (!b.checked) return DEPENDENCY_FAILURE.blockNotChecked;
    let crc = 0;
    ecu.memory.scan(b.address, b.size, (bytes) => {
      crc = crc32(bytes, crc);
    });
    if (crc !== b.crc) return DEPENDENCY_FAILURE.memoryChanged;
  }
  for (const region of ecu.programmingLog.erasedRegions) {
    if (!blocks.some((b) => b.region === region)) return DEPENDENCY_FAILURE.blockMissing;
  }
  const banks = new Set(blocks.map((b) => ecu.boot.bankIndex(b.region)).filter((x) => x !== undefined));
  if (banks.size > 1) return DEPENDENCY_FAILURE.bankConflict;
  return 0;
}

/** The checkProgrammingDependencies routine with identifier `id`. */
export function checkProgrammingDependenciesRoutine(id: number, session: number, securityLevel: number): RoutineDefinition {
  return {
    id,
    name: 'checkProgrammingDependencies',
    sessions: [session],
    securityLevels: [securityLevel],
    start(ecu) {
      const blocks = ecu.programmingLog.blocks.filter((b) => {
        const region = ecu.memoryMap.regions.find((r) => r.name === b.region);
        return region !== undefined && isProgrammableFlash(region.kind);
      });
      const reason = dependencyFailure(ecu, blocks);
      if (reason !== 0) {
        ecu.logger.info('checkProgrammingDependencies failed', { reason });
        return Uint8Array.of(0x01, reason);
      }
      // spec/bootloader-and-flashing.md — the app-valid flag is set only by a successful FF01.
      ecu.boot.commit(blocks);
      ecu.programmingLog.committed();
      return Uint8Array.of(0x00, 0x00);
    },
  };
}
