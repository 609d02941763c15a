/**
 * A DoIP entity (ISO 13400-2): the vehicle's diagnostic gateway. It listens for testers on TCP,
 * answers vehicle identification, entity status and power mode on UDP, and routes diagnostic
 * messages to the nodes (ECUs) added with {@link DoipEntity.addNode}, each of which gets a
 * server-side `UdsLink` ({@link DoipNodeLink}).
 *
 * ```ts
 * const entity = new DoipEntity({ tcpPort: 0, udpPort: 0 });
 * const ecu = entity.addNode(0x1010);
 * ecu.events.on('message', (m) => void ecu.send({ target: m.source, data: Uint8Array.of(0x50, 0x01) }));
 * const { tcpPort } = await entity.start();
 * // ... DoipClient.connect({ port: tcpPort }) ...
 * await entity.stop();
 * ```
 */
import * as net from 'node:net';
import { InvalidArgumentError, LinkError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { hexNum } from '../core/hex.js';
import { assertLogicalAddress } from './addresses.js';
import { EntityConnection } from './entity-connection.js';
import type { DoipEntityEvents } from './entity-core.js';
import { EntityCore } from './entity-core.js';
import type { DoipNodeOptions } from './entity-node-link.js';
import { DoipNodeLink } from './entity-node-link.js';
import type { DoipEntityOptions, ResolvedDoipEntityOptions } from './entity-options.js';
import { resolveEntityOptions } from './entity-options.js';
import { DIAGNOSTIC_MESSAGE_OVERHEAD } from './diagnostic-message.js';
import { EntityUdp } from './entity-udp.js';

export type { DoipEntityEvents } from './entity-core.js';
export type { DoipEntityOptions, ResolvedDoipEntityOptions } from './entity-options.js';
export type { DoipNodeOptions } from './entity-node-link.js';

/** Ports an entity listens on once started. */
export interface DoipEntityPorts {
  readonly tcpPort: number;
  /** `null` when UDP is disabled. */
  readonly udpPort: number | null;
}

/** A DoIP gateway with nodes behind it. */
export class DoipEntity {
  /** Typed events for logging and tests: connection, activation, disconnect, nack, diagnostic. */
  readonly events = new TypedEmitter<DoipEntityEvents>();
  /** The options after defaults. */
  readonly options: ResolvedDoipEntityOptions;
  private readonly core: EntityCore;
  private server: net.Server | undefined;
  private udp: EntityUdp | undefined;
  private ports: DoipEntityPorts | undefined;
  /** Every accepted socket until it is fully closed, including those still flushing a last NACK. */
  private readonly sockets = new Set<net.Socket>();

  /** Validates `options` (throws `InvalidArgumentError` naming the field); nothing listens before {@link start}. */
  constructor(options: DoipEntityOptions = {}) {
    this.options = resolveEntityOptions(options);
    this.core = new EntityCore(this.options, this.events);
  }

  /** The entity's logical address. */
  get logicalAddress(): number {
    return this.options.logicalAddress;
  }

  /** The bound ports, once started. */
  get boundPorts(): DoipEntityPorts | undefined {
    return this.ports;
  }

  /** Number of open TCP connections (activated or not). */
  get connectionCount(): number {
    return this.core.connections.size;
  }

  /** Tester addresses with routing activated now. */
  get activeTesters(): number[] {
    return this.core.registeredConnections().map((c) => c.testerAddress as number);
  }

  /** Diagnostic power mode reported for 0x4003 (0x00 not ready, 0x01 ready, 0x02 not supported). */
  get powerMode(): number {
    return this.core.powerMode;
  }

  set powerMode(mode: number) {
    if (!Number.isInteger(mode) || mode < 0 || mode > 0xff) throw new InvalidArgumentError(`powerMode must be a byte, got ${mode}`);
    this.core.powerMode = mode;
  }

  /** Listens on TCP (and UDP unless `udpPort` is null); resolves with the bound ports. Rejects with `LinkError` if a port is taken. */
  async start(): Promise<DoipEntityPorts> {
    if (this.server) throw new LinkError('the DoIP entity is already started');
    const o = this.options;
    const server = net.createServer({ noDelay: true }, (socket) => this.onConnection(socket));
    // ISO 13400-2:2019 — one socket more than the maximum, so a surplus tester still gets its 0x01 answer.
    server.maxConnections = o.maxTcpSockets + 1;
    server.on('error', (e) => o.logger.error('DoIP TCP server error', { error: e.message }));
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      server.once('error', onError);
      server.listen(o.tcpPort, o.host, () => {
        server.off('error', onError);
        resolve();
      });
    }).catch((e: Error) => {
      throw new LinkError(`cannot listen for DoIP on TCP ${o.host}:${o.tcpPort}: ${e.message}; choose another tcpPort (0 = any free port)`, { host: o.host, port: o.tcpPort }, { cause: e });
    });
    const tcpPort = (server.address() as net.AddressInfo).port;
    let udpPort: number | null = null;
    if (o.udpPort !== null) {
      const udp = new EntityUdp(this.core);
      try {
        udpPort = await udp.start(o.host, o.udpPort);
      } catch (e) {
        await new Promise<void>((resolve) => server.close(() => resolve()));
        throw e;
      }
      this.udp = udp;
    }
    this.server = server;
    this.ports = { tcpPort, udpPort };
    o.logger.info('DoIP entity listening', { host: o.host, tcpPort, udpPort, address: hexNum(o.logicalAddress) });
    return this.ports;
  }

  /** Closes every socket, stops announcements and timers. Idempotent. */
  async stop(): Promise<void> {
    const server = this.server;
    const udp = this.udp;
    this.server = undefined;
    this.udp = undefined;
    this.ports = undefined;
    for (const c of [...this.core.connections]) c.destroy('entity stopped');
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await udp?.stop();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Adds a node (ECU) with logical address `address` and returns its server-side link: tester
   * requests arrive as `message` events; `send({ target: testerAddress, data })` answers.
   * Throws `InvalidArgumentError` when the address is taken or is the entity's functional address.
   */
  addNode(address: number, options: DoipNodeOptions = {}): DoipNodeLink {
    assertLogicalAddress(address, 'node address');
    if (this.core.nodes.has(address)) throw new InvalidArgumentError(`a DoIP node with address ${hexNum(address)} already exists`, { address });
    if (this.options.functionalAddresses.has(address)) {
      throw new InvalidArgumentError(`node address ${hexNum(address)} is one of the entity's functional addresses`, { address });
    }
    const maxRequestSize = options.maxRequestSize ?? this.options.maxDataSize - DIAGNOSTIC_MESSAGE_OVERHEAD;
    if (!Number.isInteger(maxRequestSize) || maxRequestSize < 1) {
      throw new InvalidArgumentError(`maxRequestSize must be a positive integer, got ${maxRequestSize}`, { field: 'maxRequestSize' });
    }
    const functionalAddresses = new Set(options.functionalAddresses ?? this.options.functionalAddresses);
    const link = new DoipNodeLink(this.core, address, {
      maxRequestSize,
      isReachable: options.isReachable ?? (() => true),
      functionalAddresses,
    });
    this.core.nodes.set(address, link);
    return link;
  }

  /** Removes the node (closing its link); false when there was none. */
  removeNode(address: number): boolean {
    const link = this.core.nodes.get(address);
    if (!link) return false;
    void link.close();
    return true;
  }

  /**
   * Closes the TCP connection on which tester `testerAddress` has routing activated, as a gateway that
   * drops a tester would (fault injection, tests). Returns false when no such connection is open.
   */
  closeTesterConnection(testerAddress: number, reason = 'closed by the entity'): boolean {
    const conn = this.core.findActive(testerAddress);
    if (!conn) return false;
    conn.close(reason);
    return true;
  }

  /**
   * ISO 13400-2:2019 7.4 — sends the vehicle announcement (0x0004) three times, 500 ms apart after a
   * random 0–500 ms delay, to the unicast `address:port` only. Not done automatically: udskit never
   * broadcasts. Needs a started entity with UDP.
   */
  async announce(target: { address: string; port: number }): Promise<void> {
    if (!this.udp) throw new LinkError('the DoIP entity must be started with UDP to announce');
    await this.udp.announce(target.address, target.port);
  }

  private onConnection(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    try {
      const conn = new EntityConnection(socket, this.core);
      this.core.connections.add(conn);
      this.options.logger.info('DoIP connection', { connection: conn.id, remote: conn.remote });
      this.core.emit('connection', { connectionId: conn.id, remoteAddress: socket.remoteAddress ?? '', remotePort: socket.remotePort ?? 0 });
    } catch (e) {
      this.options.logger.error('DoIP connection setup failed', { error: String(e) });
      socket.destroy();
    }
  }
}
