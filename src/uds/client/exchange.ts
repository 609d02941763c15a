/**
 * One request and the wait for its response(s): the P2 / P2* state machine of ISO 14229-2:2013 7.2.
 *
 * States of a physical exchange: SENDING (link.send not yet resolved) -> WAIT_P2 -> (NRC 0x78) WAIT_P2_STAR
 * -> DONE. P2 starts when `link.send` resolved; every 0x78 (re)starts P2*. Messages that arrive while
 * SENDING are handled the same way (a fast ECU may answer before the transport confirms the send).
 */
import { createDeferred } from '../../core/deferred.js';
import type { Clock, TimerHandle } from '../../core/clock.js';
import { AbortedError, TimeoutError } from '../../core/errors.js';
import type { UdsMessage } from '../../core/link.js';
import { hexByte } from '../../core/hex.js';
import { NEGATIVE_RESPONSE_SID, POSITIVE_RESPONSE_OFFSET } from '../codec/sid.js';
import { InvalidResponseError, NegativeResponseError, describeEcu, describeService } from './errors.js';

/** NRC 0x78 requestCorrectlyReceivedResponsePending (ISO 14229-1:2020 table A.1). */
export const NRC_RESPONSE_PENDING = 0x78;

/** How a message relates to a request with SID `sid`. */
export type Classified =
  | { kind: 'positive' }
  | { kind: 'pending' }
  | { kind: 'negative'; nrc: number }
  | { kind: 'other'; reason: string }
  | { kind: 'malformed'; reason: string };

/** Classifies `data` as an answer to a request with SID `sid` (ISO 14229-1:2020 8.2, 8.3). */
export function classifyResponse(sid: number, data: Uint8Array): Classified {
  if (data.length === 0) return { kind: 'malformed', reason: 'empty response' };
  const first = data[0] as number;
  if (first === NEGATIVE_RESPONSE_SID) {
    if (data.length < 2 || data[1] !== sid) {
      return { kind: 'other', reason: `negative response for SID 0x${hexByte(data[1] ?? 0)}` };
    }
    if (data.length !== 3) return { kind: 'malformed', reason: `negative response of ${data.length} bytes, expected 3 (7F SID NRC)` };
    const nrc = data[2] as number;
    return nrc === NRC_RESPONSE_PENDING ? { kind: 'pending' } : { kind: 'negative', nrc };
  }
  if (first === ((sid + POSITIVE_RESPONSE_OFFSET) & 0xff)) return { kind: 'positive' };
  return {
    kind: 'other',
    reason: `response SID 0x${hexByte(first)}, expected 0x${hexByte((sid + POSITIVE_RESPONSE_OFFSET) & 0xff)} or 7F ${hexByte(sid)}`,
  };
}

/**
 * Why `response` does not repeat `echo` right after its SID (ISO 14229-1:2020 8.2 — the positive response
 * echoes the sub-function / identifier of the request), or undefined when it does (or no echo is expected).
 */
export function echoMismatch(response: Uint8Array, echo: Uint8Array | undefined): string | undefined {
  if (!echo || echo.length === 0) return undefined;
  const got = response.subarray(1, 1 + echo.length);
  let same = got.length === echo.length;
  for (let i = 0; same && i < echo.length; i++) {
    // The sub-function echo never carries SPRMIB (ISO 14229-1:2020 8.2.2).
    same = got[i] === echo[i];
  }
  if (same) return undefined;
  const hex = (b: Uint8Array): string => (b.length === 0 ? 'nothing' : [...b].map((x) => hexByte(x)).join(' '));
  return `echo ${hex(got)} after the SID, expected ${hex(echo)}`;
}

/** What an exchange needs from its client. */
export interface ExchangeHost {
  readonly clock: Clock;
  /** Returns why `msg` (not an answer to SID `sid`) may be ignored, or undefined when it is an error. */
  ignoreReason(msg: UdsMessage, sid: number): string | undefined;
  /** Logs an ignored message. */
  ignored(msg: UdsMessage, reason: string): void;
  /** Reports a 0x78 from `source`. */
  pending(sid: number, source: number, count: number): void;
  /** Remembers that `source` may still answer SID `sid` late (after a timeout or abort). */
  markLate(source: number, sid: number): void;
}

/** Parameters of one physical exchange. */
export interface PhysicalExchangeParams {
  readonly sid: number;
  /** Only messages from this address answer the request. */
  readonly expectSource: number;
  readonly suppressPositiveResponse: boolean;
  /** Bytes the positive response must repeat after its SID. */
  readonly echo?: Uint8Array;
  readonly p2Ms: number;
  readonly p2StarMs: number;
  readonly signal?: AbortSignal;
}

type PhysicalState = 'SENDING' | 'WAIT_P2' | 'WAIT_P2_STAR' | 'DONE';

/** The wait for the answer of one ECU to one request. */
export class PhysicalExchange {
  private state: PhysicalState = 'SENDING';
  private pendingCount = 0;
  private timer: TimerHandle | undefined;
  private readonly onAbort = (): void => this.abort();
  /** Settles with the positive response, or undefined for a suppressed one (SPRMIB). */
  readonly result: Promise<Uint8Array | undefined>;
  private readonly deferred = createDeferred<Uint8Array | undefined>();

