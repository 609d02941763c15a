/**
 * The core of the UDS client (ISO 14229-2 timing) on any {@link UdsLink}; `UdsClient` adds the typed
 * services (ISO 14229-1).
 *
 * - `request()` sends raw bytes and returns the positive response; negative responses throw
 *   {@link NegativeResponseError}, silence throws `TimeoutError`, a response that does not fit throws
 *   {@link InvalidResponseError}, link failures pass through.
 * - NRC 0x78 switches the wait to P2*, restarted by each further 0x78; SPRMIB is honoured (with 0x78
 *   the final response is still awaited).
 * - Requests are queued: concurrent calls never interleave on the wire.
 * - `requestFunctional()` collects every ECU's answer; `startTesterPresent()` keeps sessions alive.
 * - Typed methods per service encode with the codecs of `uds/codec`, decode the response and check
 *   its echo (sub-function, DID, RID, block counter).
 */
import type { Clock } from '../../core/clock.js';
import { AbortedError, InvalidArgumentError } from '../../core/errors.js';
import { TypedEmitter } from '../../core/events.js';
import type { Addressing, UdsLink } from '../../core/link.js';
import type { Logger } from '../../core/logger.js';
import type { ServerTimingRecord } from '../codec/0x83-access-timing-parameter.js';
import { ExchangeRunner } from './exchange-runner.js';
import type { FunctionalAnswer } from './functional-exchange.js';
import { prepareRequest, RequestQueue, type PreparedRequest } from './request-queue.js';
import { checkMs, resolveClientOptions, type ResolvedClientOptions, type UdsClientOptions } from './options.js';
import { TesterPresentKeepAlive, type TesterPresentOptions } from './tester-present.js';
import { ClientTiming, type ClientTimingValues } from './timing.js';
import type { RequestOptions, UdsClientEvents, UdsRequester } from './types.js';

/** Options of {@link UdsClientCore.requestFunctional}. */
export type FunctionalRequestOptions = Omit<RequestOptions, 'addressing'>;

/**
 * The transport-facing half of {@link UdsClient}: queue, timing (P2/P2*, 0x78), TesterPresent, raw
 * `request()` / `requestFunctional()`. The typed service methods live in `uds-client.ts`.
 */
export class UdsClientCore implements UdsRequester {
  /** Typed events: keep-alive, 0x78, timing changes, ignored messages. */
  readonly events = new TypedEmitter<UdsClientEvents>();
  protected readonly opts: ResolvedClientOptions;
  private readonly timingState: ClientTiming;
  private readonly keepAlive: TesterPresentKeepAlive;
  private readonly queue = new RequestQueue(() => this.isClosed);
  private readonly runner: ExchangeRunner;
  private isClosed = false;

  /** Validates `options` (InvalidArgumentError naming the field) and subscribes to `link`. */
  constructor(
    readonly link: UdsLink,
    options: UdsClientOptions,
  ) {
    if (!link || typeof link.send !== 'function' || !link.events) {
      throw new InvalidArgumentError('UdsClient: link must be a UdsLink (DoIP, ISO-TP or memory link)', { field: 'link' });
    }
    this.opts = resolveClientOptions(options);
    this.timingState = new ClientTiming(this.opts, this.opts);
    this.keepAlive = new TesterPresentKeepAlive({
      link,
      clock: this.opts.clock,
      logger: this.opts.logger,
      target: this.opts.target,
      functionalTarget: this.opts.functionalTarget,
      defaultIntervalMs: this.opts.testerPresentIntervalMs,
      onSent: (info) => this.events.emit('keepAlive', info),
      onError: (e) => {
        this.opts.logger.warn(`TesterPresent keep-alive failed: ${e.message}`);
        this.events.emit('keepAliveError', e);
      },
    });
    this.runner = new ExchangeRunner({
      link,
      clock: this.opts.clock,
      logger: this.opts.logger,
      target: this.opts.target,
      functionalTarget: this.opts.functionalTarget,
      events: this.events,
      onLinkClose: () => this.keepAlive.stop(),
    });
  }

  /** Logical address of the ECU. */
  get target(): number {
    return this.opts.target;
  }

  /** The functional address used by `requestFunctional` and the keep-alive. */
  get functionalTarget(): number {
    return this.opts.functionalTarget;
  }

  /** The clock every timer of this client uses. */
  get clock(): Clock {
    return this.opts.clock;
  }

  /** The logger of this client. */
  get logger(): Logger {
    return this.opts.logger;
  }

