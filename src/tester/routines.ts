/**
 * The programming routines of RoutineControl (0x31) the flashing sequence uses (spec/uds.md "Standard
 * identifiers", spec/bootloader-and-flashing.md): eraseMemory FF00, checkMemory 0202 and
 * checkProgrammingDependencies FF01, each started with `31 01` and checked for its status.
 */
import { uintToBytes } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { encodeAddressAndLength } from '../uds/codec/address-and-length.js';
import { RoutineControlType } from '../uds/codec/0x31-routine-control.js';
import type { UdsClient } from '../uds/client/uds-client.js';
import { RoutineFailedError } from './errors.js';

/** Default routine identifiers (ISO 14229-1:2020 annex F.1 for FF00/FF01; 0202 per spec/uds.md). */
export const ROUTINE = {
  eraseMemory: 0xff00,
  checkProgrammingDependencies: 0xff01,
  checkMemory: 0x0202,
} as const;

/** Options of {@link eraseMemory}. */
export interface EraseOptions {
  /** Routine identifier, default 0xFF00. */
  routineId?: number;
  /**
   * Option record layout: `'alfid'` (default) = `ALFID addr size` with ALFID 0x44 (ISO 14229-1 annex F),
   * `'addr4size4'` = `addr(4) size(4)` without ALFID (seed 000's prototype).
   */
  format?: 'alfid' | 'addr4size4';
}

/**
 * Checks the status of a finished routine: an empty status record, or a first byte 0x00, is success
 * (spec/bootloader-and-flashing.md: "status 00 correct / 01 incorrect"); anything else throws
 * {@link RoutineFailedError}.
 */
export function checkRoutineStatus(name: string, routineId: number, source: number, statusRecord: Uint8Array, hint: string): void {
  if (statusRecord.length === 0 || statusRecord[0] === 0x00) return;
  throw new RoutineFailedError({ name, routineId, source, statusRecord, hint });
}

function checkRid(routineId: number): void {
  if (!Number.isInteger(routineId) || routineId < 0 || routineId > 0xffff) {
    throw new InvalidArgumentError(`routineId must be 0x0000..0xFFFF, got ${String(routineId)}`, { field: 'routineId' });
  }
}

/** `31 01 FF00 [44] addr size`; returns the status record. */
export async function eraseMemory(client: UdsClient, address: number, size: number, opts: EraseOptions = {}): Promise<Uint8Array> {
  const routineId = opts.routineId ?? ROUTINE.eraseMemory;
  checkRid(routineId);
  const format = opts.format ?? 'alfid';
  let record: Uint8Array;
  if (format === 'alfid') record = encodeAddressAndLength(address, size, 4, 4);
  else if (format === 'addr4size4') record = encodeAddressAndLength(address, size, 4, 4).subarray(1);
  else throw new InvalidArgumentError(`eraseMemory: format must be 'alfid' or 'addr4size4', got ${String(format)}`, { field: 'format' });
  const res = await client.routineControl(RoutineControlType.startRoutine, routineId, record);
  checkRoutineStatus('eraseMemory', routineId, client.target, res.statusRecord, 'check that the range is whole sectors of an erasable region');
  return res.statusRecord;
}

/** `31 01 0202 CRC32(4)`: the ECU compares the CRC32 of what was downloaded. */
export async function checkMemory(client: UdsClient, crc32: number, routineId: number = ROUTINE.checkMemory): Promise<Uint8Array> {
  checkRid(routineId);
  if (!Number.isInteger(crc32) || crc32 < 0 || crc32 > 0xffffffff) {
    throw new InvalidArgumentError(`checkMemory: crc32 must be a u32, got ${String(crc32)}`, { field: 'crc32' });
  }
  const res = await client.routineControl(RoutineControlType.startRoutine, routineId, uintToBytes(crc32, 4));
  checkRoutineStatus('checkMemory', routineId, client.target, res.statusRecord, 'the downloaded data differs from what the ECU holds: erase and download again');
  return res.statusRecord;
}

/** `31 01 FF01`: the ECU verifies every programmed block and sets its app-valid flag. */
export async function checkDependencies(client: UdsClient, routineId: number = ROUTINE.checkProgrammingDependencies): Promise<Uint8Array> {
  checkRid(routineId);
  const res = await client.routineControl(RoutineControlType.startRoutine, routineId);
  checkRoutineStatus(
    'checkProgrammingDependencies',
    routineId,
    client.target,
    res.statusRecord,
    'a required block is missing or failed its check: program every block of the software and check each with checkMemory',
  );
  return res.statusRecord;
}
