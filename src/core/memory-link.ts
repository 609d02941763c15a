/**
 * An in-memory bus of {@link UdsLink}s: the transport for unit tests, for users testing their own
 * code against a simulated ECU, and for in-process vehicles.
 *
 * Delivery is asynchronous (a microtask later), in order, and never loses a message. A message to a
 * functional address reaches every endpoint listening on it except the sender.
 */
import { LinkError } from './errors.js';
import { TypedEmitter } from './events.js';
import type { OutgoingUdsMessage, UdsLink, UdsLinkEvents, UdsMessage } from './link.js';

/** Options of one endpoint on a {@link MemoryBus}. */
export interface MemoryEndpointOptions {
  /** Functional addresses this endpoint receives (an ECU listens on the vehicle's functional address). */
  functionalAddresses?: readonly number[];
  /** Largest message, default 4 GiB - 1 (no practical limit). */
  maxMessageSize?: number;
}

/** A set of endpoints that reach one another by logical address. */
export class MemoryBus {
  private readonly endpoints = new Map<number, MemoryLink>();

  /** Creates the endpoint with logical address `address`. Throws if the address is taken. */
  attach(address: number, options: MemoryEndpointOptions = {}): MemoryLink {
    if (this.endpoints.has(address)) {
      throw new LinkError(`address 0x${address.toString(16)} is already attached to this memory bus`, { address });
    }
    const link = new MemoryLink(this, address, options);
    this.endpoints.set(address, link);
    return link;
  }

  /** @internal */
  detach(link: MemoryLink): void {
    if (this.endpoints.get(link.localAddress) === link) this.endpoints.delete(link.localAddress);
  }

  /** @internal Delivers `msg` to its receivers; returns how many there were. */
  deliver(msg: UdsMessage): number {
    const receivers: MemoryLink[] = [];
    if (msg.addressing === 'functional') {
      for (const ep of this.endpoints.values()) {
        if (ep.localAddress !== msg.source && ep.listensOn(msg.target)) receivers.push(ep);
      }
    } else {
      const ep = this.endpoints.get(msg.target);
      if (ep) receivers.push(ep);
    }
    for (const ep of receivers) queueMicrotask(() => ep.receive(msg));
    return receivers.length;
  }
}

/** One endpoint of a {@link MemoryBus}. */
export class MemoryLink implements UdsLink {
  readonly events = new TypedEmitter<UdsLinkEvents>();
  readonly maxMessageSize: number;
  private isClosed = false;
  private readonly functional: ReadonlySet<number>;

  constructor(
    private readonly bus: MemoryBus,
    readonly localAddress: number,
    options: MemoryEndpointOptions,
  ) {
    this.functional = new Set(options.functionalAddresses ?? []);
    this.maxMessageSize = options.maxMessageSize ?? 0xffffffff;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** @internal */
  listensOn(functionalAddress: number): boolean {
    return this.functional.has(functionalAddress);
  }

  /** @internal */
  receive(msg: UdsMessage): void {
    if (!this.isClosed) this.events.emit('message', msg);
  }

  async send(message: OutgoingUdsMessage): Promise<void> {
    if (this.isClosed) throw new LinkError('memory link is closed', { address: this.localAddress });
    if (message.data.length > this.maxMessageSize) {
      throw new LinkError(`message of ${message.data.length} bytes exceeds the link maximum of ${this.maxMessageSize}`);
    }
    const n = this.bus.deliver({
      source: this.localAddress,
      target: message.target,
      addressing: message.addressing ?? 'physical',
      data: message.data.slice(),
    });
    if (n === 0 && (message.addressing ?? 'physical') === 'physical') {
      throw new LinkError(`no endpoint with address 0x${message.target.toString(16)} on this memory bus`, {
        target: message.target,
      });
    }
  }

  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.bus.detach(this);
    this.events.emit('close', undefined);
  }
}

/** Convenience: a bus with a tester endpoint and one ECU endpoint. */
export function createMemoryLinkPair(
  testerAddress = 0x0e00,
  ecuAddress = 0x1010,
  functionalAddress = 0xe400,
): { bus: MemoryBus; tester: MemoryLink; ecu: MemoryLink } {
  const bus = new MemoryBus();
  const tester = bus.attach(testerAddress);
  const ecu = bus.attach(ecuAddress, { functionalAddresses: [functionalAddress] });
  return { bus, tester, ecu };
}
