/**
 * The conformance plan of one ECU profile: the states to test (each session the profile offers plus
 * 01/02/03 and one session it lacks, each locked and with each reachable level unlocked), and for each
 * state every SID 00..FF x probe x addressing (physical, functional, physical with SPRMIB where the SID
 * has a sub-function), each with the oracle's expected answer.
 *
 * Modes (docs/bootloader.md): on an ECU with a `bootloader:` section the programming session requested
 * in the application is served by the bootloader, so the states of that session use the boot-mode table
 * and its probes; every other state is in the application.
 */
import { toHex } from '../../../src/core/hex.js';
import type { EcuConfig } from '../../../src/ecu/config.js';
import { DEFAULT_HANDLERS } from '../../../src/ecu/handlers/index.js';
import { profileServiceTable, type EcuMode } from '../../../src/ecu/profile-service-table.js';
import { timingValue } from '../../../src/ecu/config-timing.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { getSecurityAlgorithm } from '../../../src/uds/security/algorithms.js';
import type { ServiceTable } from '../../../src/uds/server/service-table.js';
import { carriesSubFunction, generalChecks, ISO_SUB_FUNCTION_SIDS, predict, type CaseAddressing, type Expected, type OracleState, type ServiceOutcome } from './oracle.js';
import { conformanceRandom, nrc, PROBE_BUILDERS, type Probe, type ProbeEnv } from './probes/index.js';
import { isSlow } from './probes/types.js';
import type { SetupStep } from './rig.js';

/** One ECU profile to test. */
export interface ConformanceTarget {
  /** Where it comes from, e.g. `profiles/doipsimu.yaml ecu-1010`. */
  readonly source: string;
  readonly config: EcuConfig;
}

/** A state of the ECU and how to get there from power-on. */
export interface PlannedState {
  readonly label: string;
  /** The state the ECU is in once `steps` ran. */
  readonly state: OracleState;
  /** The program serving it: `boot` in the programming session of an ECU with a bootloader. */
  readonly mode: EcuMode;
  readonly steps: readonly SetupStep[];
}

/** One case: a request in a state with the expected answer. */
export interface ConformanceCase {
  readonly state: PlannedState;
  readonly probe: string;
  readonly addressing: CaseAddressing;
  readonly request: Uint8Array;
  readonly expected: Expected;
  /** Step of the order of checks that decided (0 = the service itself). */
  readonly step: number;
  /** The request changes the ECU: it runs on a fresh ECU of its own. */
  readonly fresh: boolean;
  /** A positive answer resets the ECU. */
  readonly resets: boolean;
}

/** The plan of one target. */
export interface ConformancePlan {
  readonly target: ConformanceTarget;
  /** The application's table. */
  readonly table: ServiceTable;
  /** The table of each mode (boot = app without a bootloader). */
  readonly tables: Readonly<Record<EcuMode, ServiceTable>>;
  readonly states: readonly PlannedState[];
  readonly cases: readonly ConformanceCase[];
  /** SIDs of the table without a probe builder (must be empty). */
  readonly unprobed: readonly number[];
}

/** The SIDs with a built-in handler: a table row without one is not a supported service. */
export const SUPPORTED_SIDS: ReadonlySet<number> = new Set(DEFAULT_HANDLERS.keys());

/** Fails the oracle loudly if the general checks let a request through that they must refuse. */
const unreachable = (what: string) => (): ServiceOutcome => {
  throw new Error(`oracle bug: ${what} passed the general checks`);
};

/** spec/bootloader-and-flashing.md — the vehicle conditions of 10 02 (9-16 V, ignition on, speed 0, engine off). */
function preconditionsHold(config: EcuConfig): boolean {
  const v = config.vehicleState;
  return v.voltage >= 9 && v.voltage <= 16 && v.ignition && v.speedKmh === 0 && !v.engineRunning;
}

const positiveStep = (request: Uint8Array, pending = false): SetupStep => ({
  request,
  expected: { kind: 'positive', response: Uint8Array.of((request[0] as number) + 0x40, request[1] as number), exact: false, pending },
});

/** True when `session` requested in the application makes the ECU jump into its bootloader. */
export function jumpsToBoot(config: EcuConfig, session: number): boolean {
  return config.bootloader !== undefined && session === config.programming.session;
}

