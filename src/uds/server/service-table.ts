/**
 * The server's service table (which SIDs and sub-functions exist, in which sessions, behind which
 * security levels, with which minimum length) and the general order of checks that applies it
 * before any handler runs: spec/uds.md "Order of checks" steps 1-7, ISO 14229-1:2020 7.5
 * (general server response behaviour).
 */
import { NRC } from '../codec/nrc.js';
import { hasSubFunction as sidHasSubFunction, splitSubFunction } from '../codec/sid.js';

/** Where a service or sub-function may be used. */
export interface AccessRule {
  /** Sessions in which it is allowed; absent = every session. */
  readonly sessions?: readonly number[];
  /** Security levels (odd requestSeed values) of which one must be unlocked; absent or empty = none needed. */
  readonly securityLevels?: readonly number[];
}

/** A sub-function entry of a {@link ServiceRule}. */
export type SubFunctionRule = AccessRule;

/** One SID of the service table. */
export interface ServiceRule extends AccessRule {
  /** Minimum request length incl. SID (step 4, 0x13). Default 1, or 2 for a service with a sub-function. */
  readonly minLength?: number;
  /** Whether byte 2 is a sub-function (SPRMIB, steps 5-7). Default: the ISO definition of the SID. */
  readonly hasSubFunction?: boolean;
  /**
   * Supported sub-function values (without SPRMIB) and their own rules. Absent = the dispatcher does not
   * check sub-function values (the handler does).
   */
  readonly subFunctions?: ReadonlyMap<number, SubFunctionRule>;
}

/** The table: one rule per supported SID. A SID missing here is not supported (0x11). */
export type ServiceTable = ReadonlyMap<number, ServiceRule>;

/** The server state the checks read. */
export interface AccessState {
  /** The active diagnostic session. */
  readonly session: number;
  /** The unlocked security level (odd requestSeed value), or null when locked. */
  readonly securityLevel: number | null;
}

/** Outcome of {@link checkRequest}. */
export type CheckResult =
  | {
      readonly ok: true;
      readonly rule: ServiceRule;
      /** Sub-function value without SPRMIB, for services with a sub-function. */
      readonly subFunction: number | undefined;
      /** SPRMIB was set (only possible for services with a sub-function). */
      readonly suppressPositiveResponse: boolean;
    }
  | { readonly ok: false; readonly nrc: number; readonly step: number };

/** True when `rule` allows `session`. */
export function sessionAllowed(rule: AccessRule, session: number): boolean {
  return rule.sessions === undefined || rule.sessions.includes(session);
}

/** True when `rule` needs no security or one of its levels is unlocked. */
export function securityGranted(rule: AccessRule, securityLevel: number | null): boolean {
  if (rule.securityLevels === undefined || rule.securityLevels.length === 0) return true;
  return securityLevel !== null && rule.securityLevels.includes(securityLevel);
}

/** Whether the service of `sid` under `rule` carries a sub-function byte. */
export function ruleHasSubFunction(sid: number, rule: ServiceRule): boolean {
  return rule.hasSubFunction ?? sidHasSubFunction(sid);
}

/**
 * Applies steps 1-7 of the order of checks to the request `data` (non-empty); the first failing check
 * wins. `hasHandler(sid)` lets a SID without a registered handler count as not supported.
 */
export function checkRequest(
  table: ServiceTable,
  state: AccessState,
  data: Uint8Array,
  hasHandler: (sid: number) => boolean = () => true,
): CheckResult {
  const sid = data[0] ?? -1;
  const rule = table.get(sid);
  // Step 1 — ISO 14229-1:2020 7.5: SID not supported -> 0x11 serviceNotSupported.
  if (!rule || !hasHandler(sid)) return { ok: false, nrc: NRC.serviceNotSupported, step: 1 };
  // Step 2 — ISO 14229-1:2020 7.5: SID not supported in the active session -> 0x7F.
  if (!sessionAllowed(rule, state.session)) return { ok: false, nrc: NRC.serviceNotSupportedInActiveSession, step: 2 };
  // Step 3 — ISO 14229-1:2020 7.5: SID needs security and the server is locked -> 0x33.
  if (!securityGranted(rule, state.securityLevel)) return { ok: false, nrc: NRC.securityAccessDenied, step: 3 };
  const withSub = ruleHasSubFunction(sid, rule);
  // Step 4 — ISO 14229-1:2020 7.5: shorter than the minimum length -> 0x13.
  const minLength = Math.max(rule.minLength ?? 1, withSub ? 2 : 1);
  if (data.length < minLength) return { ok: false, nrc: NRC.incorrectMessageLengthOrInvalidFormat, step: 4 };
  if (!withSub) return { ok: true, rule, subFunction: undefined, suppressPositiveResponse: false };

  // ISO 14229-1:2020 8.2.2 — bit 7 of the sub-function byte is SPRMIB, bits 0-6 the value.
  const sf = splitSubFunction(data[1] as number);
  if (rule.subFunctions) {
    const sub = rule.subFunctions.get(sf.value);
    // Step 5 — ISO 14229-1:2020 7.5: sub-function not supported -> 0x12.
    if (!sub) return { ok: false, nrc: NRC.subFunctionNotSupported, step: 5 };
    // Step 6 — ISO 14229-1:2020 7.5: not supported in the active session -> 0x7E.
    if (!sessionAllowed(sub, state.session)) {
      return { ok: false, nrc: NRC.subFunctionNotSupportedInActiveSession, step: 6 };
    }
    // Step 7 — ISO 14229-1:2020 7.5: sub-function needs security -> 0x33.
    if (!securityGranted(sub, state.securityLevel)) return { ok: false, nrc: NRC.securityAccessDenied, step: 7 };
  }
  return { ok: true, rule, subFunction: sf.value, suppressPositiveResponse: sf.suppressPositiveResponse };
}
