/**
 * Tester-side UDP requests (ISO 13400-2:2019 7.4–7.6): vehicle identification, entity status and
 * diagnostic power mode, each sent by unicast to one address. udskit never sends to a broadcast or
 * multicast address: give the entity's (or a test's 127.0.0.1) address explicitly.
 */
import * as dgram from 'node:dgram';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { InvalidArgumentError, LinkError, TimeoutError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { assertUnicastHost, DOIP_PORT, udpFamily } from './addresses.js';
import { powerModeName } from './codes.js';
import { HeaderNackError } from './errors.js';
import { DEFAULT_PROTOCOL_VERSION, DoipVersion } from './header.js';
import type { DoipMessage } from './message.js';
import { decodeMessage, encodeMessage } from './message.js';
import { encodeVin, toIdBytes } from './vehicle-identification.js';

/** Common options of the UDP requests. */
export interface UdpRequestOptions {
  /** Entity address (unicast only); default `127.0.0.1`. */
  host?: string;
  /** Entity UDP port; default 13400. */
  port?: number;
  /** How long to wait for answers; default 1000 ms. */
  timeoutMs?: number;
  /** Protocol version of the request; see each function for the default. */
  protocolVersion?: number;
  clock?: Clock;
  logger?: Logger;
}

/** Options of {@link identifyVehicles}. */
export interface IdentifyVehiclesOptions extends UdpRequestOptions {
  /** Ask only the vehicle with this VIN (request 0x0003). */
  vin?: string;
  /** Ask only the entity with this EID (request 0x0002); 6 bytes or hex text. */
  eid?: Uint8Array | string;
}

/** One vehicle identification response (0x0004) and where it came from. */
export interface VehicleIdentification {
  readonly vin: string;
  readonly logicalAddress: number;
  readonly eid: Uint8Array;
  readonly gid: Uint8Array;
  readonly furtherActionRequired: number;
  readonly syncStatus?: number;
  /** Sender's IP address. */
  readonly address: string;
  /** Sender's UDP port. */
  readonly port: number;
}

/** An entity status response (0x4002). */
export interface EntityStatus {
  /** 0x00 gateway, 0x01 node. */
  readonly nodeType: number;
  readonly maxOpenSockets: number;
  readonly openSockets: number;
  readonly maxDataSize?: number;
  readonly address: string;
  readonly port: number;
}

/** A diagnostic power mode response (0x4004). */
export interface PowerModeInfo {
  /** 0x00 not ready, 0x01 ready, 0x02 not supported. */
  readonly mode: number;
  /** `notReady`, `ready`, `notSupported`. */
  readonly name: string;
  readonly address: string;
  readonly port: number;
}

type Answer = { message: DoipMessage; address: string; port: number };

/**
 * Sends `request` to `host:port` and calls `onAnswer` for every decodable answer until it returns
 * true or `timeoutMs` passes. A generic header NACK rejects with `HeaderNackError`.
 */
async function udpExchange(o: UdpRequestOptions, request: DoipMessage, version: number, onAnswer: (a: Answer) => boolean): Promise<void> {
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? DOIP_PORT;
  const timeoutMs = o.timeoutMs ?? 1000;
  const clock = o.clock ?? systemClock;
  const logger = o.logger ?? silentLogger;
  assertUnicastHost(host, 'host');
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError(`port must be 1..65535, got ${port}`, { field: 'port' });
  if (!Number.isInteger(timeoutMs) || timeoutMs < 1) throw new InvalidArgumentError(`timeoutMs must be a positive integer, got ${timeoutMs}`, { field: 'timeoutMs' });
  const bytes = encodeMessage(request, version);
  const socket = dgram.createSocket(udpFamily(host));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = clock.setTimeout(() => resolve(), timeoutMs);
      const finish = (e?: Error): void => {
        clock.clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      };
      socket.on('error', (e) => finish(new LinkError(`DoIP UDP request to ${host}:${port} failed: ${e.message}`, { host, port }, { cause: e })));
      socket.on('message', (msg, rinfo) => {
        let message: DoipMessage;
        try {
          message = decodeMessage(msg).message;
        } catch (e) {
          logger.debug('undecodable DoIP UDP answer ignored', { from: rinfo.address, error: String(e) });
          return;
        }
        if (message.kind === 'genericNack') {
          finish(new HeaderNackError(message.code, { host, port }));
          return;
        }
        if (onAnswer({ message, address: rinfo.address, port: rinfo.port })) finish();
      });
      socket.send(bytes, port, host, (e) => {
        if (e) finish(new LinkError(`cannot send the DoIP UDP request to ${host}:${port}: ${e.message}`, { host, port }, { cause: e }));
      });
    });
  } finally {
    socket.close();
  }
}

