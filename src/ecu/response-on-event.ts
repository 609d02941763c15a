/**
 * ResponseOnEvent (0x86) inside the simulated ECU, ISO 14229-1:2020 10.9: the events a tester set up
 * (onDTCStatusChange with a DTCStatusMask, onChangeOfDataIdentifier with a DID), started or stopped, and
 * what happens when one fires: the ECU executes the event's serviceToRespondToRecord as if it had been
 * requested and sends the response to the tester as an unsolicited message (10.9.1).
 *
 * Rules udskit implements:
 * - 86 01 / 86 03 set an event up (replacing the same kind of event, for 03 the same DID); 86 05 starts
 *   every set-up event, 86 00 stops them (they stay set up), 86 06 clears them, 86 04 lists the started ones.
 * - onDTCStatusChange fires when a DTC's status changes in a bit of the mask (a change made by
 *   ClearDiagnosticInformation does not count, as in AUTOSAR Dcm); onChangeOfDataIdentifier fires when
 *   the DID's value differs from the value it had at the previous check (after every served request).
 *   Firings while an execution is still queued are merged into it (the response reports the state then).
 * - eventWindowTime: 02 infinite; 03/04/05 short/medium/long (vehicle-manufacturer durations, here
 *   {@link ROE_WINDOW_MS}); 06 until the next power cycle (reset); 07 until the ignition is switched off.
 *   When a finite window closes the event stops and the ECU sends the final positive response to the
 *   set-up request, with numberOfIdentifiedEvents = the events that occurred (10.9.1).
 * - storageState (bit 6): a doNotStoreEvent event stops when the ECU returns to the default session
 *   (10 01, S3 timeout) and is lost at a reset; a storeEvent event keeps running in the default session,
 *   survives a reset and, if it was started, starts again when the ECU is ready.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import { bytesEqual } from '../core/bytes.js';
import type { UdsMessage } from '../core/link.js';
import type { Logger } from '../core/logger.js';
import { EventWindowTime, responseOnEvent, type RoeActivatedEvent } from '../uds/codec/0x86-response-on-event.js';
import type { DtcStatusChange } from './dtc-store.js';

/** Durations of the short / medium / long event windows (03/04/05), in ms. Manufacturer specific in ISO. */
export const ROE_WINDOW_MS: Readonly<Record<number, number>> = {
  [EventWindowTime.shortEventWindowTime]: 10_000,
  [EventWindowTime.mediumEventWindowTime]: 60_000,
  [EventWindowTime.longEventWindowTime]: 300_000,
};

/** eventWindowTime values the simulated ECU supports. */
export const SUPPORTED_EVENT_WINDOWS: ReadonlySet<number> = new Set([0x02, 0x03, 0x04, 0x05, 0x06, 0x07]);

/** Executes a request inside the ECU (through its dispatcher) and returns the final response, if any. */
export type RoeExecutor = (request: Uint8Array, requester: UdsMessage) => Promise<Uint8Array | undefined>;

/** Who gets the event responses: the request that set up or started the events. */
export interface RoeRequester {
  /** The request as received (its source is the tester). */
  readonly message: UdsMessage;
  /** Sends an unsolicited message to that tester (`ctx.sendToRequester`). */
  readonly send: (data: Uint8Array) => Promise<void>;
}

/** The set-up of one event (86 01 or 86 03). */
export interface RoeEventSetup {
  readonly event: 0x01 | 0x03;
  readonly storeEvent: boolean;
  readonly eventWindowTime: number;
  /** DTCStatusMask (01). */
  readonly dtcStatusMask?: number;
  /** The DID watched (03). */
  readonly dataIdentifier?: number;
  readonly serviceToRespondTo: Uint8Array;
}

interface RoeEventState extends RoeEventSetup {
  started: boolean;
  identified: number;
  pending: boolean;
  lastValue: Uint8Array | undefined;
  requester: RoeRequester;
  window: TimerHandle | undefined;
}

/** Dependencies of a {@link ResponseOnEventManager}. */
export interface ResponseOnEventOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The current value of a DID, or undefined when the ECU has none. */
  readonly readDid: (did: number) => Uint8Array | undefined;
}

/** The ResponseOnEvent state of one ECU. */
export class ResponseOnEventManager {
  private readonly events: RoeEventState[] = [];
  private executor: RoeExecutor | undefined;

  constructor(private readonly options: ResponseOnEventOptions) {}

  /** Sets how serviceToRespondTo is executed (the SimulatedEcu wires its dispatcher here). */
  setExecutor(executor: RoeExecutor): void {
    this.executor = executor;
  }

  /** True when at least one event is set up. */
  get hasEvents(): boolean {
    return this.events.length > 0;
  }

  /** Number of set-up events. */
  get eventCount(): number {
    return this.events.length;
  }

  /** True when an event of this kind (and DID) is set up. */
  has(event: number, dataIdentifier?: number): boolean {
    return this.events.some((e) => e.event === event && e.dataIdentifier === dataIdentifier);
  }

  /** Sets up an event, replacing one of the same kind (and DID); it is not started. */
  setup(setup: RoeEventSetup, requester: RoeRequester): void {
    const same = this.events.findIndex((e) => e.event === setup.event && e.dataIdentifier === setup.dataIdentifier);
    // ISO 14229-1:2020 10.9.1 — a new set-up of the same event replaces the previous one.
    if (same >= 0) this.remove(same);
    this.events.push({
      ...setup,
      serviceToRespondTo: setup.serviceToRespondTo.slice(),
      started: false,
      identified: 0,
      pending: false,
      lastValue: undefined,
      requester,
      window: undefined,
    });
  }