  constructor(
    private readonly host: ExchangeHost,
    private readonly p: PhysicalExchangeParams,
  ) {
    // The owner awaits `result` only after link.send resolved; createDeferred keeps an early rejection quiet.
    this.result = this.deferred.promise;
    p.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** True once settled. */
  get done(): boolean {
    return this.state === 'DONE';
  }

  /** The transport confirmed the request: start P2 (or P2* if a 0x78 already came). */
  sent(): void {
    if (this.state !== 'SENDING') return;
    if (this.pendingCount > 0) this.arm('WAIT_P2_STAR');
    else this.arm('WAIT_P2');
  }

  /** A message arrived on the link while this exchange is current. */
  handle(msg: UdsMessage): void {
    if (this.state === 'DONE') return;
    if (msg.source !== this.p.expectSource) {
      this.host.ignored(msg, `from ${describeEcu(msg.source)}, waiting for ${describeEcu(this.p.expectSource)}`);
      return;
    }
    const c = classifyResponse(this.p.sid, msg.data);
    switch (c.kind) {
      case 'positive': {
        const bad = echoMismatch(msg.data, this.p.echo);
        if (bad !== undefined) {
          // A late answer to a timed-out attempt (e.g. a repeated TransferData block) carries the old echo.
          const why = this.host.ignoreReason(msg, this.p.sid);
          if (why !== undefined) this.host.ignored(msg, why);
          else this.fail(new InvalidResponseError({ sid: this.p.sid, source: msg.source, response: msg.data, reason: bad }));
          return;
        }
        this.finish(() => this.deferred.resolve(msg.data));
        return;
      }
      case 'pending':
        // ISO 14229-2:2013 7.2 — after NRC 0x78 the client waits P2*client, restarted by every further 0x78.
        this.pendingCount++;
        this.host.pending(this.p.sid, msg.source, this.pendingCount);
        if (this.state !== 'SENDING') this.arm('WAIT_P2_STAR');
        return;
      case 'negative': {
        const err = new NegativeResponseError({ sid: this.p.sid, nrc: c.nrc, source: msg.source });
        this.finish(() => this.deferred.reject(err));
        return;
      }
      case 'malformed':
        this.fail(new InvalidResponseError({ sid: this.p.sid, source: msg.source, response: msg.data, reason: c.reason }));
        return;
      case 'other': {
        const why = this.host.ignoreReason(msg, this.p.sid);
        if (why !== undefined) {
          this.host.ignored(msg, why);
          return;
        }
        this.fail(new InvalidResponseError({ sid: this.p.sid, source: msg.source, response: msg.data, reason: c.reason }));
        return;
      }
    }
  }

  /** Ends the exchange with `err` (send failure, link closed, client closed). */
  fail(err: Error): void {
    if (this.state === 'DONE') return;
    this.finish(() => this.deferred.reject(err));
  }

  private arm(state: 'WAIT_P2' | 'WAIT_P2_STAR'): void {
    this.host.clock.clearTimeout(this.timer);
    this.state = state;
    const ms = state === 'WAIT_P2' ? this.p.p2Ms : this.p.p2StarMs;
    this.timer = this.host.clock.setTimeout(() => this.expired(state, ms), ms);
  }

  private expired(state: 'WAIT_P2' | 'WAIT_P2_STAR', ms: number): void {
    if (this.state !== state) return;
    // ISO 14229-1:2020 8.2.2 — with SPRMIB no positive response comes; silence within P2 is success.
    if (state === 'WAIT_P2' && this.p.suppressPositiveResponse) {
      // A slow ECU may still send a negative response later: recognise it then as a late answer.
      this.host.markLate(this.p.expectSource, this.p.sid);
      this.finish(() => this.deferred.resolve(undefined));
      return;
    }
    this.host.markLate(this.p.expectSource, this.p.sid);
    const svc = describeService(this.p.sid);
    const ecu = describeEcu(this.p.expectSource);
    const message =
      state === 'WAIT_P2'
        ? `${svc} to ${ecu}: no response within P2client ${ms} ms; check the ECU address, that the ECU is ` +
          'powered and reachable (routing activation, gateway), or raise p2ClientMs'
        : `${svc} to ${ecu}: no final response within P2*client ${ms} ms after ${this.pendingCount} NRC 0x78 ` +
          '(responsePending); the ECU may be stuck in a long operation — raise p2StarClientMs if it needs longer';
    const err = new TimeoutError(message, {
      sid: this.p.sid,
      service: describeService(this.p.sid),
      target: this.p.expectSource,
      phase: state === 'WAIT_P2' ? 'P2' : 'P2*',
      timeoutMs: ms,
      responsePending: this.pendingCount,
    });
    this.finish(() => this.deferred.reject(err));
  }

  private abort(): void {
    if (this.state === 'DONE') return;
    this.host.markLate(this.p.expectSource, this.p.sid);
    this.fail(new AbortedError(`${describeService(this.p.sid)} to ${describeEcu(this.p.expectSource)} aborted`, { sid: this.p.sid }));
  }

  private finish(settle: () => void): void {
    this.state = 'DONE';
    this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.p.signal?.removeEventListener('abort', this.onAbort);
    settle();
  }
}
