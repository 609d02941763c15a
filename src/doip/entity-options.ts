/**
 * Options of a {@link DoipEntity} (the gateway side of ISO 13400-2), their defaults and their
 * validation. Timer defaults are ISO 13400-2:2019 7.7 (timing and communication parameters).
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { AddressRange } from './addresses.js';
import { assertLogicalAddress, DEFAULT_FUNCTIONAL_ADDRESS, DOIP_PORT, TESTER_ADDRESS_RANGE } from './addresses.js';
import { FurtherAction, PowerMode } from './codes.js';
import { assertProtocolVersion, DEFAULT_PROTOCOL_VERSION } from './header.js';
import { encodeVin, toIdBytes } from './vehicle-identification.js';

/**
 * Default maximum data size (largest payload accepted): 4 MiB of UDS data plus the 4 address bytes
 * of a diagnostic message. Large enough for TransferData blocks of any common block length, small
 * enough that 16 sockets cannot make the entity buffer more than 64 MiB.
 */
export const DEFAULT_MAX_DATA_SIZE = 4 * 1024 * 1024 + 4;

/** Options of a DoIP entity. Every field is optional; the defaults are listed per field. */
export interface DoipEntityOptions {
  /** The entity's logical address; default 0x1000. */
  logicalAddress?: number;
  /** VIN reported in vehicle identification responses, exactly 17 characters; default `WUDSKIT0000000001`. */
  vin?: string;
  /** Entity identification (6 bytes or hex text); default `00 1A 2B 3C 4D 5E`. */
  eid?: Uint8Array | string;
  /** Group identification (6 bytes or hex text); default: the EID. */
  gid?: Uint8Array | string;
  /** Protocol version the entity speaks and answers with (1..4); default 2. */
  protocolVersion?: number;
  /** Address to listen on (TCP and UDP); default `127.0.0.1`. */
  host?: string;
  /** TCP_DATA port; default 13400; 0 picks a free port. */
  tcpPort?: number;
  /** UDP_DISCOVERY port; default 13400; 0 picks a free port; `null` disables UDP. */
  udpPort?: number | null;
  /** Tester addresses allowed to activate routing: ranges or a predicate; default 0x0E00–0x0FFF. */
  acceptedTesterAddresses?: readonly AddressRange[] | ((address: number) => boolean);
  /** Functional addresses the entity routes to its nodes; default [0xE400]. */
  functionalAddresses?: readonly number[];
  /** Largest payload accepted (generic NACK 02 above it), reported in entity status; default {@link DEFAULT_MAX_DATA_SIZE}. */
  maxDataSize?: number;
  /** Concurrent TCP_DATA sockets with activated routing (1..255); default 16. */
  maxTcpSockets?: number;
  /** T_TCP_Initial_Inactivity: close a socket without routing activation after this; default 2000 ms. */
  initialInactivityMs?: number;
  /** T_TCP_General_Inactivity: close an activated socket idle this long; default 300000 ms. */
  generalInactivityMs?: number;
  /** T_TCP_Alive_Check: wait this long for an alive check response; default 500 ms. */
  aliveCheckTimeoutMs?: number;
  /** Answer every routing activation on plain TCP with 0x07 (TLS required); default false. */
  requireTls?: boolean;
  /** Further action byte of vehicle identification responses; default 0x00. */
  furtherAction?: number;
  /** VIN/GID sync status byte of vehicle identification responses; default: field omitted. */
  syncStatus?: number;
  /** Diagnostic power mode reported for 0x4003; default 0x01 (ready). */
  powerMode?: number;
  /** How many UDS bytes the 0x8002/0x8003 messages echo; default 0 (no echo). */
  ackEchoBytes?: number;
  /** Time source of every timer; default the system clock. */
  clock?: Clock;
  /** Logger; default silent. */
  logger?: Logger;
  /** Random number in [0, 1) for the announcement delay; default `Math.random`. */
  random?: () => number;
}

