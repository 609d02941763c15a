/**
 * The shared state of a DoIP entity: its TCP connections, its nodes, its events, and the dispatch
 * of TCP messages to the routing activation and diagnostic message handlers. {@link DoipEntity}
 * owns one and adds the sockets around it.
 */
import type { TypedEmitter } from '../core/events.js';
import { hexNum } from '../core/hex.js';
import type { Addressing } from '../core/link.js';
import type { EntityConnection, ConnectionHost } from './entity-connection.js';
import { routeDiagnosticMessage } from './entity-diagnostic.js';
import type { DoipNodeLink, NodeLinkHost } from './entity-node-link.js';
import type { ResolvedDoipEntityOptions } from './entity-options.js';
import { handleRoutingActivation } from './entity-routing.js';
import { genericNackInfo } from './codes.js';
import type { DoipMessage } from './message.js';

/** Events of a DoIP entity, for logging and tests. */
export type DoipEntityEvents = {
  /** A tester opened a TCP connection. */
  connection: [{ connectionId: number; remoteAddress: string; remotePort: number }];
  /** A routing activation was answered with `code`. */
  activation: [{ connectionId: number; testerAddress: number; activationType: number; code: number; codeName: string }];
  /** An alive check sent by the entity was answered, or not (timeout or close). */
  aliveCheck: [{ connectionId: number; testerAddress: number | undefined; answered: boolean }];
  /** A TCP connection closed; `testerAddress` is set when routing was activated on it. */
  disconnect: [{ connectionId: number; testerAddress: number | undefined; reason: string }];
  /** The entity sent a generic header NACK (`kind: 'header'`, TCP or UDP) or a diagnostic NACK. */
  nack: [{ connectionId: number | undefined; kind: 'header' | 'diagnostic'; code: number; name: string; reason: string }];
  /** A diagnostic message was acknowledged and handed to its node(s). */
  diagnostic: [{ connectionId: number; source: number; target: number; length: number; addressing: Addressing }];
};

/** Connection and node bookkeeping of one entity. */
export class EntityCore implements ConnectionHost, NodeLinkHost {
  readonly connections = new Set<EntityConnection>();
  readonly nodes = new Map<number, DoipNodeLink>();
  /** Diagnostic power mode reported for 0x4003. */
  powerMode: number;
  private activationQueue: Promise<void> = Promise.resolve();

  constructor(
    readonly options: ResolvedDoipEntityOptions,
    private readonly events: TypedEmitter<DoipEntityEvents>,
  ) {
    this.powerMode = options.powerMode;
  }

  get logger(): ResolvedDoipEntityOptions['logger'] {
    return this.options.logger;
  }

  /** Emits an entity event; a throwing listener is logged, never propagated into socket handling. */
  emit<K extends keyof DoipEntityEvents & string>(event: K, ...args: DoipEntityEvents[K]): void {
    try {
      this.events.emit(event, ...args);
    } catch (e) {
      this.logger.error(`a DoIP entity "${event}" listener threw`, { error: String(e) });
    }
  }

  /** Whether anybody listens to `event` (to skip building an event nobody reads). */
  listens(event: keyof DoipEntityEvents & string): boolean {
    return this.events.listenerCount(event) > 0;
  }

  /** The nodes, in the order they were added. */
  nodeList(): DoipNodeLink[] {
    return [...this.nodes.values()];
  }

  /** The open connection where `tester` has routing activated, other than `except`. */
  findActive(tester: number, except?: EntityConnection): EntityConnection | undefined {
    for (const c of this.connections) if (c !== except && !c.closed && c.testerAddress === tester) return c;
    return undefined;
  }

  /** Open connections with routing activated, other than `except`. */
  registeredConnections(except?: EntityConnection): EntityConnection[] {
    return [...this.connections].filter((c) => c !== except && !c.closed && c.testerAddress !== undefined);
  }

  /** Runs `fn` after every earlier activation finished (activations that wait for alive checks run one at a time). */
  serializeActivation(fn: () => Promise<void>): Promise<void> {
    const run = this.activationQueue.then(fn, fn);
    this.activationQueue = run.catch(() => undefined);
    return run;
  }

  // ConnectionHost

  handleMessage(conn: EntityConnection, message: DoipMessage): Promise<void> | void {
    switch (message.kind) {
      case 'routingActivationRequest':
        return handleRoutingActivation(this, conn, message);
      case 'diagnosticMessage':
        return routeDiagnosticMessage(this, conn, message);
      case 'aliveCheckRequest':
        // A tester checking the entity: answer with the entity's address.
        conn.send({ kind: 'aliveCheckResponse', sourceAddress: this.options.logicalAddress });
        return;
      case 'genericNack':
        this.logger.warn('tester sent a generic header NACK', { connection: conn.id, code: genericNackInfo(message.code).name });
        return;
      default:
        // 0x8002/0x8003 from a tester acknowledge our responses; nothing to do.
        this.logger.debug('ignored DoIP message from tester', { connection: conn.id, kind: message.kind });
    }
  }

  onAliveCheck(conn: EntityConnection, answered: boolean): void {
    this.emit('aliveCheck', { connectionId: conn.id, testerAddress: conn.testerAddress, answered });
  }

  onHeaderNack(conn: EntityConnection, code: number, reason: string): void {
    this.logger.info('DoIP generic header NACK', { connection: conn.id, code: genericNackInfo(code).name, reason });
    this.emit('nack', { connectionId: conn.id, kind: 'header', code, name: genericNackInfo(code).name, reason });
  }

  onClosed(conn: EntityConnection, reason: string): void {
    this.connections.delete(conn);
    this.logger.info('DoIP connection closed', { connection: conn.id, reason });
    this.emit('disconnect', { connectionId: conn.id, testerAddress: conn.testerAddress, reason });
  }

  // NodeLinkHost

  sendToTester(source: number, target: number, data: Uint8Array): boolean {
    const conn = this.findActive(target);
    if (!conn) return false;
    return conn.send({ kind: 'diagnosticMessage', sourceAddress: source, targetAddress: target, data });
  }

  detach(link: DoipNodeLink): void {
    if (this.nodes.get(link.localAddress) === link) {
      this.nodes.delete(link.localAddress);
      this.logger.debug('DoIP node removed', { node: hexNum(link.localAddress) });
    }
  }
}
