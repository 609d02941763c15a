/**
 * The server-side {@link UdsLink} of one node (ECU) behind a DoIP entity. The node receives tester
 * requests as `message` events and answers with `send({ target: testerAddress, data })`, which the
 * entity writes as a 0x8001 diagnostic message (source = node address, target = tester) on the
 * socket where that tester's routing is activated.
 */
import { InvalidArgumentError, LinkError } from '../core/errors.js';
import { TypedEmitter } from '../core/events.js';
import { hexNum } from '../core/hex.js';
import type { Logger } from '../core/logger.js';
import type { OutgoingUdsMessage, UdsLink, UdsLinkEvents, UdsMessage } from '../core/link.js';
import { DIAGNOSTIC_MESSAGE_OVERHEAD } from './diagnostic-message.js';

/** Options of one node added with `DoipEntity.addNode`. */
export interface DoipNodeOptions {
  /** Largest request (UDS bytes) the node takes; larger requests get diagnostic NACK 04. Default: the entity's max data size - 4. */
  maxRequestSize?: number;
  /** Whether the node can be reached now; false gives diagnostic NACK 06 (e.g. while it resets). Default: always. */
  isReachable?: () => boolean;
  /** Functional addresses the node listens on; default: all of the entity's. */
  functionalAddresses?: readonly number[];
}

/** What a node link needs from its entity. */
export interface NodeLinkHost {
  readonly logger: Logger;
  /** Writes a diagnostic message from `source` to the activated tester `target`; false when that tester has no activated socket. */
  sendToTester(source: number, target: number, data: Uint8Array): boolean;
  /** The link was closed: forget the node. */
  detach(link: DoipNodeLink): void;
}

/** Largest UDS message a DoIP diagnostic message can carry (32-bit payload length minus the addresses). */
export const DOIP_MAX_UDS_SIZE = 0xffffffff - DIAGNOSTIC_MESSAGE_OVERHEAD;

/** Server-side link of a node behind a DoIP entity. */
export class DoipNodeLink implements UdsLink {
  readonly events = new TypedEmitter<UdsLinkEvents>();
  readonly maxMessageSize = DOIP_MAX_UDS_SIZE;
  /** Largest request routed to this node. */
  readonly maxRequestSize: number;
  /** Functional addresses this node listens on. */
  readonly functionalAddresses: ReadonlySet<number>;
  private readonly reachable: () => boolean;
  private isClosed = false;

  constructor(
    private readonly host: NodeLinkHost,
    /** The node's logical address. */
    readonly localAddress: number,
    options: { maxRequestSize: number; isReachable: () => boolean; functionalAddresses: ReadonlySet<number> },
  ) {
    this.maxRequestSize = options.maxRequestSize;
    this.reachable = options.isReachable;
    this.functionalAddresses = options.functionalAddresses;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Whether the node can take a request now (a throwing predicate counts as unreachable). */
  isReachable(): boolean {
    try {
      return this.reachable();
    } catch (e) {
      this.host.logger.warn('isReachable() of a DoIP node threw; treating the node as unreachable', { node: this.localAddress, error: String(e) });
      return false;
    }
  }

  /** @internal Hands a tester request to the node (a microtask later, like the memory bus). */
  deliver(msg: UdsMessage): void {
    if (this.isClosed) return;
    queueMicrotask(() => {
      if (this.isClosed) return;
      try {
        this.events.emit('message', msg);
      } catch (e) {
        this.host.logger.error('a DoIP node message listener threw', { node: this.localAddress, error: String(e) });
      }
    });
  }

  /**
   * Sends a response to the tester `message.target`; rejects with `LinkError` when that tester has no
   * activated socket. Large UDS bytes go to the socket without a copy: do not change them afterwards.
   */
  async send(message: OutgoingUdsMessage): Promise<void> {
    if (this.isClosed) throw new LinkError(`DoIP node ${hexNum(this.localAddress)} is closed`, { address: this.localAddress });
    if (message.data.length === 0) {
      throw new InvalidArgumentError('a DoIP diagnostic message needs at least one UDS byte', { address: this.localAddress });
    }
    if (message.data.length > this.maxMessageSize) {
      throw new LinkError(`message of ${message.data.length} bytes exceeds the DoIP maximum of ${this.maxMessageSize}`);
    }
    if (!this.host.sendToTester(this.localAddress, message.target, message.data)) {
      throw new LinkError(
        `no tester with address ${hexNum(message.target)} has routing activated on the DoIP entity (it disconnected or never activated)`,
        { source: this.localAddress, target: message.target },
      );
    }
  }

  /** Detaches the node from the entity. Idempotent. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.host.detach(this);
    try {
      this.events.emit('close', undefined);
    } catch (e) {
      this.host.logger.error('a DoIP node close listener threw', { node: this.localAddress, error: String(e) });
    }
  }
}
