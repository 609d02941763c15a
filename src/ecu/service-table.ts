/**
 * The default service table of the simulated ECU (contract "Default service table"; sessions 01
 * default, 02 programming, 03 extended): which SIDs and sub-functions exist in which sessions and
 * behind which security level. The dispatcher applies it as steps 1-7 of the order of checks.
 */
import type { ServiceCodec } from '../uds/codec/service-codec.js';
import { diagnosticSessionControl } from '../uds/codec/0x10-diagnostic-session-control.js';
import { ecuReset } from '../uds/codec/0x11-ecu-reset.js';
import { clearDiagnosticInformation } from '../uds/codec/0x14-clear-diagnostic-information.js';
import { readDtcInformation } from '../uds/codec/0x19-read-dtc-information.js';
import { readDataByIdentifier } from '../uds/codec/0x22-read-data-by-identifier.js';
import { readMemoryByAddress } from '../uds/codec/0x23-read-memory-by-address.js';
import { readScalingDataByIdentifier } from '../uds/codec/0x24-read-scaling-data-by-identifier.js';
import { securityAccess } from '../uds/codec/0x27-security-access.js';
import { communicationControl } from '../uds/codec/0x28-communication-control.js';
import { dynamicallyDefineDataIdentifier } from '../uds/codec/0x2c-dynamically-define-data-identifier.js';
import { writeDataByIdentifier } from '../uds/codec/0x2e-write-data-by-identifier.js';
import { inputOutputControlByIdentifier } from '../uds/codec/0x2f-input-output-control-by-identifier.js';
import { routineControl } from '../uds/codec/0x31-routine-control.js';
import { requestDownload } from '../uds/codec/0x34-request-download.js';
import { requestUpload } from '../uds/codec/0x35-request-upload.js';
import { transferData } from '../uds/codec/0x36-transfer-data.js';
import { requestTransferExit } from '../uds/codec/0x37-request-transfer-exit.js';
import { requestFileTransfer } from '../uds/codec/0x38-request-file-transfer.js';
import { writeMemoryByAddress } from '../uds/codec/0x3d-write-memory-by-address.js';
import { testerPresent } from '../uds/codec/0x3e-tester-present.js';
import { controlDtcSetting } from '../uds/codec/0x85-control-dtc-setting.js';
import { responseOnEvent } from '../uds/codec/0x86-response-on-event.js';
import { readDataByPeriodicIdentifier } from '../uds/codec/0x2a-read-data-by-periodic-identifier.js';
import { accessTimingParameter } from '../uds/codec/0x83-access-timing-parameter.js';
import { linkControl } from '../uds/codec/0x87-link-control.js';
import type { ServiceRule, ServiceTable, SubFunctionRule } from '../uds/server/service-table.js';
import type { EcuConfig } from './config.js';
import { SESSION } from './session-manager.js';
import { fileTransferRule, transferDataRule } from './file-transfer-access.js';

const ALL_SESSIONS = [SESSION.default, SESSION.programming, SESSION.extended];
const NON_DEFAULT = [SESSION.programming, SESSION.extended];

/** Sub-function values all allowed wherever the service is. */
function subs(values: readonly number[], rule: SubFunctionRule = {}): ReadonlyMap<number, SubFunctionRule> {
  return new Map(values.map((v) => [v, rule]));
}

/** A rule whose minimum length is the codec's (step 4). */
function rule(codec: Pick<ServiceCodec<unknown, unknown>, 'minRequestLength'>, r: Omit<ServiceRule, 'minLength'>): ServiceRule {
  return { ...r, minLength: codec.minRequestLength };
}