/** spec/bootloader-and-flashing.md — the jump takes `bootloader.jumpTimeMs`: 0x78 first when longer than P2 (from `session`). */
export function jumpIsSlow(config: EcuConfig, session: number): boolean {
  return isSlow(config, session, timingValue(config.timingProfile, config.bootloader?.jumpTimeMs, 'jumpTimeMs'));
}

/**
 * The states of `config` with their setup steps. `table` is the application's; `bootTable` serves the
 * programming session of an ECU with a bootloader (default: the profile's boot-mode table).
 */
export function planStates(config: EcuConfig, table: ServiceTable, bootTable: ServiceTable = config.bootloader ? profileServiceTable(config, 'boot') : table): PlannedState[] {
  const dsc = table.get(0x10)?.subFunctions;
  const offered = dsc ? [...dsc.keys()] : [0x01, 0x02, 0x03];
  const lacking = [0x04, 0x05, 0x40, 0x41, 0x60].find((s) => !offered.includes(s)) ?? 0x7f;
  const sessions = [...new Set([0x01, 0x02, 0x03, ...offered, lacking])].sort((a, b) => a - b);
  const locked = (session: number): OracleState => ({ session, securityLevel: null });
  const canEnter = (from: number, to: number): boolean =>
    generalChecks(table, SUPPORTED_SIDS, locked(from), Uint8Array.of(0x10, to)).ok && (to !== config.programming.session || preconditionsHold(config));

  // Shortest 10 xx path from the default session to each session (the transition relocks, so locked).
  const paths = new Map<number, number[]>([[0x01, []]]);
  for (let frontier = [0x01]; frontier.length > 0; ) {
    const next: number[] = [];
    for (const from of frontier) {
      for (const to of offered) {
        if (paths.has(to) || !canEnter(from, to)) continue;
        paths.set(to, [...(paths.get(from) ?? []), to]);
        next.push(to);
      }
    }
    frontier = next;
  }

  const states: PlannedState[] = [];
  for (const session of sessions) {
    const path = paths.get(session);
    if (!path) {
      // A session the ECU lacks (or cannot enter from the default session): the refused 10 xx leaves it in 01.
      const request = Uint8Array.of(0x10, session);
      const refusal = predict(table, SUPPORTED_SIDS, locked(0x01), request, 'physical', () => nrc(0x22)).expected;
      states.push({ label: `after refused 10 ${toHex([session])}: session 01, locked`, state: locked(0x01), mode: 'app', steps: [{ request, expected: refusal }] });
      continue;
    }
    const steps = path.map((s, i) => positiveStep(Uint8Array.of(0x10, s), jumpsToBoot(config, s) && jumpIsSlow(config, path[i - 1] ?? 0x01)));
    const mode: EcuMode = jumpsToBoot(config, session) ? 'boot' : 'app';
    const modeTable = mode === 'boot' ? bootTable : table;
    states.push({ label: `session ${toHex([session])}${mode === 'boot' ? ' (bootloader)' : ''}, locked`, state: locked(session), mode, steps });
    for (const level of config.security.levels) {
      const seed = conformanceRandom(level.seedLength);
      const key = getSecurityAlgorithm(level.algorithm)(seed, level.level, level.secret, { keyLength: level.keyLength });
      const seedReq = Uint8Array.of(0x27, level.level);
      const keyReq = Uint8Array.of(0x27, level.level + 1, ...key);
      const ok = (r: Uint8Array): boolean => generalChecks(modeTable, SUPPORTED_SIDS, locked(session), r).ok;
      if (!ok(seedReq) || !ok(keyReq)) continue;
      states.push({
        label: `session ${toHex([session])}${mode === 'boot' ? ' (bootloader)' : ''}, level ${toHex([level.level])} unlocked`,
        state: { session, securityLevel: level.level },
        mode,
        steps: [...steps, positiveStep(seedReq), positiveStep(keyReq)],
      });
    }
  }
  return states;
}

