/**
 * Routine 0202 checkMemory (spec/bootloader-and-flashing.md): compares the CRC32 in the option record
 * with the CRC32 of the last downloaded range as it is in memory now; status 00 correct / 01 incorrect.
 */
import { readUintBE } from '../../core/bytes.js';
import { crc32 } from '../../core/crc.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { RoutineDefinition } from './routine-registry.js';

/** Status byte of checkMemory: the CRC matched. */
export const CHECK_MEMORY_CORRECT = 0x00;
/** Status byte of checkMemory: the CRC did not match. */
export const CHECK_MEMORY_INCORRECT = 0x01;

/** The checkMemory routine with identifier `id`. */
export function checkMemoryRoutine(id: number, session: number, securityLevel: number): RoutineDefinition {
  return {
    id,
    name: 'checkMemory',
    sessions: [session],
    securityLevels: [securityLevel],
    start(ecu, option) {
      // ISO 14229-1:2020 14.2.4 NRC 0x13 — the option record is the 4-byte CRC32.
      if (option.length !== 4) {
        throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, `checkMemory takes a 4-byte CRC32, got ${option.length} byte(s)`);
      }
      // ISO 14229-1:2020 14.2.4 NRC 0x24 — nothing to check yet, or the download is still running.
      const block = ecu.programmingLog.lastDownload;
      if (!block) throw new NrcError(NRC.requestSequenceError, 'nothing was downloaded to check');
      if (ecu.transfer.progress) throw new NrcError(NRC.requestSequenceError, 'a transfer is active; finish it with 37 first');
      let actual = 0;
      ecu.memory.scan(block.address, block.size, (bytes) => {
        actual = crc32(bytes, actual);
      });
      const ok = actual === readUintBE(option, 0, 4);
      block.checked = ok;
      // A correct flash driver in RAM may now erase and program (boot-manager.ts).
      ecu.boot.blockChecked(block, ok);
      return Uint8Array.of(ok ? CHECK_MEMORY_CORRECT : CHECK_MEMORY_INCORRECT);
    },
  };
}
