/**
 * The conformance oracle: what a UDS server must answer to one request, written from spec/uds.md and
 * ISO 14229-1:2020 independently of the dispatcher (src/uds/server). It reads the service table only as
 * DATA (which SIDs / sub-functions exist where, behind which levels, with which minimum length) and
 * applies its own order of checks (spec/uds.md steps 1-7), then the probe's service-level outcome, then
 * SPRMIB and the functional NRC suppression.
 */
import type { ServiceTable } from '../../../src/uds/server/service-table.js';

/** How a case sends its request: physical, functional, or physical with SPRMIB set. */
export type CaseAddressing = 'physical' | 'functional' | 'sprmib';

/** The server state the general checks read. */
export interface OracleState {
  readonly session: number;
  /** Unlocked level (odd requestSeed value), or null when locked. */
  readonly securityLevel: number | null;
}

/** What the service does once the general checks passed (computed per probe from the profile data). */
export type ServiceOutcome =
  | {
      readonly kind: 'positive';
      /** The whole positive response, or its first bytes when `exact` is false. */
      readonly response: Uint8Array;
      readonly exact: boolean;
      /** The work takes longer than P2server: 0x78 first (ISO 14229-1:2020 7.5). */
      readonly pending?: boolean;
      /** Messages the server sends on its own right after the response (exact), e.g. 2A periodic data. */
      readonly followUps?: readonly Uint8Array[];
    }
  | { readonly kind: 'nrc'; readonly nrc: number; readonly pending?: boolean };

/** What the tester must observe. */
export type Expected =
  | { readonly kind: 'silence' }
  | { readonly kind: 'nrc'; readonly nrc: number; readonly pending: boolean }
  | {
      readonly kind: 'positive';
      readonly response: Uint8Array;
      readonly exact: boolean;
      readonly pending: boolean;
      readonly followUps?: readonly Uint8Array[];
    };

/** Result of {@link generalChecks}: the failing step and its NRC, or the sub-function and SPRMIB. */
export type GeneralCheck =
  | { readonly ok: false; readonly step: number; readonly nrc: number }
  | { readonly ok: true; readonly subFunction: number | undefined; readonly sprmib: boolean };

/** ISO 14229-1:2020 clauses 10-15 — the services whose byte 2 is a sub-function (bit 7 = SPRMIB). */
export const ISO_SUB_FUNCTION_SIDS: ReadonlySet<number> = new Set([
  0x10, 0x11, 0x19, 0x27, 0x28, 0x29, 0x2c, 0x31, 0x3e, 0x83, 0x85, 0x86, 0x87,
]);

/** ISO 14229-1:2020 7.5 table 5 / spec/uds.md — NRCs never sent to a functional request. */
export const FUNCTIONAL_SUPPRESSED_NRCS: ReadonlySet<number> = new Set([0x11, 0x12, 0x31, 0x7e, 0x7f]);

const NRC_SERVICE_NOT_SUPPORTED = 0x11;
const NRC_SUB_FUNCTION_NOT_SUPPORTED = 0x12;
const NRC_INCORRECT_LENGTH = 0x13;
const NRC_SECURITY_ACCESS_DENIED = 0x33;
const NRC_SUB_FUNCTION_NOT_IN_SESSION = 0x7e;
const NRC_SERVICE_NOT_IN_SESSION = 0x7f;

function allowedIn(sessions: readonly number[] | undefined, session: number): boolean {
  return sessions === undefined || sessions.includes(session);
}

function unlockedFor(levels: readonly number[] | undefined, level: number | null): boolean {
  return levels === undefined || levels.length === 0 || (level !== null && levels.includes(level));
}

/** Whether `sid` carries a sub-function byte in `table` (the rule's flag, else the ISO definition). */
export function carriesSubFunction(table: ServiceTable, sid: number): boolean {
  return table.get(sid)?.hasSubFunction ?? ISO_SUB_FUNCTION_SIDS.has(sid);
}

/**
 * spec/uds.md "Order of checks" steps 1-7 (ISO 14229-1:2020 7.5, figures 5-6), first failing check wins.
 * `supported` names the SIDs that have a handler (a table row without one is not a supported service).
 */
