import { describe, it, expect } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { SessionManager } from '../../../src/ecu/session-manager.js';
import { harness } from './helpers.js';

describe('DiagnosticSessionControl and S3', () => {
  it('switches sessions and reports P2 / P2* (50 ms, 5000 ms = 0x01F4 x 10 ms)', async () => {
    const h = harness();
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect(h.ecu.state.session).toBe(3);
    expect(await h.req('22 F1 86')).toEqual(['62 F1 86 03']);
    expect(await h.req('10 02')).toEqual(['50 02 00 32 01 F4']);
    expect(await h.req('10 01')).toEqual(['50 01 00 32 01 F4']);
    expect(await h.req('10 04')).toEqual(['7F 10 12']);
    expect(await h.req('10')).toEqual(['7F 10 13']);
    expect(await h.req('10 03 00')).toEqual(['7F 10 13']);
    expect(await h.req('10 83')).toEqual([]);
    expect(h.ecu.state.session).toBe(3);
    h.ecu.close();
  });

  it('reports the configured timing', async () => {
    const h = harness({ p2ServerMs: 0x64, p2StarServerMs: 2000 });
    expect(await h.req('10 03')).toEqual(['50 03 00 64 00 C8']);
  });

  it('returns to the default session when S3 expires, with all side effects', async () => {
    const h = harness();
    const events: unknown[] = [];
    h.ecu.events.on('session', (e) => events.push(e));
    await h.req('10 03');
    expect(await h.req('28 03 03')).toEqual(['68 03']);
    expect(await h.req('85 02')).toEqual(['C5 02']);
    expect(h.ecu.state.communicationControl).toEqual({ normal: { rx: false, tx: false }, networkManagement: { rx: false, tx: false } });
    expect(h.ecu.state.dtcSettingOn).toBe(false);
    await h.advance(4999);
    expect(h.ecu.state.session).toBe(3);
    await h.advance(1);
    expect(h.ecu.state.session).toBe(1);
    expect(h.ecu.state.dtcSettingOn).toBe(true);
    expect(h.ecu.state.communicationControl.normal).toEqual({ rx: true, tx: true });
    expect(events).toEqual([
      { from: 1, to: 3, reason: 'request' },
      { from: 3, to: 1, reason: 's3-timeout' },
    ]);
    // 28 is not offered in the default session.
    expect(await h.req('28 00 01')).toEqual(['7F 28 7F']);
    h.ecu.close();
  });

  it('3E 80 (physical or functional) keeps the session alive; 3E 00 is answered', async () => {
    const h = harness();
    await h.req('10 03');
    for (let i = 0; i < 10; i++) {
      expect(await h.req('3E 80', { functional: i % 2 === 0 })).toEqual([]);
      await h.advance(4000);
    }
    expect(h.ecu.state.session).toBe(3);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    expect(await h.req('3E 01')).toEqual(['7F 3E 12']);
    expect(await h.req('3E 00 00')).toEqual(['7F 3E 13']);
    await h.advance(5000);
    expect(h.ecu.state.session).toBe(1);
    h.ecu.close();
  });

  it('does not time out while a request is being served', async () => {
    const h = harness({
      memory: [{ name: 'flash', start: 0, size: 0x10000, sectorSize: 0x1000, eraseTimePerSectorMs: 1000 }],
    });
    await h.req('10 02');
    await h.unlock();
    // 16 sectors x 1000 ms = 16 s erase, longer than S3.
    await h.req('31 01 FF 00 44 00 00 00 00 00 01 00 00', { advanceMs: 16_000 });
    expect(h.received.at(-1)).toBe('71 01 FF 00 00');
    expect(h.ecu.state.session).toBe(2);
    await h.advance(5000);
    expect(h.ecu.state.session).toBe(1);
    h.ecu.close();
  });

  it('enters the programming session only when the vehicle allows programming (0x22)', async () => {
    const h = harness();
    h.ecu.setVehicleState({ voltage: 8.5 });
    expect(await h.req('10 02')).toEqual(['7F 10 22']);
    h.ecu.setVehicleState({ voltage: 12, speedKmh: 30 });
    expect(await h.req('10 02')).toEqual(['7F 10 22']);
    h.ecu.setVehicleState({ speedKmh: 0 });
    expect(await h.req('10 02')).toEqual(['50 02 00 32 01 F4']);
    h.ecu.close();
  });

  it('leaves no timer running after close()', async () => {
    const h = harness();
    await h.req('10 03');
    h.ecu.close();
    expect(h.clock.pendingTimers).toBe(0);
  });
});

describe('CommunicationControl and ControlDTCSetting', () => {
  it('tracks rx/tx per communication type', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('28 01 01')).toEqual(['68 01']);
    expect(h.ecu.state.communicationControl).toEqual({ normal: { rx: true, tx: false }, networkManagement: { rx: true, tx: true } });
    expect(await h.req('28 02 02')).toEqual(['68 02']);
    expect(h.ecu.state.communicationControl.networkManagement).toEqual({ rx: false, tx: true });
    expect(await h.req('28 80 03', { functional: true })).toEqual([]);
    expect(h.ecu.state.communicationControl).toEqual({ normal: { rx: true, tx: true }, networkManagement: { rx: true, tx: true } });
    expect(await h.req('28 00 00')).toEqual(['7F 28 31']);
    expect(await h.req('28 04 01 00 01')).toEqual(['7F 28 12']);
    expect(await h.req('28 00')).toEqual(['7F 28 13']);
    h.ecu.close();
  });

  it('switches DTC setting off and on', async () => {
    const h = harness();
    expect(await h.req('85 02')).toEqual(['7F 85 7F']);
    await h.req('10 03');
    expect(await h.req('85 82', { functional: true })).toEqual([]);
    expect(h.ecu.state.dtcSettingOn).toBe(false);
    expect(await h.req('85 01')).toEqual(['C5 01']);
    expect(h.ecu.state.dtcSettingOn).toBe(true);
    expect(await h.req('85 03')).toEqual(['7F 85 12']);
    h.ecu.close();
  });
});

describe('SessionManager S3 deadline', () => {
  it('stops while a request is served and expires S3 after the last response, with one timer at most', async () => {
    const clock = new FakeClock();
    let timeouts = 0;
    const s: SessionManager = new SessionManager({
      clock,
      s3ServerMs: 5000,
      onTimeout: () => {
        timeouts++;
        s.set(1);
      },
    });
    s.set(3);
    expect(s.s3Running).toBe(true);
    await clock.advance(3000);
    s.requestStarted();
    expect(s.s3Running).toBe(false);
    await clock.advance(3000); // t = 6000: the first deadline (5000) passed while serving
    expect(timeouts).toBe(0);
    s.requestEnded(); // S3 runs again until t = 11000
    expect(s.s3Running).toBe(true);
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(4999);
    expect(timeouts).toBe(0);
    await clock.advance(1);
    expect([timeouts, s.session, s.s3Running, clock.pendingTimers]).toEqual([1, 1, false, 0]);
    s.set(2);
    s.stop();
    expect([s.s3Running, clock.pendingTimers]).toEqual([false, 0]);
  });
});
