/**
 * The tester side of DoIP (ISO 13400-2) over TCP: a {@link UdsLink} that connects to a DoIP
 * entity, activates routing, sends diagnostic messages (each resolved by its 0x8002 ACK), emits
 * the ECUs' responses as `message` events and answers the entity's alive checks.
 *
 * ```ts
 * const doip = await DoipClient.connect({ host: '127.0.0.1', port: 13400, testerAddress: 0x0e00 });
 * doip.events.on('message', (m) => console.log(m.source.toString(16), m.data));
 * await doip.send({ target: 0x1010, data: Uint8Array.of(0x10, 0x03) });
 * await doip.close();
 * ```
 */
import { Buffer } from 'node:buffer';
import * as net from 'node:net';
import type { TimerHandle } from '../core/clock.js';
import { InvalidArgumentError, LinkError, TimeoutError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { hexByte, hexNum } from '../core/hex.js';
import type { OutgoingUdsMessage, UdsLink, UdsLinkEvents } from '../core/link.js';
import { assertLogicalAddress } from './addresses.js';
import type { DoipClientOptions, ResolvedDoipClientOptions } from './client-options.js';
import { resolveClientOptions } from './client-options.js';
import { isRoutingActivationSuccess, RoutingActivationCode } from './codes.js';
import { DIAGNOSTIC_MESSAGE_OVERHEAD } from './diagnostic-message.js';
import { DiagnosticNackError, DoipProtocolError, HeaderNackError, RoutingActivationError } from './errors.js';
import type { DoipMessage } from './message.js';
import { encodeSocketParts } from './message.js';
import { PayloadType } from './payload-types.js';
import type { RoutingActivationResponseMessage } from './routing-activation.js';
import type { DoipStreamEvent } from './stream-parser.js';
import { DoipStreamParser } from './stream-parser.js';

export type { DoipClientOptions, ResolvedDoipClientOptions } from './client-options.js';
export { DEFAULT_CLIENT_MAX_DATA_SIZE } from './client-options.js';

/** Payload types a tester accepts on TCP. */
export const CLIENT_TCP_PAYLOAD_TYPES: ReadonlySet<number> = new Set([
  PayloadType.genericNack,
  PayloadType.routingActivationResponse,
  PayloadType.aliveCheckRequest,
  PayloadType.aliveCheckResponse,
  PayloadType.diagnosticMessage,
  PayloadType.diagnosticMessageAck,
  PayloadType.diagnosticMessageNack,
]);

interface Waiter {
  readonly target: number;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  timer: TimerHandle | undefined;
}

/** Size of the buffer the client's socket reads into (reused for every read). */
const READ_BUFFER_SIZE = 64 * 1024;

/**
 * Where the socket's bytes go: the client once it exists. Bytes that arrive before (none should: the
 * entity speaks only after the routing activation request) are copied and handed over on attach.
 */
class ReadSink {
  private target: ((bytes: Uint8Array) => void) | undefined;
  private early: Uint8Array[] = [];

  onRead(bytes: Uint8Array): void {
    if (this.target) this.target(bytes);
    else this.early.push(bytes.slice());
  }

  attach(target: (bytes: Uint8Array) => void): void {
    this.target = target;
    for (const b of this.early.splice(0)) target(b);
  }
}

function connectSocket(o: ResolvedDoipClientOptions, sink: ReadSink): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // The socket reads into one reused buffer (onread) instead of a new one per read: the parser copies
    // what it keeps, so a TransferData block costs one array instead of two (fewer GCs on uploads).
    const socket = net.connect({
      host: o.host,
      port: o.port,
      noDelay: true,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER_SIZE),
        callback: (n: number, buf: Uint8Array): boolean => {
          sink.onRead(buf.subarray(0, n));
          return true;
        },
      },
    });
    const timer = o.clock.setTimeout(() => {
      socket.destroy();
      reject(new TimeoutError(`no TCP connection to the DoIP entity at ${o.host}:${o.port} within ${o.connectTimeoutMs} ms; check host and port`, { host: o.host, port: o.port }));
    }, o.connectTimeoutMs);
    socket.once('connect', () => {
      o.clock.clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      o.clock.clearTimeout(timer);
      socket.destroy();
      reject(new LinkError(`cannot connect to the DoIP entity at ${o.host}:${o.port}: ${e.code ?? e.message}; is the simulator running on that port?`, { host: o.host, port: o.port }, { cause: e }));
    });
  });
}

/** A tester's DoIP connection: a {@link UdsLink} to the ECUs behind one DoIP entity. */
export class DoipClient implements UdsLink {
  readonly events = new TypedEmitter<UdsLinkEvents>();
  /** Largest UDS message `send` accepts. */
  readonly maxMessageSize: number;
  /** The entity's logical address (from the routing activation response); set once connected. */
  entityAddress = 0;
  /** Routing activation response code: 0x10, or 0x11 (confirmation required). */
  activationCode = 0;
  private readonly parser: DoipStreamParser;
  private readonly waiters: Waiter[] = [];
  private activation: { resolve: (m: RoutingActivationResponseMessage) => void; reject: (e: Error) => void } | undefined;
  private isClosed = false;
  private readonly closedPromise: Promise<void>;

