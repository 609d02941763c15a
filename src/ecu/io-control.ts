/**
 * InputOutputControlByIdentifier (0x2F) state, ISO 14229-1:2020 13.2: which DIDs (or which signals of a
 * DID) the tester controls and with which value. While a signal is controlled, every read of the DID
 * (0x22, 0x2A, a 0x2C source) sees the controlled bytes instead of the ECU's own, through an overlay of
 * the {@link DidStore}.
 *
 * Control ends with returnControlToECU (00), on a transition to the default session (S3 timeout
 * included) and on a reset (ISO 14229-1:2020 13.2.1 and 10.2.1: what a non-default session activated
 * ends when the default session is entered; a reset restarts the ECU with its own outputs).
 */
import { hexNum } from '../core/hex.js';
import { IoControlParameter } from '../uds/codec/0x2f-input-output-control-by-identifier.js';
import type { AccessRule } from '../uds/server/service-table.js';
import type { DidStore } from './did-store.js';
import type { EcuRuntime } from './ecu-runtime.js';
import { SESSION } from './session-manager.js';
import type { VehicleState } from './vehicle-state.js';

/** Vehicle conditions an IO control needs; a failed one is answered 0x22. */
export interface IoControlConditions {
  /** The engine must be off. */
  readonly engineOff?: boolean;
  /** The vehicle must stand still. */
  readonly vehicleStopped?: boolean;
  /** The ignition must be on. */
  readonly ignitionOn?: boolean;
}

/** The IO control rules of a DID (profile `ioControl`). `sessions` / `securityLevels` say where 0x2F may control it. */
export interface IoControlDefinition extends AccessRule {
  /** Allowed inputOutputControlParameter values (00..03); others answer 0x31. */
  readonly parameters: readonly number[];
  /** Value of resetToDefault (01); default: the DID's value when the ECU started. */
  readonly default?: Uint8Array;
  /**
   * Byte lengths of the DID's signals, in record order. With it the request carries a controlEnableMask
   * of one bit per signal (bit 7 of the first byte = first signal) and only the masked signals change.
   */
  readonly signals?: readonly number[];
  /** Vehicle conditions (0x22 when not met). */
  readonly conditions?: IoControlConditions;
}

/** Bytes of controlEnableMask a DID takes: one bit per signal, none without `signals`. */
export function maskLengthOf(io: IoControlDefinition): number {
  return io.signals ? Math.ceil(io.signals.length / 8) : 0;
}

/** Why `vehicle` does not allow the IO control, or undefined. */
export function ioConditionProblem(conditions: IoControlConditions | undefined, vehicle: VehicleState): string | undefined {
  if (!conditions) return undefined;
  if (conditions.engineOff && vehicle.engineRunning) return 'the engine is running';
  if (conditions.vehicleStopped && vehicle.speedKmh !== 0) return `the vehicle moves (${vehicle.speedKmh} km/h)`;
  if (conditions.ignitionOn && !vehicle.ignition) return 'the ignition is off';
  return undefined;
}

/** A request to apply, already checked by the 0x2F handler. */
export interface IoControlRequest {
  /** The DID. */
  readonly did: number;
  /** 00 returnControlToECU, 01 resetToDefault, 02 freezeCurrentState, 03 shortTermAdjustment. */
  readonly parameter: number;
  /** controlState of shortTermAdjustment: the whole record (only masked signals are taken). */
  readonly state?: Uint8Array;
  /** controlEnableMask; absent or empty = every signal. */
  readonly mask?: Uint8Array;
}

/** The IO controls in force on one ECU. */
export class IoControl {
  /** Per controlled DID: per signal the bytes the tester holds, or undefined where the ECU is in control. */
  private readonly held = new Map<number, (Uint8Array | undefined)[]>();
  private readonly startValues = new Map<number, Uint8Array>();

  constructor(private readonly dids: DidStore) {
    for (const id of dids.ids()) if (dids.get(id)?.ioControl) this.startValues.set(id, dids.ecuValue(id));
    dids.addOverlay((id, value) => this.overlay(id, value));
  }

  /** True while the tester controls at least one signal of `did`. */
  isControlled(did: number): boolean {
    return this.held.has(did);
  }

  /** The DIDs under control, ascending. */
  controlledDids(): number[] {
    return [...this.held.keys()].sort((a, b) => a - b);
  }

  /**
   * Applies a checked request and returns the DID's value now (the controlState of the response):
   * 00 gives the masked signals back to the ECU, 01 holds them at the default value, 02 at their value
   * now, 03 at the request's controlState.
   */
  apply(req: IoControlRequest): Uint8Array {
    const def = this.dids.get(req.did);
    const io = def?.ioControl;
    if (!io) throw new Error(`DID ${hexNum(req.did)} has no ioControl`);
    const current = this.dids.read(req.did);
    const signals = this.signalSpans(io, current.length);
    const held = this.held.get(req.did) ?? signals.map(() => undefined);
    const source =
      req.parameter === IoControlParameter.resetToDefault
        ? this.defaultValue(req.did, io, current.length)
        : req.parameter === IoControlParameter.freezeCurrentState
          ? current
          : req.state;
    signals.forEach(([start, end], i) => {
      if (!bitSet(req.mask, i)) return;
      held[i] = req.parameter === IoControlParameter.returnControlToECU || !source ? undefined : source.slice(start, end);
    });
    if (held.every((h) => h === undefined)) this.held.delete(req.did);
    else this.held.set(req.did, held);
    return this.dids.read(req.did);
  }

  /** Gives every controlled DID back to the ECU. */
  returnAll(): void {
    this.held.clear();
  }

  private overlay(id: number, value: Uint8Array): Uint8Array {
    const held = this.held.get(id);
    const io = held && this.dids.get(id)?.ioControl;
    if (!held || !io) return value;
    const out = value.slice();
    this.signalSpans(io, value.length).forEach(([start], i) => {
      const h = held[i];
      if (h) out.set(h.subarray(0, Math.max(0, Math.min(h.length, out.length - start))), start);
    });
    return out;
  }

  /** [start, end) of each signal; one signal covering the record when the DID has no `signals`. */
  private signalSpans(io: IoControlDefinition, length: number): [number, number][] {
    const spans: [number, number][] = [];
    let at = 0;
    for (const n of io.signals ?? [length]) {
      spans.push([at, at + n]);
      at += n;
    }
    return spans;
  }

  private defaultValue(did: number, io: IoControlDefinition, length: number): Uint8Array {
    const v = io.default ?? this.startValues.get(did);
    if (v) return v;
    // A DID defined after the ECU started: its value when first controlled becomes its default.
    const now = this.dids.ecuValue(did);
    this.startValues.set(did, now);
    return now.length === length ? now : now.slice(0, length);
  }
}

/** True when bit `i` (bit 7 of byte 0 = signal 0) of `mask` is set; an absent or empty mask selects all. */
function bitSet(mask: Uint8Array | undefined, i: number): boolean {
  if (!mask || mask.length === 0) return true;
  return (((mask[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1;
}

/**
 * The {@link IoControl} of `ecu`, subscribed to its events: every control ends on a transition to the
 * default session and on a reset (ISO 14229-1:2020 13.2.1, 10.2.1).
 */
export function ioControlFor(ecu: Pick<EcuRuntime, 'dids' | 'events'>): IoControl {
  const io = new IoControl(ecu.dids);
  ecu.events.on('session', ({ to }) => {
    if (to === SESSION.default) io.returnAll();
  });
  ecu.events.on('reset', () => io.returnAll());
  return io;
}
