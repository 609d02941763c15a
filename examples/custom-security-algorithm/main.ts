/**
 * A custom seed/key algorithm loaded from a module: the vehicle file registers ./algorithm.mjs under
 * the name "acme-rotate-xor", the simulated ECU checks keys with it, and the tester computes them with it.
 *
 *   npx tsx examples/custom-security-algorithm/main.ts
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DoipClient, NegativeResponseError, Tester, UdsClient, Vehicle, loadVehicleFile } from '../../src/index.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the example; returns the security level unlocked. */
export async function main(log: (s: string) => void = console.log): Promise<number | null> {
  const config = await loadVehicleFile(join(here, 'vehicle.yaml'));
  const vehicle = await Vehicle.start(config, { port: 0, udpPort: null }); // any free port, no UDP
  const doip = await DoipClient.connect({ port: vehicle.tcpPort, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target: 0x1020 });
  const tester = new Tester(client);
  const secret = Uint8Array.of(0xc0, 0xff, 0xee, 0x42);
  try {
    await tester.openSession(0x03);
    // A wrong secret gives a wrong key: the ECU answers 0x35 invalidKey.
    try {
      await tester.unlock(0x03, { algorithm: 'acme-rotate-xor', secret: Uint8Array.of(1, 2, 3, 4) });
    } catch (e) {
      if (!(e instanceof NegativeResponseError)) throw e;
      log(`wrong secret: ${e.nrcName} (0x${e.nrc.toString(16)})`);
    }
    await tester.unlock(0x03, { algorithm: 'acme-rotate-xor', secret });
    const level = vehicle.ecu(0x1020)?.state.securityLevel ?? null;
    log(`unlocked level ${level} with acme-rotate-xor`);
    await tester.closeSession();
    return level;
  } finally {
    await client.close();
    await doip.close();
    await vehicle.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((level) => (process.exitCode = level === 3 ? 0 : 1));
}
