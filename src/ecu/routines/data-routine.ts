/**
 * RoutineControl (0x31) routines defined as data in the profile's `routines` (config-routines.ts), and
 * the access-rule overrides of the built-in routines. The registry applies the per-RID session (0x31)
 * and security (0x33) rules and the start-before-stop/results order (0x24); a data routine adds the
 * option-record length (0x13), a configured refusal NRC, a duration (0x78 meanwhile) and its status.
 */
import { sleep } from '../../core/clock.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { hexNum } from '../../core/hex.js';
import { NRC, nrcName } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { RoutineActionConfig, RoutineConfig } from '../config-routines.js';
import type { EcuRuntime } from '../ecu-runtime.js';
import type { RoutineDefinition, RoutineRegistry } from './routine-registry.js';

/** Runs one sub-function of a data routine and returns its routineStatusRecord. */
async function runAction(ecu: EcuRuntime, id: number, what: string, action: RoutineActionConfig, option: Uint8Array): Promise<Uint8Array> {
  // ISO 14229-1:2020 14.2.4 NRC 0x13 — the routineControlOptionRecord has the wrong length.
  if (action.optionLength !== undefined && option.length !== action.optionLength) {
    throw new NrcError(
      NRC.incorrectMessageLengthOrInvalidFormat,
      `routine ${hexNum(id)} ${what} takes a ${action.optionLength}-byte option record, got ${option.length}`,
    );
  }
  // ISO 14229-1:2020 14.2.4 — the routine refuses as the profile says (e.g. 0x22 conditionsNotCorrect).
  if (action.nrc !== undefined) {
    throw new NrcError(action.nrc, `routine ${hexNum(id)} ${what} refused with ${nrcName(action.nrc)} (profile)`);
  }
  // Longer than P2server: the dispatcher sends 0x78 meanwhile (ISO 14229-1:2020 7.5).
  if (action.durationMs) await sleep(ecu.clock, action.durationMs);
  if (action.result) return action.result.slice();
  return action.status !== undefined ? Uint8Array.of(action.status) : new Uint8Array(0);
}

/** The routine a data entry describes (one that is not built in; it has a `start`). */
export function dataRoutine(cfg: RoutineConfig): RoutineDefinition {
  const { id, start, stop, results } = cfg;
  if (!start) throw new InvalidArgumentError(`routine ${hexNum(id)}: a data routine needs start (e.g. { status: 0x00 })`);
  return {
    id,
    name: cfg.name ?? `routine${hexNum(id)}`,
    ...(cfg.sessions ? { sessions: cfg.sessions } : {}),
    ...(cfg.securityLevels ? { securityLevels: cfg.securityLevels } : {}),
    ...(cfg.requiresStart !== undefined ? { requiresStart: cfg.requiresStart } : {}),
    start: (ecu, option) => runAction(ecu, id, 'start', start, option),
    ...(stop ? { stop: (ecu: EcuRuntime, option: Uint8Array) => runAction(ecu, id, 'stop', stop, option) } : {}),
    ...(results ? { results: (ecu: EcuRuntime, option: Uint8Array) => runAction(ecu, id, 'results', results, option) } : {}),
  };
}

/**
 * Applies the profile's `routines` to `registry` (after the built-in ones were defined): `supported:
 * false` removes a routine; an entry whose id is already defined (a built-in one) replaces its name and
 * access rules only; any other entry defines a data routine.
 */
export function applyProfileRoutines(registry: RoutineRegistry, routines: readonly RoutineConfig[]): void {
  for (const cfg of routines) {
    if (cfg.supported === false) {
      registry.remove(cfg.id);
      continue;
    }
    const existing = registry.get(cfg.id);
    if (existing && !cfg.start) {
      registry.define({
        ...existing,
        name: cfg.name ?? existing.name,
        ...(cfg.sessions ? { sessions: cfg.sessions } : {}),
        ...(cfg.securityLevels ? { securityLevels: cfg.securityLevels } : {}),
      });
    } else {
      registry.define(dataRoutine(cfg));
    }
  }
}
