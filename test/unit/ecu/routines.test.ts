import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import { parseEraseRange } from '../../../src/ecu/routines/erase-memory.js';
import { NrcError } from '../../../src/uds/server/nrc-error.js';
import { harness, programmingUnlocked, u32, type Harness } from './helpers.js';

const SMALL = { transfer: { maxNumberOfBlockLength: 0x12 } };

async function download(h: Harness, address: number, data: Uint8Array, exit = true): Promise<void> {
  await h.req(`34 00 44 ${u32(address)} ${u32(data.length)}`);
  for (let i = 0; i * 16 < data.length; i++) {
    const r = await h.req(`36 ${toHex([(i + 1) & 0xff])} ${toHex(data.subarray(i * 16, i * 16 + 16))}`);
    expect(r[0]).toMatch(/^76/);
  }
  if (exit) expect((await h.req('37'))[0]).toMatch(/^77/);
}

describe('routine FF00 eraseMemory', () => {
  it('erases whole sectors given as ALFID address size or address(4) size(4)', async () => {
    const h = harness();
    await programmingUnlocked(h);
    h.ecu.memory.write(0x1000, Uint8Array.of(1, 2, 3));
    h.ecu.memory.write(0x2000, Uint8Array.of(4));
    expect(await h.req('31 01 FF 00 24 00 00 10 00 10 00')).toEqual(['71 01 FF 00 00']);
    expect(toHex(h.ecu.memory.read(0x1000, 3))).toBe('FF FF FF');
    expect(toHex(h.ecu.memory.read(0x2000, 1))).toBe('04');
    expect(await h.req('31 01 FF 00 00 00 20 00 00 00 10 00')).toEqual(['71 01 FF 00 00']);
    expect(toHex(h.ecu.memory.read(0x2000, 1))).toBe('FF');
    h.ecu.close();
  });

  it('refuses a partial sector, a range outside flash, RAM, and bad option records', async () => {
    const h = harness();
    await programmingUnlocked(h);
    expect(await h.req('31 01 FF 00 44 00 00 10 00 00 00 08 00')).toEqual(['7F 31 31']); // half a sector
    expect(await h.req('31 01 FF 00 44 00 00 10 80 00 00 10 00')).toEqual(['7F 31 31']); // unaligned
    expect(await h.req('31 01 FF 00 44 00 0F F0 00 00 00 20 00')).toEqual(['7F 31 31']); // past the end
    expect(await h.req('31 01 FF 00 44 20 00 00 00 00 00 10 00')).toEqual(['7F 31 31']); // ram
    expect(await h.req('31 01 FF 00 44 00 00 10 00')).toEqual(['7F 31 13']);
    h.ecu.close();
  });

  it('takes eraseTimePerSectorMs per sector and sends 0x78 meanwhile', async () => {
    const h = harness({ memory: [{ name: 'flash', start: 0, size: 0x10000, eraseTimePerSectorMs: 30 }] });
    await programmingUnlocked(h);
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 40 00', { advanceMs: 119 })).toEqual(['7F 31 78']);
    expect(await h.advance(1)).toEqual(['71 01 FF 00 00']);
    h.ecu.close();
  });

  it('needs the programming session and security', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00')).toEqual(['7F 31 31']);
    await h.req('10 02');
    expect(await h.req('31 01 FF 00 44 00 00 00 00 00 00 10 00')).toEqual(['7F 31 33']);
    h.ecu.close();
  });

  it('parses both option record formats', () => {
    expect(parseEraseRange(Uint8Array.of(0x12, 0x08, 0x00, 0x10))).toEqual({ address: 0x0800, size: 0x10 });
    expect(parseEraseRange(Uint8Array.of(0, 0, 0x10, 0, 0, 0, 0x30, 0))).toEqual({ address: 0x1000, size: 0x3000 });
    expect(() => parseEraseRange(new Uint8Array(3))).toThrow(NrcError);
  });
});

