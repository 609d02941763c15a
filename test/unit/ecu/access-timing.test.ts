/** AccessTimingParameter (0x83) in the simulated ECU: read, set, defaults, limits, reset on every session transition. */
import { describe, expect, it } from 'vitest';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { harness } from './helpers.js';

describe('0x83 AccessTimingParameter (ECU)', () => {
  it('reads the extended set and the active values (P2 in 1 ms, P2* in 10 ms)', async () => {
    const h = harness({ accessTiming: { extendedP2ServerMs: 300, extendedP2StarServerMs: 8000 } });
    await h.req('10 03');
    expect(await h.req('83 01')).toEqual(['C3 01 01 2C 03 20']);
    expect(await h.req('83 03')).toEqual(['C3 03 00 32 01 F4']);
  });

  it('sets given values after the response; 0x10 responses and the 0x78 schedule follow; 83 02 restores', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('83 04 00 C8 03 E8')).toEqual(['C3 04']);
    expect(h.ecu.state.timing).toEqual({ p2ServerMs: 200, p2StarServerMs: 10000 });
    expect(await h.req('83 03')).toEqual(['C3 03 00 C8 03 E8']);
    expect(await h.req('83 82')).toEqual([]);
    expect(h.ecu.state.timing).toEqual({ p2ServerMs: 50, p2StarServerMs: 5000 });
  });

  it('uses the set P2 for NRC 0x78 (the dispatcher reads the active timing)', async () => {
    const h = harness({ memory: [{ name: 'flash', start: 0, size: 0x10000, sectorSize: 0x1000, eraseTimePerSectorMs: 100 }] });
    await h.req('10 02');
    await h.unlock(0x01);
    // With the default P2 (50 ms) the 100 ms erase answers 0x78 first.
    const before = await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00', { advanceMs: 200 });
    expect(before[0]).toBe('7F 31 78');
    expect(await h.req('83 04 01 F4 03 E8')).toEqual(['C3 04']);
    // Erasing one sector takes 100 ms < P2 500 ms: no 0x78 any more.
    const got = await h.req('31 01 FF 00 44 00 00 00 00 00 00 20 00', { advanceMs: 200 });
    expect(got.some((m) => m === '7F 31 78')).toBe(false);
    expect(got[0]).toMatch(/^71 01 FF 00/);
  });

  it('returns to the defaults on every session transition, the same session included, and on reset', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('83 04 00 64 01 F4');
    expect(h.ecu.state.timing.p2ServerMs).toBe(100);
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect(h.ecu.state.timing).toEqual({ p2ServerMs: 50, p2StarServerMs: 5000 });
    await h.req('83 04 00 64 01 F4');
    await h.req('11 01');
    expect(h.ecu.state.timing).toEqual({ p2ServerMs: 50, p2StarServerMs: 5000 });
  });

  it('answers the NRCs of ISO 14229-1:2013 9.7.4', async () => {
    const h = harness({ accessTiming: { minP2ServerMs: 20, extendedP2ServerMs: 500, minP2StarServerMs: 1000, extendedP2StarServerMs: 10000 } });
    expect(await h.req('83 03')).toEqual(['7F 83 7F']);
    await h.req('10 03');
    expect(await h.req('83 05')).toEqual(['7F 83 12']);
    expect(await h.req('83 04')).toEqual(['7F 83 13']);
    expect(await h.req('83 03 00')).toEqual(['7F 83 13']);
    expect(await h.req('83 04 00 32 01')).toEqual(['7F 83 13']);
    // Outside the limits: P2 too small / too large, P2* too large, P2 > P2*.
    expect(await h.req('83 04 00 0A 01 F4')).toEqual(['7F 83 31']);
    expect(await h.req('83 04 01 F5 03 E8')).toEqual(['7F 83 31']);
    expect(await h.req('83 04 00 32 03 E9')).toEqual(['7F 83 31']);
    expect(h.ecu.state.timing).toEqual({ p2ServerMs: 50, p2StarServerMs: 5000 });
    // P2 above P2* -> 0x31.
    const low = harness({ accessTiming: { minP2StarServerMs: 100 } });
    await low.req('10 03');
    expect(await low.req('83 04 01 F4 00 14')).toEqual(['7F 83 31']);
    expect(await low.req('83 04 00 C8 00 14')).toEqual(['C3 04']);
  });

  it('validates the profile section', () => {
    expect(() => parseEcuConfig({ address: 0x1010, accessTiming: { minP2ServerMs: 600 } })).toThrow(ConfigError);
    expect(() => parseEcuConfig({ address: 0x1010, accessTiming: { extendedP2StarServerMs: 700_000 } })).toThrow(/extendedP2StarServerMs/);
    expect(parseEcuConfig({ address: 0x1010 }).accessTiming).toEqual({
      extendedP2ServerMs: 500,
      extendedP2StarServerMs: 10000,
      minP2ServerMs: 10,
      minP2StarServerMs: 500,
    });
  });
});
