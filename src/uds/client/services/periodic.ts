/**
 * Typed client calls of ReadDataByPeriodicIdentifier (0x2A) and the receiver of the periodic data
 * messages that follow (ISO 14229-1:2020 11.5).
 *
 * The periodic messages (`6A pDID data`, type 1) arrive on the link outside any request/response
 * exchange. The client's exchange runner never takes them for the answer to a request in flight (a `6A`
 * answer is exactly one byte); {@link subscribePeriodicData} delivers them to listeners instead.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import type { UdsLink } from '../../../core/link.js';
import {
  isPeriodicDid,
  periodicDidToDid,
  readDataByPeriodicIdentifier as rdbpiCodec,
  TransmissionMode,
} from '../../codec/0x2a-read-data-by-periodic-identifier.js';
import { decodePeriodicDataMessage, isPeriodicDataMessage } from '../../codec/periodic-data-message.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { decodePositive, requestOptionsOf } from './common.js';

/** A rate by name, for {@link readDataByPeriodicIdentifier}. */
export type PeriodicRateName = 'slow' | 'medium' | 'fast';

/** One periodic data message received from an ECU. */
export interface PeriodicData {
  /** Logical address of the ECU that sent it. */
  readonly source: number;
  /** The periodicDataIdentifier. */
  readonly periodicDataIdentifier: number;
  /** The DID it stands for, 0xF200 | periodicDataIdentifier. */
  readonly did: number;
  /** The data record. */
  readonly data: Uint8Array;
}

/** Receives periodic data. */
export type PeriodicDataListener = (message: PeriodicData) => void;

const RATE_MODES: Readonly<Record<PeriodicRateName, number>> = {
  slow: TransmissionMode.sendAtSlowRate,
  medium: TransmissionMode.sendAtMediumRate,
  fast: TransmissionMode.sendAtFastRate,
};

/**
 * The periodicDataIdentifier of `id`: a pDID 0x00..0xFF as is, or a DID 0xF200..0xF2FF (its low byte).
 * Throws `InvalidArgumentError` for anything else.
 */
export function toPeriodicDataIdentifier(id: number): number {
  if (Number.isInteger(id) && id >= 0 && id <= 0xff) return id;
  if (Number.isInteger(id) && isPeriodicDid(id)) return id & 0xff;
  throw new InvalidArgumentError(`readDataByPeriodicIdentifier: ${String(id)} is neither a pDID 0x00..0xFF nor a DID 0xF200..0xF2FF`, {
    field: 'periodicDataIdentifiers',
  });
}

function modeOf(rate: PeriodicRateName | number): number {
  if (typeof rate === 'number') {
    if (Number.isInteger(rate) && rate >= 0 && rate <= 0xff) return rate;
  } else if (Object.hasOwn(RATE_MODES, rate)) {
    return RATE_MODES[rate];
  }
  throw new InvalidArgumentError(`readDataByPeriodicIdentifier: rate must be 'slow', 'medium', 'fast' or a transmissionMode byte, got ${String(rate)}`, {
    field: 'transmissionMode',
  });
}

/**
 * `2A mode pDID...` -> `6A`: schedules `ids` (pDIDs or DIDs 0xF2xx) at `rate` ('slow' | 'medium' |
 * 'fast' or a raw transmissionMode byte). The data then arrives through {@link subscribePeriodicData}.
 */
export async function readDataByPeriodicIdentifier(
  c: UdsRequester,
  rate: PeriodicRateName | number,
  ids: readonly number[],
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<void> {
  const transmissionMode = modeOf(rate);
  const req = rdbpiCodec.encodeRequest({ transmissionMode, periodicDataIdentifiers: ids.map(toPeriodicDataIdentifier) });
  const res = await c.request(req, requestOptionsOf(opts, false));
  if (res) decodePositive(rdbpiCodec, res, c.target);
}

/** `2A 04 [pDID...]` -> `6A`: stops `ids` (pDIDs or DIDs 0xF2xx), or every periodic DID when none is given. */
export function stopPeriodicData(c: UdsRequester, ids: readonly number[] = [], opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<void> {
  return readDataByPeriodicIdentifier(c, TransmissionMode.stopSending, ids, opts);
}

/**
 * Calls `listener` for every type 1 periodic data message (`6A pDID data`) arriving on `link`, from
 * `source` only when given. Returns a function that unsubscribes. A listener that throws is isolated
 * (the error is passed to `onError`, default: ignored) so it cannot disturb the link's other listeners.
 */
export function subscribePeriodicData(
  link: UdsLink,
  listener: PeriodicDataListener,
  options: { source?: number; onError?: (error: unknown) => void } = {},
): () => void {
  if (typeof listener !== 'function') {
    throw new InvalidArgumentError('subscribePeriodicData: listener must be a function', { field: 'listener' });
  }
  return link.events.on('message', (msg) => {
    if (options.source !== undefined && msg.source !== options.source) return;
    if (!isPeriodicDataMessage(msg.data)) return;
    const m = decodePeriodicDataMessage(msg.data);
    try {
      listener({ source: msg.source, periodicDataIdentifier: m.periodicDataIdentifier, did: periodicDidToDid(m.periodicDataIdentifier), data: m.data });
    } catch (e) {
      options.onError?.(e);
    }
  });
}
