/**
 * RoutineControl (0x31) routines by identifier: each a small definition with its own session and
 * security rules and start / stop / results functions (ISO 14229-1:2020 14.2). The registry keeps
 * per-routine state (started, running, last status record) and applies the per-RID checks.
 */
import { hexNum } from '../../core/hex.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed, type AccessState } from '../../uds/server/service-table.js';
import type { EcuRuntime } from '../ecu-runtime.js';

/** What a routine function returns: the bytes after the RID in the 71 response (routineInfo + status). */
export type RoutineResult = Uint8Array | Promise<Uint8Array>;

/** One routine. */
export interface RoutineDefinition {
  /** Routine identifier. */
  readonly id: number;
  /** Name for logs and listings. */
  readonly name: string;
  /** Sessions where it may run; absent = every session allowed by service 0x31. */
  readonly sessions?: readonly number[];
  /** Security levels of which one must be unlocked; absent/empty = none. */
  readonly securityLevels?: readonly number[];
  /** 31 01: starts the routine. Throw `NrcError` to refuse. */
  start(ecu: EcuRuntime, optionRecord: Uint8Array): RoutineResult;
  /** 31 02: stops it. Absent = the routine cannot be stopped (0x12). */
  stop?(ecu: EcuRuntime, optionRecord: Uint8Array): RoutineResult;
  /** 31 03: its results. Absent = the status record of the last start/stop. */
  results?(ecu: EcuRuntime, optionRecord: Uint8Array): RoutineResult;
  /** False: 31 03 is answered before any 31 01 (`results`, or an empty record). Default true: 0x24. */
  readonly requiresStart?: boolean;
}

interface RoutineState {
  running: boolean;
  last: Uint8Array;
}

/** Routine control types (ISO 14229-1:2020 14.2.2). */
const START = 0x01;
const STOP = 0x02;
const RESULTS = 0x03;

/** The routines of one ECU. */
export class RoutineRegistry {
  private readonly defs = new Map<number, RoutineDefinition>();
  private readonly states = new Map<number, RoutineState>();

  /** Adds or replaces a routine. */
  define(def: RoutineDefinition): void {
    this.defs.set(def.id, def);
    this.states.delete(def.id);
  }

  /** Removes routine `id` (31 xx id then answers 0x31). */
  remove(id: number): void {
    this.defs.delete(id);
    this.states.delete(id);
  }

  /** The routine `id`, if defined. */
  get(id: number): RoutineDefinition | undefined {
    return this.defs.get(id);
  }

  /** Every routine id, ascending. */
  ids(): number[] {
    return [...this.defs.keys()].sort((a, b) => a - b);
  }

  /** Forgets every routine's state (ECU reset). */
  clearState(): void {
    this.states.clear();
  }

  /** Runs sub-function `type` of routine `id`; returns the bytes after the RID or throws `NrcError`. */
  async control(ecu: EcuRuntime, access: AccessState, type: number, id: number, optionRecord: Uint8Array): Promise<Uint8Array> {
    const def = this.defs.get(id);
    // ISO 14229-1:2020 14.2.4 NRC 0x31 — routineIdentifier not supported (in the active session).
    if (!def) throw new NrcError(NRC.requestOutOfRange, `routine ${hexNum(id)} is not supported`);
    if (def.sessions && !sessionAllowed(def, access.session)) {
      throw new NrcError(NRC.requestOutOfRange, `routine ${hexNum(id)} is not available in session 0x${access.session.toString(16)}`);
    }
    // ISO 14229-1:2020 14.2.4 NRC 0x33 — the routine needs an unlocked security level.
    if (!securityGranted(def, access.securityLevel)) {
      throw new NrcError(NRC.securityAccessDenied, `routine ${hexNum(id)} needs security level ${def.securityLevels?.join('/')}`);
    }
    const state = this.states.get(id);
    if (type === START) {
      const last = await def.start(ecu, optionRecord);
      this.states.set(id, { running: def.stop !== undefined, last });
      return last;
    }
    if (type === STOP) {
      // ISO 14229-1:2020 14.2.4 NRC 0x12 — this routine has no stopRoutine.
      if (!def.stop) throw new NrcError(NRC.subFunctionNotSupported, `routine ${hexNum(id)} cannot be stopped`);
      // ISO 14229-1:2020 14.2.4 NRC 0x24 — stopRoutine before startRoutine.
      if (!state?.running) throw new NrcError(NRC.requestSequenceError, `routine ${hexNum(id)} is not running`);
      const last = await def.stop(ecu, optionRecord);
      this.states.set(id, { running: false, last });
      return last;
    }
    if (type === RESULTS) {
      // ISO 14229-1:2020 14.2.4 NRC 0x24 — requestRoutineResults before startRoutine (unless the routine
      // declares results that need no start).
      if (!state && def.requiresStart !== false) throw new NrcError(NRC.requestSequenceError, `routine ${hexNum(id)} was never started`);
      if (def.results) return def.results(ecu, optionRecord);
      return state ? state.last.slice() : new Uint8Array(0);
    }
    throw new NrcError(NRC.subFunctionNotSupported, `routineControlType 0x${type.toString(16)} is not supported`);
  }
}
