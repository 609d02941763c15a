/**
 * Injectable time. Every timer of udskit (P2, P2*, S3, security delay, DoIP inactivity, erase time)
 * reads a {@link Clock}, so tests drive time with {@link FakeClock} and never sleep.
 */

/** Opaque handle returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  readonly id: number;
}

/** A source of time and timers. */
export interface Clock {
  /** Milliseconds since an arbitrary origin; only differences are meaningful. */
  now(): number;
  /** Calls `fn` once after `ms` milliseconds. */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** Cancels a timer; unknown or fired handles are ignored. */
  clearTimeout(handle: TimerHandle | undefined): void;
}

/** Resolves after `ms` on `clock`; rejects with the signal's reason if aborted. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(h);
      reject(signal?.reason);
    };
    const h = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A {@link SystemClock} handle: the Node timer travels with it, so no table of timers is kept. */
class SystemTimerHandle implements TimerHandle {
  constructor(
    readonly id: number,
    readonly owner: SystemClock,
    readonly timeout: NodeJS.Timeout,
  ) {}
}

/** The real clock: `performance.now()` and Node's timers. Timers do not keep the process alive when `unref` is set. */
export class SystemClock implements Clock {
  private next = 1;

  constructor(private readonly options: { unref?: boolean } = {}) {}

  now(): number {
    return performance.now();
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const t = setTimeout(fn, Math.max(0, ms));
    if (this.options.unref) t.unref();
    return new SystemTimerHandle(this.next++, this, t);
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    // Clearing a fired Node timer does nothing; handles of other clocks are ignored.
    if (handle instanceof SystemTimerHandle && handle.owner === this) clearTimeout(handle.timeout);
  }
}

/** The shared system clock used when no clock is injected. */
export const systemClock: Clock = new SystemClock();

interface FakeTimer {
  id: number;
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due, in order,
 * letting pending promise callbacks run between timers so async code behaves as with real time.
 */
export class FakeClock implements Clock {
  private t: number;
  private nextId = 1;
  private seq = 0;
  private timers: FakeTimer[] = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.push({ id, at: this.t + Math.max(0, ms), seq: this.seq++, fn });
    return { id };
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (!handle) return;
    this.timers = this.timers.filter((x) => x.id !== handle.id);
  }

  /** Number of timers not yet fired. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, firing due timers in order and flushing microtasks between them. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await flushMicrotasks();
    for (;;) {
      const due = this.nextDue(target);
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
      await flushMicrotasks();
    }
    this.t = target;
    await flushMicrotasks();
  }

  /** Fires timers until none is left or `limitMs` of fake time has passed. */
  async runAll(limitMs = 3_600_000): Promise<void> {
    const end = this.t + limitMs;
    while (this.timers.length > 0 && this.t < end) {
      const first = this.nextDue(end);
      if (!first) break;
      await this.advance(first.at - this.t);
    }
  }

  private nextDue(limit: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const x of this.timers) {
      if (x.at <= limit && (!best || x.at < best.at || (x.at === best.at && x.seq < best.seq))) best = x;
    }
    return best;
  }
}

/** Lets queued promise callbacks (and their follow-ups) run. Uses `setImmediate`, which is not a sleep. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