  private constructor(
    private readonly socket: net.Socket,
    private readonly o: ResolvedDoipClientOptions,
    sink: ReadSink,
  ) {
    this.maxMessageSize = o.maxDataSize - DIAGNOSTIC_MESSAGE_OVERHEAD;
    this.parser = new DoipStreamParser({
      protocolVersion: o.protocolVersion,
      supportedPayloadTypes: CLIENT_TCP_PAYLOAD_TYPES,
      maxDataSize: o.maxDataSize,
      otherVersionPayloadTypes: new Set([PayloadType.genericNack]),
    }, { transientChunks: true });
    this.closedPromise = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    sink.attach((bytes) => this.onData(bytes));
    socket.on('error', (e: Error) => o.logger.debug('DoIP client socket error', { error: e.message }));
    socket.on('close', () => this.shutdown(new LinkError(`the DoIP entity at ${o.host}:${o.port} closed the connection`, { host: o.host, port: o.port })));
  }

  /**
   * Connects to the entity, sends the routing activation request and resolves once routing is
   * activated (0x10, or 0x11). Rejects with `RoutingActivationError` for any other code (the message
   * names the code and what to do), `LinkError` when the connection fails, `TimeoutError` on timeouts.
   */
  static async connect(options: DoipClientOptions = {}): Promise<DoipClient> {
    const o = resolveClientOptions(options);
    const sink = new ReadSink();
    const socket = await connectSocket(o, sink);
    const client = new DoipClient(socket, o, sink);
    try {
      const res = await client.activate(options.activationOem);
      if (!isRoutingActivationSuccess(res.code)) {
        throw new RoutingActivationError(res.code, { testerAddress: o.testerAddress, entityAddress: res.entityAddress });
      }
      if (res.code === RoutingActivationCode.successConfirmationRequired) {
        o.logger.warn('DoIP routing activation needs confirmation in the vehicle (0x11)', { entity: hexNum(res.entityAddress) });
      }
      client.entityAddress = res.entityAddress;
      client.activationCode = res.code;
      o.logger.info('DoIP routing activated', { entity: hexNum(res.entityAddress), tester: hexNum(o.testerAddress) });
      return client;
    } catch (e) {
      await client.close();
      throw e;
    }
  }