describe('routines 0202 checkMemory and FF01 checkProgrammingDependencies', () => {
  it('reports 00 for the right CRC and 01 for a wrong one, then FF01 follows', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    expect(await h.req('31 01 02 02 00 00 00 00')).toEqual(['7F 31 24']); // nothing downloaded
    expect(await h.req('31 01 FF 01')).toEqual(['71 01 FF 01 01 01']); // nothing since erase
    await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`);
    const data = Uint8Array.from({ length: 40 }, (_, i) => i);
    await download(h, 0, data, false);
    expect(await h.req(`31 01 02 02 ${u32(crc32(data))}`)).toEqual(['7F 31 24']); // transfer still active
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
    expect(await h.req('31 01 FF 01')).toEqual(['71 01 FF 01 01 03']); // not checked
    expect(await h.req(`31 01 02 02 ${u32(crc32(data) ^ 1)}`)).toEqual(['71 01 02 02 01']);
    expect(await h.req('31 01 FF 01')).toEqual(['71 01 FF 01 01 03']);
    expect(await h.req(`31 01 02 02 ${u32(crc32(data))}`)).toEqual(['71 01 02 02 00']);
    expect(await h.req('31 01 FF 01')).toEqual(['71 01 FF 01 00 00']);
    expect(await h.req('31 03 FF 01')).toEqual(['71 03 FF 01 00 00']);
    expect(await h.req('31 01 02 02 00 00')).toEqual(['7F 31 13']);
    h.ecu.close();
  });

  it('FF01 reports an unfinished transfer and memory changed after the check', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x2000)}`);
    const a = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    await download(h, 0, a);
    await h.req(`31 01 02 02 ${u32(crc32(a))}`);
    await download(h, 0x1000, a, false);
    await h.req('10 02'); // aborts the second transfer
    await h.unlock();
    expect(await h.req('31 01 FF 01')).toEqual(['71 01 FF 01 01 02']);
    await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x2000)}`);
    await download(h, 0, a);
    await h.req(`31 01 02 02 ${u32(crc32(a))}`);
    h.ecu.memory.write(0, Uint8Array.of(0));
    expect(await h.req('31 01 FF 01')).toEqual(['71 01 FF 01 01 04']);
    h.ecu.close();
  });
});

describe('routine 0203 checkProgrammingPreconditions and routine control rules', () => {
  it('reads the vehicle state: 00 when fine, 01 + failed condition codes', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('31 01 02 03')).toEqual(['71 01 02 03 00']);
    h.ecu.setVehicleState({ voltage: 17, ignition: false, speedKmh: 5, engineRunning: true });
    expect(await h.req('31 01 02 03')).toEqual(['71 01 02 03 01 92 22 88 83']);
    h.ecu.setVehicleState({ voltage: 8, ignition: true, speedKmh: 0, engineRunning: false });
    expect(await h.req('31 01 02 03')).toEqual(['71 01 02 03 01 93']);
    expect(await h.req('31 03 02 03')).toEqual(['71 03 02 03 01 93']);
    h.ecu.close();
  });

  it('answers 0x31 unknown RID, 0x12 stop of a routine without stop, 0x24 results before start', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('31 01 12 34')).toEqual(['7F 31 31']);
    expect(await h.req('31 02 02 03')).toEqual(['7F 31 12']);
    expect(await h.req('31 03 02 03')).toEqual(['7F 31 24']);
    expect(await h.req('31 04 02 03')).toEqual(['7F 31 12']);
    expect(await h.req('31 01 02')).toEqual(['7F 31 13']);
    expect(await h.req('31 01 02 03', { functional: true })).toEqual(['71 01 02 03 00']);
    expect(await h.req('31 01 12 34', { functional: true })).toEqual([]);
    h.ecu.close();
  });

  it('supports user routines with stop (0x24 when not running)', async () => {
    const h = harness();
    let running = false;
    h.ecu.registerRoutine({
      id: 0x0301,
      name: 'demo',
      start: () => {
        running = true;
        return Uint8Array.of(0x01);
      },
      stop: () => {
        running = false;
        return Uint8Array.of(0x02);
      },
    });
    await h.req('10 03');
    expect(await h.req('31 02 03 01')).toEqual(['7F 31 24']);
    expect(await h.req('31 01 03 01')).toEqual(['71 01 03 01 01']);
    expect(running).toBe(true);
    expect(await h.req('31 02 03 01')).toEqual(['71 02 03 01 02']);
    expect(await h.req('31 02 03 01')).toEqual(['7F 31 24']);
    expect(await h.req('31 03 03 01')).toEqual(['71 03 03 01 02']);
    h.ecu.close();
  });
});
