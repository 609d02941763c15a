/**
 * A custom RoutineControl (0x31) routine and a computed DID, both reading the simulated vehicle state:
 * routine 0x0301 "supply self-test" passes (status 00) between 11 and 15 V and fails (status 01 with the
 * measured voltage) otherwise; DID 0x0101 reports the supply voltage in units of 0.1 V.
 *
 *   npx tsx examples/custom-routine/main.ts
 */
import { pathToFileURL } from 'node:url';
import { MemoryBus, NRC, NrcError, SimulatedEcu, UdsClient, type EcuRuntime } from '../../src/index.js';

const SELF_TEST = 0x0301;
const SUPPLY_VOLTAGE_DID = 0x0101;

/** Supply voltage in 0.1 V as a big-endian u16. */
function decivolts(ecu: EcuRuntime): Uint8Array {
  const v = Math.round(ecu.vehicle.voltage * 10);
  return Uint8Array.of(v >> 8, v & 0xff);
}

/** Adds the routine and the DID to `ecu`. */
export function addSelfTest(ecu: SimulatedEcu): void {
  ecu.registerRoutine({
    id: SELF_TEST,
    name: 'supply self-test',
    sessions: [0x03], // extended session only: elsewhere 31 01 0301 gets 0x31
    start(model, optionRecord) {
      // ISO 14229-1:2020 14.2.4 — a malformed routineControlOptionRecord is 0x13.
      if (optionRecord.length !== 0) throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, 'the self-test takes no options');
      // The vehicle must stand still (ISO 14229-1 NRC 0x88 vehicleSpeedTooHigh).
      if (model.vehicle.speedKmh > 0) throw new NrcError(NRC.vehicleSpeedTooHigh, 'the vehicle is moving');
      const ok = model.vehicle.voltage >= 11 && model.vehicle.voltage <= 15;
      // routineStatusRecord: 00 passed / 01 failed, then the measured voltage.
      return Uint8Array.of(ok ? 0x00 : 0x01, ...decivolts(model));
    },
  });
  ecu.defineDid({ id: SUPPLY_VOLTAGE_DID, name: 'supply voltage (0.1 V)', value: () => decivolts(ecu.model) });
}

/** Runs the example; returns the routine status bytes at 12.5 V and at 9.5 V. */
export async function main(log: (s: string) => void = console.log): Promise<number[]> {
  const bus = new MemoryBus();
  const ecu = new SimulatedEcu({ name: 'engine', address: 0x1010 });
  addSelfTest(ecu);
  ecu.attach(bus.attach(0x1010));
  const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010 });
  const statuses: number[] = [];
  try {
    await client.diagnosticSessionControl(0x03);
    for (const voltage of [12.5, 9.5]) {
      ecu.setVehicleState({ voltage });
      const [did] = await client.readDataByIdentifier(SUPPLY_VOLTAGE_DID);
      const res = await client.routineControl(0x01, SELF_TEST);
      const status = res?.statusRecord[0] ?? -1;
      log(`${voltage} V: DID 0101 = ${Buffer.from(did?.data ?? []).toString('hex')}, self-test ${status === 0 ? 'passed' : 'failed'}`);
      statuses.push(status);
    }
    return statuses;
  } finally {
    await client.close();
    ecu.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((s) => (process.exitCode = s.join() === '0,1' ? 0 : 1));
}
