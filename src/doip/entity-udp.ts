/**
 * The UDP side of a DoIP entity (ISO 13400-2:2019 7.4–7.6): vehicle identification (0x0001 always,
 * 0x0002/0x0003 only when EID/VIN match), entity status (0x4001) and diagnostic power mode
 * (0x4003), each answered by unicast to the sender; header errors answered with generic NACKs.
 *
 * Announcements (0x0004 sent unprompted) go only to an address given explicitly to
 * {@link EntityUdp.announce} — never to a broadcast address.
 */
import * as dgram from 'node:dgram';
import { bytesEqual } from '../core/bytes.js';
import { sleep } from '../core/clock.js';
import { AbortedError, LinkError } from '../core/errors.js';
import { assertUnicastHost, udpFamily } from './addresses.js';
import { genericNackInfo, NodeType } from './codes.js';
import type { EntityCore } from './entity-core.js';
import { ANY_VERSION_PAYLOAD_TYPES } from './header.js';
import type { DoipMessage } from './message.js';
import { checkDatagram, encodeMessage } from './message.js';
import { PayloadType } from './payload-types.js';
import type { VehicleAnnouncementMessage } from './vehicle-identification.js';

/** Payload types an entity accepts on UDP (others: generic NACK 01). Responses from other entities are accepted and ignored. */
export const ENTITY_UDP_PAYLOAD_TYPES: ReadonlySet<number> = new Set([
  PayloadType.genericNack,
  PayloadType.vehicleIdentificationRequest,
  PayloadType.vehicleIdentificationRequestWithEid,
  PayloadType.vehicleIdentificationRequestWithVin,
  PayloadType.vehicleAnnouncement,
  PayloadType.entityStatusRequest,
  PayloadType.entityStatusResponse,
  PayloadType.powerModeRequest,
  PayloadType.powerModeResponse,
]);

/** ISO 13400-2:2019 7.7 — A_DoIP_Announce_Wait (random 0..500 ms), A_DoIP_Announce_Interval (500 ms), A_DoIP_Announce_Num (3). */
export const ANNOUNCE_WAIT_MAX_MS = 500;
/** Time between two announcements. */
export const ANNOUNCE_INTERVAL_MS = 500;
/** Number of announcements. */
export const ANNOUNCE_COUNT = 3;

/** The UDP socket of an entity. */
export class EntityUdp {
  private socket: dgram.Socket | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly core: EntityCore) {}

  /** Binds `host:port` (0 = free port); resolves with the bound port. */
  async start(host: string, port: number): Promise<number> {
    const socket = dgram.createSocket({ type: udpFamily(host), reuseAddr: false });
    socket.on('message', (msg, rinfo) => this.onDatagram(msg, rinfo));
    socket.on('error', (e) => this.core.logger.warn('DoIP UDP socket error', { error: e.message }));
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => reject(e);
      socket.once('error', onError);
      socket.bind(port, host, () => {
        socket.off('error', onError);
        resolve();
      });
    }).catch((e: Error) => {
      socket.close();
      throw new LinkError(`cannot bind DoIP UDP port ${port} on ${host}: ${e.message}; choose another udpPort (0 = any free port, null = no UDP)`, { host, port }, { cause: e });
    });
    this.socket = socket;
    return socket.address().port;
  }

  /** Closes the socket and stops running announcements. Idempotent. */
  async stop(): Promise<void> {
    this.abort.abort(new AbortedError('DoIP entity stopped'));
    const s = this.socket;
    this.socket = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  /** The identification response / announcement of this entity. */
  announcement(): VehicleAnnouncementMessage {
    const o = this.core.options;
    return {
      kind: 'vehicleAnnouncement',
      vin: o.vin,
      logicalAddress: o.logicalAddress,
      eid: o.eid,
      gid: o.gid,
      furtherAction: o.furtherAction,
      ...(o.syncStatus !== undefined ? { syncStatus: o.syncStatus } : {}),
    };
  }

  /**
   * ISO 13400-2:2019 7.4 — vehicle announcement: after a random 0..500 ms delay, sends 0x0004
   * three times 500 ms apart to the unicast `address:port`. Rejects with `AbortedError` when the
   * entity stops first.
   */
  async announce(address: string, port: number): Promise<void> {
    assertUnicastHost(address, 'announce address');
    const socket = this.socket;
    if (!socket) throw new LinkError('the DoIP entity has no UDP socket: start it with a udpPort to announce');
    const { clock, random } = this.core.options;
    const signal = this.abort.signal;
    await sleep(clock, Math.floor(random() * ANNOUNCE_WAIT_MAX_MS), signal);
    for (let i = 0; i < ANNOUNCE_COUNT; i++) {
      if (i > 0) await sleep(clock, ANNOUNCE_INTERVAL_MS, signal);
      this.send(this.announcement(), address, port);
    }
  }

  private send(m: DoipMessage, address: string, port: number): void {
    const s = this.socket;
    if (!s) return;
    try {
      s.send(encodeMessage(m, this.core.options.protocolVersion), port, address, (e) => {
        if (e) this.core.logger.warn('DoIP UDP send failed', { error: e.message, address, port });
      });
    } catch (e) {
      this.core.logger.warn('DoIP UDP send failed', { error: String(e), address, port });
    }
  }

  private onDatagram(bytes: Uint8Array, rinfo: dgram.RemoteInfo): void {
    const o = this.core.options;
    const reply = (m: DoipMessage): void => this.send(m, rinfo.address, rinfo.port);
    const check = checkDatagram(bytes, {
      protocolVersion: o.protocolVersion,
      supportedPayloadTypes: ENTITY_UDP_PAYLOAD_TYPES,
      maxDataSize: o.maxDataSize,
      anyVersionPayloadTypes: ANY_VERSION_PAYLOAD_TYPES,
    });
    if (!check.ok) {
      if (!check.problem) {
        o.logger.debug('DoIP UDP datagram shorter than a header ignored', { from: rinfo.address, length: bytes.length });
        return;
      }
      // ISO 13400-2:2019, generic DoIP header handler: answer with a generic NACK (UDP has no socket to close).
      reply({ kind: 'genericNack', code: check.problem.code });
      const name = genericNackInfo(check.problem.code).name;
      o.logger.info('DoIP UDP generic header NACK', { from: rinfo.address, code: name, reason: check.problem.reason });
      this.core.emit('nack', { connectionId: undefined, kind: 'header', code: check.problem.code, name, reason: check.problem.reason });
      return;
    }
    const m = check.message;
    switch (m.kind) {
      case 'vehicleIdentificationRequest':
        return reply(this.announcement());
      case 'vehicleIdentificationRequestWithEid':
        if (bytesEqual(m.eid, o.eid)) reply(this.announcement());
        return;
      case 'vehicleIdentificationRequestWithVin':
        if (m.vin === o.vin) reply(this.announcement());
        return;
      case 'entityStatusRequest':
        return reply({
          kind: 'entityStatusResponse',
          nodeType: NodeType.gateway,
          maxOpenSockets: o.maxTcpSockets,
          openSockets: Math.min(this.core.connections.size, 255),
          maxDataSize: o.maxDataSize,
        });
      case 'powerModeRequest':
        return reply({ kind: 'powerModeResponse', mode: this.core.powerMode });
      default:
        o.logger.debug('ignored DoIP UDP message', { from: rinfo.address, kind: m.kind });
    }
  }
}
