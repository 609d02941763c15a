import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { TimeoutError } from '../../../src/core/errors.js';
import { MemoryBus } from '../../../src/core/memory-link.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { UdsClient } from '../../../src/uds/client/uds-client.js';
import { waitForEcu } from '../../../src/tester/wait-for-ecu.js';

function setup(resetDurationMs: number): { clock: FakeClock; ecu: SimulatedEcu; client: UdsClient } {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const ecu = new SimulatedEcu({ address: 0x1010, resetDurationMs }, { clock });
  ecu.attach(bus.attach(0x1010));
  const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010, clock });
  return { clock, ecu, client };
}

describe('waitForEcu', () => {
  it('retries while the ECU restarts after 11 01 and resolves once it answers 3E 00', async () => {
    const { clock, ecu, client } = setup(600);
    await client.ecuReset(0x01);
    await clock.advance(1);
    expect(ecu.available).toBe(false);
    const waiting = waitForEcu(client, { clock });
    await clock.advance(2000);
    const failures = await waiting;
    expect(failures).toBeGreaterThan(0); // it really waited through the reset
    expect(ecu.available).toBe(true);
    ecu.close();
    await client.close();
  });

  it('gives up with a TimeoutError naming the ECU', async () => {
    const { clock, ecu, client } = setup(60_000);
    await client.ecuReset(0x01);
    const waiting = waitForEcu(client, { clock, timeoutMs: 1000 }).catch((e: unknown) => e);
    await clock.advance(3000);
    const e = await waiting;
    expect(e).toBeInstanceOf(TimeoutError);
    expect((e as Error).message).toMatch(/ECU 0x1010 did not come back within 1000 ms/);
    ecu.close();
    await client.close();
  });
});
