import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { sleep } from '../../../src/core/clock.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { hasSubFunction } from '../../../src/uds/codec/sid.js';
import { harness, programmingUnlocked } from './helpers.js';

describe('SimulatedEcu robustness', () => {
  it('answers 0x10 when a handler throws unexpectedly, reports a fault, and keeps serving', async () => {
    const h = harness();
    const faults: unknown[] = [];
    h.ecu.events.on('fault', (f) => faults.push(f.error));
    h.ecu.registerService(0x22, () => {
      throw new Error('handler bug');
    });
    expect(await h.req('22 F1 90')).toEqual(['7F 22 10']);
    expect(faults).toHaveLength(1);
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    h.ecu.close();
  });

  it('sends 0x78 for a slow custom handler and then its response; SPRMIB is overridden', async () => {
    const h = harness();
    h.ecu.registerService(
      0x31,
      async (ctx) => {
        await sleep(ctx.env.clock, 200);
        return Uint8Array.of(0x71, ctx.subFunction ?? 0, 0x12, 0x34);
      },
      { subFunctions: new Map([[0x01, {}]]) },
    );
    expect(await h.req('31 81 12 34', { advanceMs: 100 })).toEqual(['7F 31 78']);
    expect(await h.advance(100)).toEqual(['71 01 12 34']);
    h.ecu.close();
  });

  it('answers 0x11 for services it does not offer (physical) and nothing (functional)', async () => {
    const h = harness();
    // 0x84 SecuredDataTransmission is not offered by the default ECU (0x19 is, since the DTC services).
    expect(await h.req('84 00 01')).toEqual(['7F 84 11']);
    expect(await h.req('84 00 01', { functional: true })).toEqual([]);
    expect(await h.req('50 03')).toEqual(['7F 50 11']);
    h.ecu.close();
  });

  it('ignores requests to other addresses', async () => {
    const h = harness();
    await h.tester.send({ target: 0xe401, data: fromHex('3E 00'), addressing: 'functional' });
    await h.clock.advance(0);
    expect(h.received).toEqual([]);
    h.ecu.close();
  });

  it('property: any request gets a positive response or 7F SID NRC, never silence without reason, never a fault', async () => {
    const sids = [0x10, 0x11, 0x22, 0x27, 0x28, 0x2e, 0x31, 0x34, 0x35, 0x36, 0x37, 0x3e, 0x85];
    const request = fc
      .tuple(fc.oneof(fc.constantFrom(...sids), fc.integer({ min: 0, max: 255 })), fc.uint8Array({ minLength: 0, maxLength: 16 }))
      .map(([sid, rest]) => Uint8Array.of(sid, ...rest));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('default', 'extended', 'programming'),
        fc.array(fc.tuple(request, fc.boolean()), { minLength: 1, maxLength: 8 }),
        async (prelude, requests) => {
          const h = harness({ resetDurationMs: 0, transfer: { maxNumberOfBlockLength: 0x12 } });
          const faults: unknown[] = [];
          h.ecu.events.on('fault', (f) => faults.push(f.error));
          if (prelude === 'extended') await h.req('10 03');
          if (prelude === 'programming') await programmingUnlocked(h);
          for (const [data, functional] of requests) {
            const sid = data[0] as number;
            const responses = await h.req(toHex(data), { functional });
            const final = responses.at(-1);
            for (const r of responses.slice(0, -1)) expect(r).toBe(`7F ${toHex([sid])} 78`);
            if (final === undefined) {
              const sprmib = hasSubFunction(sid) && data.length >= 2 && ((data[1] as number) & 0x80) !== 0;
              expect(functional || sprmib, `silence for ${toHex(data)}`).toBe(true);
              continue;
            }
            const bytes = fromHex(final);
            if (bytes[0] === 0x7f) {
              expect(bytes.length).toBe(3);
              expect(bytes[1]).toBe(sid);
              expect(bytes[2]).not.toBe(0x78);
            } else {
              expect(bytes[0]).toBe((sid + 0x40) & 0xff);
            }
          }
          expect(faults).toEqual([]);
          h.ecu.close();
        },
      ),
      { numRuns: 300 },
    );
  });
});
