/**
 * One tester's TCP_DATA socket on a DoIP entity: frame parsing, the generic header handler's
 * socket actions, the initial and general inactivity timers, alive checks, and batched writes
 * (TCP_NODELAY plus cork/uncork so an ACK and a quick response leave in one segment).
 *
 * Messages are handled one at a time in arrival order; while one is pending (a routing
 * activation waiting for an alive check) the socket is paused and later messages wait. Alive
 * check responses are never delayed.
 */
import type { Socket } from 'node:net';
import type { TimerHandle } from '../core/clock.js';
import { hexNum } from '../core/hex.js';
import type { ResolvedDoipEntityOptions } from './entity-options.js';
import type { DoipMessage } from './message.js';
import { encodeSocketParts } from './message.js';
import { PayloadType } from './payload-types.js';
import type { DoipStreamEvent } from './stream-parser.js';
import { DoipStreamParser } from './stream-parser.js';

/** Payload types an entity accepts on TCP (others: generic NACK 01). */
export const ENTITY_TCP_PAYLOAD_TYPES: ReadonlySet<number> = new Set([
  PayloadType.genericNack,
  PayloadType.routingActivationRequest,
  PayloadType.aliveCheckRequest,
  PayloadType.aliveCheckResponse,
  PayloadType.diagnosticMessage,
  PayloadType.diagnosticMessageAck,
  PayloadType.diagnosticMessageNack,
]);

/** What a connection needs from its entity. */
export interface ConnectionHost {
  readonly options: ResolvedDoipEntityOptions;
  /** Handles one message from the tester; a returned promise holds back later messages until it settles. */
  handleMessage(conn: EntityConnection, message: DoipMessage): Promise<void> | void;
  /** An alive check this entity sent was answered (true) or timed out / the socket closed (false). */
  onAliveCheck(conn: EntityConnection, answered: boolean): void;
  /** A header error was answered with a generic NACK. */
  onHeaderNack(conn: EntityConnection, code: number, reason: string): void;
  /** The connection closed (once). */
  onClosed(conn: EntityConnection, reason: string): void;
}

let nextId = 1;

/** A tester's TCP_DATA socket. */
export class EntityConnection {
  /** Unique id for logs and events. */
  readonly id = nextId++;
  /** Tester address whose routing is activated on this socket, once activated. */
  testerAddress: number | undefined;
  private readonly parser: DoipStreamParser;
  private isClosed = false;
  private busy = false;
  private backlog: DoipStreamEvent[] = [];
  private corked = false;
  private initialTimer: TimerHandle | undefined;
  private generalTimer: TimerHandle | undefined;
  private lingerTimer: TimerHandle | undefined;
  private lastActivity: number;
  private alive: { readonly promise: Promise<boolean>; readonly settle: (ok: boolean) => void; readonly timer: TimerHandle } | undefined;

