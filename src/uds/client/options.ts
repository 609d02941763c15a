/**
 * The options of {@link UdsClient}, their defaults, and their validation at the constructor edge.
 */
import { systemClock, type Clock } from '../../core/clock.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { silentLogger, type Logger } from '../../core/logger.js';

/** Options of a {@link UdsClient}. Every field is checked by {@link resolveClientOptions}. */
export interface UdsClientOptions {
  /** Logical address of the ECU this client talks to (physical requests go there). Required. */
  target: number;
  /** Functional (broadcast) address, default 0xE400 (ISO 13400-2 / spec/doip.md default). */
  functionalTarget?: number;
  /** P2 client in ms: the wait for the first response, default 150 (P2server 50 ms + 100 ms margin). */
  p2ClientMs?: number;
  /** P2* client in ms: the wait after each NRC 0x78, default 5500 (P2*server 5000 ms + 500 ms margin). */
  p2StarClientMs?: number;
  /** After a positive 0x50 response, use its P2/P2* plus the margins below (default true). */
  adoptTimingFromSession?: boolean;
  /** Margin added to a reported P2server_max, default 100 ms. */
  p2MarginMs?: number;
  /** Margin added to a reported P2*server_max, default 500 ms. */
  p2StarMarginMs?: number;
  /** Period of the TesterPresent keep-alive, default 2000 ms (S3 client, spec/uds.md). */
  testerPresentIntervalMs?: number;
  /** Time source of every timer, default the system clock. */
  clock?: Clock;
  /** Where the client logs (ignored messages at debug), default silent. */
  logger?: Logger;
}

/** {@link UdsClientOptions} with every default filled in. */
export interface ResolvedClientOptions {
  readonly target: number;
  readonly functionalTarget: number;
  readonly p2ClientMs: number;
  readonly p2StarClientMs: number;
  readonly adoptTimingFromSession: boolean;
  readonly p2MarginMs: number;
  readonly p2StarMarginMs: number;
  readonly testerPresentIntervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Defaults of {@link UdsClientOptions}. */
export const CLIENT_DEFAULTS = {
  functionalTarget: 0xe400,
  p2ClientMs: 150,
  p2StarClientMs: 5500,
  adoptTimingFromSession: true,
  p2MarginMs: 100,
  p2StarMarginMs: 500,
  testerPresentIntervalMs: 2000,
} as const;

/** Throws {@link InvalidArgumentError} naming `field` unless `v` is a 16-bit logical address. */
export function checkAddress(field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff) {
    throw new InvalidArgumentError(`UdsClient: ${field} must be a logical address 0x0000..0xFFFF, got ${String(v)}`, { field, value: v });
  }
  return v;
}

/** Throws {@link InvalidArgumentError} naming `field` unless `v` is a finite number in [min, max]. */
export function checkMs(field: string, v: unknown, min: number, max = 24 * 3600 * 1000): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new InvalidArgumentError(`UdsClient: ${field} must be a number of ms in ${min}..${max}, got ${String(v)}`, { field, value: v });
  }
  return v;
}

/** Validates `options` and fills in the defaults. */
export function resolveClientOptions(options: UdsClientOptions): ResolvedClientOptions {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError('UdsClient: options must be an object with at least { target }', { field: 'options' });
  }
  const adopt = options.adoptTimingFromSession ?? CLIENT_DEFAULTS.adoptTimingFromSession;
  if (typeof adopt !== 'boolean') {
    throw new InvalidArgumentError(`UdsClient: adoptTimingFromSession must be true or false, got ${String(adopt)}`, {
      field: 'adoptTimingFromSession',
    });
  }
  const clock = options.clock ?? systemClock;
  if (typeof clock.now !== 'function' || typeof clock.setTimeout !== 'function' || typeof clock.clearTimeout !== 'function') {
    throw new InvalidArgumentError('UdsClient: clock must implement now(), setTimeout() and clearTimeout()', { field: 'clock' });
  }
  const logger = options.logger ?? silentLogger;
  if (typeof logger.debug !== 'function' || typeof logger.warn !== 'function') {
    throw new InvalidArgumentError('UdsClient: logger must implement error/warn/info/debug', { field: 'logger' });
  }
  return {
    target: checkAddress('target', options.target),
    functionalTarget: checkAddress('functionalTarget', options.functionalTarget ?? CLIENT_DEFAULTS.functionalTarget),
    p2ClientMs: checkMs('p2ClientMs', options.p2ClientMs ?? CLIENT_DEFAULTS.p2ClientMs, 1),
    p2StarClientMs: checkMs('p2StarClientMs', options.p2StarClientMs ?? CLIENT_DEFAULTS.p2StarClientMs, 1),
    adoptTimingFromSession: adopt,
    p2MarginMs: checkMs('p2MarginMs', options.p2MarginMs ?? CLIENT_DEFAULTS.p2MarginMs, 0),
    p2StarMarginMs: checkMs('p2StarMarginMs', options.p2StarMarginMs ?? CLIENT_DEFAULTS.p2StarMarginMs, 0),
    testerPresentIntervalMs: checkMs('testerPresentIntervalMs', options.testerPresentIntervalMs ?? CLIENT_DEFAULTS.testerPresentIntervalMs, 1),
    clock,
    logger,
  };
}
