/**
 * The profile's service table over the memory link: a SimulatedEcu answers what its profile says
 * (0x11 removed, 0x7F / 0x7E session rules, 0x33 security, supportedServices, sessions with `like` and
 * their own P2 / P2*), and the boot-mode table of `bootloader`.
 */
import { describe, it, expect } from 'vitest';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { profileServiceTable, sessionName, sessionTiming } from '../../../src/ecu/profile-service-table.js';
import { defaultServiceTable } from '../../../src/ecu/service-table.js';
import { harness } from './helpers.js';

describe('profile service table through a SimulatedEcu', () => {
  it('a service the profile removes answers 0x11 (and nothing on a functional request)', async () => {
    const h = harness({ services: { ReadDataByIdentifier: false } });
    expect(await h.req('22 F1 90')).toEqual(['7F 22 11']);
    // ISO 14229-1:2020 7.5 — 0x11 is suppressed on functional requests.
    expect(await h.req('22 F1 90', { functional: true })).toEqual([]);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    h.ecu.close();
  });

  it('supportedServices keeps only the listed services', async () => {
    const h = harness({ supportedServices: ['0x10', '0x22', 'TesterPresent'] });
    expect((await h.req('22 F1 90'))[0]).toMatch(/^62 F1 90/);
    expect(await h.req('11 01')).toEqual(['7F 11 11']);
    expect(await h.req('27 01')).toEqual(['7F 27 11']);
    h.ecu.close();
  });

  it('a service restricted to a session answers 0x7F elsewhere', async () => {
    const h = harness({ services: { '0x22': { sessions: [3] } } });
    expect(await h.req('22 F1 90')).toEqual(['7F 22 7F']);
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect((await h.req('22 F1 90'))[0]).toMatch(/^62 F1 90/);
    h.ecu.close();
  });

  it('a sub-function restricted to a session answers 0x7E in the others; SPRMIB keeps its meaning', async () => {
    const h = harness({ services: { DiagnosticSessionControl: { subFunctions: { '0x02': { sessions: [2, 3] } } } } });
    expect(await h.req('10 02')).toEqual(['7F 10 7E']);
    expect(await h.req('10 82', { functional: true })).toEqual([]); // 0x7E suppressed on functional
    expect(await h.req('10 83')).toEqual([]); // SPRMIB: no positive response
    expect(await h.req('10 02')).toEqual(['50 02 00 32 01 F4']);
    h.ecu.close();
  });

  it('a sub-function the profile drops answers 0x12; a list gives exactly these sub-functions', async () => {
    const h = harness({ services: { ECUReset: { subFunctions: [0x01] }, '0x28': { subFunctions: { 3: false } } } });
    expect(await h.req('11 03')).toEqual(['7F 11 12']);
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect(await h.req('28 03 01')).toEqual(['7F 28 12']);
    expect(await h.req('28 01 01')).toEqual(['68 01']);
    expect(await h.req('11 01')).toEqual(['51 01']);
    h.ecu.close();
  });

  it('a service or sub-function requiring security answers 0x33 until unlocked', async () => {
    const h = harness({ services: { '0x22': { securityLevels: [1] }, CommunicationControl: { subFunctions: { '0x03': { securityLevels: [1] } } } } });
    expect(await h.req('22 F1 90')).toEqual(['7F 22 33']);
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect(await h.req('28 03 01')).toEqual(['7F 28 33']);
    expect(await h.req('28 01 01')).toEqual(['68 01']);
    await h.unlock(1);
    expect(await h.req('28 03 01')).toEqual(['68 03']);
    expect((await h.req('22 F1 90'))[0]).toMatch(/^62 F1 90/);
    h.ecu.close();
  });

  it('securityLevels: [] lifts the default rule (34 without unlocking)', async () => {
    const h = harness({ services: { RequestDownload: { securityLevels: [] } } });
    await h.req('10 02');
    expect(await h.req('34 00 44 00 00 00 00 00 00 10 00')).toEqual(['74 20 10 02']);
    h.ecu.close();
  });

  it('a session with `like` offers what the other session offers; 10 and 3E work in every declared session', async () => {
    const h = harness({
      sessions: [{ id: 1 }, { id: 2 }, { id: 3 }, { id: 0x40, name: 'endOfLine', like: 3, p2ServerMs: 20, p2StarServerMs: 2000 }, { id: 0x41 }],
    });
    // ISO 14229-1:2020 10.2.3 — 50 40 carries this session's P2 (0x0014) and P2* in 10 ms units (0x00C8).
    expect(await h.req('10 40')).toEqual(['50 40 00 14 00 C8']);
    expect(await h.req('28 01 01')).toEqual(['68 01']); // like 0x03
    expect((await h.req('22 F1 86'))[0]).toBe('62 F1 86 40');
    expect(await h.req('10 41')).toEqual(['50 41 00 32 01 F4']);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    expect(await h.req('28 01 01')).toEqual(['7F 28 7F']); // 0x41 has no `like`
    expect(await h.req('10 04')).toEqual(['7F 10 12']); // not declared
    expect(await h.req('10 01')).toEqual(['50 01 00 32 01 F4']);
    h.ecu.close();
  });

  it('a session P2 sets when the server sends 0x78', async () => {
    const h = harness({
      sessions: [{ id: 1 }, { id: 2 }, { id: 3, p2ServerMs: 200 }],
      memory: [{ name: 'flash', start: 0, size: 0x10000, sectorSize: 0x1000, eraseTimePerSectorMs: 150 }],
      routines: [{ id: 0xff00, sessions: [2, 3], securityLevels: [] }],
    });
    await h.req('10 03');
    // 150 ms of erase is within this session's P2 (200 ms): no 0x78, only the final answer.
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00', { advanceMs: 200 })).toEqual(['71 01 FF 00 00']);
    await h.req('10 02');
    // In 02 the ECU's P2 (50 ms) applies: 0x78 first.
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00', { advanceMs: 200 })).toEqual(['7F 31 78', '71 01 FF 00 00']);
    h.ecu.close();
  });
});

