/** RoutineControl (0x31) routines: the registry and the built-in programming routines. */
import type { EcuConfig } from '../config.js';
import { checkMemoryRoutine } from './check-memory.js';
import { checkProgrammingDependenciesRoutine } from './check-programming-dependencies.js';
import { checkProgrammingPreconditionsRoutine } from './check-programming-preconditions.js';
import { eraseMemoryRoutine } from './erase-memory.js';
import type { RoutineDefinition } from './routine-registry.js';

export * from './routine-registry.js';
export * from './erase-memory.js';
export * from './check-memory.js';
export * from './check-programming-dependencies.js';
export * from './check-programming-preconditions.js';
export * from './data-routine.js';

/** The built-in routines with the identifiers, session and security level of `programming`. */
export function builtInRoutines(programming: EcuConfig['programming']): RoutineDefinition[] {
  const { session, securityLevel, routines } = programming;
  return [
    eraseMemoryRoutine(routines.eraseMemory, session, securityLevel),
    checkMemoryRoutine(routines.checkMemory, session, securityLevel),
    checkProgrammingDependenciesRoutine(routines.checkProgrammingDependencies, session, securityLevel),
    checkProgrammingPreconditionsRoutine(routines.checkProgrammingPreconditions, [0x03]),
  ];
}
