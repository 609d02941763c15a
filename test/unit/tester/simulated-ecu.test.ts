/**
 * The tester against the real simulated ECU (src/ecu) over the in-memory bus, on a FakeClock: the
 * seed-000 sequence with a real flash model (erase time answered with 0x78, counter wrap, CRC in 77,
 * checkMemory, reset, read back).
 */
import { describe, it, expect } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { MemoryBus } from '../../../src/core/memory-link.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { UdsClient } from '../../../src/uds/client/uds-client.js';
import { NegativeResponseError } from '../../../src/uds/client/errors.js';
import { Tester } from '../../../src/tester/tester.js';
import { TransferStepError } from '../../../src/tester/errors.js';
import { track } from '../uds/client/helpers.js';

/** Runs `p` while moving fake time forward 1 ms at a time (bounded), so ECU timers fire. */
async function drive<T>(clock: FakeClock, p: Promise<T>, maxMs = 60_000): Promise<T> {
  const t = track(p);
  for (let ms = 0; ms < maxMs && !t.settled; ms++) await clock.advance(1);
  await t.done;
  if (!t.settled) throw new Error(`not done after ${maxMs} ms of fake time`);
  if (t.error !== undefined) throw t.error;
  return t.value as T;
}

function build(): { clock: FakeClock; ecu: SimulatedEcu; tester: Tester; client: UdsClient; pending: number[] } {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const ecu = new SimulatedEcu(
    {
      address: 0x1010,
      security: [{ level: 0x01, algorithm: 'doipsimu-pin', secret: '2345' }],
      // 0x22 = SID + counter + 32 data bytes; 0x3000 bytes need 384 blocks, so the counter wraps.
      transfer: { maxNumberOfBlockLength: 0x22 },
      memory: [{ name: 'flash', kind: 'flash', start: 0, size: 0x10000, sectorSize: 0x1000, eraseTimePerSectorMs: 100 }],
    },
    { clock },
  );
  ecu.attach(bus.attach(0x1010, { functionalAddresses: [0xe400] }));
  const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010, clock });
  const pending: number[] = [];
  client.events.on('responsePending', (p) => pending.push(p.sid));
  return { clock, ecu, tester: new Tester(client), client, pending };
}

describe('Tester against SimulatedEcu', () => {
  it('flashes 0x3000 bytes (counter wraps), checks, resets and reads them back', async () => {
    const { clock, ecu, tester, client, pending } = build();
    const image = Uint8Array.from({ length: 0x3000 }, (_, i) => (i * 31 + (i >> 9)) & 0xff);

    await drive(clock, tester.openSession(0x02));
    const u = await drive(clock, tester.unlock(0x01, { algorithm: 'doipsimu-pin', secret: '2345' }));
    expect(u.alreadyUnlocked).toBe(false);
    // 3 sectors x 100 ms > P2server 50 ms: the ECU answers 0x78 first.
    await drive(clock, tester.eraseMemory(0, 0x3000));
    expect(pending).toContain(0x31);

    const r = await drive(clock, tester.download(0, image));
    expect(r).toMatchObject({ bytes: 0x3000, blocks: 384, crcVerifiedByEcu: true, maxNumberOfBlockLength: 0x22 });
    expect(Buffer.from(ecu.memory.read(0, 0x3000)).equals(Buffer.from(image))).toBe(true);
    await drive(clock, tester.checkMemory(r.crc32));

    await drive(clock, tester.reset(0x01));
    await clock.advance(100); // resetDurationMs 50
    await drive(clock, tester.openSession(0x02));
    await drive(clock, tester.unlock(0x01, { algorithm: 'doipsimu-pin', secret: '2345' }));
    const back = await drive(clock, tester.upload(0x100, 1000)); // not a multiple of 32
    expect(back).toEqual(image.subarray(0x100, 0x100 + 1000));
    await drive(clock, tester.closeSession());
    expect(ecu.state).toMatchObject({ session: 0x01 });
    await client.close();
  });

  it('a download outside the memory map fails with NRC 0x31, naming the step', async () => {
    const { clock, tester, client } = build();
    await drive(clock, tester.openSession(0x02));
    await drive(clock, tester.unlock(0x01, { algorithm: 'doipsimu-pin', secret: '2345' }));
    const e = await drive(clock, tester.download(0x20000, new Uint8Array(64)).catch((x: unknown) => x));
    expect(e).toBeInstanceOf(TransferStepError);
    expect((e as TransferStepError).cause).toBeInstanceOf(NegativeResponseError);
    expect((e as Error).message).toMatch(/^download requestDownload at 0x00020000: RequestDownload \(0x34\) refused by ECU 0x1010: requestOutOfRange \(0x31\)/);
    await client.close();
  });
});