  constructor(
    readonly socket: Socket,
    private readonly host: ConnectionHost,
  ) {
    const o = host.options;
    this.parser = new DoipStreamParser({
      protocolVersion: o.protocolVersion,
      supportedPayloadTypes: ENTITY_TCP_PAYLOAD_TYPES,
      maxDataSize: o.maxDataSize,
      anyVersionPayloadTypes: new Set<number>(),
    });
    this.lastActivity = o.clock.now();
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: Error) => o.logger.debug('DoIP socket error', { connection: this.id, error: e.message }));
    socket.on('close', () => this.close('connection closed by the tester'));
    // ISO 13400-2:2019 7.7 — T_TCP_Initial_Inactivity: routing activation must follow the connection.
    this.initialTimer = o.clock.setTimeout(
      () => this.close(`no routing activation within T_TCP_Initial_Inactivity (${o.initialInactivityMs} ms)`),
      o.initialInactivityMs,
    );
  }

  /** True once closed (or closing). */
  get closed(): boolean {
    return this.isClosed;
  }

  /** `127.0.0.1:50312` */
  get remote(): string {
    return `${this.socket.remoteAddress ?? '?'}:${this.socket.remotePort ?? '?'}`;
  }

  /** Marks routing as activated for `testerAddress`: stops the initial timer, starts the general one. */
  activate(testerAddress: number): void {
    this.testerAddress = testerAddress;
    if (this.initialTimer) {
      this.host.options.clock.clearTimeout(this.initialTimer);
      this.initialTimer = undefined;
      this.lastActivity = this.host.options.clock.now();
      this.armGeneralTimer(this.host.options.generalInactivityMs);
    }
  }

  /**
   * Writes one message (batched with whatever else is written in this turn of the event loop). Large UDS
   * bytes of a diagnostic message are written without a copy: they must not change afterwards.
   */
  send(message: DoipMessage): boolean {
    if (this.isClosed || !this.socket.writable) return false;
    this.touch();
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(() => {
        this.corked = false;
        this.socket.uncork();
      });
    }
    for (const part of encodeSocketParts(message, this.host.options.protocolVersion)) this.socket.write(part);
    return true;
  }

  /**
   * ISO 13400-2:2019 — alive check: sends 0x0007 and resolves true when 0x0008 arrives within
   * T_TCP_Alive_Check, false on timeout or close. Concurrent calls share one check.
   */
  aliveCheck(): Promise<boolean> {
    if (this.isClosed) return Promise.resolve(false);
    if (this.alive) return this.alive.promise;
    const o = this.host.options;
    let settle: (ok: boolean) => void = () => undefined;
    const promise = new Promise<boolean>((resolve) => {
      settle = resolve;
    });
    const timer = o.clock.setTimeout(() => this.settleAlive(false), o.aliveCheckTimeoutMs);
    this.alive = { promise, settle, timer };
    this.send({ kind: 'aliveCheckRequest' });
    return promise;
  }

  /** Closes the socket (after flushing what was written), once; `reason` goes to the log and the disconnect event. */
  close(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const clock = this.host.options.clock;
    clock.clearTimeout(this.initialTimer);
    clock.clearTimeout(this.generalTimer);
    this.settleAlive(false);
    this.backlog = [];
    if (!this.socket.destroyed) {
      this.socket.resume();
      this.socket.end();
      // Give the tester a moment to read the last NACK and close its side; then force it.
      this.lingerTimer = clock.setTimeout(() => this.socket.destroy(), 1000);
      this.socket.once('close', () => clock.clearTimeout(this.lingerTimer));
    }
    this.host.onClosed(this, reason);
  }

  /** Destroys the socket at once (entity stop). */
  destroy(reason: string): void {
    this.close(reason);
    this.host.options.clock.clearTimeout(this.lingerTimer);
    this.socket.destroy();
  }

  private settleAlive(ok: boolean): void {
    const a = this.alive;
    if (!a) return;
    this.alive = undefined;
    this.host.options.clock.clearTimeout(a.timer);
    this.host.onAliveCheck(this, ok);
    a.settle(ok);
  }

  private touch(): void {
    this.lastActivity = this.host.options.clock.now();
  }

  /** ISO 13400-2:2019 7.7 — T_TCP_General_Inactivity, kept as a deadline re-armed only when it falls due. */
  private armGeneralTimer(ms: number): void {
    const o = this.host.options;
    this.generalTimer = o.clock.setTimeout(() => {
      const idle = o.clock.now() - this.lastActivity;
      if (idle >= o.generalInactivityMs) {
        this.close(`idle for T_TCP_General_Inactivity (${o.generalInactivityMs} ms)`);
      } else {
        this.armGeneralTimer(o.generalInactivityMs - idle);
      }
    }, ms);
  }

  private onData(chunk: Buffer): void {
    if (this.isClosed) return;
    this.touch();
    let events: DoipStreamEvent[];
    try {
      events = this.parser.push(chunk);
    } catch (e) {
      this.host.options.logger.error('DoIP stream parser failed', { connection: this.id, error: String(e) });
      this.close('internal parser error');
      return;
    }
    for (const ev of events) {
      // Alive check responses bypass the queue: a pending activation elsewhere may be waiting for them.
      if (ev.kind === 'message' && ev.message.kind === 'aliveCheckResponse') {
        this.settleAlive(true);
        continue;
      }
      if (this.busy) this.backlog.push(ev);
      else this.process(ev);
    }
  }

  private process(ev: DoipStreamEvent): void {
    if (this.isClosed) return;
    if (ev.kind === 'headerError') {
      // ISO 13400-2:2019, generic DoIP header handler: NACK, then close (00, 04) or discard and keep the socket (01, 02).
      this.send({ kind: 'genericNack', code: ev.code });
      this.host.onHeaderNack(this, ev.code, ev.reason);
      if (ev.action === 'close') this.close(`generic header NACK ${hexNum(ev.code, 2)}: ${ev.reason}`);
      return;
    }
    let pending: Promise<void> | void;
    try {
      pending = this.host.handleMessage(this, ev.message);
    } catch (e) {
      this.host.options.logger.error('DoIP message handler failed', { connection: this.id, error: String(e) });
      return;
    }
    if (!pending) return;
    this.busy = true;
    this.socket.pause();
    pending
      .catch((e: unknown) => this.host.options.logger.error('DoIP message handler failed', { connection: this.id, error: String(e) }))
      .finally(() => {
        this.busy = false;
        if (!this.isClosed) this.socket.resume();
        this.drain();
      });
  }

  private drain(): void {
    while (!this.busy && this.backlog.length > 0 && !this.isClosed) {
      this.process(this.backlog.shift() as DoipStreamEvent);
    }
  }
}
