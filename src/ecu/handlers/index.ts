/** The service handlers of the simulated ECU, one file per SID. */
import { diagnosticSessionControlHandler } from './0x10-diagnostic-session-control.js';
import { ecuResetHandler } from './0x11-ecu-reset.js';
import { readDataByIdentifierHandler } from './0x22-read-data-by-identifier.js';
import { securityAccessHandler } from './0x27-security-access.js';
import { communicationControlHandler } from './0x28-communication-control.js';
import { writeDataByIdentifierHandler } from './0x2e-write-data-by-identifier.js';
import { routineControlHandler } from './0x31-routine-control.js';
import { requestDownloadHandler } from './0x34-request-download.js';
import { requestUploadHandler } from './0x35-request-upload.js';
import { transferDataHandler } from './0x36-transfer-data.js';
import { requestTransferExitHandler } from './0x37-request-transfer-exit.js';
import { testerPresentHandler } from './0x3e-tester-present.js';
import { controlDtcSettingHandler } from './0x85-control-dtc-setting.js';
import type { EcuHandler } from './types.js';

export type { EcuHandler, EcuRequestContext } from './types.js';
export {
  diagnosticSessionControlHandler,
  ecuResetHandler,
  readDataByIdentifierHandler,
  securityAccessHandler,
  communicationControlHandler,
  writeDataByIdentifierHandler,
  routineControlHandler,
  requestDownloadHandler,
  requestUploadHandler,
  transferDataHandler,
  requestTransferExitHandler,
  testerPresentHandler,
  controlDtcSettingHandler,
};

/** Every built-in handler by SID. */
export const DEFAULT_HANDLERS: ReadonlyMap<number, EcuHandler> = new Map<number, EcuHandler>([
  [0x10, diagnosticSessionControlHandler],
  [0x11, ecuResetHandler],
  [0x22, readDataByIdentifierHandler],
  [0x27, securityAccessHandler],
  [0x28, communicationControlHandler],
  [0x2e, writeDataByIdentifierHandler],
  [0x31, routineControlHandler],
  [0x34, requestDownloadHandler],
  [0x35, requestUploadHandler],
  [0x36, transferDataHandler],
  [0x37, requestTransferExitHandler],
  [0x3e, testerPresentHandler],
  [0x85, controlDtcSettingHandler],
]);
