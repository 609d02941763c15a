/**
 * Request validation and the per-client request queue: one outstanding request per server at a time
 * (ISO 14229-2:2013 7.1 — a client does not send a new request before the previous one completed), so
 * concurrent calls never interleave on the wire.
 */
import { AbortedError, InvalidArgumentError } from '../../core/errors.js';
import { toHex } from '../../core/hex.js';
import { hasSubFunction, SPRMIB } from '../codec/sid.js';
import { describeService } from './errors.js';
import { checkMs } from './options.js';
import type { RequestOptions } from './types.js';

/** A validated request, ready for the queue. */
export interface PreparedRequest {
  /** The bytes to send (SPRMIB set when suppressing). */
  readonly bytes: Uint8Array;
  readonly sid: number;
  /** SPRMIB in force. */
  readonly suppress: boolean;
  /** P2client for this request. */
  readonly p2Ms: number;
  /** Bytes the positive response must repeat after the SID. */
  readonly echo?: Uint8Array;
}

/**
 * Checks `data` and `opts` (InvalidArgumentError naming the field) and applies SPRMIB, which may come
 * from the option or from the bytes themselves (e.g. `3E 80` typed on the CLI; ISO 14229-1:2020 8.2.2).
 */
export function prepareRequest(data: Uint8Array, opts: RequestOptions, maxMessageSize: number, defaultP2Ms: number): PreparedRequest {
  if (!(data instanceof Uint8Array) || data.length === 0) {
    throw new InvalidArgumentError('request: data must be a non-empty Uint8Array starting with the SID', { field: 'data' });
  }
  if (data.length > maxMessageSize) {
    throw new InvalidArgumentError(`request: ${data.length} bytes exceed what the link carries (${maxMessageSize})`, { field: 'data' });
  }
  const sid = data[0] as number;
  const withSf = hasSubFunction(sid) && data.length >= 2;
  const bitSet = withSf && ((data[1] as number) & SPRMIB) !== 0;
  const suppress = opts.suppressPositiveResponse ?? bitSet;
  if (suppress && !withSf) {
    throw new InvalidArgumentError(`request: ${describeService(sid)} has no sub-function, so suppressPositiveResponse cannot be set`, {
      field: 'suppressPositiveResponse',
    });
  }
  if (bitSet && !suppress) {
    throw new InvalidArgumentError(
      `request: the sub-function byte 0x${toHex([data[1] as number])} has SPRMIB (bit 7) set but suppressPositiveResponse is false; ` +
        'clear bit 7 or drop the option',
      { field: 'suppressPositiveResponse' },
    );
  }
  let bytes = data;
  if (suppress && !bitSet) {
    bytes = data.slice();
    bytes[1] = (bytes[1] as number) | SPRMIB;
  }
  const p2Ms = opts.timeoutMs === undefined ? defaultP2Ms : checkMs('timeoutMs', opts.timeoutMs, 1);
  if (opts.echo !== undefined && !(opts.echo instanceof Uint8Array)) {
    throw new InvalidArgumentError('request: echo must be a Uint8Array', { field: 'echo' });
  }
  if (opts.signal?.aborted) throw new AbortedError(`${describeService(sid)} aborted before it was sent`);
  return { bytes, sid, suppress, p2Ms, ...(opts.echo ? { echo: opts.echo } : {}) };
}

/** Runs tasks one after the other; a task aborted while waiting is rejected at once and never run. */
export class RequestQueue {
  private tail: Promise<unknown> = Promise.resolve();
  /** Tasks started or waiting whose settlement the tail has not seen yet. */
  private pending = 0;
  private readonly taskDone = (): void => {
    this.pending--;
  };

  /** `isClosed` is checked when a task's turn comes: a closed owner rejects it with `AbortedError`. */
  constructor(private readonly isClosed: () => boolean) {}

  /**
   * Runs `fn` after every earlier task settled; with none pending it starts at once (synchronously), so
   * the request is on the wire when `run` returns and the caller can work while the ECU answers.
   */
  run<T>(sid: number, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        f();
      };
      const onAbort = (): void => settle(() => reject(new AbortedError(`${describeService(sid)} aborted while queued`)));
      signal?.addEventListener('abort', onAbort, { once: true });
      const start = (): Promise<T> | undefined => {
        signal?.removeEventListener('abort', onAbort);
        if (settled) return undefined;
        if (this.isClosed()) throw new AbortedError(`UdsClient closed before ${describeService(sid)} was sent`);
        return fn();
      };
      const run = this.pending === 0 ? startNow(start) : this.tail.then(start);
      this.pending++;
      this.tail = run.then(this.taskDone, this.taskDone);
      run.then(
        (v) => settle(() => resolve(v as T)),
        (e: unknown) => settle(() => reject(e)),
      );
    });
  }
}

/** `start()` as a promise: its value, or a rejection with what it threw. */
function startNow<T>(start: () => Promise<T> | undefined): Promise<T | undefined> {
  try {
    return Promise.resolve(start());
  } catch (e) {
    return Promise.reject(e);
  }
}
