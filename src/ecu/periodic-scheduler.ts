/**
 * The scheduler of ReadDataByPeriodicIdentifier (0x2A, ISO 14229-1:2020 11.5): each scheduled
 * periodicDataIdentifier is read and sent to the tester that asked for it, once right after the `6A`
 * response and then every period of its rate, through the injected {@link Clock}.
 *
 * - One pDID has one rate at a time: scheduling it again moves it to the new rate and the new
 *   requester (ISO 14229-1:2020 11.5.1).
 * - Once the request was answered positively the server never sends a negative response for it
 *   (11.5.1): a pDID whose data can no longer be read is dropped silently (logged).
 * - A send that rejects (the tester's connection is gone, the link closed) drops that pDID; a send
 *   still in progress when the next period is due skips that period instead of queueing (bounded).
 * - {@link bindPeriodicScheduler} stops it on the transitions of ISO 14229-1:2020 10.2.1: every pDID
 *   on the way to the default session and on reset; on a transition between other sessions those no
 *   longer readable in the new session and security state.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { TypedEmitter } from '../core/events.js';
import { hexByte } from '../core/hex.js';
import type { Logger } from '../core/logger.js';
import { periodicDidToDid } from '../uds/codec/0x2a-read-data-by-periodic-identifier.js';
import { encodePeriodicDataMessage, type PeriodicMessageType } from '../uds/codec/periodic-data-message.js';
import { securityGranted, sessionAllowed, type AccessState } from '../uds/server/service-table.js';
import type { PeriodicConfig } from './config-periodic.js';
import type { EcuConfig } from './config.js';
import type { DidStore } from './did-store.js';
import type { EcuEvents } from './ecu-events.js';
import { SESSION } from './session-manager.js';

/** The rate of a scheduled pDID (transmissionMode 01, 02, 03). */
export type PeriodicRate = 'slow' | 'medium' | 'fast';

/** Sends one periodic data message to the requester; rejects when it cannot (connection gone). */
export type PeriodicSend = (bytes: Uint8Array) => Promise<void>;

/** One scheduled pDID as seen from outside. */
export interface ScheduledPeriodicDid {
  /** The periodicDataIdentifier (DID 0xF200 | pDid). */
  readonly pDid: number;
  /** Its rate. */
  readonly rate: PeriodicRate;
  /** Its period in ms. */
  readonly periodMs: number;
}

/** Options of a {@link PeriodicScheduler}. */
export interface PeriodicSchedulerOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Rates and the limit of pDIDs scheduled at once (profile key `periodic`). */
  readonly config: PeriodicConfig;
  /** Reads the data record of DID `0xF200 | pDid` now; throwing drops the pDID. */
  readonly read: (pDid: number) => Uint8Array;
  /** Message format, default 1 (`6A pDID data`; see periodic-data-message.ts). */
  readonly messageType?: PeriodicMessageType;
}

interface Entry {
  readonly pDid: number;
  readonly rate: PeriodicRate;
  readonly periodMs: number;
  readonly send: PeriodicSend;
  timer: TimerHandle | undefined;
  inFlight: boolean;
}

/** Schedules and sends periodic data messages. */
export class PeriodicScheduler {
  private readonly entries = new Map<number, Entry>();
  private closed = false;

  constructor(private readonly o: PeriodicSchedulerOptions) {}

  /** The limit of pDIDs scheduled at once. */
  get maxScheduled(): number {
    return this.o.config.maxScheduled;
  }

  /** Number of pDIDs scheduled now. */
  get size(): number {
    return this.entries.size;
  }

  /** The scheduled pDIDs, ascending. */
  list(): ScheduledPeriodicDid[] {
    return [...this.entries.values()]
      .sort((a, b) => a.pDid - b.pDid)
      .map((e) => ({ pDid: e.pDid, rate: e.rate, periodMs: e.periodMs }));
  }

  /** True when `pDid` is scheduled. */
  has(pDid: number): boolean {
    return this.entries.has(pDid);
  }

  /** How many pDIDs would be scheduled after adding `pDids` (already scheduled ones are moved, not added). */
  countWith(pDids: Iterable<number>): number {
    const all = new Set(this.entries.keys());
    for (const p of pDids) all.add(p);
    return all.size;
  }

  /** The period of `rate` in ms. */
  periodOf(rate: PeriodicRate): number {
    const c = this.o.config;
    return rate === 'slow' ? c.slowMs : rate === 'medium' ? c.mediumMs : c.fastMs;
  }

