import { describe, it, expect } from 'vitest';
import { harness } from './helpers.js';

// Seeds come from countingRandom(): 11 22 33 44, then 12 23 34 45, then 13 24 35 46 ...

describe('SecurityAccess (0x27)', () => {
  it('unlocks with shift-mul-xor (default level 01, 2-byte key) and answers a zero seed once unlocked', async () => {
    const h = harness();
    expect(await h.req('27 01')).toEqual(['7F 27 7F']); // not in the default session
    await h.req('10 03');
    expect(await h.req('27 01')).toEqual(['67 01 11 22 33 44']);
    // s = rotr(0x11223344, 5) * 7 ^ 0x464C4147 -> low 2 bytes 3A 71
    expect(await h.req('27 02 3A 71')).toEqual(['67 02']);
    expect(h.ecu.state.securityLevel).toBe(1);
    expect(await h.req('27 01')).toEqual(['67 01 00 00 00 00']);
    expect(await h.req('27 02 3A 71')).toEqual(['7F 27 24']); // no seed pending after the zero seed
    h.ecu.close();
  });

  it('unlocks with doipsimu-pin and xor, and a 4-byte shift-mul-xor key', async () => {
    const h = harness({
      security: [
        { level: 0x01, algorithm: 'shift-mul-xor', secret: '0x464C4147', keyLength: 4 },
        { level: 0x03, algorithm: 'doipsimu-pin', secret: '2345' },
        { level: 0x05, algorithm: 'xor', secret: { hex: 'AA55' } },
      ],
    });
    await h.req('10 03');
    expect(await h.req('27 01')).toEqual(['67 01 11 22 33 44']);
    expect(await h.req('27 02 37 F3 3A 71')).toEqual(['67 02']);
    await h.req('10 03'); // relock
    expect(await h.req('27 03')).toEqual(['67 03 12 23 34 45']);
    // key[i] = (seed[i] ^ (pin[i] + 32)) % 255 with pin "2345"
    expect(await h.req('27 04 40 70 60 10')).toEqual(['67 04']);
    expect(h.ecu.state.securityLevel).toBe(3);
    await h.req('10 03');
    expect(await h.req('27 05')).toEqual(['67 05 13 24 35 46']);
    expect(await h.req('27 06 B9 71 9F 13')).toEqual(['67 06']);
    expect(h.ecu.state.securityLevel).toBe(5);
    h.ecu.close();
  });

  it('locks out after 3 wrong keys (0x36), answers 0x37 during the 10 s delay, then allows one more attempt', async () => {
    const h = harness();
    await h.req('10 03');
    for (const expected of ['7F 27 35', '7F 27 35', '7F 27 36']) {
      expect((await h.req('27 01'))[0]).toMatch(/^67 01/);
      expect(await h.req('27 02 00 00')).toEqual([expected]);
      await h.req('3E 80');
    }
    expect(h.ecu.state.securityFailedAttempts).toBe(3);
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    expect(await h.req('27 02 00 00')).toEqual(['7F 27 24']);
    for (let i = 0; i < 4; i++) {
      await h.advance(2499);
      await h.req('3E 80'); // keep the session
    }
    expect(h.ecu.state.securityDelayRemainingMs).toBe(4);
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    await h.advance(4);
    // One more attempt: a wrong key starts the next delay at once.
    expect((await h.req('27 01'))[0]).toMatch(/^67 01/);
    expect(await h.req('27 02 00 00')).toEqual(['7F 27 36']);
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    await h.advance(4000);
    await h.req('3E 80');
    await h.advance(4000);
    await h.req('3E 80');
    await h.advance(2000);
    await h.unlock();
    expect(h.ecu.state.securityFailedAttempts).toBe(0);
    h.ecu.close();
  });

  it('needs a requestSeed of the same level before sendKey (0x24), one key per seed', async () => {
    const h = harness({ security: [{ level: 1 }, { level: 3, algorithm: 'xor', secret: 7 }] });
    await h.req('10 03');
    expect(await h.req('27 02 00 00')).toEqual(['7F 27 24']);
    await h.req('27 03');
    expect(await h.req('27 02 00 00')).toEqual(['7F 27 24']);
    await h.req('27 01');
    expect(await h.req('27 02 00 00')).toEqual(['7F 27 35']);
    expect(await h.req('27 02 00 00')).toEqual(['7F 27 24']);
    expect(await h.req('27 02')).toEqual(['7F 27 13']);
    expect(await h.req('27 07')).toEqual(['7F 27 12']);
    h.ecu.close();
  });

  it('applies per-level sessions (0x7E)', async () => {
    const h = harness({ security: [{ level: 1, sessions: [2] }, { level: 3, algorithm: 'xor', secret: 7, sessions: [3] }] });
    await h.req('10 03');
    expect(await h.req('27 01')).toEqual(['7F 27 7E']);
    expect((await h.req('27 03'))[0]).toMatch(/^67 03/);
    h.ecu.close();
  });

  it('relocks on every session transition, the same session included', async () => {
    const h = harness();
    const levels: (number | null)[] = [];
    h.ecu.events.on('security', (e) => levels.push(e.level));
    await h.req('10 03');
    await h.unlock();
    await h.req('10 03');
    expect(h.ecu.state.securityLevel).toBeNull();
    expect(await h.req('27 01')).toEqual(['67 01 12 23 34 45']);
    await h.req('27 02 F2 29');
    await h.req('10 02');
    expect(h.ecu.state.securityLevel).toBeNull();
    expect(levels).toEqual([1, null, 1, null]);
    h.ecu.close();
  });

  it('relocks on reset; the counter and a running delay survive it by default', async () => {
    const h = harness();
    await h.req('10 03');
    await h.unlock();
    expect(await h.req('11 01', { advanceMs: 50 })).toEqual(['51 01']);
    expect(h.ecu.state.securityLevel).toBeNull();
    await h.req('10 03');
    for (let i = 0; i < 3; i++) {
      await h.req('27 01');
      await h.req('27 02 00 00');
    }
    await h.req('11 01', { advanceMs: 50 });
    await h.req('10 03');
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    h.ecu.close();
  });

  it('forgets counter and delay at reset when attemptsSurviveReset is false', async () => {
    const h = harness({ security: { levels: [{ level: 1 }], attemptsSurviveReset: false } });
    await h.req('10 03');
    for (let i = 0; i < 3; i++) {
      await h.req('27 01');
      await h.req('27 02 00 00');
    }
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    await h.req('11 01', { advanceMs: 50 });
    await h.req('10 03');
    expect((await h.req('27 01'))[0]).toMatch(/^67 01/);
    expect(h.ecu.state.securityFailedAttempts).toBe(0);
    h.ecu.close();
  });

  it('honours a power-on delay after start and after each reset', async () => {
    const h = harness({ security: { levels: [{ level: 1 }], powerOnDelayMs: 1000 } });
    await h.req('10 03');
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    await h.advance(1000);
    await h.unlock();
    await h.req('11 01', { advanceMs: 50 });
    await h.req('10 03');
    expect(await h.req('27 01')).toEqual(['7F 27 37']);
    await h.advance(950);
    expect((await h.req('27 01'))[0]).toMatch(/^67 01/);
    h.ecu.close();
  });
});
