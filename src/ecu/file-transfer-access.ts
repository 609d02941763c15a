/**
 * Where RequestFileTransfer (0x38) is allowed, and what that means for TransferData (36) and
 * RequestTransferExit (37), as service-table rules (order of checks steps 2-3).
 */
import type { AccessRule } from '../uds/server/service-table.js';
import type { EcuConfig } from './config.js';

/**
 * The rule of 0x38, or undefined when the profile turns the file area off (`files.enabled: false`, the
 * SID is then not supported: 0x11). Default: programming and extended session, behind the programming
 * security level. ISO 14229-1:2020 15.1 puts 38 in the upload/download functional unit with 34/35; like
 * them it changes server data, so it stays out of the default session and needs security (OEM practice).
 */
export function fileTransferRule(config: EcuConfig): AccessRule | undefined {
  const files = config.files;
  if (!files.enabled) return undefined;
  return { sessions: files.sessions, securityLevels: files.securityLevels ?? [config.programming.securityLevel] };
}

/**
 * The rule of 36 and 37: wherever a memory transfer (`memory`, the rule of 34/35) or a file transfer may
 * run. 36/37 only continue a transfer that 34/35/38 started under their own rules, and a session change
 * (the only way security is lost) aborts it, so the union is as strict as each of them.
 */
export function transferDataRule(config: EcuConfig, memory: AccessRule): AccessRule {
  const file = fileTransferRule(config);
  if (!file) return memory;
  const sessions = memory.sessions && file.sessions ? [...new Set([...memory.sessions, ...file.sessions])].sort((a, b) => a - b) : undefined;
  const noSecurity = (r: AccessRule): boolean => r.securityLevels === undefined || r.securityLevels.length === 0;
  const securityLevels =
    noSecurity(memory) || noSecurity(file)
      ? undefined
      : [...new Set([...(memory.securityLevels ?? []), ...(file.securityLevels ?? [])])].sort((a, b) => a - b);
  return { ...(sessions ? { sessions } : {}), ...(securityLevels ? { securityLevels } : {}) };
}
