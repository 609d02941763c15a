/** dumpMemory: 35 / 36 / 37 when offered, 23 in chunks where 35 is refused with 0x11 / 0x7F, other NRCs thrown. */
import { describe, it, expect } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { dumpMemory } from '../../../src/flash/dump.js';
import { TransferStepError } from '../../../src/tester/errors.js';
import { setup } from '../uds/client/helpers.js';

const mem = Uint8Array.from({ length: 0x30 }, (_, i) => i);

describe('dumpMemory', () => {
  it('uploads with 35 / 36 / 37', async () => {
    const { ecu, client } = setup();
    ecu.expect('35 00 44 00 00 10 00 00 00 00 30', '75 20 00 22'); // 0x22: 32 data bytes per block
    ecu.expect('36 01', `76 01 ${toHex(mem.subarray(0, 32))}`);
    ecu.expect('36 02', `76 02 ${toHex(mem.subarray(32))}`);
    ecu.expect('37', '77');
    const r = await dumpMemory(client, 0x1000, 0x30);
    expect(r).toMatchObject({ method: 'upload', requests: 2 });
    expect(r.data).toEqual(mem);
    ecu.assertDone();
  });

  it.each([0x11, 0x7f])('falls back to 23 in chunks when 35 is refused with %i', async (nrc) => {
    const { ecu, client } = setup();
    ecu.expect('35 00 44 00 00 10 00 00 00 00 30', `7F 35 ${toHex([nrc])}`);
    ecu.expect('23 44 00 00 10 00 00 00 00 20', `63 ${toHex(mem.subarray(0, 32))}`);
    ecu.expect('23 44 00 00 10 20 00 00 00 10', `63 ${toHex(mem.subarray(32))}`);
    const progress: string[] = [];
    const r = await dumpMemory(client, 0x1000, 0x30, { blockSize: 0x20, onProgress: (b, t, m) => progress.push(`${b}/${t} ${m}`) });
    expect(r).toMatchObject({ method: 'read-memory', requests: 2 });
    expect(r.fallback).toMatch(/RequestUpload \(0x35\) refused with serviceNotSupported/);
    expect(r.data).toEqual(mem);
    expect(progress).toEqual(['32/48 read-memory', '48/48 read-memory']);
    ecu.assertDone();
  });

  it('throws other refusals, and does not fall back when upload is forced', async () => {
    const a = setup();
    a.ecu.expect('35 00 44 00 00 10 00 00 00 00 30', '7F 35 33');
    await expect(dumpMemory(a.client, 0x1000, 0x30)).rejects.toBeInstanceOf(TransferStepError);
    const b = setup();
    b.ecu.expect('35 00 44 00 00 10 00 00 00 00 30', '7F 35 11');
    await expect(dumpMemory(b.client, 0x1000, 0x30, { method: 'upload' })).rejects.toThrow(/serviceNotSupported/);
    await expect(dumpMemory(b.client, 0xffffffff, 2)).rejects.toThrow(/inside 0\.\.0xFFFFFFFF/);
  });
});
