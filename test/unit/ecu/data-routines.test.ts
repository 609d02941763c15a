/** Routines defined as data in the profile, and access rules of built-in routines changed by the profile. */
import { describe, it, expect } from 'vitest';
import { harness, programmingUnlocked } from './helpers.js';

describe('data routines (profile `routines`)', () => {
  it('start answers the configured status; results before start is 0x24, then the last status', async () => {
    const h = harness({ routines: [{ id: 0x0301, name: 'selfTest', sessions: [3], start: { status: 0x00 } }] });
    await h.req('10 03');
    // ISO 14229-1:2020 14.2.4 — requestRoutineResults before startRoutine: 0x24.
    expect(await h.req('31 03 03 01')).toEqual(['7F 31 24']);
    expect(await h.req('31 01 03 01')).toEqual(['71 01 03 01 00']);
    expect(await h.req('31 03 03 01')).toEqual(['71 03 03 01 00']);
    // No stop action: 0x12.
    expect(await h.req('31 02 03 01')).toEqual(['7F 31 12']);
    h.ecu.close();
  });

  it('stop and results actions; stop before start is 0x24', async () => {
    const h = harness({
      routines: [{ id: 0x0302, start: { result: { hex: '01 AA' } }, stop: { status: 0x02 }, results: { result: 'OK' } }],
    });
    await h.req('10 03');
    expect(await h.req('31 02 03 02')).toEqual(['7F 31 24']);
    expect(await h.req('31 01 03 02')).toEqual(['71 01 03 02 01 AA']);
    expect(await h.req('31 03 03 02')).toEqual(['71 03 03 02 4F 4B']);
    expect(await h.req('31 02 03 02')).toEqual(['71 02 03 02 02']);
    expect(await h.req('31 02 03 02')).toEqual(['7F 31 24']); // not running any more
    h.ecu.close();
  });

  it('requiresStart: false answers results without a start', async () => {
    const h = harness({ routines: [{ id: 0x0303, start: { status: 0 }, results: { status: 0x07 }, requiresStart: false }] });
    await h.req('10 03');
    expect(await h.req('31 03 03 03')).toEqual(['71 03 03 03 07']);
    h.ecu.close();
  });

  it('session (0x31), security (0x33), option length (0x13) and a configured refusal NRC', async () => {
    const h = harness({
      routines: [
        { id: 0x0304, sessions: [2], securityLevels: [1], start: { status: 0, optionLength: 2 } },
        { id: 0x0305, start: { nrc: 0x22 } },
      ],
    });
    await h.req('10 03');
    expect(await h.req('31 01 03 04 00 00')).toEqual(['7F 31 31']);
    expect(await h.req('31 01 03 05')).toEqual(['7F 31 22']);
    await h.req('10 02');
    expect(await h.req('31 01 03 04 00 00')).toEqual(['7F 31 33']);
    await h.unlock(1);
    expect(await h.req('31 01 03 04 00')).toEqual(['7F 31 13']);
    expect(await h.req('31 01 03 04 00 00')).toEqual(['71 01 03 04 00']);
    h.ecu.close();
  });

  it('durationMs longer than P2 makes the dispatcher send 0x78 first', async () => {
    const h = harness({ routines: [{ id: 0x0306, start: { status: 0, durationMs: 300 } }] });
    await h.req('10 03');
    expect(await h.req('31 01 03 06', { advanceMs: 100 })).toEqual(['7F 31 78']);
    expect(await h.advance(200)).toEqual(['71 01 03 06 00']);
    h.ecu.close();
  });

  it('an entry with a built-in id changes only its access rules; supported: false removes a routine', async () => {
    const h = harness({
      routines: [
        { id: 0xff00, sessions: [2], securityLevels: [] },
        { id: 0x0203, supported: false },
      ],
    });
    await h.req('10 03');
    expect(await h.req('31 01 02 03')).toEqual(['7F 31 31']);
    await h.req('10 02');
    // Erase without unlocking, still the built-in code: a half sector is 0x31, a whole one erases.
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 08 00')).toEqual(['7F 31 31']);
    h.ecu.memory.write(0, Uint8Array.of(1));
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00')).toEqual(['71 01 FF 00 00']);
    expect(h.ecu.memory.read(0, 1)[0]).toBe(0xff);
    h.ecu.close();
  });

  it('built-in routines keep their default rules when the profile does not mention them', async () => {
    const h = harness({ routines: [{ id: 0x0301, start: { status: 0 } }] });
    await programmingUnlocked(h);
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00')).toEqual(['71 01 FF 00 00']);
    expect(h.ecu.model.routines.ids()).toEqual([0x0202, 0x0203, 0x0301, 0xff00, 0xff01]);
    h.ecu.close();
  });
});