/**
 * ISO 13400-2:2019 7.4 — sends a vehicle identification request (0x0001; 0x0002 with `eid`;
 * 0x0003 with `vin`) to `host:port` and collects every 0x0004 answer arriving within `timeoutMs`.
 * The request uses protocol version 0xFF ("any version") unless `protocolVersion` is given.
 */
export async function identifyVehicles(options: IdentifyVehiclesOptions = {}): Promise<VehicleIdentification[]> {
  if (options.vin !== undefined && options.eid !== undefined) {
    throw new InvalidArgumentError('give vin or eid, not both: a vehicle identification request carries one of them');
  }
  if (options.vin !== undefined) encodeVin(options.vin); // validates: 17 ASCII characters
  const request: DoipMessage =
    options.vin !== undefined
      ? { kind: 'vehicleIdentificationRequestWithVin', vin: options.vin }
      : options.eid !== undefined
        ? { kind: 'vehicleIdentificationRequestWithEid', eid: toIdBytes(options.eid, 'eid') }
        : { kind: 'vehicleIdentificationRequest' };
  const found: VehicleIdentification[] = [];
  await udpExchange(options, request, options.protocolVersion ?? DoipVersion.vehicleIdentificationDefault, ({ message: m, address, port }) => {
    if (m.kind === 'vehicleAnnouncement') {
      found.push({
        vin: m.vin,
        logicalAddress: m.logicalAddress,
        eid: m.eid,
        gid: m.gid,
        furtherActionRequired: m.furtherAction,
        ...(m.syncStatus !== undefined ? { syncStatus: m.syncStatus } : {}),
        address,
        port,
      });
    }
    return false;
  });
  return found;
}

/** ISO 13400-2:2019 7.6 — asks `host:port` for its entity status (0x4001 -> 0x4002). Rejects with `TimeoutError` if none comes. */
export async function requestEntityStatus(options: UdpRequestOptions = {}): Promise<EntityStatus> {
  let status: EntityStatus | undefined;
  await udpExchange(options, { kind: 'entityStatusRequest' }, options.protocolVersion ?? DEFAULT_PROTOCOL_VERSION, ({ message: m, address, port }) => {
    if (m.kind !== 'entityStatusResponse') return false;
    status = {
      nodeType: m.nodeType,
      maxOpenSockets: m.maxOpenSockets,
      openSockets: m.openSockets,
      ...(m.maxDataSize !== undefined ? { maxDataSize: m.maxDataSize } : {}),
      address,
      port,
    };
    return true;
  });
  if (!status) throw new TimeoutError(`no DoIP entity status response from ${options.host ?? '127.0.0.1'}:${options.port ?? DOIP_PORT} within ${options.timeoutMs ?? 1000} ms`);
  return status;
}

/** ISO 13400-2:2019 7.5 — asks `host:port` for the diagnostic power mode (0x4003 -> 0x4004). Rejects with `TimeoutError` if none comes. */
export async function requestPowerMode(options: UdpRequestOptions = {}): Promise<PowerModeInfo> {
  let info: PowerModeInfo | undefined;
  await udpExchange(options, { kind: 'powerModeRequest' }, options.protocolVersion ?? DEFAULT_PROTOCOL_VERSION, ({ message: m, address, port }) => {
    if (m.kind !== 'powerModeResponse') return false;
    info = { mode: m.mode, name: powerModeName(m.mode), address, port };
    return true;
  });
  if (!info) throw new TimeoutError(`no DoIP power mode response from ${options.host ?? '127.0.0.1'}:${options.port ?? DOIP_PORT} within ${options.timeoutMs ?? 1000} ms`);
  return info;
}
