/**
 * A functional (broadcast) request and the collection of every ECU's answer.
 *
 * Every answer that arrives within P2client after the send is collected; an ECU that answers NRC 0x78
 * gets its own P2*client deadline (restarted by each further 0x78), and the collection ends when P2 has
 * passed and no ECU is pending any more (ISO 14229-2:2013 7.2, applied per responding server).
 */
import { createDeferred } from '../../core/deferred.js';
import type { TimerHandle } from '../../core/clock.js';
import { AbortedError, TimeoutError } from '../../core/errors.js';
import type { UdsMessage } from '../../core/link.js';
import { NegativeResponseError, describeEcu, describeService } from './errors.js';
import { classifyResponse, echoMismatch, type ExchangeHost } from './exchange.js';

/** One ECU's answer to a functional request. */
export interface FunctionalAnswer {
  /** Logical address of the ECU. */
  readonly source: number;
  /** The positive response bytes. */
  readonly response?: Uint8Array;
  /** The ECU refused the request. */
  readonly error?: NegativeResponseError;
  /** The ECU answered NRC 0x78 and then nothing within P2*client. */
  readonly timeout?: TimeoutError;
}

/** Parameters of a functional exchange. */
export interface FunctionalExchangeParams {
  readonly sid: number;
  /** Bytes a positive response must repeat after its SID; others are ignored. */
  readonly echo?: Uint8Array;
  readonly p2Ms: number;
  readonly p2StarMs: number;
  readonly signal?: AbortSignal;
}

/** The collection of answers to one functional request. */
export class FunctionalExchange {
  private sentAt: number | undefined;
  private p2Timer: TimerHandle | undefined;
  private p2Over = false;
  private readonly pending = new Map<number, { timer: TimerHandle | undefined; count: number }>();
  private readonly answers = new Map<number, FunctionalAnswer>();
  private isDone = false;
  private readonly onAbort = (): void => {
    for (const source of this.pending.keys()) this.host.markLate(source, this.p.sid);
    this.fail(new AbortedError(`functional ${describeService(this.p.sid)} aborted`, { sid: this.p.sid }));
  };
  /** Settles with the answers, sorted by source address. */
  readonly result: Promise<FunctionalAnswer[]>;
  private readonly deferred = createDeferred<FunctionalAnswer[]>();

  constructor(
    private readonly host: ExchangeHost,
    private readonly p: FunctionalExchangeParams,
  ) {
    // The owner awaits `result` only after link.send resolved; createDeferred keeps an early rejection quiet.
    this.result = this.deferred.promise;
    p.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** True once settled. */
  get done(): boolean {
    return this.isDone;
  }

  /** The transport confirmed the request: the P2 window starts. */
  sent(): void {
    if (this.isDone || this.sentAt !== undefined) return;
    this.sentAt = this.host.clock.now();
    this.p2Timer = this.host.clock.setTimeout(() => {
      this.p2Over = true;
      this.maybeFinish();
    }, this.p.p2Ms);
    // A 0x78 that arrived before the send was confirmed starts its P2* now.
    for (const [source, entry] of this.pending) if (entry.timer === undefined) this.armPending(source, entry.count);
  }

  /** A message arrived on the link while this exchange is current. */
  handle(msg: UdsMessage): void {
    if (this.isDone) return;
    if (this.answers.has(msg.source)) {
      this.host.ignored(msg, `${describeEcu(msg.source)} already answered this functional request`);
      return;
    }
    const c = classifyResponse(this.p.sid, msg.data);
    switch (c.kind) {
      case 'positive': {
        const bad = echoMismatch(msg.data, this.p.echo);
        if (bad !== undefined) this.host.ignored(msg, bad);
        else this.answer({ source: msg.source, response: msg.data });
        return;
      }
      case 'negative':
        this.answer({ source: msg.source, error: new NegativeResponseError({ sid: this.p.sid, nrc: c.nrc, source: msg.source }) });
        return;
      case 'pending': {
        const count = (this.pending.get(msg.source)?.count ?? 0) + 1;
        this.host.pending(this.p.sid, msg.source, count);
        if (this.sentAt === undefined) this.pending.set(msg.source, { timer: undefined, count });
        else this.armPending(msg.source, count);
        return;
      }
      case 'malformed':
      case 'other':
        // Other ECUs may be answering other testers or a keep-alive: never fatal for a broadcast.
        this.host.ignored(msg, this.host.ignoreReason(msg, this.p.sid) ?? c.reason);
        return;
    }
  }

  /** Ends the collection with `err`. */
  fail(err: Error): void {
    if (this.isDone) return;
    this.cleanup();
    this.deferred.reject(err);
  }

  private armPending(source: number, count: number): void {
    const old = this.pending.get(source);
    this.host.clock.clearTimeout(old?.timer);
    const timer = this.host.clock.setTimeout(() => {
      this.pending.delete(source);
      this.host.markLate(source, this.p.sid);
      this.answers.set(source, {
        source,
        timeout: new TimeoutError(
          `functional ${describeService(this.p.sid)}: ${describeEcu(source)} sent ${count} NRC 0x78 and then nothing ` +
            `within P2*client ${this.p.p2StarMs} ms; raise p2StarClientMs if the ECU needs longer`,
          { sid: this.p.sid, target: source, phase: 'P2*', timeoutMs: this.p.p2StarMs },
        ),
      });
      this.maybeFinish();
    }, this.p.p2StarMs);
    this.pending.set(source, { timer, count });
  }

  private answer(a: FunctionalAnswer): void {
    const entry = this.pending.get(a.source);
    if (entry) {
      this.host.clock.clearTimeout(entry.timer);
      this.pending.delete(a.source);
    }
    this.answers.set(a.source, a);
    this.maybeFinish();
  }

  private maybeFinish(): void {
    if (this.isDone || !this.p2Over || this.pending.size > 0) return;
    this.cleanup();
    this.deferred.resolve([...this.answers.values()].sort((x, y) => x.source - y.source));
  }

  private cleanup(): void {
    this.isDone = true;
    this.host.clock.clearTimeout(this.p2Timer);
    for (const e of this.pending.values()) this.host.clock.clearTimeout(e.timer);
    this.pending.clear();
    this.p.signal?.removeEventListener('abort', this.onAbort);
  }
}
