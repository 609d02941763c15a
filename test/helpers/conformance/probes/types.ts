/**
 * Probes: one well-formed request per SID (or per sub-function / interesting parameter) and the
 * service-level outcome the simulated ECU must give once the general checks passed, computed from the
 * profile's data (DIDs, routines, memory regions, security levels) in a fresh ECU in a given state.
 */
import type { EcuConfig } from '../../../../src/ecu/config.js';
import type { EcuRuntime } from '../../../../src/ecu/ecu-runtime.js';
import type { ServiceTable } from '../../../../src/uds/server/service-table.js';
import type { OracleState, ServiceOutcome } from '../oracle.js';

/** What a probe builder reads: the parsed profile, its service table, and a pristine model (data only). */
export interface ProbeEnv {
  readonly config: EcuConfig;
  readonly table: ServiceTable;
  /** A never-used ECU model of the profile: read its DIDs, routines and memory map as data. */
  readonly model: EcuRuntime;
}

/** The state a probe's outcome depends on. */
export interface ProbeState extends OracleState {
  /** Largest message the link carries (caps maxNumberOfBlockLength of 74/75). */
  readonly linkMax: number;
  /** The program serving the request (docs/bootloader.md); absent = the application. */
  readonly mode?: 'app' | 'boot';
}

/** One probe request of a SID. */
export interface Probe {
  /** Readable name, e.g. `22 F1 90 (VIN)`. */
  readonly label: string;
  /** The request (SPRMIB clear; the runner sets it for the SPRMIB addressing). */
  readonly request: Uint8Array;
  /** The handler changes ECU state when it runs (the case then gets its own fresh ECU). */
  readonly mutates: boolean;
  /** A positive answer resets the ECU (no follow-up request is answered for a while). */
  readonly resets?: boolean;
  /** The service's outcome in `state`, once steps 1-7 passed. */
  outcome(state: ProbeState): ServiceOutcome;
}

/** Builds the probes of one SID for a profile. */
export type ProbeBuilder = (env: ProbeEnv) => Probe[];

/** Seed bytes of every conformance ECU: 11 22 33 ... (never all zero). */
export function conformanceRandom(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => 0x11 * ((i % 15) + 1));
}

/** A positive outcome with the exact response. */
export function positive(...bytes: (number | Uint8Array | readonly number[])[]): ServiceOutcome {
  return { kind: 'positive', response: flat(bytes), exact: true };
}

/** A positive outcome of which only the first bytes are known. */
export function positivePrefix(...bytes: (number | Uint8Array | readonly number[])[]): ServiceOutcome {
  return { kind: 'positive', response: flat(bytes), exact: false };
}

/** A negative outcome. */
export function nrc(code: number): ServiceOutcome {
  return { kind: 'nrc', nrc: code };
}

/** Marks an outcome as sent after 0x78 when `slow`. */
export function pendingIf(outcome: ServiceOutcome, slow: boolean): ServiceOutcome {
  return slow ? { ...outcome, pending: true } : outcome;
}

/** Concatenates numbers and byte arrays. */
export function flat(parts: readonly (number | Uint8Array | readonly number[])[]): Uint8Array {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else out.push(...p);
  }
  return Uint8Array.from(out);
}

/** Big-endian bytes of `v` on `n` bytes. */
export function be(v: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * (n - 1 - i))) & 0xff);
}

/** The sub-function values the table lists for `sid` (ascending), or `fallback` when it lists none. */
export function tableSubFunctions(env: ProbeEnv, sid: number, fallback: readonly number[]): number[] {
  const subs = env.table.get(sid)?.subFunctions;
  return subs ? [...subs.keys()].sort((a, b) => a - b) : [...fallback];
}

/** True when `rule` (sessions / securityLevels, absent = anywhere) admits `state`. */
export function admits(rule: { readonly sessions?: readonly number[]; readonly securityLevels?: readonly number[] } | undefined, state: OracleState): {
  session: boolean;
  security: boolean;
} {
  const session = rule?.sessions === undefined || rule.sessions.includes(state.session);
  const levels = rule?.securityLevels;
  const security = levels === undefined || levels.length === 0 || (state.securityLevel !== null && levels.includes(state.securityLevel));
  return { session, security };
}

/** The first value of `candidates` not in `used`. */
export function firstFree(candidates: Iterable<number>, used: (n: number) => boolean): number | undefined {
  for (const c of candidates) if (!used(c)) return c;
  return undefined;
}

/** Timing of the ECU in `session` per the profile (the session's own values, else the ECU's). */
export function timingOf(config: EcuConfig, session: number): { p2: number; p2Star: number } {
  const s = config.sessions.find((x) => x.id === session);
  return { p2: s?.p2ServerMs ?? config.p2ServerMs, p2Star: s?.p2StarServerMs ?? config.p2StarServerMs };
}

/**
 * Whether work of `ms` makes the server send 0x78 first. ISO 14229-1:2020 7.5 only bounds it (0x78 no
 * later than P2server); udskit's dispatcher sends it a margin of min(10 ms, P2/5) before P2server.
 */
export function isSlow(config: EcuConfig, session: number, ms: number): boolean {
  const p2 = timingOf(config, session).p2;
  return ms > 0 && ms >= p2 - Math.min(10, Math.floor(p2 / 5));
}