/** Options after defaults and validation. */
export interface ResolvedDoipEntityOptions {
  readonly logicalAddress: number;
  readonly vin: string;
  readonly eid: Uint8Array;
  readonly gid: Uint8Array;
  readonly protocolVersion: number;
  readonly host: string;
  readonly tcpPort: number;
  readonly udpPort: number | null;
  readonly acceptsTester: (address: number) => boolean;
  readonly functionalAddresses: ReadonlySet<number>;
  readonly maxDataSize: number;
  readonly maxTcpSockets: number;
  readonly initialInactivityMs: number;
  readonly generalInactivityMs: number;
  readonly aliveCheckTimeoutMs: number;
  readonly requireTls: boolean;
  readonly furtherAction: number;
  readonly syncStatus: number | undefined;
  readonly powerMode: number;
  readonly ackEchoBytes: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: () => number;
}

function int(value: number | undefined, def: number, field: string, min: number, max: number): number {
  const v = value ?? def;
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new InvalidArgumentError(`DoipEntity option ${field} must be an integer from ${min} to ${max}, got ${String(value)}`, { field, value });
  }
  return v;
}

function port(value: number | undefined, field: string): number {
  return int(value, DOIP_PORT, field, 0, 65535);
}

function testerPredicate(v: DoipEntityOptions['acceptedTesterAddresses']): (a: number) => boolean {
  if (typeof v === 'function') return v;
  const ranges = v ?? [TESTER_ADDRESS_RANGE];
  for (const [i, r] of ranges.entries()) {
    assertLogicalAddress(r.from, `acceptedTesterAddresses[${i}].from`);
    assertLogicalAddress(r.to, `acceptedTesterAddresses[${i}].to`);
    if (r.from > r.to) throw new InvalidArgumentError(`acceptedTesterAddresses[${i}]: from must not exceed to`, { field: 'acceptedTesterAddresses' });
  }
  const copy = ranges.map((r) => ({ from: r.from, to: r.to }));
  return (a) => copy.some((r) => a >= r.from && a <= r.to);
}

/** Applies the defaults and validates every field; throws {@link InvalidArgumentError} naming the field. */
export function resolveEntityOptions(o: DoipEntityOptions): ResolvedDoipEntityOptions {
  const logicalAddress = o.logicalAddress ?? 0x1000;
  assertLogicalAddress(logicalAddress, 'logicalAddress');
  const vin = o.vin ?? 'WUDSKIT0000000001';
  encodeVin(vin, 'vin');
  const eid = toIdBytes(o.eid ?? '001A2B3C4D5E', 'eid');
  const gid = o.gid === undefined ? eid.slice() : toIdBytes(o.gid, 'gid');
  const protocolVersion = o.protocolVersion ?? DEFAULT_PROTOCOL_VERSION;
  assertProtocolVersion(protocolVersion);
  const functionalAddresses = new Set(o.functionalAddresses ?? [DEFAULT_FUNCTIONAL_ADDRESS]);
  for (const a of functionalAddresses) assertLogicalAddress(a, 'functionalAddresses[]');
  const udpPort = o.udpPort === null ? null : port(o.udpPort, 'udpPort');
  if (o.syncStatus !== undefined) int(o.syncStatus, 0, 'syncStatus', 0, 255);
  return {
    logicalAddress,
    vin,
    eid,
    gid,
    protocolVersion,
    host: o.host ?? '127.0.0.1',
    tcpPort: port(o.tcpPort, 'tcpPort'),
    udpPort,
    acceptsTester: testerPredicate(o.acceptedTesterAddresses),
    functionalAddresses,
    maxDataSize: int(o.maxDataSize, DEFAULT_MAX_DATA_SIZE, 'maxDataSize', 5, 0xffffffff),
    maxTcpSockets: int(o.maxTcpSockets, 16, 'maxTcpSockets', 1, 255),
    initialInactivityMs: int(o.initialInactivityMs, 2000, 'initialInactivityMs', 1, 2 ** 31 - 1),
    generalInactivityMs: int(o.generalInactivityMs, 300_000, 'generalInactivityMs', 1, 2 ** 31 - 1),
    aliveCheckTimeoutMs: int(o.aliveCheckTimeoutMs, 500, 'aliveCheckTimeoutMs', 1, 2 ** 31 - 1),
    requireTls: o.requireTls ?? false,
    furtherAction: int(o.furtherAction, FurtherAction.none, 'furtherAction', 0, 255),
    syncStatus: o.syncStatus,
    powerMode: int(o.powerMode, PowerMode.ready, 'powerMode', 0, 255),
    ackEchoBytes: int(o.ackEchoBytes, 0, 'ackEchoBytes', 0, 0xffffffff),
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
    random: o.random ?? Math.random,
  };
}
