/** The service handlers of the simulated ECU, one file per SID. */
import { diagnosticSessionControlHandler } from './0x10-diagnostic-session-control.js';
import { ecuResetHandler } from './0x11-ecu-reset.js';
import { clearDiagnosticInformationHandler } from './0x14-clear-diagnostic-information.js';
import { readDtcInformationHandler } from './0x19-read-dtc-information.js';
import { readDataByIdentifierHandler } from './0x22-read-data-by-identifier.js';
import { readMemoryByAddressHandler } from './0x23-read-memory-by-address.js';
import { readScalingDataByIdentifierHandler } from './0x24-read-scaling-data-by-identifier.js';
import { dynamicallyDefineDataIdentifierHandler } from './0x2c-dynamically-define-data-identifier.js';
import { inputOutputControlByIdentifierHandler } from './0x2f-input-output-control-by-identifier.js';
import { writeMemoryByAddressHandler } from './0x3d-write-memory-by-address.js';
import { securityAccessHandler } from './0x27-security-access.js';
import { communicationControlHandler } from './0x28-communication-control.js';
import { writeDataByIdentifierHandler } from './0x2e-write-data-by-identifier.js';
import { routineControlHandler } from './0x31-routine-control.js';
import { requestDownloadHandler } from './0x34-request-download.js';
import { requestUploadHandler } from './0x35-request-upload.js';
import { transferDataHandler } from './0x36-transfer-data.js';
import { requestTransferExitHandler } from './0x37-request-transfer-exit.js';
import { requestFileTransferHandler } from './0x38-request-file-transfer.js';
import { testerPresentHandler } from './0x3e-tester-present.js';
import { controlDtcSettingHandler } from './0x85-control-dtc-setting.js';
import { responseOnEventHandler } from './0x86-response-on-event.js';
import { readDataByPeriodicIdentifierHandler } from './0x2a-read-data-by-periodic-identifier.js';
import { accessTimingParameterHandler } from './0x83-access-timing-parameter.js';
import { linkControlHandler } from './0x87-link-control.js';
import type { EcuHandler } from './types.js';

export type { EcuHandler, EcuRequestContext } from './types.js';
export {
  diagnosticSessionControlHandler,
  ecuResetHandler,
  clearDiagnosticInformationHandler,
  readDtcInformationHandler,
  readDataByIdentifierHandler,
  readMemoryByAddressHandler,
  readScalingDataByIdentifierHandler,
  dynamicallyDefineDataIdentifierHandler,
  inputOutputControlByIdentifierHandler,
  writeMemoryByAddressHandler,
  securityAccessHandler,
  communicationControlHandler,
  writeDataByIdentifierHandler,
  routineControlHandler,
  requestDownloadHandler,
  requestUploadHandler,
  transferDataHandler,
  requestTransferExitHandler,
  requestFileTransferHandler,
  testerPresentHandler,
  readDataByPeriodicIdentifierHandler,
  accessTimingParameterHandler,
  linkControlHandler,
  controlDtcSettingHandler,
  responseOnEventHandler,
};

/** Every built-in handler by SID. */
export const DEFAULT_HANDLERS: ReadonlyMap<number, EcuHandler> = new Map<number, EcuHandler>([
  [0x10, diagnosticSessionControlHandler],
  [0x11, ecuResetHandler],
  [0x14, clearDiagnosticInformationHandler],
  [0x19, readDtcInformationHandler],
  [0x22, readDataByIdentifierHandler],
  [0x23, readMemoryByAddressHandler],
  [0x24, readScalingDataByIdentifierHandler],
  [0x2c, dynamicallyDefineDataIdentifierHandler],
  [0x2f, inputOutputControlByIdentifierHandler],
  [0x3d, writeMemoryByAddressHandler],
  [0x27, securityAccessHandler],
  [0x28, communicationControlHandler],
  [0x2e, writeDataByIdentifierHandler],
  [0x31, routineControlHandler],
  [0x34, requestDownloadHandler],
  [0x35, requestUploadHandler],
  [0x36, transferDataHandler],
  [0x37, requestTransferExitHandler],
  [0x38, requestFileTransferHandler],
  [0x3e, testerPresentHandler],
  [0x85, controlDtcSettingHandler],
  [0x86, responseOnEventHandler],
  [0x2a, readDataByPeriodicIdentifierHandler],
  [0x83, accessTimingParameterHandler],
  [0x87, linkControlHandler],
]);