  /**
   * Schedules `pDids` at `rate`, sent with `send`: the first message goes out now, the next ones every
   * period. A pDID already scheduled is moved to this rate and requester. The caller checks the limit
   * ({@link countWith}) first; the scheduler never exceeds it.
   */
  schedule(pDids: Iterable<number>, rate: PeriodicRate, send: PeriodicSend): void {
    if (this.closed) return;
    const periodMs = this.periodOf(rate);
    for (const pDid of new Set(pDids)) {
      this.remove(pDid);
      if (this.entries.size >= this.o.config.maxScheduled) {
        this.o.logger.warn(`periodic: limit of ${this.o.config.maxScheduled} scheduled pDIDs reached, pDID 0x${hexByte(pDid)} not scheduled`);
        continue;
      }
      const entry: Entry = { pDid, rate, periodMs, send, timer: undefined, inFlight: false };
      this.entries.set(pDid, entry);
      this.tick(entry);
    }
  }

  /** Stops `pDids` (those not scheduled are ignored), or every pDID when `pDids` is undefined. */
  stop(pDids?: Iterable<number>): void {
    const which = pDids === undefined ? [...this.entries.keys()] : pDids;
    for (const p of which) this.remove(p);
  }

  /** Keeps only the pDIDs for which `keep` is true. */
  retain(keep: (pDid: number) => boolean): void {
    for (const p of [...this.entries.keys()]) if (!keep(p)) this.remove(p);
  }

  /** Stops everything for good (ECU closed); later `schedule` calls do nothing. */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private remove(pDid: number): void {
    const e = this.entries.get(pDid);
    if (!e) return;
    this.o.clock.clearTimeout(e.timer);
    e.timer = undefined;
    this.entries.delete(pDid);
  }

  private tick(entry: Entry): void {
    if (this.entries.get(entry.pDid) !== entry) return;
    entry.timer = this.o.clock.setTimeout(() => this.tick(entry), entry.periodMs);
    // A send still in progress (slow link): skip this period rather than queue messages without bound.
    if (entry.inFlight) return;
    let data: Uint8Array;
    try {
      data = this.o.read(entry.pDid);
    } catch (e) {
      // ISO 14229-1:2020 11.5.1 — no negative response after the initial positive one: drop the pDID.
      this.o.logger.info(`periodic: pDID 0x${hexByte(entry.pDid)} is no longer readable, stopped`, { error: String(e) });
      this.remove(entry.pDid);
      return;
    }
    const bytes = encodePeriodicDataMessage({ periodicDataIdentifier: entry.pDid, data }, this.o.messageType ?? 1);
    entry.inFlight = true;
    let sent: Promise<void>;
    try {
      sent = entry.send(bytes);
    } catch (e) {
      sent = Promise.reject(e);
    }
    sent.then(
      () => {
        entry.inFlight = false;
      },
      (e: unknown) => {
        entry.inFlight = false;
        if (this.entries.get(entry.pDid) !== entry) return;
        this.o.logger.info(`periodic: the requester of pDID 0x${hexByte(entry.pDid)} is gone, stopped`, { error: String(e) });
        this.remove(entry.pDid);
      },
    );
  }
}

/**
 * Whether `pDid` can be read now: `unsupported` when DID 0xF200 | pDid does not exist or its read rule
 * excludes the active session, `security` when it needs a security level that is not unlocked.
 */
export function periodicDidReadable(dids: DidStore, access: AccessState, pDid: number): 'ok' | 'unsupported' | 'security' {
  const def = dids.get(periodicDidToDid(pDid));
  if (!def || (def.read && !sessionAllowed(def.read, access.session))) return 'unsupported';
  if (def.read && !securityGranted(def.read, access.securityLevel)) return 'security';
  return 'ok';
}

/** What {@link bindPeriodicScheduler} and {@link periodicSchedulerFor} need from the ECU model. */
export interface PeriodicEcuView {
  readonly config: EcuConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: TypedEmitter<EcuEvents>;
  readonly dids: DidStore;
  access(): AccessState;
}

/**
 * Applies the session side effects to `scheduler` (ISO 14229-1:2020 10.2.1 and spec/uds.md "Sessions and
 * timing"): a transition to the default session (S3 timeout included) and a reset stop every pDID; a
 * transition between non-default sessions (security is relocked by it) keeps only the pDIDs still readable.
 */
export function bindPeriodicScheduler(scheduler: PeriodicScheduler, ecu: PeriodicEcuView): void {
  ecu.events.on('session', ({ to }) => {
    if (to === SESSION.default) scheduler.stop();
    else scheduler.retain((p) => periodicDidReadable(ecu.dids, ecu.access(), p) === 'ok');
  });
  ecu.events.on('reset', () => scheduler.stop());
}

/**
 * Creates the scheduler of an ECU model: rates from its profile (`periodic`), data read through its DID
 * store (DID 0xF200 | pDid, as 0x22 would read it), bound to its session and reset events.
 */
export function periodicSchedulerFor(ecu: PeriodicEcuView): PeriodicScheduler {
  const scheduler = new PeriodicScheduler({
    clock: ecu.clock,
    logger: ecu.logger,
    config: ecu.config.periodic,
    read: (pDid) => ecu.dids.read(periodicDidToDid(pDid)),
  });
  bindPeriodicScheduler(scheduler, ecu);
  return scheduler;
}