/** Builds the default table for `config`. */
export function defaultServiceTable(config: EcuConfig): ServiceTable {
  const prog = config.programming;
  const levels = config.security.levels;
  // SecurityAccess: requestSeed L and sendKey L+1 in the level's sessions (steps 5-6 -> 0x12 / 0x7E).
  const securitySubs = new Map<number, SubFunctionRule>();
  for (const l of levels) {
    securitySubs.set(l.level, { sessions: l.sessions });
    securitySubs.set(l.level + 1, { sessions: l.sessions });
  }
  const securitySessions = [...new Set(levels.flatMap((l) => l.sessions))].sort((a, b) => a - b);
  const transfer: Omit<ServiceRule, 'minLength'> = { sessions: [prog.session], securityLevels: [prog.securityLevel] };
  // 0x38 (absent when files.enabled is false); 36/37 serve 34/35 and 38 transfers (file-transfer-access.ts).
  const fileTransfer = fileTransferRule(config);
  return new Map<number, ServiceRule>([
    [0x10, rule(diagnosticSessionControl, { sessions: ALL_SESSIONS, subFunctions: subs(ALL_SESSIONS) })],
    [0x11, rule(ecuReset, { sessions: ALL_SESSIONS, subFunctions: subs([0x01, 0x02, 0x03]) })],
    // ISO 14229-1:2020 12.2 / 12.3 — DTC services in the default and extended sessions (typical OEM practice;
    // 14 FF FF FF is the post-programming clear of spec/bootloader-and-flashing.md, sent in 03).
    [0x14, rule(clearDiagnosticInformation, { sessions: [SESSION.default, SESSION.extended] })],
    [0x19, rule(readDtcInformation, { sessions: [SESSION.default, SESSION.extended], subFunctions: subs([0x01, 0x02, 0x03, 0x04, 0x06, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e]) })],
    [0x22, rule(readDataByIdentifier, { sessions: ALL_SESSIONS })],
    // ISO 14229-1:2020 11.3 / 11.4 (services-per-session table): 23 and 24 read, allowed in the default session too;
    // the memory regions (memory-access.ts) and DIDs carry their own session and security rules.
    [0x23, rule(readMemoryByAddress, { sessions: [SESSION.default, SESSION.extended] })],
    [0x24, rule(readScalingDataByIdentifier, { sessions: [SESSION.default, SESSION.extended] })],
    [0x27, rule(securityAccess, { sessions: securitySessions, subFunctions: securitySubs })],
    [0x28, rule(communicationControl, { sessions: NON_DEFAULT, subFunctions: subs([0x00, 0x01, 0x02, 0x03]) })],
    // ISO 14229-1:2020 11.6: DDDIDs live in the extended session (cleared on return to default, 10.2.1).
    [0x2c, rule(dynamicallyDefineDataIdentifier, { sessions: [SESSION.extended], subFunctions: subs([0x01, 0x02, 0x03]) })],
    [0x2e, rule(writeDataByIdentifier, { sessions: NON_DEFAULT })],
    // ISO 14229-1:2020 13.2: IO control is not a default-session service (it ends there, 10.2.1); typical OEM
    // practice puts it behind security in the extended session.
    [0x2f, rule(inputOutputControlByIdentifier, { sessions: [SESSION.extended], securityLevels: [prog.securityLevel] })],
    [0x31, rule(routineControl, { sessions: NON_DEFAULT, subFunctions: subs([0x01, 0x02, 0x03]) })],
    [0x34, rule(requestDownload, transfer)],
    [0x35, rule(requestUpload, transfer)],
    [0x36, rule(transferData, transferDataRule(config, transfer))],
    [0x37, rule(requestTransferExit, transferDataRule(config, transfer))],
    ...(fileTransfer ? [[0x38, rule(requestFileTransfer, fileTransfer)] as const] : []),
    // ISO 14229-1:2020 11.8: writing memory by address, extended session behind security (typical OEM practice).
    [0x3d, rule(writeMemoryByAddress, { sessions: [SESSION.extended], securityLevels: [prog.securityLevel] })],
    [0x3e, rule(testerPresent, { sessions: ALL_SESSIONS, subFunctions: subs([0x00]) })],
    [0x85, rule(controlDtcSetting, { sessions: NON_DEFAULT, subFunctions: subs([0x01, 0x02]) })],
    // ISO 14229-1:2020 10.9 — ResponseOnEvent in the extended session; each event with storageState (bit 6) 0 or 1.
    [0x86, rule(responseOnEvent, { sessions: [SESSION.extended], subFunctions: subs([0x00, 0x01, 0x03, 0x04, 0x05, 0x06].flatMap((e) => [e, e | 0x40])) })],
    // ISO 14229-1 services-per-session table: 2A, 83 and 87 are not available in the default session (their
    // effects must end with the session: 10.2.1). Periodic data in the extended session only (typical OEM use).
    [0x2a, rule(readDataByPeriodicIdentifier, { sessions: [SESSION.extended] })],
    [0x83, rule(accessTimingParameter, { sessions: NON_DEFAULT, subFunctions: subs([0x01, 0x02, 0x03, 0x04]) })],
    [0x87, rule(linkControl, { sessions: NON_DEFAULT, subFunctions: subs([0x01, 0x02, 0x03]) })],
  ]);
}
