import { describe, expect, it } from 'vitest';
import { FakeClock, sleep } from '../../../src/core/clock.js';

describe('FakeClock', () => {
  it('fires timers in due order only when advanced', async () => {
    const c = new FakeClock(1000);
    const fired: string[] = [];
    c.setTimeout(() => fired.push('b@50'), 50);
    c.setTimeout(() => fired.push('a@10'), 10);
    const h = c.setTimeout(() => fired.push('never'), 20);
    c.clearTimeout(h);
    await c.advance(9);
    expect(fired).toEqual([]);
    await c.advance(41);
    expect(fired).toEqual(['a@10', 'b@50']);
    expect(c.now()).toBe(1050);
    expect(c.pendingTimers).toBe(0);
  });

  it('runs timers scheduled by timers, and promise continuations between them', async () => {
    const c = new FakeClock();
    const log: number[] = [];
    const p = (async () => {
      await sleep(c, 100);
      log.push(c.now());
      await sleep(c, 100);
      log.push(c.now());
    })();
    await c.advance(250);
    await p;
    expect(log).toEqual([100, 200]);
  });

  it('sleep rejects when aborted', async () => {
    const c = new FakeClock();
    const ac = new AbortController();
    const p = sleep(c, 1000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
    expect(c.pendingTimers).toBe(0);
  });
});
