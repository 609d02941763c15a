/**
 * Wires the DTC store and ResponseOnEvent to the ECU model: which DIDs a snapshot can capture, when the
 * monitors run (power-on, every served request, every vehicle-state change, after a reset), when an
 * operation cycle starts (power-on, reset, ignition off -> on), and the session / reset side effects of
 * ResponseOnEvent (ISO 14229-1:2020 10.9.1).
 */
import type { Clock } from '../core/clock.js';
import type { TypedEmitter } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { EcuConfig, VehicleState } from './config.js';
import type { DidStore } from './did-store.js';
import { VEHICLE_STATE_DIDS } from './dtc-monitors.js';
import { DtcStore } from './dtc-store.js';
import type { EcuEvents } from './ecu-events.js';
import { ResponseOnEventManager } from './response-on-event.js';
import { SESSION } from './session-manager.js';

/** What the DTC store and ResponseOnEvent need from the ECU model (live values: read at each use). */
export interface DtcEcuView {
  readonly config: EcuConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: TypedEmitter<EcuEvents>;
  readonly dids: DidStore;
  readonly vehicle: VehicleState;
  readonly dtcSettingOn: boolean;
}

/** The value of a DID the ECU's DID store has, or undefined (never throws). */
function didValue(dids: DidStore, did: number): Uint8Array | undefined {
  if (!dids.get(did)) return undefined;
  try {
    return dids.read(did);
  } catch {
    return undefined;
  }
}

/**
 * Creates the DTC store of an ECU model from its profile (`dtcs`): snapshots read the DID store, or the
 * vehicle-state DIDs (F442 voltage, F40D speed) when the ECU has no such DID; every status change is
 * emitted as the ECU's `dtc` event; the monitors run after every served request (which also re-checks
 * them once 85 01 switches DTC setting back on) and, after a reset, in the new operation cycle.
 */
export function dtcStoreFor(ecu: DtcEcuView): DtcStore {
  const store = new DtcStore({
    config: ecu.config.dtcs,
    vehicle: () => ecu.vehicle,
    settingOn: () => ecu.dtcSettingOn,
    readDid: (did) => didValue(ecu.dids, did) ?? VEHICLE_STATE_DIDS.get(did)?.(ecu.vehicle),
    onChange: (change) => ecu.events.emit('dtc', change),
    logger: ecu.logger,
  });
  ecu.events.on('response', () => store.evaluateMonitors());
  // The reset is a power cycle: a new operation cycle starts once the ECU runs again.
  ecu.events.on('ready', () => {
    store.startOperationCycle();
    store.evaluateMonitors();
  });
  return store;
}

/**
 * Creates the ResponseOnEvent state of an ECU model: fires on the ECU's `dtc` events and on DID changes
 * seen after every served request; applies the session and reset rules of `response-on-event.ts`.
 */
export function responseOnEventFor(ecu: DtcEcuView): ResponseOnEventManager {
  const roe = new ResponseOnEventManager({ clock: ecu.clock, logger: ecu.logger, readDid: (did) => didValue(ecu.dids, did) });
  ecu.events.on('dtc', (change) => roe.onDtcChange(change));
  ecu.events.on('response', () => roe.checkDids());
  ecu.events.on('session', ({ to }) => roe.onSessionChange(to, SESSION.default));
  ecu.events.on('reset', () => roe.onReset());
  ecu.events.on('ready', () => roe.onReady());
  return roe;
}

/**
 * Applies a change of the simulated vehicle state from `before` to the model's current one: ignition
 * off -> on starts an operation cycle, the monitors run, an ignition event window (07) closes at ignition off.
 */
export function vehicleStateChanged(ecu: DtcEcuView & { readonly dtcs: DtcStore; readonly roe: ResponseOnEventManager }, before: VehicleState): void {
  const now = ecu.vehicle;
  if (!before.ignition && now.ignition) ecu.dtcs.startOperationCycle();
  ecu.dtcs.evaluateMonitors();
  if (before.ignition !== now.ignition) ecu.roe.onIgnition(now.ignition);
  ecu.roe.checkDids();
}
