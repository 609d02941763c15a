/**
 * Flash an ECU of the built-in vehicle over DoIP on 127.0.0.1 and read the firmware back.
 *
 *   npx tsx examples/flash-over-doip/main.ts
 */
import { pathToFileURL } from 'node:url';
import { DoipClient, Tester, UdsClient, Vehicle, defaultVehicle, secretFromConfig, waitForEcu } from '../../src/index.js';

/** Runs the example; returns whether the read-back equals what was flashed. */
export async function main(log: (s: string) => void = console.log): Promise<boolean> {
  const vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null }); // any free port, no UDP
  const doip = await DoipClient.connect({ port: vehicle.tcpPort, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target: 0x1010 });
  const tester = new Tester(client);
  const unlock = { algorithm: 'shift-mul-xor', secret: secretFromConfig(0x464c4147), keyLength: 4 };
  const firmware = new Uint8Array(0x20000).map((_, i) => (i * 7) & 0xff);
  try {
    await tester.openSession(0x02);
    await tester.unlock(0x01, unlock);
    await tester.eraseMemory(0x0, 0x20000);
    const result = await tester.download(0x0, firmware, {
      onProgress: (p) => {
        if (p.block === p.blocks) log(`downloaded ${p.bytesSent}/${p.totalBytes} bytes in ${p.blocks} blocks`);
      },
    });
    log(`ECU reported CRC32 ${result.crc32.toString(16)}`);
    await tester.reset(0x01);
    await waitForEcu(client); // the ECU restarts; the gateway answers NACK 06 meanwhile
    await tester.openSession(0x02); // a reset returns to the default session and relocks
    await tester.unlock(0x01, unlock);
    const back = await tester.upload(0x0, firmware.length);
    const same = Buffer.from(back).equals(Buffer.from(firmware));
    log(same ? 'read back: identical' : 'read back: DIFFERENT');
    await tester.closeSession();
    return same;
  } finally {
    await client.close();
    await doip.close();
    await vehicle.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((ok) => (process.exitCode = ok ? 0 : 1));
}
