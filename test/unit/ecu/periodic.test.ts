/** ReadDataByPeriodicIdentifier (0x2A) in the simulated ECU over the memory link, on a FakeClock. */
import { describe, expect, it } from 'vitest';
import { harness } from './helpers.js';

/** A profile with periodic DIDs F201, F202 (readable everywhere), F203 (extended only) and F204 (security level 1). */
const profile = {
  periodic: { slowMs: 1000, mediumMs: 200, fastMs: 50, maxScheduled: 3 },
  dids: [
    { id: 0xf201, value: { hex: '11 22' } },
    { id: 0xf202, value: { hex: '33' } },
    { id: 0xf203, value: { hex: '44' }, read: { sessions: [0x03] } },
    { id: 0xf204, value: { hex: '55' }, read: { securityLevels: [0x01] } },
  ],
};

describe('0x2A ReadDataByPeriodicIdentifier (ECU)', () => {
  it('answers 6A, then sends 6A pDID data at the fast rate until 2A 04 stops it', async () => {
    const h = harness(profile);
    await h.req('10 03');
    expect(await h.req('2A 03 01 02')).toEqual(['6A', '6A 01 11 22', '6A 02 33']);
    const during = await h.advance(100);
    expect(during).toEqual(['6A 01 11 22', '6A 02 33', '6A 01 11 22', '6A 02 33']);
    expect(h.ecu.state.periodic).toEqual([
      { pDid: 0x01, rate: 'fast', periodMs: 50 },
      { pDid: 0x02, rate: 'fast', periodMs: 50 },
    ]);
    expect(await h.req('2A 04 01')).toEqual(['6A']);
    expect(await h.advance(100)).toEqual(['6A 02 33', '6A 02 33']);
    expect(await h.req('2A 04')).toEqual(['6A']);
    expect(await h.advance(1000)).toEqual([]);
    expect(h.ecu.state.periodic).toEqual([]);
  });

  it('uses the slow and medium rates of the profile and keeps normal requests answered meanwhile', async () => {
    const h = harness(profile);
    await h.req('10 03');
    await h.req('2A 01 01');
    await h.req('2A 02 02');
    const got = await h.advance(1000);
    expect(got.filter((m) => m.startsWith('6A 01')).length).toBe(1);
    expect(got.filter((m) => m.startsWith('6A 02')).length).toBe(5);
    expect((await h.req('22 F2 01')).filter((m) => !m.startsWith('6A'))).toEqual(['62 F2 01 11 22']);
  });

  it('leaves unsupported pDIDs out, as 0x22 does with DIDs', async () => {
    const h = harness(profile);
    await h.req('10 03');
    expect(await h.req('2A 03 01 7F')).toEqual(['6A', '6A 01 11 22']);
    expect(h.ecu.state.periodic.map((p) => p.pDid)).toEqual([0x01]);
  });

  it('answers every NRC of ISO 14229-1:2020 11.5.4 in its order', async () => {
    const h = harness(profile);
    // Not in the default session (service table) -> 0x7F.
    expect(await h.req('2A 03 01')).toEqual(['7F 2A 7F']);
    await h.req('10 03');
    // Length: a rate without a pDID -> 0x13; more pDIDs in one request than the ECU schedules -> 0x13.
    expect(await h.req('2A 03')).toEqual(['7F 2A 13']);
    expect(await h.req('2A 03 01 02 03 04')).toEqual(['7F 2A 13']);
    // Reserved transmissionMode -> 0x31 (after the length check).
    expect(await h.req('2A 05 01')).toEqual(['7F 2A 31']);
    expect(await h.req('2A 00 01')).toEqual(['7F 2A 31']);
    // No supported pDID -> 0x31.
    expect(await h.req('2A 03 7E 7F')).toEqual(['7F 2A 31']);
    // A secured pDID while locked -> 0x33; unlocked it is scheduled.
    expect(await h.req('2A 03 04')).toEqual(['7F 2A 33']);
    await h.unlock(0x01);
    expect(await h.req('2A 01 04')).toEqual(['6A', '6A 04 55']);
    // Too many scheduled at once -> 0x31 (04 is scheduled; 01 02 03 would make four).
    expect(await h.req('2A 01 01 02 03')).toEqual(['7F 2A 31']);
    expect(h.ecu.state.periodic.map((p) => p.pDid)).toEqual([0x04]);
    // Rescheduling an already scheduled pDID does not count twice.
    expect(await h.req('2A 02 04 01 02')).toEqual(['6A', '6A 04 55', '6A 01 11 22', '6A 02 33']);
  });

  it('suppresses 0x31 on a functional request (ISO 14229-1:2020 7.5) but schedules functional requests', async () => {
    const h = harness(profile);
    await h.req('10 03');
    expect(await h.req('2A 05 01', { functional: true })).toEqual([]);
    expect(await h.req('2A 03 02', { functional: true })).toEqual(['6A', '6A 02 33']);
  });

  it('stops on the transition to the default session, by 10 01 and by S3 timeout', async () => {
    const h = harness(profile);
    await h.req('10 03');
    await h.req('2A 03 01');
    expect((await h.req('10 01'))[0]).toMatch(/^50 01/);
    expect(await h.advance(500)).toEqual([]);
    expect(h.ecu.state.periodic).toEqual([]);

    await h.req('10 03');
    await h.req('2A 01 01');
    // S3 (5000 ms) runs out: the ECU returns to the default session and stops sending (the slow message due
    // at 5000 ms too comes after the S3 timer, armed first, so it is not sent).
    const untilTimeout = await h.advance(5000);
    expect(untilTimeout).toEqual(['6A 01 11 22', '6A 01 11 22', '6A 01 11 22', '6A 01 11 22']);
    expect(h.ecu.state.session).toBe(0x01);
    expect(await h.advance(3000)).toEqual([]);
  });

  it('keeps what is still readable on a transition between non-default sessions (security is relocked)', async () => {
    const h = harness(profile);
    await h.req('10 03');
    await h.unlock(0x01);
    await h.req('2A 01 01 03 04');
    expect(h.ecu.state.periodic.map((p) => p.pDid)).toEqual([0x01, 0x03, 0x04]);
    // 10 03 again: relock, so F204 goes; F201 and F203 stay.
    await h.req('10 03');
    expect(h.ecu.state.periodic.map((p) => p.pDid)).toEqual([0x01, 0x03]);
    // To the programming session: F203 (extended only) goes as well.
    await h.req('10 02');
    expect(h.ecu.state.periodic.map((p) => p.pDid)).toEqual([0x01]);
  });

  it('stops on reset and leaves no timer after close', async () => {
    const h = harness(profile);
    await h.req('10 03');
    await h.req('2A 03 01 02');
    await h.req('11 01');
    expect(h.ecu.state.periodic).toEqual([]);
    await h.advance(1000);
    await h.req('10 03');
    await h.req('2A 03 01');
    h.ecu.close();
    expect(h.clock.pendingTimers).toBe(0);
  });

  it('stops sending when the tester is gone (its link closed), without an unhandled rejection', async () => {
    const h = harness(profile);
    await h.req('10 03');
    await h.req('2A 03 01 02');
    await h.tester.close();
    await h.advance(200);
    expect(h.ecu.state.periodic).toEqual([]);
  });

  it('schedules a dynamically defined DID F2xx (0x2C) and drops it once 2C 03 clears it', async () => {
    const h = harness(profile);
    await h.req('10 03');
    // Undefined yet: not supported -> 0x31.
    expect(await h.req('2A 03 10')).toEqual(['7F 2A 31']);
    // F210 = 4 bytes of F190 from position 1 (the VIN "WUDS...").
    expect(await h.req('2C 01 F2 10 F1 90 01 04')).toEqual(['6C 01 F2 10']);
    expect(await h.req('2A 03 10')).toEqual(['6A', '6A 10 57 55 44 53']);
    expect(await h.advance(50)).toEqual(['6A 10 57 55 44 53']);
    await h.req('2C 03 F2 10');
    expect(await h.advance(200)).toEqual([]);
    expect(h.ecu.state.periodic).toEqual([]);
  });

  it('drops a pDID whose DID disappears after it was scheduled, silently', async () => {
    const h = harness(profile);
    await h.req('10 03');
    await h.req('2A 03 01 02');
    let n = 0;
    h.ecu.defineDid({ id: 0xf201, value: () => {
      if (n++ > 0) throw new Error('gone');
      return Uint8Array.of(0x99);
    } });
    const got = await h.advance(200);
    expect(got.filter((m) => m.startsWith('6A 01'))).toEqual(['6A 01 99']);
    expect(got.filter((m) => m.startsWith('7F'))).toEqual([]);
    expect(h.ecu.state.periodic.map((p) => p.pDid)).toEqual([0x02]);
  });
});
