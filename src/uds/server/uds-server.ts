/**
 * A generic UDS server (ISO 14229-1): it takes requests from one or more links, serves them one at a
 * time in arrival order, applies the order of checks from its service table, calls the handler
 * registered for the SID, and sends what ISO 14229-1:2020 says to send: the positive response (unless
 * SPRMIB), `7F SID NRC` (unless suppressed on a functional request), 0x78 while a handler is slow.
 * It knows nothing about ECUs: sessions and security come in through `state()`.
 */
import { systemClock, type Clock } from '../../core/clock.js';
import { DecodeError } from '../../core/errors.js';
import { TypedEmitter } from '../../core/events.js';
import { hexByte, toHex } from '../../core/hex.js';
import type { UdsLink, UdsMessage } from '../../core/link.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { encodeNegativeResponse } from '../codec/negative-response.js';
import { NRC, NRCS_SUPPRESSED_ON_FUNCTIONAL, nrcName } from '../codec/nrc.js';
import { RequestFormatError } from '../codec/service-codec.js';
import { serviceName } from '../codec/sid.js';
import type { RequestContext, ServiceHandler } from './handler.js';
import { NrcError } from './nrc-error.js';
import { startResponsePendingRace, type ServerTiming } from './response-pending.js';
import { checkRequest, type AccessState, type ServiceTable } from './service-table.js';

/** Options of a {@link UdsServer}. */
export interface UdsServerOptions<E> {
  /** The owner's model, handed to every handler as `ctx.env`. */
  readonly env: E;
  /** Which SIDs / sub-functions exist where (order of checks steps 1-7). Replaceable later via `table`. */
  readonly table: ServiceTable;
  /** The active session and unlocked security level, read for each request. */
  readonly state: () => AccessState;
  /** P2/P2* server (ms), read for each request. Default 50 / 5000 ms. */
  readonly timing?: () => ServerTiming;
  /** Time source of the 0x78 schedule. Default `systemClock`. */
  readonly clock?: Clock;
  /** Default `silentLogger`. */
  readonly logger?: Logger;
  /** Margin (ms) before P2 / P2* at which 0x78 is sent. Default 10. */
  readonly responsePendingMarginMs?: number;
  /** After this many 0x78 for one request the server gives up with 0x10 generalReject. Default 100. */
  readonly maxResponsePending?: number;
  /** Requests waiting beyond this many are answered 0x21 busyRepeatRequest at once. Default 64. */
  readonly maxQueueLength?: number;
  /** Cap on positive responses (bytes); the link's `maxMessageSize` also applies. Default: the link's only. */
  readonly maxResponseLength?: number;
  /** Which arriving messages are for this server (address filter). Default: all. */
  readonly accepts?: (message: UdsMessage) => boolean;
  /** False while the server is off (e.g. an ECU during reset): requests are dropped without an answer. */
  readonly available?: () => boolean;
  /** Called when a request starts being served (e.g. to stop S3). */
  readonly onRequestStart?: (message: UdsMessage) => void;
  /** Called when a request has been served, its responses handed to the link (e.g. to restart S3). */
  readonly onRequestEnd?: (message: UdsMessage) => void;
}

/** Events of a {@link UdsServer}. */
export type UdsServerEvents = {
  /** A request starts being served. */
  request: [UdsMessage];
  /** Bytes were handed to the link in answer to `request` (0x78, final positive or negative). */
  response: [{ request: UdsMessage; data: Uint8Array }];
  /** A handler threw something other than an NRC (answered 0x10), or a send failed. */
  fault: [{ request: UdsMessage; error: unknown }];
};

/** How one request is answered. */
export type ReplyFn = (data: Uint8Array) => Promise<void>;

interface Job {
  readonly message: UdsMessage;
  readonly reply: ReplyFn;
  readonly maxResponseLength: number;
  readonly maxRequestLength: number;
  readonly done: () => void;
}

const DEFAULT_TIMING: ServerTiming = { p2ServerMs: 50, p2StarServerMs: 5000 };

/** A UDS server: dispatcher, order of checks, SPRMIB, functional suppression, 0x78, request queue. */
export class UdsServer<E> {
  /** `request`, `response`, `fault`. */
  readonly events = new TypedEmitter<UdsServerEvents>();
  /** The service table; replace it to change what the server offers (e.g. boot vs app mode). */
  table: ServiceTable;
  private readonly handlers = new Map<number, ServiceHandler<E>>();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly queue: Job[] = [];
  private readonly detachers = new Set<() => void>();
  private pumping = false;
  private closed = false;
  /** Gives up the 0x78 race of the request being served (set while one runs). */
  private cancelRace: (() => void) | undefined;

