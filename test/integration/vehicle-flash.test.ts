/**
 * The whole stack over real sockets on 127.0.0.1: the default vehicle (DoIP entity + two simulated ECUs),
 * two testers flashing two ECUs at once, and bad input from a third tester that must not disturb them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DoipClient } from '../../src/doip/client.js';
import { DiagnosticNackError } from '../../src/doip/errors.js';
import { NegativeResponseError } from '../../src/uds/client/errors.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { secretFromConfig } from '../../src/uds/security/algorithms.js';
import { Tester } from '../../src/tester/tester.js';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { flashAndReadBack, testFirmware } from '../../src/cli/demo-scenario.js';

let vehicle: Vehicle | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => {});
  await vehicle?.stop();
  vehicle = undefined;
});

async function connect(testerAddress: number, target: number): Promise<{ doip: DoipClient; client: UdsClient; tester: Tester }> {
  if (!vehicle) throw new Error('no vehicle');
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress });
  const client = new UdsClient(doip, { target });
  closers.push(async () => {
    await client.close();
    await doip.close();
  });
  return { doip, client, tester: new Tester(client) };
}

const engine = { ecu: 0x1010, address: 0x00000000, sector: 0x10000, level: 1, algorithm: 'shift-mul-xor', secret: secretFromConfig(0x464c4147), keyLength: 4 };
const body = { ecu: 0x1020, address: 0x08000000, sector: 0x800, level: 1, algorithm: 'xor', secret: secretFromConfig({ hex: 'A5 5A C3 3C' }), keyLength: 4 };

describe('default vehicle over DoIP on 127.0.0.1', () => {
  it('two testers flash and read back two ECUs at the same time', async () => {
    vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
    const a = await connect(0x0e00, engine.ecu);
    const b = await connect(0x0e01, body.ecu);
    const fwA = testFirmware(200_000, 1);
    const fwB = testFirmware(100_000, 2);
    const [ra, rb] = await Promise.all([
      flashAndReadBack(a.tester, { ...engine, data: fwA, eraseSize: Math.ceil(fwA.length / engine.sector) * engine.sector, securityLevel: engine.level }),
      flashAndReadBack(b.tester, { ...body, data: fwB, eraseSize: Math.ceil(fwB.length / body.sector) * body.sector, securityLevel: body.level }),
    ]);
    expect(ra.verified).toBe(true);
    expect(rb.verified).toBe(true);
    expect(ra.bytes).toBe(200_000);
    expect(rb.bytes).toBe(100_000);
    // What was flashed is really in the ECUs' memory.
    expect(Buffer.from(vehicle.ecu(0x1010)!.memory.read(0, 200_000)).equals(Buffer.from(fwA))).toBe(true);
    expect(Buffer.from(vehicle.ecu(0x1020)!.memory.read(0x08000000, 100_000)).equals(Buffer.from(fwB))).toBe(true);
  });

  it('answers bad UDS and DoIP input with the right code while another tester keeps flashing', async () => {
    vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
    const good = await connect(0x0e00, engine.ecu);
    const bad = await connect(0x0e02, engine.ecu);
    const fw = testFirmware(300_000, 3);
    const flashing = flashAndReadBack(good.tester, { ...engine, data: fw, eraseSize: 5 * engine.sector, securityLevel: 1 });

    // Truncated ReadDataByIdentifier -> 7F 22 13 (ISO 14229-1 order of checks, step 4).
    await expect(bad.client.request(Uint8Array.of(0x22, 0xf1))).rejects.toMatchObject({ nrc: 0x13, sid: 0x22 });
    // Unknown service -> 7F AA 11 inside a diagnostic message, not a DoIP NACK.
    const unknown = await bad.client.request(Uint8Array.of(0xaa, 0x01)).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NegativeResponseError);
    expect((unknown as NegativeResponseError).message).toMatch(/serviceNotSupported/);
    // Unknown target address -> DoIP diagnostic NACK 03.
    const nack = await bad.doip.send({ target: 0x7777, data: Uint8Array.of(0x3e, 0x00) }).catch((e: unknown) => e);
    expect(nack).toBeInstanceOf(DiagnosticNackError);
    expect((nack as DiagnosticNackError).nackCode).toBe(0x03);

    const r = await flashing;
    expect(r.verified).toBe(true);
  });
});