export function generalChecks(table: ServiceTable, supported: ReadonlySet<number>, state: OracleState, request: Uint8Array): GeneralCheck {
  const sid = request[0] as number;
  const rule = table.get(sid);
  // Step 1 — service not supported -> 0x11.
  if (!rule || !supported.has(sid)) return { ok: false, step: 1, nrc: NRC_SERVICE_NOT_SUPPORTED };
  // Step 2 — service not supported in the active session -> 0x7F.
  if (!allowedIn(rule.sessions, state.session)) return { ok: false, step: 2, nrc: NRC_SERVICE_NOT_IN_SESSION };
  // Step 3 — service needs security and the server is locked -> 0x33.
  if (!unlockedFor(rule.securityLevels, state.securityLevel)) return { ok: false, step: 3, nrc: NRC_SECURITY_ACCESS_DENIED };
  const withSub = carriesSubFunction(table, sid);
  // Step 4 — shorter than the minimum length -> 0x13 (a sub-function service has at least SID + SF).
  const minLength = Math.max(rule.minLength ?? 1, withSub ? 2 : 1);
  if (request.length < minLength) return { ok: false, step: 4, nrc: NRC_INCORRECT_LENGTH };
  if (!withSub) return { ok: true, subFunction: undefined, sprmib: false };
  const sfByte = request[1] as number;
  // ISO 14229-1:2020 8.2.2 — bits 0-6 are the sub-function, bit 7 is SPRMIB.
  const subFunction = sfByte & 0x7f;
  const sprmib = (sfByte & 0x80) !== 0;
  if (rule.subFunctions) {
    const sub = rule.subFunctions.get(subFunction);
    // Step 5 — sub-function not supported -> 0x12.
    if (!sub) return { ok: false, step: 5, nrc: NRC_SUB_FUNCTION_NOT_SUPPORTED };
    // Step 6 — sub-function not supported in the active session -> 0x7E.
    if (!allowedIn(sub.sessions, state.session)) return { ok: false, step: 6, nrc: NRC_SUB_FUNCTION_NOT_IN_SESSION };
    // Step 7 — sub-function needs security -> 0x33.
    if (!unlockedFor(sub.securityLevels, state.securityLevel)) return { ok: false, step: 7, nrc: NRC_SECURITY_ACCESS_DENIED };
  }
  return { ok: true, subFunction, sprmib };
}

/**
 * What the tester sees for `outcome` of a request sent with `addressing`:
 * - SPRMIB (ISO 14229-1:2020 8.2.2): no positive response, negative responses still sent; once 0x78
 *   went out the final positive response is sent anyway (7.5).
 * - Functional (7.5 table 5): 0x11 0x12 0x31 0x7E 0x7F are not sent (unless 0x78 went out first).
 */
export function deliver(outcome: ServiceOutcome, addressing: CaseAddressing, sprmib: boolean): Expected {
  const pending = outcome.pending ?? false;
  if (outcome.kind === 'nrc') {
    if (addressing === 'functional' && FUNCTIONAL_SUPPRESSED_NRCS.has(outcome.nrc) && !pending) return { kind: 'silence' };
    return { kind: 'nrc', nrc: outcome.nrc, pending };
  }
  if (sprmib && !pending) return { kind: 'silence' };
  return { kind: 'positive', response: outcome.response, exact: outcome.exact, pending, ...(outcome.followUps ? { followUps: outcome.followUps } : {}) };
}

/** The expected observation and which step decided it (0 = the service itself). */
export interface Prediction {
  readonly expected: Expected;
  readonly step: number;
}

/** The whole oracle: general checks, then `service()` (only called when they pass), then delivery. */
export function predict(
  table: ServiceTable,
  supported: ReadonlySet<number>,
  state: OracleState,
  request: Uint8Array,
  addressing: CaseAddressing,
  service: (subFunction: number | undefined) => ServiceOutcome,
): Prediction {
  const check = generalChecks(table, supported, state, request);
  if (!check.ok) return { expected: deliver({ kind: 'nrc', nrc: check.nrc }, addressing, false), step: check.step };
  return { expected: deliver(service(check.subFunction), addressing, check.sprmib), step: 0 };
}

/** A short label of an expectation, for counts and messages: `positive`, `NRC 0x31`, `silence`. */
export function outcomeLabel(e: Expected): string {
  if (e.kind === 'silence') return 'silence';
  if (e.kind === 'nrc') return `NRC 0x${e.nrc.toString(16).toUpperCase().padStart(2, '0')}`;
  return 'positive';
}
