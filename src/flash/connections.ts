/**
 * The connections of a flash job: one per DoIP entity shared by its ECUs (multiplexed by target address,
 * each ECU with its own UDS client), or one per ECU. A lost connection is re-established once for all
 * the ECUs on it ({@link ConnectionSlot.reconnect} with the generation the caller last saw), and every
 * slot runs its own functional client for the functional steps and the `3E 80` keep-alive.
 */
import type { Clock } from '../core/clock.js';
import { sleep } from '../core/clock.js';
import type { UdsLink } from '../core/link.js';
import type { Logger } from '../core/logger.js';
import { DoipClient } from '../doip/client.js';
import { FlashClient } from './recording-client.js';

/** Where to connect for one slot. */
export interface ConnectionTarget {
  readonly host: string;
  readonly port: number;
  readonly testerAddress: number;
}

/** Opens a link to the ECUs behind `target` (DoIP by default; tests pass in-memory links). */
export type Connector = (target: ConnectionTarget) => Promise<UdsLink>;

/** A {@link Connector} over DoIP (ISO 13400-2 TCP, routing activation). */
export function doipConnector(options: { connectTimeoutMs?: number; clock?: Clock; logger?: Logger } = {}): Connector {
  return (t) =>
    DoipClient.connect({
      host: t.host,
      port: t.port,
      testerAddress: t.testerAddress,
      ...(options.connectTimeoutMs !== undefined ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
}

/** Settings every slot shares. */
export interface SlotSettings {
  readonly connector: Connector;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly functionalAddress: number;
  readonly reconnectDelayMs: number;
  /** `3E 80` keep-alive on the functional client, or none. */
  readonly keepAlive: { readonly intervalMs: number } | undefined;
  /** Options of every client made on this slot's links (timing). */
  readonly clientTiming: { readonly p2ClientMs?: number; readonly p2StarClientMs?: number };
}

/** One connection (re-established as needed) and its functional client. */
export class ConnectionSlot {
  private current: { link: UdsLink; functional: FlashClient } | undefined;
  private opening: Promise<UdsLink> | undefined;
  private gen = 0;
  private isClosed = false;

  constructor(
    /** `host:port` (plus `#ECU` for per-ECU connections). */
    readonly key: string,
    readonly target: ConnectionTarget,
    private readonly s: SlotSettings,
  ) {}

  /** Increments with each (re)connection; a client made on an older one must be replaced. */
  get generation(): number {
    return this.gen;
  }

  /** The open link, if any. */
  get link(): UdsLink | undefined {
    return this.current?.link;
  }

  /** The client for functional requests on the current link. */
  get functionalClient(): FlashClient | undefined {
    return this.current?.functional;
  }

  /** A UDS client for `ecu` on the current link. */
  client(ecu: number): FlashClient {
    const c = this.current;
    if (!c) throw new Error(`connection ${this.key} is not open`);
    return new FlashClient(c.link, { target: ecu, functionalTarget: this.s.functionalAddress, clock: this.s.clock, logger: this.s.logger, ...this.s.clientTiming });
  }

  /** Opens the connection (once; later calls return the open link). */
  open(): Promise<UdsLink> {
    if (this.current && !this.current.link.closed) return Promise.resolve(this.current.link);
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /**
   * Re-establishes the connection after it was lost, unless it was already re-established since
   * generation `seen` (another ECU on the same connection did it): then the current link is returned.
   */
  async reconnect(seen: number): Promise<UdsLink> {
    if (this.opening) return this.opening;
    if (this.gen > seen && this.current && !this.current.link.closed) return this.current.link;
    await this.drop();
    await sleep(this.s.clock, this.s.reconnectDelayMs);
    return this.open();
  }

  /** Closes the functional client and the link. */
  async close(): Promise<void> {
    this.isClosed = true;
    await this.drop();
  }

  private async drop(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (!c) return;
    await c.functional.close();
    await c.link.close().catch((e: unknown) => this.s.logger.debug(`closing connection ${this.key}: ${String(e)}`));
  }

  private async connect(): Promise<UdsLink> {
    if (this.isClosed) throw new Error(`connection ${this.key} was closed`);
    const link = await this.s.connector(this.target);
    const functional = new FlashClient(link, {
      target: this.s.functionalAddress,
      functionalTarget: this.s.functionalAddress,
      clock: this.s.clock,
      logger: this.s.logger,
      ...this.s.clientTiming,
    });
    // ISO 14229-1:2020 10.7 — one functional 3E 80 keeps every ECU of the connection in its session.
    if (this.s.keepAlive) functional.startTesterPresent({ functional: true, suppress: true, intervalMs: this.s.keepAlive.intervalMs });
    this.current = { link, functional };
    this.gen++;
    return link;
  }
}
