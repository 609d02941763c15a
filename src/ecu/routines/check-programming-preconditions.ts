/**
 * Routine 0203 (0201 in seed 004) checkProgrammingPreconditions (spec/bootloader-and-flashing.md):
 * reads the simulated vehicle state. Status `00` when programming may start, else `01` followed by
 * the codes of every failed condition (`PRECONDITION_FAILURE`).
 */
import { programmingPreconditionFailures } from '../vehicle-state.js';
import type { RoutineDefinition } from './routine-registry.js';

/** The checkProgrammingPreconditions routine with identifier `id`, available in `sessions` without security. */
export function checkProgrammingPreconditionsRoutine(id: number, sessions: readonly number[]): RoutineDefinition {
  return {
    id,
    name: 'checkProgrammingPreconditions',
    sessions,
    start(ecu) {
      const failures = programmingPreconditionFailures(ecu.vehicle);
      return failures.length === 0 ? Uint8Array.of(0x00) : Uint8Array.of(0x01, ...failures);
    },
  };
}
