/**
 * The wire side of the client: sends a prepared request on the link, routes every incoming message to
 * the exchange in flight (at most one: the queue serialises them), and remembers which requests timed
 * out so that their late answers are recognised and ignored.
 */
import type { Clock } from '../../core/clock.js';
import { LinkError } from '../../core/errors.js';
import type { TypedEmitter } from '../../core/events.js';
import { hexByte, toHex } from '../../core/hex.js';
import type { Addressing, UdsLink, UdsMessage } from '../../core/link.js';
import type { Logger } from '../../core/logger.js';
import { isPeriodicDataMessage } from '../codec/periodic-data-message.js';
import { describeEcu } from './errors.js';
import { PhysicalExchange, type ExchangeHost } from './exchange.js';
import { FunctionalExchange, type FunctionalAnswer } from './functional-exchange.js';
import type { PreparedRequest } from './request-queue.js';
import type { UdsClientEvents } from './types.js';

/** How many timed-out requests are remembered so their late answers can be ignored. */
const LATE_MEMORY = 32;

/** What the runner needs from its client. */
export interface ExchangeRunnerOptions {
  readonly link: UdsLink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly target: number;
  readonly functionalTarget: number;
  readonly events: TypedEmitter<UdsClientEvents>;
  /** Called when the link closed (after the exchange in flight was failed). */
  readonly onLinkClose: () => void;
}

/** Runs exchanges on one link for one client. */
export class ExchangeRunner {
  private current: PhysicalExchange | FunctionalExchange | undefined;
  private readonly late: { source: number; sid: number }[] = [];
  private readonly host: ExchangeHost;
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly o: ExchangeRunnerOptions) {
    this.host = {
      clock: o.clock,
      ignoreReason: (msg, sid) => this.ignoreReason(msg, sid),
      ignored: (msg, reason) => this.ignored(msg, reason),
      pending: (sid, source, count) => o.events.emit('responsePending', { sid, source, count }),
      markLate: (source, sid) => {
        this.late.push({ source, sid });
        if (this.late.length > LATE_MEMORY) this.late.shift();
      },
    };
    this.unsubscribe = [
      o.link.events.on('message', (msg) => this.onMessage(msg)),
      o.link.events.on('close', (err) => this.onLinkClose(err)),
    ];
  }

  /** Sends `req` physically (or functionally) and waits for the target's answer. */
  async physical(req: PreparedRequest, addressing: Addressing, p2StarMs: number, signal: AbortSignal | undefined): Promise<Uint8Array | undefined> {
    const ex = new PhysicalExchange(this.host, {
      sid: req.sid,
      expectSource: this.o.target,
      suppressPositiveResponse: req.suppress,
      p2Ms: req.p2Ms,
      p2StarMs,
      ...(req.echo ? { echo: req.echo } : {}),
      ...(signal ? { signal } : {}),
    });
    const target = addressing === 'functional' ? this.o.functionalTarget : this.o.target;
    return this.run(ex, target, addressing, req.bytes);
  }

  /** Sends `req` to the functional address and collects every ECU's answer. */
  functional(req: PreparedRequest, p2StarMs: number, signal: AbortSignal | undefined): Promise<FunctionalAnswer[]> {
    // SPRMIB only changes which ECUs answer (negatives and 0x78 ones); the collection window is the same.
    const ex = new FunctionalExchange(this.host, {
      sid: req.sid,
      p2Ms: req.p2Ms,
      p2StarMs,
      ...(req.echo ? { echo: req.echo } : {}),
      ...(signal ? { signal } : {}),
    });
    return this.run(ex, this.o.functionalTarget, 'functional', req.bytes);
  }

  /** Fails the exchange in flight (client closed). */
  failCurrent(err: Error): void {
    this.current?.fail(err);
  }

  /** Stops listening to the link. */
  detach(): void {
    for (const off of this.unsubscribe) off();
  }

  private async run<T>(
    ex: { readonly result: Promise<T>; sent(): void; fail(e: Error): void } & (PhysicalExchange | FunctionalExchange),
    target: number,
    addressing: Addressing,
    data: Uint8Array,
  ): Promise<T> {
    this.current = ex;
    try {
      try {
        await this.o.link.send({ target, addressing, data });
        // ISO 14229-2:2013 7.2 — P2 starts when the transport confirmed the request.
        ex.sent();
      } catch (e) {
        ex.fail(e instanceof Error ? e : new LinkError(String(e)));
      }
      return await ex.result;
    } finally {
      if (this.current === ex) this.current = undefined;
    }
  }

  private onMessage(msg: UdsMessage): void {
    // ISO 14229-1:2020 11.5.1 — periodic data (`6A pDID data`) is never the answer to a request, not even
    // to a 2A request, whose positive response is the lone `6A`: leave it to the periodic data listeners.
    if (isPeriodicDataMessage(msg.data)) return;
    const ex = this.current;
    if (!ex || ex.done) {
      this.ignored(msg, 'unsolicited: no request in flight');
      return;
    }
    ex.handle(msg);
  }

  private onLinkClose(err: Error | undefined): void {
    const reason = err ? `: ${err.message}` : '';
    this.current?.fail(new LinkError(`link closed while waiting for a response from ${describeEcu(this.o.target)}${reason}`, {}, { cause: err }));
    this.o.onLinkClose();
  }

  private ignoreReason(msg: UdsMessage, sid: number): string | undefined {
    const d = msg.data;
    const respSid = d[0] === 0x7f ? d[1] : (d[0] ?? 0) - 0x40;
    if (respSid === 0x3e && sid !== 0x3e) return 'answer to a TesterPresent keep-alive';
    const i = this.late.findIndex((l) => l.source === msg.source && l.sid === respSid);
    if (i >= 0) {
      this.late.splice(i, 1);
      return 'late answer to an earlier request that timed out';
    }
    // ISO 14229-1:2020 10.9.1 — with ResponseOnEvent active the server sends the responses of its
    // serviceToRespondTo whenever the event fires: a positive response of another service is never the
    // answer to this request, so it is passed over (event 'ignored') and the wait goes on.
    if (d[0] !== 0x7f && respSid !== sid) return `unsolicited positive response of SID 0x${hexByte((respSid ?? 0) & 0xff)} (e.g. ResponseOnEvent)`;
    return undefined;
  }

  private ignored(msg: UdsMessage, reason: string): void {
    this.o.logger.debug(`ignored message from ${describeEcu(msg.source)}: ${reason}`, { data: toHex(msg.data) });
    this.o.events.emit('ignored', msg, reason);
  }
}
