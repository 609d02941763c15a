import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { fromHex } from '../../../../src/core/hex.js';
import { checkRequest, type ServiceRule } from '../../../../src/uds/server/service-table.js';
import { FakeClock } from '../../../../src/core/clock.js';
import { firstPendingDelay, raceResponsePending, repeatPendingDelay, startResponsePendingRace } from '../../../../src/uds/server/response-pending.js';

const table = new Map<number, ServiceRule>([
  [0x27, { sessions: [2, 3], subFunctions: new Map([[0x01, { sessions: [3] }], [0x02, { sessions: [3] }]]) }],
  [0x34, { sessions: [2], securityLevels: [1], minLength: 5 }],
  [0x31, { sessions: [3], minLength: 4, subFunctions: new Map([[0x01, { securityLevels: [3] }]]) }],
  [0x22, { minLength: 3 }],
]);

describe('checkRequest', () => {
  // [request, session, unlocked level, expected NRC or "ok", step]
  const cases: [string, number, number | null, number | 'ok', number?][] = [
    ['11 01', 1, null, 0x11, 1], // SID not in the table
    ['27 01', 1, null, 0x7f, 2], // SID not in session 01
    ['34', 2, null, 0x33, 3], // security before length
    ['34 00 44', 2, 1, 0x13, 4], // shorter than minLength 5
    ['34 00 11 00 01', 2, 1, 'ok'],
    ['34 00 11 00 01', 2, 3, 0x33, 3], // level 3 is not the required level 1
    ['27', 3, null, 0x13, 4], // sub-function service without sub-function byte
    ['27 05', 3, null, 0x12, 5],
    ['27 01', 2, null, 0x7e, 6],
    ['27 81', 3, null, 'ok'],
    ['31 01 FF 00', 3, null, 0x33, 7],
    ['31 01 FF 00', 3, 3, 'ok'],
    ['22 F1', 1, null, 0x13, 4],
    ['22 F1 90', 1, null, 'ok'],
  ];
  it.each(cases)('%s in session %i, level %s -> %s', (hex, session, level, expected, step) => {
    const r = checkRequest(table, { session, securityLevel: level }, fromHex(hex));
    if (expected === 'ok') expect(r.ok).toBe(true);
    else expect(r).toEqual({ ok: false, nrc: expected, step });
  });

  it('splits SPRMIB from the sub-function value', () => {
    const r = checkRequest(table, { session: 3, securityLevel: null }, fromHex('27 81'));
    expect(r).toMatchObject({ ok: true, subFunction: 0x01, suppressPositiveResponse: true });
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 3 }), (data, session) => {
        const r = checkRequest(table, { session, securityLevel: null }, data);
        expect(typeof r.ok).toBe('boolean');
      }),
    );
  });
});

describe('response pending schedule', () => {
  it('first 0x78 at P2 - margin (at most P2/5), repeats at P2* - max(margin, 10 %)', () => {
    expect(firstPendingDelay({ p2ServerMs: 50, p2StarServerMs: 5000 }, 10)).toBe(40);
    expect(firstPendingDelay({ p2ServerMs: 5, p2StarServerMs: 5000 }, 10)).toBe(4);
    expect(repeatPendingDelay({ p2ServerMs: 50, p2StarServerMs: 5000 }, 10)).toBe(4500);
    expect(repeatPendingDelay({ p2ServerMs: 50, p2StarServerMs: 50 }, 10)).toBe(40);
  });
});

describe('response pending race', () => {
  const timing = { p2ServerMs: 50, p2StarServerMs: 5000 };

  it('calls onPending at 40 ms and then every 4500 ms until the work settles, and clears its timer', async () => {
    const clock = new FakeClock();
    let finish: (v: string) => void = () => undefined;
    const work = new Promise<string>((r) => (finish = r));
    const at: number[] = [];
    const race = startResponsePendingRace(work, clock, timing, 10, 100, () => at.push(clock.now()));
    await clock.advance(9100);
    finish('done');
    expect(await race.result).toEqual({ gaveUp: false, value: 'done', pendingSent: 3 });
    expect(at).toEqual([40, 4540, 9040]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('cancel() gives up at once; an AbortSignal does the same for raceResponsePending', async () => {
    const clock = new FakeClock();
    const never = new Promise<string>(() => undefined);
    const race = startResponsePendingRace(never, clock, timing, 10, 100, () => undefined);
    race.cancel();
    expect(await race.result).toEqual({ gaveUp: true, pendingSent: 0 });
    const ac = new AbortController();
    const raced = raceResponsePending(never, clock, timing, 10, 100, () => undefined, ac.signal);
    await clock.advance(40);
    ac.abort();
    expect(await raced).toEqual({ gaveUp: true, pendingSent: 1 });
    const aborted = new AbortController();
    aborted.abort();
    expect(await raceResponsePending(never, clock, timing, 10, 100, () => undefined, aborted.signal)).toEqual({ gaveUp: true, pendingSent: 0 });
    expect(clock.pendingTimers).toBe(0);
  });

  it('gives up after maxPending 0x78 and passes rejections through', async () => {
    const clock = new FakeClock();
    const race = startResponsePendingRace(new Promise<never>(() => undefined), clock, timing, 10, 2, () => undefined);
    await clock.advance(40 + 4500 + 4500);
    expect(await race.result).toEqual({ gaveUp: true, pendingSent: 2 });
    await expect(startResponsePendingRace(Promise.reject(new Error('boom')), clock, timing, 10, 2, () => undefined).result).rejects.toThrow('boom');
  });
});