  /** P2 / P2* in force. */
  get timing(): ClientTimingValues {
    return this.timingState.values;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True while the TesterPresent keep-alive runs. */
  get testerPresentRunning(): boolean {
    return this.keepAlive.running;
  }

  /** Sets P2 and/or P2* client (ms), e.g. from a profile; emits `timing`. */
  setTiming(values: Partial<ClientTimingValues>): void {
    if (values.p2ClientMs !== undefined) checkMs('p2ClientMs', values.p2ClientMs, 1);
    if (values.p2StarClientMs !== undefined) checkMs('p2StarClientMs', values.p2StarClientMs, 1);
    this.timingState.set(values);
    this.events.emit('timing', this.timingState.values);
  }

  /**
   * Sends `data` and resolves with the positive response (see {@link RequestOptions}). With SPRMIB
   * (`suppressPositiveResponse: true`, or bit 7 of the sub-function byte already set in `data`) it
   * resolves with undefined when the ECU stays silent within P2. Callers that put SPRMIB into the bytes
   * themselves should also pass `suppressPositiveResponse: true` to get the `| undefined` result type.
   */
  request(data: Uint8Array, opts: RequestOptions & { suppressPositiveResponse: true }): Promise<Uint8Array | undefined>;
  request(data: Uint8Array, opts?: RequestOptions & { suppressPositiveResponse?: false }): Promise<Uint8Array>;
  request(data: Uint8Array, opts?: RequestOptions): Promise<Uint8Array | undefined>;
  request(data: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    try {
      const prepared = this.prepare(data, opts);
      const addressing: Addressing = opts.addressing ?? 'physical';
      if (addressing !== 'physical' && addressing !== 'functional') {
        throw new InvalidArgumentError(`request: addressing must be 'physical' or 'functional', got ${String(addressing)}`, {
          field: 'addressing',
        });
      }
      return this.queue.run(prepared.sid, opts.signal, () => this.runPhysical(prepared, addressing, opts.signal));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Sends `data` to the functional address and collects every ECU's answer: those within P2client, and
   * for each ECU that answered NRC 0x78 its final answer within P2*client (ISO 14229-2:2013 7.2).
   * NRCs are returned as `error` entries, not thrown. Sorted by source address.
   */
  requestFunctional(data: Uint8Array, opts: FunctionalRequestOptions = {}): Promise<FunctionalAnswer[]> {
    try {
      const prepared = this.prepare(data, opts);
      return this.queue.run(prepared.sid, opts.signal, () => this.runFunctional(prepared, opts.signal));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Starts the TesterPresent keep-alive (`3E 80` every `intervalMs`, functional by default). It runs
   * outside the request queue, keeps going while a request waits on NRC 0x78, and reports failures as
   * `keepAliveError` events. Calling it again restarts it with the new options.
   */
  startTesterPresent(options: TesterPresentOptions = {}): void {
    if (this.isClosed) throw new AbortedError('UdsClient is closed');
    this.keepAlive.start(options);
  }

  /** Stops the keep-alive. */
  stopTesterPresent(): void {
    this.keepAlive.stop();
  }

  /**
   * Stops the keep-alive and every timer, rejects the request in flight and the queued ones with
   * `AbortedError`, and detaches from the link (the link itself stays open: its owner closes it).
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.keepAlive.stop();
    this.runner.failCurrent(new AbortedError('UdsClient closed while waiting for a response'));
    this.runner.detach();
  }

  // ---- internals ------------------------------------------------------------------------------

  /** P2client / P2*client from server values set or read with 0x83 (like `adoptTiming` for 0x50). */
  protected adoptServerTiming(t: ServerTimingRecord): ServerTimingRecord {
    if (this.opts.adoptTimingFromSession) {
      this.setTiming({
        p2ClientMs: Math.max(1, t.p2ServerMs + this.opts.p2MarginMs),
        p2StarClientMs: Math.max(1, t.p2StarServerMs + this.opts.p2StarMarginMs),
      });
    }
    return t;
  }

  private prepare(data: Uint8Array, opts: RequestOptions): PreparedRequest {
    if (this.isClosed) throw new AbortedError('UdsClient is closed');
    return prepareRequest(data, opts, this.link.maxMessageSize, this.timingState.values.p2ClientMs);
  }

  private async runPhysical(req: PreparedRequest, addressing: Addressing, signal: AbortSignal | undefined): Promise<Uint8Array | undefined> {
    const res = await this.runner.physical(req, addressing, this.timingState.values.p2StarClientMs, signal);
    if (res) this.adoptTiming(res);
    return res;
  }

  private async runFunctional(req: PreparedRequest, signal: AbortSignal | undefined): Promise<FunctionalAnswer[]> {
    const answers = await this.runner.functional(req, this.timingState.values.p2StarClientMs, signal);
    const mine = answers.find((a) => a.source === this.opts.target);
    if (mine?.response) this.adoptTiming(mine.response);
    return answers;
  }

  private adoptTiming(response: Uint8Array): void {
    if (!this.opts.adoptTimingFromSession) return;
    const values = this.timingState.adoptFromSessionResponse(response);
    if (values) {
      this.opts.logger.debug('adopted session timing', { ...values });
      this.events.emit('timing', values);
    }
  }
}
