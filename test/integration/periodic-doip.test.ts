/**
 * ReadDataByPeriodicIdentifier over real DoIP on 127.0.0.1: a tester schedules two periodic DIDs at the fast
 * rate and receives them as ECU-initiated 0x8001 diagnostic messages (ISO 13400-2:2019 7.8, source = ECU,
 * target = tester) while its normal requests keep being answered; a second tester gets none of them; the
 * tester stops them. No fixed sleeps: every wait is on events, bounded by a timeout.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DoipClient } from '../../src/doip/client.js';
import { fromHex } from '../../src/core/hex.js';
import type { PeriodicData } from '../../src/uds/client/services/periodic.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import type { VehicleConfigInput } from '../../src/vehicle/config.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';

let vehicle: Vehicle | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => {});
  await vehicle?.stop();
  vehicle = undefined;
});

/** The default vehicle whose engine ECU (0x1010) has periodic DIDs F201 / F202 and a 20 ms fast rate. */
function vehicleWithPeriodicDids(): VehicleConfigInput {
  const [engine, ...rest] = defaultVehicle.ecus;
  return {
    ...defaultVehicle,
    ecus: [
      {
        ...engine,
        address: 0x1010,
        periodic: { fastMs: 20 },
        dids: [
          { id: 0xf201, value: { hex: '0B B8' } },
          { id: 0xf202, value: { hex: '2A' } },
        ],
      },
      ...rest,
    ],
  };
}

async function connect(testerAddress: number): Promise<UdsClient> {
  if (!vehicle) throw new Error('no vehicle');
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress });
  const client = new UdsClient(doip, { target: 0x1010 });
  closers.push(async () => {
    await client.close();
    await doip.close();
  });
  return client;
}

/** Resolves when `done()` holds, checked on each periodic message; rejects after `timeoutMs` (a bound, not a sleep). */
function waitForPeriodic(client: UdsClient, done: () => boolean, timeoutMs = 3000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (done()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`periodic data did not arrive within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = client.onPeriodicData(() => {
      if (!done()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

describe('periodic data over DoIP on 127.0.0.1', () => {
  it('two pDIDs at the fast rate arrive while normal requests are answered, only at the requesting tester, until stopped', async () => {
    vehicle = await Vehicle.start(vehicleWithPeriodicDids(), { port: 0, udpPort: null });
    const tester = await connect(0x0e00);
    const bystander = await connect(0x0e01);
    const got: PeriodicData[] = [];
    const strayed: PeriodicData[] = [];
    tester.onPeriodicData((m) => got.push(m));
    bystander.onPeriodicData((m) => strayed.push(m));
    const count = (pDid: number): number => got.filter((m) => m.periodicDataIdentifier === pDid).length;

    await tester.diagnosticSessionControl(0x03);
    const arrived = waitForPeriodic(tester, () => count(0x01) >= 5 && count(0x02) >= 5);
    await tester.readDataByPeriodicIdentifier('fast', [0xf201, 0xf202]);

    // Normal requests in between: none of them is disturbed by the periodic messages.
    for (let i = 0; i < 10; i++) {
      const [vin] = await tester.readDataByIdentifier(0xf190);
      expect(vin?.did).toBe(0xf190);
      await tester.testerPresent();
    }
    await arrived;
    expect(got.find((m) => m.periodicDataIdentifier === 0x01)).toEqual({ source: 0x1010, periodicDataIdentifier: 0x01, did: 0xf201, data: fromHex('0B B8') });
    expect(got.find((m) => m.periodicDataIdentifier === 0x02)?.data).toEqual(fromHex('2A'));
    expect(vehicle.ecu(0x1010)?.state.periodic.map((p) => [p.pDid, p.periodMs])).toEqual([
      [0x01, 20],
      [0x02, 20],
    ]);

    await tester.stopPeriodicData();
    expect(vehicle.ecu(0x1010)?.state.periodic).toEqual([]);
    // A round trip after the stop: everything sent before it has arrived; nothing may follow.
    await tester.testerPresent();
    const settled = got.length;
    await tester.readDataByIdentifier(0xf190);
    await tester.testerPresent();
    expect(got.length).toBe(settled);
    expect(strayed).toEqual([]);
  });

  it('stops sending when the requesting tester disconnects', async () => {
    vehicle = await Vehicle.start(vehicleWithPeriodicDids(), { port: 0, udpPort: null });
    const doip = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress: 0x0e00 });
    const client = new UdsClient(doip, { target: 0x1010 });
    await client.diagnosticSessionControl(0x03);
    const got: PeriodicData[] = [];
    client.onPeriodicData((m) => got.push(m));
    const first = waitForPeriodic(client, () => got.length >= 2);
    await client.readDataByPeriodicIdentifier('fast', [0x01]);
    await first;
    await client.close();
    await doip.close();
    const ecu = vehicle.ecu(0x1010);
    if (!ecu) throw new Error('no engine ECU');
    // The next send finds no activated socket for 0x0E00 and drops the pDID: wait for that on the ECU.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('periodic DID still scheduled')), 3000);
      const check = (): void => {
        if (ecu.state.periodic.length === 0) {
          clearTimeout(timer);
          resolve();
        } else setImmediate(check);
      };
      check();
    });
    expect(ecu.state.periodic).toEqual([]);
  });
});
