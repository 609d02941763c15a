/**
 * The default service table of the simulated ECU (contract "Default service table"; sessions 01
 * default, 02 programming, 03 extended): which SIDs and sub-functions exist in which sessions and
 * behind which security level. The dispatcher applies it as steps 1-7 of the order of checks.
 */
import type { ServiceCodec } from '../uds/codec/service-codec.js';
import { diagnosticSessionControl } from '../uds/codec/0x10-diagnostic-session-control.js';
import { ecuReset } from '../uds/codec/0x11-ecu-reset.js';
import { readDataByIdentifier } from '../uds/codec/0x22-read-data-by-identifier.js';
import { securityAccess } from '../uds/codec/0x27-security-access.js';
import { communicationControl } from '../uds/codec/0x28-communication-control.js';
import { writeDataByIdentifier } from '../uds/codec/0x2e-write-data-by-identifier.js';
import { routineControl } from '../uds/codec/0x31-routine-control.js';
import { requestDownload } from '../uds/codec/0x34-request-download.js';
import { requestUpload } from '../uds/codec/0x35-request-upload.js';
import { transferData } from '../uds/codec/0x36-transfer-data.js';
import { requestTransferExit } from '../uds/codec/0x37-request-transfer-exit.js';
import { testerPresent } from '../uds/codec/0x3e-tester-present.js';
import { controlDtcSetting } from '../uds/codec/0x85-control-dtc-setting.js';
import type { ServiceRule, ServiceTable, SubFunctionRule } from '../uds/server/service-table.js';
import type { EcuConfig } from './config.js';
import { SESSION } from './session-manager.js';

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
  return new Map<number, ServiceRule>([
    [0x10, rule(diagnosticSessionControl, { sessions: ALL_SESSIONS, subFunctions: subs(ALL_SESSIONS) })],
    [0x11, rule(ecuReset, { sessions: ALL_SESSIONS, subFunctions: subs([0x01, 0x02, 0x03]) })],
    [0x22, rule(readDataByIdentifier, { sessions: ALL_SESSIONS })],
    [0x27, rule(securityAccess, { sessions: securitySessions, subFunctions: securitySubs })],
    [0x28, rule(communicationControl, { sessions: NON_DEFAULT, subFunctions: subs([0x00, 0x01, 0x02, 0x03]) })],
    [0x2e, rule(writeDataByIdentifier, { sessions: NON_DEFAULT })],
    [0x31, rule(routineControl, { sessions: NON_DEFAULT, subFunctions: subs([0x01, 0x02, 0x03]) })],
    [0x34, rule(requestDownload, transfer)],
    [0x35, rule(requestUpload, transfer)],
    [0x36, rule(transferData, transfer)],
    [0x37, rule(requestTransferExit, transfer)],
    [0x3e, rule(testerPresent, { sessions: ALL_SESSIONS, subFunctions: subs([0x00]) })],
    [0x85, rule(controlDtcSetting, { sessions: NON_DEFAULT, subFunctions: subs([0x01, 0x02]) })],
  ]);
}
