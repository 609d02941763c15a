/**
 * UDS codecs (ISO 14229-1:2020): one pure encoder/decoder per service, the SID and NRC tables, the
 * negative response, and {@link describeMessage} for printing any message.
 */
import { diagnosticSessionControl } from './0x10-diagnostic-session-control.js';
import { ecuReset } from './0x11-ecu-reset.js';
import { clearDiagnosticInformation } from './0x14-clear-diagnostic-information.js';
import { readDtcInformation } from './0x19-read-dtc-information.js';
import { readDataByIdentifier } from './0x22-read-data-by-identifier.js';
import { readMemoryByAddress } from './0x23-read-memory-by-address.js';
import { readScalingDataByIdentifier } from './0x24-read-scaling-data-by-identifier.js';
import { securityAccess } from './0x27-security-access.js';
import { communicationControl } from './0x28-communication-control.js';
import { readDataByPeriodicIdentifier } from './0x2a-read-data-by-periodic-identifier.js';
import { dynamicallyDefineDataIdentifier } from './0x2c-dynamically-define-data-identifier.js';
import { writeDataByIdentifier } from './0x2e-write-data-by-identifier.js';
import { inputOutputControlByIdentifier } from './0x2f-input-output-control-by-identifier.js';
import { routineControl } from './0x31-routine-control.js';
import { requestDownload } from './0x34-request-download.js';
import { requestUpload } from './0x35-request-upload.js';
import { transferData } from './0x36-transfer-data.js';
import { requestTransferExit } from './0x37-request-transfer-exit.js';
import { requestFileTransfer } from './0x38-request-file-transfer.js';
import { writeMemoryByAddress } from './0x3d-write-memory-by-address.js';
import { testerPresent } from './0x3e-tester-present.js';
import { controlDtcSetting } from './0x85-control-dtc-setting.js';
import { responseOnEvent } from './0x86-response-on-event.js';
import { accessTimingParameter } from './0x83-access-timing-parameter.js';
import { linkControl } from './0x87-link-control.js';
import { describeWith, type MessageDescription } from './describe-message.js';
import type { ServiceCodec } from './service-codec.js';

export * from './sid.js';
export * from './nrc.js';
export * from './negative-response.js';
export * from './service-codec.js';
export * from './address-and-length.js';
export * from './0x10-diagnostic-session-control.js';
export * from './0x11-ecu-reset.js';
export * from './0x14-clear-diagnostic-information.js';
export * from './0x19-read-dtc-information.js';
export * from './dtc-format.js';
export * from './0x22-read-data-by-identifier.js';
export * from './0x23-read-memory-by-address.js';
export * from './0x24-read-scaling-data-by-identifier.js';
export * from './0x27-security-access.js';
export * from './0x28-communication-control.js';
export * from './0x2a-read-data-by-periodic-identifier.js';
export * from './periodic-data-message.js';
export * from './0x2c-dynamically-define-data-identifier.js';
export * from './0x2e-write-data-by-identifier.js';
export * from './0x2f-input-output-control-by-identifier.js';
export * from './0x31-routine-control.js';
export * from './0x34-request-download.js';
export * from './0x35-request-upload.js';
export * from './0x36-transfer-data.js';
export * from './0x37-request-transfer-exit.js';
export * from './0x38-request-file-transfer.js';
export * from './0x3d-write-memory-by-address.js';
export * from './0x3e-tester-present.js';
export * from './0x85-control-dtc-setting.js';
export * from './0x86-response-on-event.js';
export * from './0x83-access-timing-parameter.js';
export * from './0x87-link-control.js';
export { printable, type MessageDescription } from './describe-message.js';

/** A codec with its types erased, as stored in {@link SERVICE_CODECS}. */
export type AnyServiceCodec = ServiceCodec<unknown, unknown, unknown>;

const ALL: readonly AnyServiceCodec[] = [
  diagnosticSessionControl,
  ecuReset,
  clearDiagnosticInformation,
  readDtcInformation,
  readDataByIdentifier,
  readMemoryByAddress,
  readScalingDataByIdentifier,
  securityAccess,
  communicationControl,
  readDataByPeriodicIdentifier,
  dynamicallyDefineDataIdentifier,
  writeDataByIdentifier,
  inputOutputControlByIdentifier,
  routineControl,
  requestDownload,
  requestUpload,
  transferData,
  requestTransferExit,
  requestFileTransfer,
  writeMemoryByAddress,
  testerPresent,
  controlDtcSetting,
  responseOnEvent,
  accessTimingParameter,
  linkControl,
];

/** Every codec udskit ships, keyed by request SID. */
export const SERVICE_CODECS: ReadonlyMap<number, AnyServiceCodec> = new Map(ALL.map((c) => [c.sid, c]));

/**
 * Describes any UDS message for printing: request, positive or negative response (`7F`), decoded with
 * the matching codec of {@link SERVICE_CODECS}, byte fields as hex. Never throws: a malformed message
 * gives `fields: { raw, error }`.
 */
export function describeMessage(bytes: Uint8Array): MessageDescription {
  return describeWith(SERVICE_CODECS, bytes);
}
