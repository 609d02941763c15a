/** Options of a `DoipClient` (tester side of DoIP), their defaults and validation. */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { InvalidArgumentError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { assertLogicalAddress, DOIP_PORT } from './addresses.js';
import { ActivationType } from './codes.js';
import { assertProtocolVersion, DEFAULT_PROTOCOL_VERSION } from './header.js';

/** Options of `DoipClient.connect`. */
export interface DoipClientOptions {
  /** Entity address; default `127.0.0.1`. */
  host?: string;
  /** Entity TCP port; default 13400. */
  port?: number;
  /** This tester's logical address; default 0x0E00. */
  testerAddress?: number;
  /** Routing activation type; default 0x00 (default). */
  activationType?: number;
  /** Optional 4-byte OEM field of the routing activation request. */
  activationOem?: Uint8Array;
  /** Protocol version to speak (1..4); default 2. */
  protocolVersion?: number;
  /** Give up connecting after this; default 2000 ms. */
  connectTimeoutMs?: number;
  /** Wait this long for the routing activation response; default 2000 ms. */
  activationTimeoutMs?: number;
  /** Wait this long for each diagnostic message's 0x8002 ACK; default 2000 ms. */
  ackTimeoutMs?: number;
  /** Largest payload accepted from the entity and sent to it; default 64 MiB. */
  maxDataSize?: number;
  clock?: Clock;
  logger?: Logger;
}

/** Default of {@link DoipClientOptions.maxDataSize}. */
export const DEFAULT_CLIENT_MAX_DATA_SIZE = 64 * 1024 * 1024;

/** Client options after defaults. */
export interface ResolvedDoipClientOptions {
  host: string;
  port: number;
  testerAddress: number;
  activationType: number;
  protocolVersion: number;
  connectTimeoutMs: number;
  activationTimeoutMs: number;
  ackTimeoutMs: number;
  maxDataSize: number;
  clock: Clock;
  logger: Logger;
}

function positive(v: number | undefined, def: number, field: string): number {
  const x = v ?? def;
  if (!Number.isInteger(x) || x < 1) throw new InvalidArgumentError(`DoipClient option ${field} must be a positive integer, got ${String(v)}`, { field });
  return x;
}

/** Applies the defaults and validates; throws `InvalidArgumentError` naming the field. */
export function resolveClientOptions(o: DoipClientOptions): ResolvedDoipClientOptions {
  const testerAddress = o.testerAddress ?? 0x0e00;
  assertLogicalAddress(testerAddress, 'testerAddress');
  const protocolVersion = o.protocolVersion ?? DEFAULT_PROTOCOL_VERSION;
  assertProtocolVersion(protocolVersion);
  const activationType = o.activationType ?? ActivationType.default;
  if (!Number.isInteger(activationType) || activationType < 0 || activationType > 0xff) {
    throw new InvalidArgumentError(`activationType must be a byte, got ${activationType}`, { field: 'activationType' });
  }
  const port = o.port ?? DOIP_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new InvalidArgumentError(`port must be 1..65535, got ${port}`, { field: 'port' });
  return {
    host: o.host ?? '127.0.0.1',
    port,
    testerAddress,
    activationType,
    protocolVersion,
    connectTimeoutMs: positive(o.connectTimeoutMs, 2000, 'connectTimeoutMs'),
    activationTimeoutMs: positive(o.activationTimeoutMs, 2000, 'activationTimeoutMs'),
    ackTimeoutMs: positive(o.ackTimeoutMs, 2000, 'ackTimeoutMs'),
    maxDataSize: positive(o.maxDataSize, DEFAULT_CLIENT_MAX_DATA_SIZE, 'maxDataSize'),
    clock: o.clock ?? systemClock,
    logger: o.logger ?? silentLogger,
  };
}