  constructor(private readonly options: UdsServerOptions<E>) {
    this.table = options.table;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
  }

  /** Registers (or replaces) the handler of `sid`. The SID must also be in the table to be served. */
  register(sid: number, handler: ServiceHandler<E>): void {
    this.handlers.set(sid, handler);
  }

  /** The handler registered for `sid` (e.g. to wrap it in a replacement), or undefined. */
  handlerOf(sid: number): ServiceHandler<E> | undefined {
    return this.handlers.get(sid);
  }

  /** Removes the handler of `sid` (requests then get 0x11). */
  unregister(sid: number): void {
    this.handlers.delete(sid);
  }

  /** True while a request is being served or waiting. */
  get busy(): boolean {
    return this.pumping || this.queue.length > 0;
  }

  /** Number of requests waiting (not counting the one being served). */
  get queueLength(): number {
    return this.queue.length;
  }

  /**
   * Serves every message arriving on `link` that `accepts` lets through, answering on the same link to
   * the sender's address. Returns a function that stops listening.
   */
  attach(link: UdsLink): () => void {
    const off = link.events.on('message', (message) => {
      void this.handle(message, (data) => link.send({ target: message.source, data, addressing: 'physical' }), {
        maxResponseLength: link.maxMessageSize,
        maxRequestLength: link.maxMessageSize,
      });
    });
    const detach = (): void => {
      off();
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /**
   * Queues `message` (if accepted and the server is available) and resolves once it has been served or
   * dropped. `reply` sends one response to the requester.
   */
  handle(
    message: UdsMessage,
    reply: ReplyFn,
    limits: { maxResponseLength?: number; maxRequestLength?: number } = {},
  ): Promise<void> {
    if (this.closed || message.data.length === 0) return Promise.resolve();
    if (this.options.accepts && !this.options.accepts(message)) return Promise.resolve();
    if (!this.isAvailable()) {
      this.logger.debug('server unavailable, request dropped', { data: toHex(message.data) });
      return Promise.resolve();
    }
    const maxResponseLength = Math.min(limits.maxResponseLength ?? Infinity, this.options.maxResponseLength ?? Infinity);
    if (this.queue.length >= (this.options.maxQueueLength ?? 64)) {
      // ISO 14229-1:2020 A.1 NRC 0x21 — the server is too busy to take the request now.
      return this.safeSend(message, reply, encodeNegativeResponse(message.data[0] as number, NRC.busyRepeatRequest));
    }
    return new Promise<void>((resolve) => {
      this.queue.push({ message, reply, maxResponseLength, maxRequestLength: limits.maxRequestLength ?? Infinity, done: resolve });
      void this.pump();
    });
  }

  /** Stops serving: detaches every link, drops queued requests, stops 0x78 timers. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const d of [...this.detachers]) d();
    this.cancelRace?.();
    for (const job of this.queue.splice(0)) job.done();
  }

  private isAvailable(): boolean {
    return this.options.available ? this.options.available() : true;
  }

  /** One request at a time, in arrival order (a real ECU serves one diagnostic request at a time). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.queue.shift(); job; job = this.queue.shift()) {
        try {
          if (!this.closed && this.isAvailable()) await this.serve(job);
        } catch (error) {
          this.logger.error('server fault outside a handler', { error: String(error) });
          this.events.emit('fault', { request: job.message, error });
        } finally {
          job.done();
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async serve(job: Job): Promise<void> {
    const { message } = job;
    this.options.onRequestStart?.(message);
    try {
      this.events.emit('request', message);
      await this.dispatch(job);
    } finally {
      this.options.onRequestEnd?.(message);
    }
  }

  private async dispatch(job: Job): Promise<void> {
    const { message } = job;
    const data = message.data;
    const sid = data[0] as number;
    const functional = message.addressing === 'functional';
    const check = checkRequest(this.table, this.options.state(), data, (s) => this.handlers.has(s));
    const handler = this.handlers.get(sid);
    if (!check.ok || !handler) {
      await this.sendNegative(job, sid, check.ok ? NRC.serviceNotSupported : check.nrc, false);
      return;
    }

    const after: (() => void | Promise<void>)[] = [];
    const ctx: RequestContext<E> = {
      env: this.options.env,
      request: message,
      data,
      sid,
      subFunction: check.subFunction,
      suppressPositiveResponse: check.suppressPositiveResponse,
      functional,
      maxResponseLength: job.maxResponseLength,
      maxRequestLength: job.maxRequestLength,
      afterResponse: (fn) => void after.push(fn),
      sendToRequester: (bytes) => job.reply(bytes),
    };

    // A chain keeps the 0x78s and the final response in order on the link.
    let chain: Promise<void> = Promise.resolve();
    const enqueueSend = (bytes: Uint8Array): Promise<void> => {
      chain = chain.then(() => this.safeSend(message, job.reply, bytes));
      return chain;
    };
    const timing = this.options.timing?.() ?? DEFAULT_TIMING;
    const work = Promise.resolve().then(() => handler(ctx));
    let result: { positive: Uint8Array } | { nrc: number };
    let pendingSent = 0;
    const race = startResponsePendingRace(
      work,
      this.clock,
      timing,
      this.options.responsePendingMarginMs ?? 10,
      this.options.maxResponsePending ?? 100,
      // ISO 14229-1:2020 7.5 / ISO 14229-2:2013 table 4 — 7F SID 78 before P2server, repeated before P2*server.
      () => {
        pendingSent++;
        void enqueueSend(encodeNegativeResponse(sid, NRC.requestCorrectlyReceivedResponsePending));
      },
    );
    // One request is served at a time: close() gives up the race in flight through this slot.
    this.cancelRace = race.cancel;
    try {
      const r = await race.result;
      if (r.gaveUp) {
        work.catch(() => undefined);
        if (this.closed) return;
        this.logger.error(`${serviceName(sid)} handler did not finish after ${r.pendingSent} x NRC 0x78; answering 0x10`);
        result = { nrc: NRC.generalReject };
      } else {
        result = { positive: r.value };
      }
    } catch (error) {
      result = { nrc: this.nrcFor(message, error) };
    } finally {
      this.cancelRace = undefined;
    }
    await chain;
    if (this.closed) return;

    if ('nrc' in result) {
      await this.sendNegative(job, sid, result.nrc, pendingSent > 0);
      return;
    }
    if (result.positive.length > job.maxResponseLength) {
      // ISO 14229-1:2020 A.1 NRC 0x14 — the response does not fit what the link carries.
      await this.sendNegative(job, sid, NRC.responseTooLong, pendingSent > 0);
      return;
    }
    // ISO 14229-1:2020 8.2.2 — SPRMIB suppresses the positive response, except once 0x78 has been sent
    // (7.5: the final response then always follows).
    if (!check.suppressPositiveResponse || pendingSent > 0) await enqueueSend(result.positive);
    for (const fn of after) {
      try {
        await fn();
      } catch (error) {
        this.logger.error(`${serviceName(sid)} after-response action failed`, { error: String(error) });
        this.events.emit('fault', { request: message, error });
      }
    }
  }

  /** The NRC for an exception thrown by a handler. */
  private nrcFor(message: UdsMessage, error: unknown): number {
    if (error instanceof NrcError) return error.nrc;
    if (error instanceof RequestFormatError) return error.nrc;
    // A DecodeError raised while a handler parses the request is a format problem (ISO 14229-1:2020 A.1 0x13).
    if (error instanceof DecodeError) return NRC.incorrectMessageLengthOrInvalidFormat;
    const sid = message.data[0] as number;
    // Anything else is a bug in the handler: 0x10 generalReject, logged, and the server keeps serving.
    this.logger.error(`${serviceName(sid)} handler threw; answered 0x10 generalReject`, {
      request: toHex(message.data),
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    this.events.emit('fault', { request: message, error });
    return NRC.generalReject;
  }

  private async sendNegative(job: Job, sid: number, nrc: number, afterPending: boolean): Promise<void> {
    // ISO 14229-1:2020 7.5 table 5 — no 0x11/0x12/0x31/0x7E/0x7F on functional requests. Once 0x78 was
    // sent the client waits for a final answer, so it is sent in any case.
    if (job.message.addressing === 'functional' && NRCS_SUPPRESSED_ON_FUNCTIONAL.has(nrc) && !afterPending) {
      this.logger.debug(`functional ${serviceName(sid)}: NRC 0x${hexByte(nrc)} ${nrcName(nrc)} suppressed`);
      return;
    }
    await this.safeSend(job.message, job.reply, encodeNegativeResponse(sid, nrc));
  }

  private async safeSend(request: UdsMessage, reply: ReplyFn, data: Uint8Array): Promise<void> {
    try {
      await reply(data);
      this.events.emit('response', { request, data });
    } catch (error) {
      this.logger.warn('could not send a response', { data: toHex(data), error: String(error) });
      this.events.emit('fault', { request, error });
    }
  }
}
