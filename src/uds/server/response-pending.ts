/**
 * NRC 0x78 requestCorrectlyReceivedResponsePending: while a handler runs longer than P2server the
 * server tells the client to keep waiting, and repeats it before P2*server runs out
 * (ISO 14229-1:2020 7.5 and 8.7.2 NRC 0x78; ISO 14229-2:2013 table 4 — P2server / P2*server).
 */
import type { Clock, TimerHandle } from '../../core/clock.js';

/** Server timing parameters (ms), as reported in the 0x50 response. */
export interface ServerTiming {
  /** P2server: time to the first response (default 50 ms). */
  readonly p2ServerMs: number;
  /** P2*server: time between a 0x78 and the next response (default 5000 ms). */
  readonly p2StarServerMs: number;
}

/** When the first 0x78 goes out: P2server minus a margin (at most a fifth of P2server). */
export function firstPendingDelay(timing: ServerTiming, marginMs: number): number {
  return Math.max(0, timing.p2ServerMs - Math.min(marginMs, Math.floor(timing.p2ServerMs / 5)));
}

/** Interval of the repeated 0x78: P2*server minus the larger of the margin and 10 % of P2*server. */
export function repeatPendingDelay(timing: ServerTiming, marginMs: number): number {
  return Math.max(1, timing.p2StarServerMs - Math.max(marginMs, Math.round(timing.p2StarServerMs / 10)));
}

/** What a race of {@link raceResponsePending} resolves with. */
export type ResponsePendingResult<T> = { gaveUp: false; value: T; pendingSent: number } | { gaveUp: true; pendingSent: number };

/** A running race: its result, and `cancel()`, which makes it give up at once (the server closed). */
export interface ResponsePendingRace<T> {
  readonly result: Promise<ResponsePendingResult<T>>;
  cancel(): void;
}

/**
 * Races `work` against the P2 / P2* schedule: `onPending()` is called at each due 0x78 while `work`
 * runs; after `maxPending` of them it gives up and resolves `{ gaveUp: true }` (the late result of
 * `work` is then dropped), as it does at once when `signal` aborts (the server closed). Rejections of
 * `work` are passed through.
 */
export function raceResponsePending<T>(
  work: Promise<T>,
  clock: Clock,
  timing: ServerTiming,
  marginMs: number,
  maxPending: number,
  onPending: () => void,
  signal?: AbortSignal,
): Promise<ResponsePendingResult<T>> {
  const race = startResponsePendingRace(work, clock, timing, marginMs, maxPending, onPending);
  if (!signal) return race.result;
  if (signal.aborted) race.cancel();
  else {
    const onAbort = (): void => race.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    void race.result.then(
      () => signal.removeEventListener('abort', onAbort),
      () => signal.removeEventListener('abort', onAbort),
    );
  }
  return race.result;
}

/**
 * {@link raceResponsePending} with a `cancel()` of its own instead of an `AbortSignal`: for an owner
 * that runs one race at a time and can keep it, without adding and removing a listener per request.
 */
export function startResponsePendingRace<T>(
  work: Promise<T>,
  clock: Clock,
  timing: ServerTiming,
  marginMs: number,
  maxPending: number,
  onPending: () => void,
): ResponsePendingRace<T> {
  let timer: TimerHandle | undefined;
  let sent = 0;
  let settled = false;
  let finish: (r: ResponsePendingResult<T>) => void = () => undefined;
  let fail: (e: unknown) => void = () => undefined;
  const result = new Promise<ResponsePendingResult<T>>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const fire = (): void => {
    if (settled) return;
    if (sent >= maxPending) {
      settled = true;
      finish({ gaveUp: true, pendingSent: sent });
      return;
    }
    sent++;
    onPending();
    timer = clock.setTimeout(fire, repeatPendingDelay(timing, marginMs));
  };
  const cancel = (): void => {
    if (settled) return;
    settled = true;
    clock.clearTimeout(timer);
    finish({ gaveUp: true, pendingSent: sent });
  };
  timer = clock.setTimeout(fire, firstPendingDelay(timing, marginMs));
  work.then(
    (value) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      finish({ gaveUp: false, value, pendingSent: sent });
    },
    (err: unknown) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      fail(err);
    },
  );
  return { result, cancel };
}
