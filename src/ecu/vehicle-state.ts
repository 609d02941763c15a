/**
 * The simulated vehicle conditions an ECU reads before programming: supply voltage 9-16 V, ignition
 * on, vehicle speed 0, engine off (spec/bootloader-and-flashing.md, 31 01 0203
 * checkProgrammingPreconditions; 10 02 answers 0x22 while they fail).
 */
import type { VehicleState } from './config.js';

export type { VehicleState } from './config.js';

/**
 * Codes of failed preconditions as listed in the 0203 status record. Where ISO 14229-1:2020 A.1 has an
 * NRC for the condition its value is used, so the code is self-explaining.
 */
export const PRECONDITION_FAILURE = {
  /** Supply voltage above 16 V (NRC 0x92 voltageTooHigh). */
  voltageTooHigh: 0x92,
  /** Supply voltage below 9 V (NRC 0x93 voltageTooLow). */
  voltageTooLow: 0x93,
  /** Vehicle moving (NRC 0x88 vehicleSpeedTooHigh). */
  vehicleSpeedTooHigh: 0x88,
  /** Engine running (NRC 0x83 engineIsRunning). */
  engineIsRunning: 0x83,
  /** Ignition off (NRC 0x22 conditionsNotCorrect). */
  ignitionOff: 0x22,
} as const;

/** Lowest and highest supply voltage that allow programming. */
export const PROGRAMMING_VOLTAGE = { min: 9, max: 16 } as const;

/** The failed programming preconditions of `v` (empty when programming may start). */
export function programmingPreconditionFailures(v: VehicleState): number[] {
  const out: number[] = [];
  if (v.voltage < PROGRAMMING_VOLTAGE.min) out.push(PRECONDITION_FAILURE.voltageTooLow);
  if (v.voltage > PROGRAMMING_VOLTAGE.max) out.push(PRECONDITION_FAILURE.voltageTooHigh);
  if (!v.ignition) out.push(PRECONDITION_FAILURE.ignitionOff);
  if (v.speedKmh !== 0) out.push(PRECONDITION_FAILURE.vehicleSpeedTooHigh);
  if (v.engineRunning) out.push(PRECONDITION_FAILURE.engineIsRunning);
  return out;
}
