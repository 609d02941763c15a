/**
 * The STM32F103 bootloader profile flashed end to end over DoIP on 127.0.0.1 (docs/bootloader.md
 * "A worked sequence"): 10 03, 10 02 (the jump into the bootloader, 0x78 first), unlock, flash driver
 * into RAM + 0202, erase, 34/36/37, 0202, FF01, 11 01 -> the new application runs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/crc.js';
import { DoipClient } from '../../src/doip/client.js';
import { NegativeResponseError } from '../../src/uds/client/errors.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { secretFromConfig } from '../../src/uds/security/algorithms.js';
import { Tester } from '../../src/tester/tester.js';
import { waitForEcu } from '../../src/tester/wait-for-ecu.js';
import { vehicleForProfile } from '../../src/cli/profile-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';

const ECU = 0x0711;
const APP = 0x08008000;
const RAM = 0x20000000;
const PAGE = 0x800;
const UNLOCK = { algorithm: 'xor', secret: secretFromConfig({ hex: 'A5 5A C3 3C' }), keyLength: 4 };

let vehicle: Vehicle | undefined;
const closers: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of closers.splice(0)) await c().catch(() => {});
  await vehicle?.stop();
  vehicle = undefined;
});

describe('stm32f103-uds-boot over DoIP on 127.0.0.1', () => {
  it('flashes a new application through its bootloader and starts it', async () => {
    const config = await vehicleForProfile('stm32f103-uds-boot');
    // A jump longer than P2 (50 ms): the application answers 0x78 before the bootloader's 50 02.
    const ecus = config.ecus.map((e) => (e.bootloader ? { ...e, bootloader: { ...e.bootloader, jumpTimeMs: 80 } } : e));
    vehicle = await Vehicle.start({ ...config, ecus }, { port: 0, udpPort: null });
    const ecu = vehicle.ecu(ECU);
    if (!ecu) throw new Error('no ECU 0x0711');
    const doip = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress: 0x0e00 });
    const client = new UdsClient(doip, { target: ECU });
    closers.push(async () => {
      await client.close();
      await doip.close();
    });
    const tester = new Tester(client);
    const pending: number[] = [];
    ecu.events.on('response', (r) => {
      if (r.data[0] === 0x7f && r.data[2] === 0x78) pending.push(r.data[1] as number);
    });

    expect(ecu.bootState.mode).toBe('app');
    await tester.openSession(0x03);
    // In the application 34 does not exist (seed 004's APP service list).
    await expect(client.request(Uint8Array.of(0x34, 0x00, 0x44, 0x08, 0x00, 0x80, 0x00, 0x00, 0x00, 0x04, 0x00))).rejects.toMatchObject({ nrc: 0x11 });
    await tester.openSession(0x02);
    expect(pending).toEqual([0x10]);
    expect(ecu.bootState.mode).toBe('boot');
    await tester.unlock(0x01, UNLOCK);

    // Without the flash driver the bootloader refuses to erase.
    const refused = await tester.eraseMemory(APP, PAGE).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(NegativeResponseError);
    expect((refused as NegativeResponseError).nrc).toBe(0x22);

    const driver = Uint8Array.from({ length: 2048 }, (_, i) => (i * 7) & 0xff);
    await tester.download(RAM, driver);
    await tester.checkMemory(crc32(driver));
    expect(ecu.bootState.flashDriver).toBe('checked');

    const image = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 31 + 5) & 0xff);
    await tester.eraseMemory(APP, Math.ceil(image.length / PAGE) * PAGE);
    expect(ecu.bootState.appValid).toBe(false);
    const result = await tester.download(APP, image);
    expect(result.bytes).toBe(image.length);
    await tester.checkMemory(crc32(image));
    await tester.checkDependencies();
    expect(ecu.bootState).toMatchObject({ mode: 'boot', appValid: true });

    await tester.reset(0x01);
    await waitForEcu(client);
    expect(ecu.bootState).toMatchObject({ mode: 'app', appValid: true, flashDriver: 'absent' });
    expect(Buffer.from(ecu.memory.read(APP, image.length)).equals(Buffer.from(image))).toBe(true);
    // The application's service set again: 2E exists only in the bootloader.
    await expect(client.request(Uint8Array.of(0x2e, 0xf1, 0x5a, 0x01))).rejects.toMatchObject({ nrc: 0x11 });
  });
});
