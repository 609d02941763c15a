/** runServiceSweep against a scripted ECU on the memory bus (FakeClock, no sleeping). */
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { formatSweep, runServiceSweep, type SweepResult } from '../../../src/scan/service-sweep.js';
import { setup, track } from '../uds/client/helpers.js';

const h = (s: string): Uint8Array => fromHex(s);

/** Runs the sweep while advancing the fake clock until it settles (bounded). */
async function drive(clock: { advance(ms: number): Promise<void> }, p: Promise<SweepResult>): Promise<SweepResult> {
  const t = track(p);
  for (let i = 0; i < 200 && !t.settled; i++) await clock.advance(10);
  await t.done;
  if (t.error) throw t.error;
  if (!t.value) throw new Error('sweep did not settle');
  return t.value;
}

describe('runServiceSweep', () => {
  it('records positive, negative (with 0x78 pending) and SPRMIB-silent exchanges with their bytes', async () => {
    const { clock, ecu, client } = setup();
    ecu
      .expect('10 03', '50 03 00 32 01 F4')
      .expect('27 01', '67 01 11 22 33 44')
      .expect('27 02 11 22 33 45', '7F 27 78', { afterMs: 20, hex: '7F 27 35' });
    const result = await drive(
      clock,
      runServiceSweep(client, [
        { label: '10 03', request: h('10 03') },
        { label: '27 01', request: h('27 01') },
        {
          label: '27 02 wrong key',
          // The key is computed from the previous exchange's seed (+1 on the last byte: wrong on purpose).
          request: (ctx) => {
            const seed = ctx.get('27 01').response?.slice(2) ?? new Uint8Array(4);
            seed[3] = (seed[3] ?? 0) + 1;
            return Uint8Array.of(0x27, 0x02, ...seed);
          },
          expect: 0x35,
        },
        { label: '3E 80', request: h('3E 80'), expect: 'none' },
      ]),
    );
    ecu.assertDone();
    expect(ecu.testerPresents).toHaveLength(1);
    expect(result.problems).toEqual([]);
    expect(result.stoppedEarly).toBeUndefined();
    const [dsc, seed, key, tp] = result.exchanges;
    expect(dsc).toMatchObject({ outcome: 'positive', nrc: undefined, pending: [], unsolicited: [] });
    expect(toHex(dsc?.response ?? new Uint8Array())).toBe('50 03 00 32 01 F4');
    expect(toHex(seed?.response ?? new Uint8Array())).toBe('67 01 11 22 33 44');
    expect(key).toMatchObject({ outcome: 'negative', nrc: 0x35 });
    expect(toHex(key?.request ?? new Uint8Array())).toBe('27 02 11 22 33 45');
    expect(toHex(key?.response ?? new Uint8Array())).toBe('7F 27 35');
    expect(key?.pending.map((b) => toHex(b))).toEqual(['7F 27 78']);
    expect(tp).toMatchObject({ outcome: 'none', response: undefined });
    expect(formatSweep(result.exchanges)).toContain('27 02 wrong key');
  });

  it('waits for unsolicited messages (periodic data) and records them on the step that asked for them', async () => {
    const { clock, ecu, client } = setup();
    ecu.expect('2A 03 01', '6A', { afterMs: 10, hex: '6A 01 AA' }, { afterMs: 20, hex: '6A 01 AB' }, { afterMs: 30, hex: '6A 01 AC' });
    ecu.expect('2A 04', '6A');
    const result = await drive(
      clock,
      runServiceSweep(client, [
        { label: '2A 03 01', request: h('2A 03 01'), unsolicited: { count: 2, withinMs: 500 } },
        { label: '2A 04', request: h('2A 04') },
      ]),
    );
    ecu.assertDone();
    expect(result.problems).toEqual([]);
    // The third periodic message arrived before the next request and belongs to the 2A 03 step too.
    expect(result.exchanges[0]?.unsolicited.map((b) => toHex(b)).slice(0, 2)).toEqual(['6A 01 AA', '6A 01 AB']);
    expect(toHex(result.exchanges[0]?.response ?? new Uint8Array())).toBe('6A');
  });

  it('records a mismatch as a problem without throwing, and a missing unsolicited message as a problem', async () => {
    const { clock, ecu, client } = setup();
    ecu.expect('22 F1 90', '7F 22 31').expect('2A 03 01', '6A');
    const result = await drive(
      clock,
      runServiceSweep(client, [
        { label: '22 F190', request: h('22 F1 90') },
        { label: '2A 03 01', request: h('2A 03 01'), unsolicited: { count: 1, withinMs: 100 } },
      ]),
    );
    expect(result.problems.map((p) => p.problem)).toEqual([
      'expected positive response, got NRC 0x31 (requestOutOfRange)',
      'expected 1 unsolicited message(s) within 100 ms, got 0',
    ]);
  });

  it('records silence as a timeout and stops when the link closes', async () => {
    const { clock, ecu, client, testerLink } = setup({ p2ClientMs: 50 });
    ecu.expect('22 F1 90');
    const result = await drive(
      clock,
      runServiceSweep(
        client,
        [
          { label: 'silent', request: h('22 F1 90') },
          { label: 'close', request: () => (void testerLink.close(), h('3E 00')) },
          { label: 'never sent', request: h('3E 00') },
        ],
        {},
      ),
    );
    expect(result.exchanges[0]).toMatchObject({ outcome: 'timeout', response: undefined });
    expect(result.exchanges[0]?.problem).toMatch(/expected positive response, got timeout/);
    expect(result.exchanges.map((x) => x.label)).toEqual(['silent', 'close']);
    expect(result.stoppedEarly).toMatch(/link closed/);
  });

  it('runs a step\'s before hook first; what arrives meanwhile belongs to that step', async () => {
    const { clock, ecu, client } = setup();
    ecu.expect('3E 00', '7E 00');
    const order: string[] = [];
    const result = await drive(
      clock,
      runServiceSweep(client, [
        {
          label: 'after an event',
          before: () => {
            order.push('before');
            ecu.send('59 0E FF 05 62 16 2F');
          },
          request: () => (order.push('request'), h('3E 00')),
          unsolicited: { count: 1, withinMs: 100 },
        },
      ]),
    );
    expect(order).toEqual(['before', 'request']);
    expect(result.problems).toEqual([]);
    expect(result.exchanges[0]?.unsolicited.map((b) => toHex(b))).toEqual(['59 0E FF 05 62 16 2F']);
  });

  it('rejects a step without a label or with an empty request', async () => {
    const { client } = setup();
    await expect(runServiceSweep(client, [{ label: '', request: h('3E 00') }])).rejects.toThrow(/label/);
    await expect(runServiceSweep(client, [{ label: 'x', request: new Uint8Array() }])).rejects.toThrow(/empty request/);
  });
});
