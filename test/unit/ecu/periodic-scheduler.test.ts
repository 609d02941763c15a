/** PeriodicScheduler on a FakeClock: rates, rescheduling, stop, dropped pDIDs, a requester that is gone. */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { toHex } from '../../../src/core/hex.js';
import { silentLogger } from '../../../src/core/logger.js';
import { PeriodicScheduler, type PeriodicSend } from '../../../src/ecu/periodic-scheduler.js';

const config = { slowMs: 1000, mediumMs: 200, fastMs: 50, maxScheduled: 3 };

function setup(read: (pDid: number) => Uint8Array = (p) => Uint8Array.of(p, 0xaa)) {
  const clock = new FakeClock();
  const sent: { at: number; hex: string }[] = [];
  const send: PeriodicSend = async (bytes) => {
    sent.push({ at: clock.now(), hex: toHex(bytes) });
  };
  const scheduler = new PeriodicScheduler({ clock, logger: silentLogger, config, read });
  return { clock, sent, send, scheduler };
}

describe('PeriodicScheduler', () => {
  it('sends at once and then every period of the rate (type 1: 6A pDID data)', async () => {
    const { clock, sent, send, scheduler } = setup();
    scheduler.schedule([0x01], 'fast', send);
    scheduler.schedule([0x02], 'medium', send);
    await clock.advance(400);
    expect(sent.filter((s) => s.hex.startsWith('6A 01')).map((s) => s.at)).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400]);
    expect(sent.filter((s) => s.hex.startsWith('6A 02')).map((s) => s.at)).toEqual([0, 200, 400]);
    expect(sent[0]?.hex).toBe('6A 01 01 AA');
    expect(scheduler.list()).toEqual([
      { pDid: 0x01, rate: 'fast', periodMs: 50 },
      { pDid: 0x02, rate: 'medium', periodMs: 200 },
    ]);
  });

  it('moves a pDID scheduled again to the new rate (one rate per pDID)', async () => {
    const { clock, sent, send, scheduler } = setup();
    scheduler.schedule([0x01], 'slow', send);
    await clock.advance(100);
    scheduler.schedule([0x01, 0x01], 'fast', send);
    await clock.advance(100);
    expect(sent.map((s) => s.at)).toEqual([0, 100, 150, 200]);
    expect(scheduler.size).toBe(1);
    await clock.advance(2000);
    expect(sent.filter((s) => s.at > 200 && s.at < 1000).length).toBe(15);
  });

  it('stops listed pDIDs or all of them, and leaves no timer behind', async () => {
    const { clock, sent, send, scheduler } = setup();
    scheduler.schedule([0x01, 0x02, 0x03], 'fast', send);
    scheduler.stop([0x02, 0x7f]);
    expect(scheduler.list().map((e) => e.pDid)).toEqual([0x01, 0x03]);
    scheduler.stop();
    expect(clock.pendingTimers).toBe(0);
    const n = sent.length;
    await clock.advance(500);
    expect(sent.length).toBe(n);
  });

  it('keeps within maxScheduled and reports the count a request would reach', () => {
    const { send, scheduler } = setup();
    scheduler.schedule([1, 2], 'slow', send);
    expect(scheduler.countWith([2, 3])).toBe(3);
    expect(scheduler.countWith([3, 4])).toBe(4);
    scheduler.schedule([3, 4], 'slow', send);
    expect(scheduler.list().map((e) => e.pDid)).toEqual([1, 2, 3]);
  });

  it('drops a pDID whose data can no longer be read (no negative response after 6A)', async () => {
    let readable = true;
    const { clock, sent, send, scheduler } = setup((p) => {
      if (!readable) throw new Error('DID gone');
      return Uint8Array.of(p);
    });
    scheduler.schedule([0x05], 'fast', send);
    readable = false;
    await clock.advance(200);
    expect(sent.map((s) => s.hex)).toEqual(['6A 05 05']);
    expect(scheduler.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('drops the pDIDs of a requester whose send rejects, without an unhandled rejection', async () => {
    const { clock, scheduler } = setup();
    let calls = 0;
    const gone: PeriodicSend = () => {
      calls++;
      return Promise.reject(new Error('connection closed'));
    };
    const throwing: PeriodicSend = () => {
      throw new Error('synchronous failure');
    };
    scheduler.schedule([0x01], 'fast', gone);
    scheduler.schedule([0x02], 'fast', throwing);
    await clock.advance(500);
    expect(calls).toBe(1);
    expect(scheduler.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('skips a period while the previous send is still in progress (bounded)', async () => {
    const { clock, scheduler } = setup();
    const resolvers: (() => void)[] = [];
    const slow: PeriodicSend = () => new Promise<void>((r) => resolvers.push(r));
    scheduler.schedule([0x01], 'fast', slow);
    await clock.advance(500);
    expect(resolvers.length).toBe(1);
    resolvers[0]?.();
    await clock.advance(50);
    expect(resolvers.length).toBe(2);
  });

  it('sends type 2 messages (pDID data) when configured, and nothing after close', async () => {
    const clock = new FakeClock();
    const sent: string[] = [];
    const scheduler = new PeriodicScheduler({ clock, logger: silentLogger, config, read: () => Uint8Array.of(0x12), messageType: 2 });
    scheduler.schedule([0x07], 'slow', async (b) => void sent.push(toHex(b)));
    expect(sent).toEqual(['07 12']);
    scheduler.close();
    scheduler.schedule([0x08], 'slow', async (b) => void sent.push(toHex(b)));
    await clock.advance(5000);
    expect(sent).toEqual(['07 12']);
    expect(clock.pendingTimers).toBe(0);
  });
});