describe('profileServiceTable', () => {
  const config = parseEcuConfig({
    address: 1,
    supportedServices: [0x10, 0x11, 0x22, 0x3e],
    services: { '0x11': { subFunctions: [1] } },
    bootloader: { supportedServices: [0x10, 0x11, 0x22, 0x34, 0x36, 0x37, 0x3e], services: { '0x22': { sessions: [2] } } },
  });

  it('app mode uses the top-level keys, boot mode the bootloader keys', () => {
    const app = profileServiceTable(config);
    const boot = profileServiceTable(config, 'boot');
    expect([...app.keys()].sort((a, b) => a - b)).toEqual([0x10, 0x11, 0x22, 0x3e]);
    expect([...app.get(0x11)?.subFunctions?.keys() ?? []]).toEqual([1]);
    expect([...boot.keys()].sort((a, b) => a - b)).toEqual([0x10, 0x11, 0x22, 0x34, 0x36, 0x37, 0x3e]);
    expect([...boot.get(0x11)?.subFunctions?.keys() ?? []]).toEqual([1, 2, 3]);
    expect(boot.get(0x22)?.sessions).toEqual([2]);
    // Rules the profile does not touch are the default table's (minimum length, security).
    expect(boot.get(0x34)).toEqual(defaultServiceTable(config).get(0x34));
  });

  it('without a bootloader section boot mode is the app table; a supplier SID with sub-functions gets a sub-function byte', () => {
    const c = parseEcuConfig({ address: 1, services: { '0xBA': { sessions: [3], subFunctions: { 1: true } } } });
    const boot = profileServiceTable(c, 'boot');
    expect(boot).toEqual(profileServiceTable(c));
    expect(boot.get(0xba)).toEqual({ sessions: [3], hasSubFunction: true, subFunctions: new Map([[1, {}]]) });
  });

  it('sessionTiming and sessionName read the profile, with the ECU values as defaults', () => {
    const c = parseEcuConfig({ address: 1, p2ServerMs: 40, sessions: [{ id: 1 }, { id: 2, p2StarServerMs: 9000 }] });
    expect(sessionTiming(c, 2)).toEqual({ p2ServerMs: 40, p2StarServerMs: 9000 });
    expect(sessionTiming(c, 1)).toEqual({ p2ServerMs: 40, p2StarServerMs: 5000 });
    expect(sessionName(c, 2)).toBe('programmingSession');
    expect(sessionName(c, 0x22)).toBe('session 0x22');
  });
});
