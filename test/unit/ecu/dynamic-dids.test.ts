import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { harness } from './helpers.js';

describe('DynamicallyDefineDataIdentifier (0x2C)', () => {
  it('defines a DDDID from other DIDs, readable with 22 and through dids.read, and appends further definitions', async () => {
    const h = harness({ dids: [{ id: 0x0100, codec: 'uint', length: 2, value: 0x1234, write: { sessions: [3] } }] });
    expect(await h.req('2C 01 F3 00 F1 90 01 04')).toEqual(['7F 2C 7F']);
    await h.req('10 03');
    // VIN bytes 1-4 ("WUDS") + the active session.
    expect(await h.req('2C 01 F3 00 F1 90 01 04 F1 86 01 01')).toEqual(['6C 01 F3 00']);
    expect(await h.req('22 F3 00')).toEqual(['62 F3 00 57 55 44 53 03']);
    // Appended: byte 2 of DID 0100, composed when read, so a later write shows.
    expect(await h.req('2C 01 F3 00 01 00 02 01')).toEqual(['6C 01 F3 00']);
    expect(await h.req('2E 01 00 AB CD')).toEqual(['6E 01 00']);
    expect(await h.req('22 F3 00 F1 86')).toEqual(['62 F3 00 57 55 44 53 03 CD F1 86 03']);
    expect(toHex(h.ecu.model.dids.read(0xf300))).toBe('57 55 44 53 03 CD');
    expect(h.ecu.model.dynamicDids.get(0xf300)?.sources).toHaveLength(3);
    // A DDDID is read-only.
    expect(await h.req('2E F3 00 00')).toEqual(['7F 2E 31']);
    h.ecu.close();
  });

  it('checks sources, positions, sizes, the DDDID range and the limits (0x31)', async () => {
    const h = harness({ dids: [{ id: 0xf200, value: 'STATIC' }], dynamicDids: { maxDataLength: 8, maxSourceElements: 3 } });
    await h.req('10 03');
    expect(await h.req('2C 01 F3 00 12 34 01 01')).toEqual(['7F 2C 31']); // source not supported
    expect(await h.req('2C 01 F3 00 F1 90 00 01')).toEqual(['7F 2C 31']); // position 0 (1-based)
    expect(await h.req('2C 01 F3 00 F1 90 11 02')).toEqual(['7F 2C 31']); // bytes 17-18 of a 17-byte VIN
    expect(await h.req('2C 01 F3 00 F1 90 01 00')).toEqual(['7F 2C 31']); // size 0
    expect(await h.req('2C 01 F1 00 F1 90 01 01')).toEqual(['7F 2C 31']); // DDDID below F200
    expect(await h.req('2C 01 F4 00 F1 90 01 01')).toEqual(['7F 2C 31']); // DDDID above F3FF
    expect(await h.req('2C 01 F2 00 F1 90 01 01')).toEqual(['7F 2C 31']); // a static DID of the profile
    expect(await h.req('2C 01 F3 00 F1 90 01 09')).toEqual(['7F 2C 31']); // 9 bytes > maxDataLength 8
    expect(await h.req('2C 01 F3 00 F1 90 01 08')).toEqual(['6C 01 F3 00']);
    expect(await h.req('2C 01 F3 00 F1 90 01 01')).toEqual(['7F 2C 31']); // appending makes it 9 bytes
    expect(await h.req('22 F3 00')).toEqual(['62 F3 00 57 55 44 53 4B 49 54 30']); // unchanged after a refused append
    expect(await h.req('2C 01 F3 01 F1 86 01 01 F1 86 01 01 F1 86 01 01 F1 86 01 01')).toEqual(['7F 2C 31']); // 4 > 3 elements
    expect(await h.req('2C 01 F3 01 F3 00 01 01')).toEqual(['7F 2C 31']); // a DDDID as source
    expect(await h.req('2C 01 F3 00 F1 90 01')).toEqual(['7F 2C 13']);
    expect(await h.req('2C 04 F3 00')).toEqual(['7F 2C 12']);
    expect(await h.req('2C 04 F3 00', { functional: true })).toEqual([]);
    h.ecu.close();
  });

  it('defines from memory under the read rules of 0x23 (0x33 locked), composed at read time', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('2C 02 F2 10 14 20 00 00 00 02')).toEqual(['7F 2C 33']);
    expect(await h.req('2C 02 F2 10 14 30 00 00 00 02')).toEqual(['7F 2C 31']); // no region there
    await h.unlock();
    expect(await h.req('2C 02 F2 10 14 20 00 00 00 02 00 00 10 00 01')).toEqual(['6C 02 F2 10']);
    expect(await h.req('22 F2 10')).toEqual(['62 F2 10 00 00 FF']);
    expect(await h.req('3D 14 20 00 00 00 02 BE EF')).toEqual(['7D 14 20 00 00 00 02']);
    expect(await h.req('22 F2 10')).toEqual(['62 F2 10 BE EF FF']);
    // Any session transition relocks; the DDDID keeps the sources' security rule.
    await h.req('10 03');
    expect(await h.req('22 F2 10')).toEqual(['7F 22 33']);
    await h.unlock();
    expect(await h.req('22 F2 10')).toEqual(['62 F2 10 BE EF FF']);
    h.ecu.close();
  });

  it('clears one DDDID, all of them, and answers positively for one that is not defined', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('2C 01 F3 00 F1 86 01 01');
    await h.req('2C 01 F3 01 F1 86 01 01');
    expect(await h.req('2C 03 F3 05')).toEqual(['6C 03 F3 05']);
    expect(await h.req('2C 03 12 34')).toEqual(['7F 2C 31']);
    expect(await h.req('2C 03 F3 00')).toEqual(['6C 03 F3 00']);
    expect(await h.req('22 F3 00')).toEqual(['7F 22 31']);
    expect(await h.req('22 F3 01')).toEqual(['62 F3 01 03']);
    expect(await h.req('2C 03')).toEqual(['6C 03']);
    expect(await h.req('22 F3 01')).toEqual(['7F 22 31']);
    expect(await h.req('2C 83')).toEqual([]); // SPRMIB
    h.ecu.close();
  });

  it('keeps definitions across non-default sessions, clears them on the default session, S3 timeout and reset', async () => {
    const h = harness();
    const define = async (): Promise<void> => {
      await h.req('10 03');
      expect(await h.req('2C 01 F3 00 F1 86 01 01')).toEqual(['6C 01 F3 00']);
    };
    await define();
    await h.req('10 03');
    expect(await h.req('22 F3 00')).toEqual(['62 F3 00 03']);
    await h.req('10 01');
    expect(await h.req('22 F3 00')).toEqual(['7F 22 31']);

    await define();
    await h.advance(5001);
    expect(h.ecu.state.session).toBe(1);
    expect(h.ecu.model.dids.get(0xf300)).toBeUndefined();

    await define();
    expect(await h.req('11 01', { advanceMs: 100 })).toEqual(['51 01']);
    expect(await h.req('22 F3 00')).toEqual(['7F 22 31']);
    h.ecu.close();
  });
});
