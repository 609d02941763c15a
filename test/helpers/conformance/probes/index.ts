/** Every probe builder by SID. A SID of a service table without a builder here fails the conformance test. */
import { readDataByIdentifierProbes, readDataByPeriodicIdentifierProbes, writeDataByIdentifierProbes } from './data.js';
import { clearDiagnosticInformationProbes, readDtcInformationProbes, responseOnEventProbes } from './dtc.js';
import { requestFileTransferProbes } from './file-transfer.js';
import {
  dynamicallyDefineDataIdentifierProbes,
  inputOutputControlByIdentifierProbes,
  readMemoryByAddressProbes,
  readScalingDataByIdentifierProbes,
  writeMemoryByAddressProbes,
} from './memory-did.js';
import { accessTimingParameterProbes, linkControlProbes } from './timing-link.js';
import {
  requestDownloadProbes,
  requestTransferExitProbes,
  requestUploadProbes,
  routineControlProbes,
  transferDataProbes,
} from './routine-transfer.js';
import {
  communicationControlProbes,
  controlDtcSettingProbes,
  ecuResetProbes,
  securityAccessProbes,
  sessionControlProbes,
  testerPresentProbes,
} from './session-security.js';
import type { ProbeBuilder } from './types.js';

export * from './types.js';

/** Probe builders by SID. */
export const PROBE_BUILDERS: ReadonlyMap<number, ProbeBuilder> = new Map<number, ProbeBuilder>([
  [0x10, sessionControlProbes],
  [0x11, ecuResetProbes],
  [0x14, clearDiagnosticInformationProbes],
  [0x19, readDtcInformationProbes],
  [0x22, readDataByIdentifierProbes],
  [0x23, readMemoryByAddressProbes],
  [0x24, readScalingDataByIdentifierProbes],
  [0x27, securityAccessProbes],
  [0x28, communicationControlProbes],
  [0x2a, readDataByPeriodicIdentifierProbes],
  [0x2c, dynamicallyDefineDataIdentifierProbes],
  [0x2e, writeDataByIdentifierProbes],
  [0x2f, inputOutputControlByIdentifierProbes],
  [0x31, routineControlProbes],
  [0x34, requestDownloadProbes],
  [0x35, requestUploadProbes],
  [0x36, transferDataProbes],
  [0x37, requestTransferExitProbes],
  [0x38, requestFileTransferProbes],
  [0x3d, writeMemoryByAddressProbes],
  [0x3e, testerPresentProbes],
  [0x83, accessTimingParameterProbes],
  [0x85, controlDtcSettingProbes],
  [0x86, responseOnEventProbes],
  [0x87, linkControlProbes],
]);