  /** This tester's logical address. */
  get localAddress(): number {
    return this.o.testerAddress;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /**
   * Sends UDS bytes to `target` as a 0x8001 diagnostic message; resolves on its 0x8002 ACK.
   * Rejects with `DiagnosticNackError` on 0x8003, `HeaderNackError` on a generic header NACK,
   * `TimeoutError` when no ACK comes within `ackTimeoutMs`, `LinkError` when the connection closes.
   * Sends may be pipelined: ACKs are matched in order. Large UDS bytes go to the socket without a copy:
   * do not change `message.data` after the call.
   */
  send(message: OutgoingUdsMessage): Promise<void> {
    if (this.isClosed) return Promise.reject(new LinkError('the DoIP connection is closed', { target: message.target }));
    try {
      assertLogicalAddress(message.target, 'target');
    } catch (e) {
      return Promise.reject(e);
    }
    if (message.data.length === 0) return Promise.reject(new InvalidArgumentError('a DoIP diagnostic message needs at least one UDS byte'));
    if (message.data.length > this.maxMessageSize) {
      return Promise.reject(new LinkError(`message of ${message.data.length} bytes exceeds maxDataSize - 4 = ${this.maxMessageSize} bytes`, { target: message.target }));
    }
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { target: message.target, resolve, reject, timer: undefined };
      w.timer = this.o.clock.setTimeout(() => {
        this.removeWaiter(w);
        reject(new TimeoutError(`no DoIP diagnostic ACK (0x8002) for the message to ${hexNum(message.target)} within ${this.o.ackTimeoutMs} ms`, { target: message.target }));
      }, this.o.ackTimeoutMs);
      this.waiters.push(w);
      this.write({ kind: 'diagnosticMessage', sourceAddress: this.o.testerAddress, targetAddress: message.target, data: message.data });
    });
  }

  /** Closes the connection; pending sends reject with `LinkError`. Idempotent. */
  async close(): Promise<void> {
    this.shutdown(undefined);
    if (!this.socket.destroyed) {
      // Flush what was written, send FIN, then release the socket.
      const timer = this.o.clock.setTimeout(() => this.socket.destroy(), 1000);
      this.socket.end(() => {
        this.o.clock.clearTimeout(timer);
        this.socket.destroy();
      });
    }
    await this.closedPromise;
  }

  private activate(oem: Uint8Array | undefined): Promise<RoutingActivationResponseMessage> {
    return new Promise((resolve, reject) => {
      const timer = this.o.clock.setTimeout(() => {
        this.activation = undefined;
        reject(new TimeoutError(`no routing activation response from the DoIP entity at ${this.o.host}:${this.o.port} within ${this.o.activationTimeoutMs} ms`));
      }, this.o.activationTimeoutMs);
      this.activation = {
        resolve: (m) => {
          this.o.clock.clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          this.o.clock.clearTimeout(timer);
          reject(e);
        },
      };
      this.write({
        kind: 'routingActivationRequest',
        sourceAddress: this.o.testerAddress,
        activationType: this.o.activationType,
        ...(oem ? { oem } : {}),
      });
    });
  }

  private write(m: DoipMessage): void {
    if (this.isClosed || !this.socket.writable) return;
    const parts = encodeSocketParts(m, this.o.protocolVersion);
    // Several parts (header, then large UDS bytes as they are) leave in one writev.
    if (parts.length > 1) this.socket.cork();
    for (const part of parts) this.socket.write(part);
    if (parts.length > 1) this.socket.uncork();
  }

  private removeWaiter(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
    this.o.clock.clearTimeout(w.timer);
  }

  /** The oldest waiter for `target`, else the oldest waiter. */
  private takeWaiter(target: number): Waiter | undefined {
    const w = this.waiters.find((x) => x.target === target) ?? this.waiters[0];
    if (!w) return undefined;
    if (w.target !== target) this.o.logger.warn('DoIP ACK/NACK source does not match any pending target', { source: hexNum(target), pending: hexNum(w.target) });
    this.removeWaiter(w);
    return w;
  }

  /** Bytes read from the socket: valid only during this call (the read buffer is reused). */
  private onData(chunk: Uint8Array): void {
    let events: DoipStreamEvent[];
    try {
      events = this.parser.push(chunk);
    } catch (e) {
      this.fail(new DoipProtocolError(`DoIP stream parser failed: ${String(e)}`));
      return;
    }
    for (const ev of events) {
      if (this.isClosed) return;
      if (ev.kind === 'headerError') {
        // ISO 13400-2:2019, generic DoIP header handler — applies to the tester side too.
        this.write({ kind: 'genericNack', code: ev.code });
        if (ev.action === 'close') {
          this.fail(new DoipProtocolError(`the DoIP entity sent an invalid frame (generic NACK 0x${hexByte(ev.code)}): ${ev.reason}`, { nackCode: ev.code }));
          return;
        }
        this.o.logger.warn('DoIP message from the entity discarded', { reason: ev.reason });
        continue;
      }
      this.onMessage(ev.message);
    }
  }

  private onMessage(m: DoipMessage): void {
    switch (m.kind) {
      case 'diagnosticMessage':
        if (m.targetAddress !== this.o.testerAddress) {
          this.o.logger.warn('DoIP diagnostic message for another tester address dropped', { target: hexNum(m.targetAddress) });
          return;
        }
        this.events.emit('message', { source: m.sourceAddress, target: m.targetAddress, addressing: 'physical', data: m.data });
        return;
      case 'diagnosticMessageAck': {
        const w = this.takeWaiter(m.sourceAddress);
        if (w) w.resolve();
        else this.o.logger.debug('unexpected DoIP diagnostic ACK', { source: hexNum(m.sourceAddress) });
        return;
      }
      case 'diagnosticMessageNack': {
        const w = this.takeWaiter(m.sourceAddress);
        if (w) w.reject(new DiagnosticNackError(m.code, { source: this.o.testerAddress, target: w.target }));
        else this.o.logger.debug('unexpected DoIP diagnostic NACK', { source: hexNum(m.sourceAddress), code: m.code });
        return;
      }
      case 'aliveCheckRequest':
        this.write({ kind: 'aliveCheckResponse', sourceAddress: this.o.testerAddress });
        return;
      case 'routingActivationResponse': {
        const a = this.activation;
        this.activation = undefined;
        if (a) a.resolve(m);
        return;
      }
      case 'genericNack': {
        const err = new HeaderNackError(m.code, { host: this.o.host, port: this.o.port });
        const a = this.activation;
        this.activation = undefined;
        const oldest = this.waiters[0];
        if (a) a.reject(err);
        else if (oldest) this.takeWaiter(oldest.target)?.reject(err);
        else this.o.logger.warn(err.message);
        return;
      }
      default:
        this.o.logger.debug('ignored DoIP message from the entity', { kind: m.kind });
    }
  }

  private fail(err: Error): void {
    this.shutdown(err);
    this.socket.destroy();
  }

  /** Marks the link closed once: rejects everything pending and emits `close`. */
  private shutdown(err: Error | undefined): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const reason = err ?? new LinkError('the DoIP connection was closed');
    this.activation?.reject(reason);
    this.activation = undefined;
    for (const w of this.waiters.splice(0)) {
      this.o.clock.clearTimeout(w.timer);
      w.reject(reason);
    }
    try {
      this.events.emit('close', err);
    } catch (e) {
      this.o.logger.error('a DoIP client close listener threw', { error: String(e) });
    }
  }
}
