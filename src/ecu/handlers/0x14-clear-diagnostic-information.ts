/**
 * ClearDiagnosticInformation (0x14), ISO 14229-1:2020 12.2: clears the DTCs of a group (0xFFFFFF all,
 * one DTC, or a group the profile lists) — status back to 0x50, snapshots and extended data gone.
 */
import { hexByte } from '../../core/hex.js';
import { clearDiagnosticInformation } from '../../uds/codec/0x14-clear-diagnostic-information.js';
import { dtcHex } from '../../uds/codec/dtc-format.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x14. */
export const clearDiagnosticInformationHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 12.2.4 NRC 0x13 — not 4 or 5 bytes (the codec checks it).
  const req = clearDiagnosticInformation.decodeRequest(ctx.data);
  const store = ctx.env.dtcs;
  // ISO 14229-1:2020 12.2.4 NRC 0x31 — a MemorySelection names a user-defined DTC memory this ECU does not have.
  if (req.memorySelection !== undefined) {
    throw new NrcError(NRC.requestOutOfRange, `MemorySelection 0x${hexByte(req.memorySelection)}: this ECU has only its primary DTC memory`);
  }
  // ISO 14229-1:2020 12.2.4 NRC 0x31 — groupOfDTC is not a group (Annex D.1) or DTC the ECU supports.
  const members = store.groupMembers(req.groupOfDtc);
  if (!members) throw new NrcError(NRC.requestOutOfRange, `groupOfDTC ${dtcHex(req.groupOfDtc)} is not supported`);
  // ISO 14229-1:2020 12.2.4 NRC 0x22 — the profile's conditions for clearing are not met.
  const blocked = store.clearBlockedBy();
  if (blocked) throw new NrcError(NRC.conditionsNotCorrect, `cannot clear DTCs while ${blocked}`);
  store.clear(members);
  return clearDiagnosticInformation.encodeResponse({});
};
