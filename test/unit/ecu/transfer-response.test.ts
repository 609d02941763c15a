import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import { harness, programmingUnlocked, u32 } from './helpers.js';

/** maxNumberOfBlockLength 0x12: 16 data bytes per block. */
const SMALL = { transfer: { maxNumberOfBlockLength: 0x12 } };

function pattern(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 11 + seed) & 0xff);
}

describe('TransferData responses built in place', () => {
  it('upload: each 76 response carries the memory read into it; a repeated counter gets the same bytes again', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    const data = pattern(40);
    h.ecu.memory.write(0x100, data);
    expect(await h.req(`35 00 44 ${u32(0x100)} ${u32(40)}`)).toEqual(['75 10 12']);
    expect(await h.req('36 01')).toEqual([`76 01 ${toHex(data.subarray(0, 16))}`]);
    // The response was built in place: changing memory afterwards does not change a repeat.
    h.ecu.memory.write(0x100, new Uint8Array(16));
    expect(await h.req('36 01')).toEqual([`76 01 ${toHex(data.subarray(0, 16))}`]);
    expect(await h.req('36 02')).toEqual([`76 02 ${toHex(data.subarray(16, 32))}`]);
    expect(await h.req('36 03')).toEqual([`76 03 ${toHex(data.subarray(32, 40))}`]);
    expect(await h.req('36 04')).toEqual(['7F 36 31']);
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(h.ecu.memory.read(0x100, 40)))}`]);
    h.ecu.close();
  });

  it('transferDataResponse hands out the frame the block was read into; transferData its data part', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    h.ecu.memory.write(0, pattern(32, 5));
    await h.req(`35 00 44 ${u32(0)} ${u32(32)}`);
    const t = h.ecu.model.transfer;
    const frame = await t.transferDataResponse(1, new Uint8Array(0));
    expect(toHex(frame)).toBe(`76 01 ${toHex(pattern(32, 5).subarray(0, 16))}`);
    const again = await t.transferData(1, new Uint8Array(0));
    expect(again.buffer).toBe(frame.buffer);
    expect(toHex(again)).toBe(toHex(frame.subarray(2)));
    h.ecu.close();
  });

  it('download: 76 counter, and 37 reports the CRC kept block by block (also after a write in between)', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    expect(await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`)).toEqual(['71 01 FF 00 00']);
    const data = pattern(64, 9);
    await h.req(`34 00 44 ${u32(0)} ${u32(64)}`);
    for (let i = 0; i < 4; i++) {
      expect(await h.req(`36 ${toHex([i + 1])} ${toHex(data.subarray(i * 16, i * 16 + 16))}`)).toEqual([`76 ${toHex([i + 1])}`]);
      if (i === 1) h.ecu.memory.write(0x05, Uint8Array.of(0xee)); // a block already written changes behind the download's back
    }
    const now = h.ecu.memory.read(0, 64);
    expect(toHex(now.subarray(0x05, 0x06))).toBe('EE');
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(now))}`]);
    h.ecu.close();
  });
});
