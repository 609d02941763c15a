/**
 * The status byte of one DTC and how it moves (ISO 14229-1:2020 Annex D.2, statusOfDTC), as pure
 * functions over a small record, so the rules can be read and tested apart from the store.
 *
 * Semantics udskit implements (Annex D.2 leaves thresholds to the manufacturer; ours come from the profile):
 * - Test failed: testFailed (bit 0), testFailedThisOperationCycle (1), pendingDTC (2) and
 *   testFailedSinceLastClear (5) set; testNotCompletedSinceLastClear (4) and
 *   testNotCompletedThisOperationCycle (6) cleared. The first failure of an operation cycle counts one
 *   failed cycle; when the count reaches `confirmationThreshold`, confirmedDTC (3) is set, and
 *   warningIndicatorRequested (7) with it for a DTC that drives the warning lamp. A 0 -> 1 change of
 *   testFailed is a new occurrence: the occurrence counter goes up and the aging counter restarts.
 * - Test passed: testFailed, bit 4 and bit 6 cleared; nothing else changes.
 * - End of an operation cycle (power-on, reset, ignition off -> on): if the test completed in the ended
 *   cycle without failing, pendingDTC and warningIndicatorRequested are cleared and a confirmed DTC ages
 *   by one cycle (confirmedDTC is cleared when the aging counter reaches `agingThreshold`, 0 = never).
 *   Then testFailedThisOperationCycle is cleared and testNotCompletedThisOperationCycle set.
 * - ClearDiagnosticInformation (ISO 14229-1:2020 12.2.1): status 0x50 (bits 4 and 6), counters 0.
 */
import { DTC_STATUS } from '../uds/codec/dtc-format.js';

/** Status after ClearDiagnosticInformation and of a DTC never tested. */
export const CLEARED_STATUS = DTC_STATUS.testNotCompletedSinceLastClear | DTC_STATUS.testNotCompletedThisOperationCycle;

/** The mutable state of one DTC that the status rules work on. */
export interface DtcCounters {
  /** statusOfDTC. */
  status: number;
  /** New occurrences (testFailed 0 -> 1) since the last clear, saturating at 255. */
  occurrences: number;
  /** Operation cycles with at least one failure since the last clear, saturating at 255. */
  failedCycles: number;
  /** Completed failure-free operation cycles since the last failure, saturating at 255. */
  agingCycles: number;
}

/** The profile's thresholds. */
export interface DtcThresholds {
  /** Failed operation cycles before confirmedDTC (>= 1). */
  readonly confirmationThreshold: number;
  /** Failure-free cycles after which confirmedDTC is cleared; 0 = never. */
  readonly agingThreshold: number;
  /** The DTC requests the warning indicator once confirmed. */
  readonly warningIndicator: boolean;
}

const inc = (n: number): number => Math.min(0xff, n + 1);

/** What a failed test result did, beyond the status. */
export interface FailedOutcome {
  /** testFailed went from 0 to 1 (snapshots are captured). */
  readonly newOccurrence: boolean;
  /** confirmedDTC went from 0 to 1. */
  readonly newlyConfirmed: boolean;
}

/** Applies a failed test result to `c` (see the module doc). */
export function applyTestFailed(c: DtcCounters, t: DtcThresholds): FailedOutcome {
  const before = c.status;
  const newOccurrence = (before & DTC_STATUS.testFailed) === 0;
  if (newOccurrence) {
    c.occurrences = inc(c.occurrences);
    c.agingCycles = 0;
  }
  if ((before & DTC_STATUS.testFailedThisOperationCycle) === 0) c.failedCycles = inc(c.failedCycles);
  let s =
    (before | DTC_STATUS.testFailed | DTC_STATUS.testFailedThisOperationCycle | DTC_STATUS.pendingDTC | DTC_STATUS.testFailedSinceLastClear) &
    ~(DTC_STATUS.testNotCompletedSinceLastClear | DTC_STATUS.testNotCompletedThisOperationCycle);
  if (c.failedCycles >= t.confirmationThreshold) {
    s |= DTC_STATUS.confirmedDTC;
    if (t.warningIndicator) s |= DTC_STATUS.warningIndicatorRequested;
  }
  c.status = s & 0xff;
  return { newOccurrence, newlyConfirmed: (before & DTC_STATUS.confirmedDTC) === 0 && (s & DTC_STATUS.confirmedDTC) !== 0 };
}

/** Applies a passed test result to `c`. */
export function applyTestPassed(c: DtcCounters): void {
  c.status &= ~(DTC_STATUS.testFailed | DTC_STATUS.testNotCompletedSinceLastClear | DTC_STATUS.testNotCompletedThisOperationCycle) & 0xff;
}

/** Ends the current operation cycle and starts the next one (see the module doc). */
export function applyOperationCycleStart(c: DtcCounters, t: DtcThresholds): void {
  let s = c.status;
  const tested = (s & DTC_STATUS.testNotCompletedThisOperationCycle) === 0;
  const failed = (s & DTC_STATUS.testFailedThisOperationCycle) !== 0;
  if (tested && !failed) {
    s &= ~(DTC_STATUS.pendingDTC | DTC_STATUS.warningIndicatorRequested);
    if (s & DTC_STATUS.confirmedDTC) {
      c.agingCycles = inc(c.agingCycles);
      if (t.agingThreshold > 0 && c.agingCycles >= t.agingThreshold) {
        s &= ~DTC_STATUS.confirmedDTC;
        c.failedCycles = 0;
      }
    }
  }
  s = (s & ~DTC_STATUS.testFailedThisOperationCycle) | DTC_STATUS.testNotCompletedThisOperationCycle;
  c.status = s & 0xff;
}

/** Resets `c` as ClearDiagnosticInformation does. */
export function applyClear(c: DtcCounters): void {
  c.status = CLEARED_STATUS;
  c.occurrences = 0;
  c.failedCycles = 0;
  c.agingCycles = 0;
}
