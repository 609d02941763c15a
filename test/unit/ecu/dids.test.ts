import { describe, it, expect } from 'vitest';
import { harness, programmingUnlocked } from './helpers.js';

const ascii = (s: string): string => [...s].map((c) => c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')).join(' ');

describe('ReadDataByIdentifier (0x22)', () => {
  it('reads the standard DIDs with their defaults', async () => {
    const h = harness();
    const expected: [string, string][] = [
      ['F1 80', ascii('BOOT-1.0.0')],
      ['F1 81', ascii('APP-1.0.0')],
      ['F1 86', '01'],
      ['F1 87', ascii('UDSKIT-0001')],
      ['F1 88', ascii('SW-1.0.0')],
      ['F1 8C', ascii('SN0000000001')],
      ['F1 90', ascii('WUDSKIT0000000001')],
      ['F1 91', ascii('HW-1.0')],
      ['F1 98', ascii('0000000000')],
      ['F1 99', '20 24 01 01'],
      ['F1 5A', '00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00'],
      ['F1 AA', ascii('1.0.0')],
    ];
    for (const [did, data] of expected) expect(await h.req(`22 ${did}`)).toEqual([`62 ${did} ${data}`]);
    h.ecu.close();
  });

  it('reads several DIDs, skips unsupported ones, 0x31 when none is supported, 0x13 for a bad length', async () => {
    const h = harness({ identification: { version: { hex: 'AB' } }, dids: [{ id: 0x0100, value: { hex: '01 02' } }] });
    expect(await h.req('22 F1 AA 12 34 01 00')).toEqual(['62 F1 AA AB 01 00 01 02']);
    expect(await h.req('22 12 34 56 78')).toEqual(['7F 22 31']);
    expect(await h.req('22 12 34', { functional: true })).toEqual([]);
    expect(await h.req('22 F1')).toEqual(['7F 22 13']);
    expect(await h.req('22 F1 AA 01')).toEqual(['7F 22 13']);
    expect(await h.req('22')).toEqual(['7F 22 13']);
    h.ecu.close();
  });

  it('answers 0x14 when the response exceeds maxResponseLength', async () => {
    const h = harness({ maxResponseLength: 8, identification: { version: { hex: '01 02 03 04 05' } } });
    expect(await h.req('22 F1 AA')).toEqual(['62 F1 AA 01 02 03 04 05']);
    expect(await h.req('22 F1 AA F1 AA')).toEqual(['7F 22 14']);
    h.ecu.close();
  });

  it('applies per-DID read rules (session skip, security 0x33)', async () => {
    const h = harness({
      dids: [
        { id: 0x0200, value: 'X', read: { sessions: [3] } },
        { id: 0x0201, value: 'Y', read: { securityLevels: [1] } },
      ],
    });
    expect(await h.req('22 02 00')).toEqual(['7F 22 31']);
    expect(await h.req('22 02 01')).toEqual(['7F 22 33']);
    await h.req('10 03');
    expect(await h.req('22 02 00')).toEqual(['62 02 00 58']);
    await h.unlock();
    expect(await h.req('22 02 01')).toEqual(['62 02 01 59']);
    h.ecu.close();
  });
});

describe('WriteDataByIdentifier (0x2E)', () => {
  it('writes the VIN in the extended session with security, fixed length 17', async () => {
    const h = harness();
    const vin = ascii('WUDSKIT0000000042');
    expect(await h.req(`2E F1 90 ${vin}`)).toEqual(['7F 2E 7F']);
    await h.req('10 03');
    expect(await h.req(`2E F1 90 ${vin}`)).toEqual(['7F 2E 33']);
    await h.unlock();
    expect(await h.req('2E F1 90 57 55')).toEqual(['7F 2E 13']);
    expect(await h.req(`2E F1 90 ${vin}`)).toEqual(['6E F1 90']);
    expect(await h.req('22 F1 90')).toEqual([`62 F1 90 ${vin}`]);
    expect(await h.req('2E F1 90')).toEqual(['7F 2E 13']);
    h.ecu.close();
  });

  it('refuses read-only and unknown DIDs with 0x31 (after session/security checks of the service)', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('2E F1 80 00')).toEqual(['7F 2E 31']);
    expect(await h.req('2E F1 86 03')).toEqual(['7F 2E 31']);
    expect(await h.req('2E 12 34 00')).toEqual(['7F 2E 31']);
    // The VIN is not writable in the programming session.
    await programmingUnlocked(h);
    expect(await h.req(`2E F1 90 ${ascii('WUDSKIT0000000042')}`)).toEqual(['7F 2E 31']);
    h.ecu.close();
  });

  it('writes fingerprint data of variable length during programming', async () => {
    const h = harness();
    await programmingUnlocked(h);
    expect(await h.req('2E F1 5A 01 02 03 04 05 06 07 08 09')).toEqual(['6E F1 5A']);
    expect(await h.req('22 F1 5A')).toEqual(['62 F1 5A 01 02 03 04 05 06 07 08 09']);
    expect(await h.req('2E F1 99 24 06 30')).toEqual(['6E F1 99']);
    expect(await h.req('2E F1 99 24 06')).toEqual(['7F 2E 13']);
    expect(await h.req(`2E F1 98 ${ascii('TESTER-01')}`)).toEqual(['6E F1 98']);
    h.ecu.close();
  });

  it('takes per-DID rules from the profile', async () => {
    const h = harness({ dids: [{ id: 0x0300, value: { hex: '00 00' }, write: { sessions: [3], securityLevels: [] } }] });
    await h.req('10 03');
    expect(await h.req('2E 03 00 12 34')).toEqual(['6E 03 00']);
    expect(await h.req('2E 03 00 12')).toEqual(['7F 2E 13']);
    expect(await h.req('22 03 00')).toEqual(['62 03 00 12 34']);
    h.ecu.close();
  });
});
