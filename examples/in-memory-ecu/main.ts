/**
 * Test your own diagnostic code against a simulated ECU without any socket: the in-memory bus carries
 * UDS messages between a UdsClient and a SimulatedEcu in the same process.
 *
 *   npx tsx examples/in-memory-ecu/main.ts
 */
import { pathToFileURL } from 'node:url';
import { MemoryBus, NegativeResponseError, SimulatedEcu, UdsClient } from '../../src/index.js';

/** Runs the example; returns the VIN read from the ECU. */
export async function main(log: (s: string) => void = console.log): Promise<string> {
  const bus = new MemoryBus();
  const ecu = new SimulatedEcu({ name: 'engine', address: 0x1010, identification: { vin: 'WUDSKIT0000000042' } });
  ecu.attach(bus.attach(0x1010, { functionalAddresses: [0xe400] }));
  const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010 });
  try {
    const [vin] = await client.readDataByIdentifier(0xf190);
    const text = Buffer.from(vin?.data ?? []).toString('ascii');
    log(`VIN ${text}`);
    try {
      await client.requestDownload({ address: 0, size: 16 });
    } catch (e) {
      if (e instanceof NegativeResponseError) log(`as expected: ${e.nrcName} (0x${e.nrc.toString(16)})`);
      else throw e;
    }
    return text;
  } finally {
    await client.close();
    ecu.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
