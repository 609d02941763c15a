import { describe, it, expect } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { harness, programmingUnlocked, u32 } from './helpers.js';

describe('ECUReset (0x11)', () => {
  it('sends 51 01 first, is unavailable for resetDurationMs, then serves in the default session, locked', async () => {
    const h = harness({ transfer: { maxNumberOfBlockLength: 0x12 } });
    const log: string[] = [];
    h.ecu.events.on('response', (r) => log.push(`response ${toHex(r.data)}`));
    h.ecu.events.on('reset', (r) => log.push(`reset ${r.resetType}`));
    h.ecu.events.on('session', (s) => log.push(`session ${s.from}->${s.to} ${s.reason}`));
    h.ecu.events.on('security', (s) => log.push(`security ${String(s.level)}`));
    h.ecu.events.on('ready', () => log.push('ready'));
    await programmingUnlocked(h);
    h.ecu.memory.write(0x20000000, Uint8Array.of(1, 2, 3));
    await h.req(`34 00 44 ${u32(0x20000010)} ${u32(16)}`);
    log.length = 0;

    expect(await h.req('11 01')).toEqual(['51 01']);
    expect(log).toEqual(['response 51 01', 'reset 1', 'security null', 'session 2->1 reset']);
    expect(h.ecu.available).toBe(false);
    expect(h.ecu.state).toMatchObject({ session: 1, securityLevel: null, available: false });
    expect(h.ecu.state.transfer).toBeUndefined();
    expect(toHex(h.ecu.memory.read(0x20000000, 3))).toBe('00 00 00'); // RAM cleared
    // Requests during the reset get no answer.
    expect(await h.req('3E 00', { advanceMs: 49 })).toEqual([]);
    await h.advance(1);
    expect(log.at(-1)).toBe('ready');
    expect(h.ecu.available).toBe(true);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    expect(await h.req('22 F1 86')).toEqual(['62 F1 86 01']);
    h.ecu.close();
  });

  it('supports 01, 02, 03 (0x12 otherwise), SPRMIB, and a zero reset duration', async () => {
    const h = harness({ resetDurationMs: 0 });
    expect(await h.req('11 02')).toEqual(['51 02']);
    expect(await h.req('11 83')).toEqual([]);
    expect(h.ecu.available).toBe(true);
    expect(await h.req('11 04')).toEqual(['7F 11 12']);
    expect(await h.req('11 01 00')).toEqual(['7F 11 13']);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    h.ecu.close();
  });

  it('drops requests that were queued behind the reset', async () => {
    const h = harness();
    await h.tester.send({ target: 0x1010, data: Uint8Array.of(0x11, 0x01) });
    await h.tester.send({ target: 0x1010, data: Uint8Array.of(0x3e, 0x00) });
    await h.clock.advance(100);
    expect(h.received).toEqual(['51 01']);
    h.ecu.close();
  });

  it('keeps DIDs written before the reset (non-volatile)', async () => {
    const h = harness();
    await programmingUnlocked(h);
    expect(await h.req('2E F1 5A 01 02 03')).toEqual(['6E F1 5A']);
    await h.req('11 01', { advanceMs: 50 });
    expect(await h.req('22 F1 5A')).toEqual(['62 F1 5A 01 02 03']);
    h.ecu.close();
  });
});
