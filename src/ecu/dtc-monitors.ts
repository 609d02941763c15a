/**
 * DTC monitors on the simulated vehicle state, and the vehicle-state values a snapshot (freeze frame)
 * can capture when the ECU has no DID of that number.
 */
import type { VehicleState } from './config.js';
import type { DtcMonitorConfig } from './config-dtcs.js';

/**
 * The result of a monitor for `v`: 'failed' when every condition it names holds, else 'passed';
 * undefined when the monitor does not run (ignition off: the ECU's monitors run while it is powered).
 */
export function evaluateMonitor(m: DtcMonitorConfig, v: VehicleState): 'failed' | 'passed' | undefined {
  if (!v.ignition) return undefined;
  const conditions: boolean[] = [];
  if (m.voltageBelow !== undefined) conditions.push(v.voltage < m.voltageBelow);
  if (m.voltageAbove !== undefined) conditions.push(v.voltage > m.voltageAbove);
  if (m.speedAbove !== undefined) conditions.push(v.speedKmh > m.speedAbove);
  if (m.engineRunning !== undefined) conditions.push(v.engineRunning === m.engineRunning);
  return conditions.length > 0 && conditions.every(Boolean) ? 'failed' : 'passed';
}

/**
 * DIDs computed from the vehicle state, used in snapshots when the ECU's DID store has no such DID.
 * ISO 14229-1:2020 Annex C.1 maps the ISO 15031-5 / SAE J1979 PIDs to DIDs 0xF400-0xF4FF:
 * - 0xF442 control module voltage (PID 0x42): 2 bytes, 0.001 V per bit
 * - 0xF40D vehicle speed (PID 0x0D): 1 byte, km/h
 */
export const VEHICLE_STATE_DIDS: ReadonlyMap<number, (v: VehicleState) => Uint8Array> = new Map([
  [
    0xf442,
    (v: VehicleState) => {
      const mv = Math.max(0, Math.min(0xffff, Math.round(v.voltage * 1000)));
      return Uint8Array.of(mv >> 8, mv & 0xff);
    },
  ],
  [0xf40d, (v: VehicleState) => Uint8Array.of(Math.max(0, Math.min(0xff, Math.round(v.speedKmh))))],
]);
