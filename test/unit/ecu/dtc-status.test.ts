import { describe, expect, it } from 'vitest';
import { applyClear, applyOperationCycleStart, applyTestFailed, applyTestPassed, CLEARED_STATUS, type DtcCounters } from '../../../src/ecu/dtc-status.js';

const fresh = (status = CLEARED_STATUS): DtcCounters => ({ status, occurrences: 0, failedCycles: 0, agingCycles: 0 });
const t = { confirmationThreshold: 1, agingThreshold: 3, warningIndicator: false };
const hex = (n: number): string => n.toString(16).toUpperCase().padStart(2, '0');

describe('DTC status bits (ISO 14229-1:2020 Annex D.2)', () => {
  it('a first failure sets TF, TFTOC, PDTC, CDTC, TFSLC and clears TNCSLC, TNCTOC', () => {
    const c = fresh();
    expect(applyTestFailed(c, t)).toEqual({ newOccurrence: true, newlyConfirmed: true });
    expect(hex(c.status)).toBe('2F'); // 0010 1111
    expect(c).toMatchObject({ occurrences: 1, failedCycles: 1, agingCycles: 0 });
  });

  it('a repeated failure is not a new occurrence; a pass clears only TF (and TNC bits)', () => {
    const c = fresh();
    applyTestFailed(c, t);
    expect(applyTestFailed(c, t)).toEqual({ newOccurrence: false, newlyConfirmed: false });
    applyTestPassed(c);
    expect(hex(c.status)).toBe('2E');
    applyTestFailed(c, t);
    expect(c.occurrences).toBe(2);
    expect(c.failedCycles).toBe(1);
  });

  it('a pass on an untested DTC clears TNCSLC and TNCTOC only', () => {
    const c = fresh();
    applyTestPassed(c);
    expect(c.status).toBe(0x00);
  });

  it('confirmation after N failed operation cycles, with the warning indicator when configured', () => {
    const t2 = { confirmationThreshold: 2, agingThreshold: 0, warningIndicator: true };
    const c = fresh();
    applyTestFailed(c, t2);
    expect(hex(c.status)).toBe('27'); // pending, not confirmed
    applyOperationCycleStart(c, t2);
    expect(hex(c.status)).toBe('65'); // TF stays, TFTOC cleared, PDTC kept (the cycle failed), TNCTOC set
    applyTestFailed(c, t2);
    expect(hex(c.status)).toBe('AF'); // confirmed + warningIndicatorRequested
  });

  it('a failure-free tested cycle clears PDTC and WIR; CDTC ages out after agingThreshold cycles', () => {
    const tw = { ...t, warningIndicator: true };
    const c = fresh();
    applyTestFailed(c, tw);
    applyTestPassed(c);
    applyOperationCycleStart(c, tw); // the ended cycle had a failure: PDTC stays
    expect(hex(c.status)).toBe('EC'); // WIR TNCTOC TFSLC CDTC PDTC
    for (let cycle = 1; cycle <= 3; cycle++) {
      applyTestPassed(c);
      applyOperationCycleStart(c, tw);
      expect(c.agingCycles).toBe(cycle);
    }
    expect(hex(c.status)).toBe('60'); // TFSLC + TNCTOC: aged out, history kept in bit 5
  });

  it('an untested cycle changes nothing but TFTOC / TNCTOC', () => {
    const c = fresh(0x68); // confirmed earlier, not tested this cycle
    applyOperationCycleStart(c, t);
    expect(hex(c.status)).toBe('68');
    expect(c.agingCycles).toBe(0);
  });

  it('ClearDiagnosticInformation resets to 0x50 and the counters to 0', () => {
    const c = fresh();
    applyTestFailed(c, t);
    applyClear(c);
    expect(c).toEqual({ status: 0x50, occurrences: 0, failedCycles: 0, agingCycles: 0 });
  });

  it('counters saturate at 255', () => {
    const c = { ...fresh(), occurrences: 255, failedCycles: 255 };
    applyTestFailed(c, t);
    expect(c.occurrences).toBe(255);
    expect(c.failedCycles).toBe(255);
  });
});