/** The generic probe of a SID the ECU does not support. */
function unsupportedProbe(sid: number): Probe {
  const request = ISO_SUB_FUNCTION_SIDS.has(sid) ? Uint8Array.of(sid, 0x01) : Uint8Array.of(sid, 0x00);
  return { label: `${toHex([sid])} (not supported)`, request, mutates: false, outcome: unreachable(`unsupported SID ${toHex([sid])}`) };
}

/** The probes of a supported SID: its builder's, a request one byte shorter than the minimum, an unlisted sub-function. */
function supportedProbes(env: ProbeEnv, sid: number, built: readonly Probe[]): Probe[] {
  const rule = env.table.get(sid);
  const base = built[0]?.request ?? Uint8Array.of(sid);
  const probes = [...built];
  const withSub = carriesSubFunction(env.table, sid);
  const minLength = Math.max(rule?.minLength ?? 1, withSub ? 2 : 1);
  if (minLength > 1) {
    const short = new Uint8Array(minLength - 1);
    short.set(base.subarray(0, minLength - 1));
    short[0] = sid;
    probes.push({ label: `${toHex(short)} (shorter than ${minLength} bytes)`, request: short, mutates: false, outcome: unreachable('a short request') });
  }
  if (withSub && rule?.subFunctions) {
    const subs = rule.subFunctions;
    const free = [0x7f, 0x7e, 0x5a, 0x00, 0x40].find((v) => !subs.has(v));
    if (free !== undefined) {
      const request = base.length >= 2 ? base.slice() : Uint8Array.of(sid, 0);
      request[1] = free;
      probes.push({ label: `${toHex(request)} (sub-function ${toHex([free])} not supported)`, request, mutates: false, outcome: unreachable('an unlisted sub-function') });
    }
  }
  return probes;
}

/** Builds the whole plan of `target`. */
export function planConformance(target: ConformanceTarget): ConformancePlan {
  const config = target.config;
  const table = profileServiceTable(config);
  const tables: Record<EcuMode, ServiceTable> = { app: table, boot: config.bootloader ? profileServiceTable(config, 'boot') : table };
  const pristine = new SimulatedEcu(config, { random: conformanceRandom });
  const unprobed = new Set<number>();
  const probesOf = (modeTable: ServiceTable): Map<number, Probe[]> => {
    const env: ProbeEnv = { config, table: modeTable, model: pristine.model };
    const probesBySid = new Map<number, Probe[]>();
    for (let sid = 0; sid <= 0xff; sid++) {
      if (modeTable.has(sid) && SUPPORTED_SIDS.has(sid)) {
        const builder = PROBE_BUILDERS.get(sid);
        if (!builder) unprobed.add(sid);
        probesBySid.set(sid, supportedProbes(env, sid, builder ? builder(env) : []));
      } else {
        probesBySid.set(sid, [unsupportedProbe(sid)]);
      }
    }
    return probesBySid;
  };
  const probesByMode: Record<EcuMode, Map<number, Probe[]>> = { app: probesOf(tables.app), boot: tables.boot === table ? probesOf(table) : probesOf(tables.boot) };
  pristine.close();

  const states = planStates(config, table, tables.boot);
  const cases: ConformanceCase[] = [];
  for (const state of states) {
    const modeTable = tables[state.mode];
    for (const [sid, probes] of probesByMode[state.mode]) {
      for (const probe of probes) {
        const modes: CaseAddressing[] = ['physical', 'functional'];
        if (carriesSubFunction(modeTable, sid) && probe.request.length >= 2) modes.push('sprmib');
        for (const addressing of modes) {
          const request = probe.request.slice();
          if (addressing === 'sprmib') request[1] = (request[1] as number) | 0x80;
          const probeState = { ...state.state, linkMax: 0xffffffff };
          const p = predict(modeTable, SUPPORTED_SIDS, state.state, request, addressing, () => probe.outcome({ ...probeState, mode: state.mode }));
          cases.push({
            state,
            probe: probe.label,
            addressing,
            request,
            expected: p.expected,
            step: p.step,
            fresh: p.step === 0 && (probe.mutates || probe.resets === true),
            resets: p.step === 0 && probe.resets === true,
          });
        }
      }
    }
  }
  return { target, table, tables, states, cases, unprobed: [...unprobed].sort((a, b) => a - b) };
}
