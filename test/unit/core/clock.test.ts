import { describe, expect, it, vi } from 'vitest';
import { FakeClock, SystemClock, sleep } from '../../../src/core/clock.js';

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

describe('SystemClock', () => {
  it('fires and clears Node timers; ignores undefined, foreign and already cleared handles', () => {
    vi.useFakeTimers();
    try {
      const clock = new SystemClock();
      const other = new SystemClock();
      const fired: string[] = [];
      const kept = clock.setTimeout(() => fired.push('kept'), 100);
      const cleared = clock.setTimeout(() => fired.push('cleared'), 100);
      clock.clearTimeout(cleared);
      clock.clearTimeout(cleared);
      clock.clearTimeout(undefined);
      // Handles of another clock (system or fake) are not this clock's: they cancel nothing.
      other.clearTimeout(kept);
      clock.clearTimeout(new FakeClock().setTimeout(() => undefined, 1));
      vi.advanceTimersByTime(100);
      expect(fired).toEqual(['kept']);
      clock.clearTimeout(kept);
    } finally {
      vi.useRealTimers();
    }
  });
});