  /** Starts every set-up event (86 05); the responses go to `requester`. Returns how many are set up. */
  start(requester: RoeRequester): number {
    for (const e of this.events) {
      e.requester = requester;
      if (e.started) continue;
      e.started = true;
      e.identified = 0;
      e.lastValue = e.dataIdentifier === undefined ? undefined : this.options.readDid(e.dataIdentifier);
      this.openWindow(e);
    }
    return this.events.length;
  }

  /** Stops every event (86 00); they stay set up. */
  stop(): void {
    for (const e of this.events) this.halt(e);
  }

  /** Stops and forgets every event (86 06). */
  clear(): void {
    while (this.events.length > 0) this.remove(this.events.length - 1);
  }

  /** The started events, as 86 04 reports them. */
  activated(): RoeActivatedEvent[] {
    return this.events
      .filter((e) => e.started)
      .map((e) => ({
        event: e.event,
        storeEvent: e.storeEvent,
        eventWindowTime: e.eventWindowTime,
        eventTypeRecord: e.event === 0x01 ? Uint8Array.of(e.dtcStatusMask ?? 0) : Uint8Array.of((e.dataIdentifier ?? 0) >> 8, (e.dataIdentifier ?? 0) & 0xff),
        serviceToRespondTo: e.serviceToRespondTo.slice(),
      }));
  }

  /** A DTC status changed: fires the started onDTCStatusChange events whose mask covers a changed bit. */
  onDtcChange(change: DtcStatusChange): void {
    if (change.reason === 'clear') return;
    for (const e of this.events) {
      if (e.started && e.event === 0x01 && ((change.from ^ change.to) & (e.dtcStatusMask ?? 0)) !== 0) this.fire(e);
    }
  }

  /** Compares each watched DID with its previous value and fires on a change. */
  checkDids(): void {
    for (const e of this.events) {
      if (!e.started || e.dataIdentifier === undefined) continue;
      const now = this.options.readDid(e.dataIdentifier);
      const before = e.lastValue;
      e.lastValue = now;
      if (now && before && !bytesEqual(now, before)) this.fire(e);
    }
  }

  /** The ECU changed session: doNotStoreEvent events stop on the way to the default session. */
  onSessionChange(to: number, defaultSession: number): void {
    if (to !== defaultSession) return;
    for (const e of this.events) if (!e.storeEvent) this.halt(e);
  }

  /** A reset (power cycle) began: doNotStoreEvent events are lost; windows 06 (power) end. */
  onReset(): void {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i] as RoeEventState;
      if (!e.storeEvent) this.remove(i);
      else {
        this.options.clock.clearTimeout(e.window);
        e.window = undefined;
        e.pending = false;
      }
    }
  }

  /** The ECU is ready after a reset: started stored events run again. */
  onReady(): void {
    for (const e of this.events) if (e.started) e.lastValue = e.dataIdentifier === undefined ? undefined : this.options.readDid(e.dataIdentifier);
  }

  /** The ignition state changed: an ignition window (07) closes when it goes off. */
  onIgnition(on: boolean): void {
    if (on) return;
    for (const e of this.events) if (e.started && e.eventWindowTime === EventWindowTime.ignitionWindowTime) this.closeWindow(e);
  }

  /** Stops every timer. */
  close(): void {
    for (const e of this.events) this.options.clock.clearTimeout(e.window);
  }

  private openWindow(e: RoeEventState): void {
    const ms = ROE_WINDOW_MS[e.eventWindowTime];
    if (ms !== undefined) e.window = this.options.clock.setTimeout(() => this.closeWindow(e), ms);
  }

  /** ISO 14229-1:2020 10.9.1 — at the end of the window: stop, then the final response with the count. */
  private closeWindow(e: RoeEventState): void {
    this.halt(e);
    const final = responseOnEvent.encodeResponse(
      e.event === 0x01
        ? { event: 0x01, storeEvent: e.storeEvent, numberOfIdentifiedEvents: e.identified, eventWindowTime: e.eventWindowTime, dtcStatusMask: e.dtcStatusMask ?? 0, serviceToRespondTo: e.serviceToRespondTo }
        : { event: 0x03, storeEvent: e.storeEvent, numberOfIdentifiedEvents: e.identified, eventWindowTime: e.eventWindowTime, dataIdentifier: e.dataIdentifier ?? 0, serviceToRespondTo: e.serviceToRespondTo },
    );
    this.deliver(e, final);
  }

  private halt(e: RoeEventState): void {
    e.started = false;
    this.options.clock.clearTimeout(e.window);
    e.window = undefined;
  }

  private remove(index: number): void {
    const [e] = this.events.splice(index, 1);
    if (e) this.halt(e);
  }

  private fire(e: RoeEventState): void {
    e.identified = Math.min(0xff, e.identified + 1);
    const run = this.executor;
    if (!run || e.pending) return;
    e.pending = true;
    void run(e.serviceToRespondTo, e.requester.message).then(
      (response) => {
        e.pending = false;
        if (response && e.started) this.deliver(e, response);
      },
      (error: unknown) => {
        e.pending = false;
        this.options.logger.warn('ResponseOnEvent: serviceToRespondTo failed', { error: String(error) });
      },
    );
  }

  private deliver(e: RoeEventState, data: Uint8Array): void {
    e.requester.send(data).catch((error: unknown) => {
      this.options.logger.warn('ResponseOnEvent: could not send to the tester', { error: String(error) });
    });
  }
}
