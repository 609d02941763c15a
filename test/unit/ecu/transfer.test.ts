import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { FakeClock } from '../../../src/core/clock.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { MemoryBus } from '../../../src/core/memory-link.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { shiftMulXor } from '../../../src/uds/security/algorithms.js';
import { TransferManager, type TransferProgress } from '../../../src/ecu/transfer.js';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { MemoryMap } from '../../../src/ecu/memory-map.js';
import { ProgrammingLog } from '../../../src/ecu/programming-log.js';
import { SparseMemory } from '../../../src/ecu/sparse-memory.js';
import { harness, programmingUnlocked, u32, type Harness } from './helpers.js';

/** maxNumberOfBlockLength 0x12: 16 data bytes per block. */
const SMALL = { transfer: { maxNumberOfBlockLength: 0x12 } };

function pattern(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
}

async function erase(h: Harness, address: number, size: number): Promise<void> {
  expect(await h.req(`31 01 FF 00 44 ${u32(address)} ${u32(size)}`)).toEqual(['71 01 FF 00 00']);
}

describe('RequestDownload / TransferData / RequestTransferExit', () => {
  it('downloads 300 blocks with the counter wrapping FF -> 00, and answers the CRC32 in 77', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await erase(h, 0, 0x2000);
    const data = pattern(300 * 16);
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(data.length)}`)).toEqual(['74 10 12']);
    const counters: number[] = [];
    for (let i = 0; i < 300; i++) {
      const counter = (i + 1) & 0xff;
      counters.push(counter);
      const block = data.subarray(i * 16, i * 16 + 16);
      expect(await h.req(`36 ${toHex([counter])} ${toHex(block)}`)).toEqual([`76 ${toHex([counter])}`]);
    }
    expect(counters.slice(253, 258)).toEqual([0xfe, 0xff, 0x00, 0x01, 0x02]);
    expect(h.ecu.state.transfer).toMatchObject({ direction: 'download', transferred: 4800, blocks: 300, lastCounter: 300 & 0xff });
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
    expect(h.ecu.state.transfer).toBeUndefined();
    expect(toHex(h.ecu.memory.read(0, data.length))).toBe(toHex(data));
    h.ecu.close();
  });

  it('accepts a repeated block without writing it again; a wrong counter is 0x73', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await erase(h, 0, 0x1000);
    await h.req(`34 00 44 ${u32(0)} ${u32(32)}`);
    expect(await h.req(`36 01 ${toHex(pattern(16, 1))}`)).toEqual(['76 01']);
    expect(await h.req(`36 01 ${toHex(pattern(16, 9))}`)).toEqual(['76 01']);
    expect(toHex(h.ecu.memory.read(0, 16))).toBe(toHex(pattern(16, 1)));
    expect(await h.req(`36 03 ${toHex(pattern(16))}`)).toEqual(['7F 36 73']);
    expect(await h.req(`36 00 ${toHex(pattern(16))}`)).toEqual(['7F 36 73']);
    expect(await h.req(`36 02 ${toHex(pattern(16, 2))}`)).toEqual(['76 02']);
    expect(h.ecu.state.transfer?.transferred).toBe(32);
    h.ecu.close();
  });

  it('refuses 37 before every announced byte arrived (0x24), then completes', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await erase(h, 0, 0x1000);
    await h.req(`34 00 44 ${u32(0)} ${u32(20)}`);
    await h.req(`36 01 ${toHex(pattern(16))}`);
    expect(await h.req('37')).toEqual(['7F 37 24']);
    // More than announced: 16 more bytes would exceed 20.
    expect(await h.req(`36 02 ${toHex(pattern(16))}`)).toEqual(['7F 36 31']);
    expect(await h.req('36 02 01 02 03 04')).toEqual(['76 02']);
    expect(await h.req('37')).toHaveLength(1);
    h.ecu.close();
  });

  it('rejects blocks longer than maxNumberOfBlockLength - 2 with the overflow NRC', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await erase(h, 0, 0x1000);
    await h.req(`34 00 44 ${u32(0)} ${u32(64)}`);
    expect(await h.req(`36 01 ${toHex(pattern(17))}`)).toEqual(['7F 36 31']);
    expect(await h.req('36 01')).toEqual(['7F 36 13']);
    h.ecu.close();

    const h2 = harness({ transfer: { maxNumberOfBlockLength: 0x12, overflowNrc: 0x71, acceptMaxBlockLengthAsData: true } });
    await programmingUnlocked(h2);
    await erase(h2, 0, 0x1000);
    expect(await h2.req(`34 00 44 ${u32(0)} ${u32(64)}`)).toEqual(['74 10 12']);
    expect(await h2.req(`36 01 ${toHex(pattern(19))}`)).toEqual(['7F 36 71']);
    expect(await h2.req(`36 01 ${toHex(pattern(18))}`)).toEqual(['76 01']);
    h2.ecu.close();
  });

  it('needs an erased target (0x70 at 34) and erased flash while writing (0x72 at 36)', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    // Unerased fresh flash reads FF (erased); program something first.
    await h.req(`34 00 44 ${u32(0)} ${u32(16)}`);
    await h.req(`36 01 ${toHex(pattern(16, 3))}`);
    await h.req('37');
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(16)}`)).toEqual(['7F 34 70']);
    await erase(h, 0, 0x1000);
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(32)}`)).toEqual(['74 10 12']);
    h.ecu.memory.write(0x10, Uint8Array.of(0x00)); // a cell that is not erased any more
    expect(await h.req(`36 01 ${toHex(pattern(16))}`)).toEqual(['76 01']);
    expect(await h.req(`36 02 ${toHex(pattern(16))}`)).toEqual(['7F 36 72']);
    h.ecu.close();
  });

  it('checks DFI, range, region rights, ALFID and an already active transfer', async () => {
    const h = harness({
      ...SMALL,
      memory: [
        { name: 'boot', kind: 'boot', start: 0, size: 0x1000 },
        { name: 'flash', start: 0x1000, size: 0x4000 },
      ],
    });
    await programmingUnlocked(h);
    expect(await h.req(`34 11 44 ${u32(0x1000)} ${u32(16)}`)).toEqual(['7F 34 31']); // DFI
    expect(await h.req(`34 00 44 ${u32(0x4ff0)} ${u32(32)}`)).toEqual(['7F 34 31']); // beyond the region
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(16)}`)).toEqual(['7F 34 31']); // boot: not downloadable
    expect(await h.req(`34 00 44 ${u32(0x1000)} ${u32(0)}`)).toEqual(['7F 34 31']); // size 0
    expect(await h.req('34 00 05 00 00 00 00 00')).toEqual(['7F 34 13']); // ALFID nibble 0
    expect(await h.req('34 00 44 00 00 10 00 00 00 00')).toEqual(['7F 34 13']); // short
    expect(await h.req(`35 00 44 ${u32(0)} ${u32(16)}`)).toEqual(['75 10 12']); // boot is uploadable
    expect(await h.req(`34 00 22 10 00 00 10`)).toEqual(['7F 34 22']); // busy
    h.ecu.close();

    const h2 = harness({ transfer: { busyNrc: 0x70 } });
    await programmingUnlocked(h2);
    await h2.req(`35 00 44 ${u32(0)} ${u32(16)}`);
    expect(await h2.req(`35 00 44 ${u32(0)} ${u32(16)}`)).toEqual(['7F 35 70']);
    h2.ecu.close();
  });

  it('needs the programming session and security, and an active transfer (0x24)', async () => {
    const h = harness();
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(16)}`)).toEqual(['7F 34 7F']);
    await h.req('10 02');
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(16)}`)).toEqual(['7F 34 33']);
    expect(await h.req('36 01 00')).toEqual(['7F 36 33']);
    await h.unlock();
    expect(await h.req('36 01 00')).toEqual(['7F 36 24']);
    expect(await h.req('37')).toEqual(['7F 37 24']);
    expect(await h.req('36')).toEqual(['7F 36 13']);
    h.ecu.close();
  });

  it('aborts the transfer on a session change', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await h.req(`34 00 44 ${u32(0x20000000)} ${u32(16)}`);
    await h.req('10 02');
    await h.unlock();
    expect(await h.req('36 01 00')).toEqual(['7F 36 24']);
    h.ecu.close();
  });

  it('downloads into RAM without erase and reports progress events', async () => {
    const h = harness(SMALL);
    const events: TransferProgress[] = [];
    h.ecu.events.on('transfer', (p) => events.push(p));
    await programmingUnlocked(h);
    for (const seed of [1, 2]) {
      await h.req(`34 00 44 ${u32(0x20000000)} ${u32(16)}`);
      expect(await h.req(`36 01 ${toHex(pattern(16, seed))}`)).toEqual(['76 01']);
      expect(await h.req('37')).toEqual([`77 ${u32(crc32(pattern(16, seed)))}`]);
    }
    expect(events.map((e) => [e.transferred, e.done])).toEqual([
      [0, false],
      [16, false],
      [16, true],
      [0, false],
      [16, false],
      [16, true],
    ]);
    h.ecu.close();
  });

  it('calls onProgress only while wantsProgress() says so', async () => {
    const config = parseEcuConfig({ address: 0x1010, transfer: { maxNumberOfBlockLength: 0x12 } });
    const memory = new SparseMemory();
    let wanted = false;
    const seen: number[] = [];
    const manager = new TransferManager({
      config: config.transfer,
      memory,
      map: new MemoryMap(config.memory),
      log: new ProgrammingLog(),
      clock: new FakeClock(),
      onProgress: (p) => seen.push(p.transferred),
      wantsProgress: () => wanted,
    });
    const ram = config.memory.find((r) => r.kind === 'ram');
    if (!ram) throw new Error('the default profile has a RAM region');
    manager.requestDownload({ dataFormatIdentifier: 0, memoryAddress: ram.start, memorySize: 32 }, 4095);
    await manager.transferData(1, pattern(16));
    wanted = true;
    await manager.transferData(2, pattern(16, 1));
    expect(seen).toEqual([32]);
  });

  it('caps maxNumberOfBlockLength at what the link carries', async () => {
    const clock = new FakeClock();
    const bus = new MemoryBus();
    const tester = bus.attach(0x0e00);
    const ecu = new SimulatedEcu({ address: 0x1010 }, { clock });
    ecu.attach(bus.attach(0x1010, { maxMessageSize: 4095 }));
    const got: string[] = [];
    tester.events.on('message', (m) => got.push(toHex(m.data)));
    for (const hex of ['10 02', '27 01']) {
      await tester.send({ target: 0x1010, data: fromHex(hex) });
      await clock.advance(0);
    }
    // Unlock with the seed the ECU sent.
    const key = shiftMulXor(fromHex(got[1] ?? '').slice(2), 1, new Uint8Array(0), {});
    await tester.send({ target: 0x1010, data: Uint8Array.of(0x27, 0x02, ...key) });
    await tester.send({ target: 0x1010, data: fromHex(`35 00 44 ${u32(0)} ${u32(16)}`) });
    await clock.advance(0);
    expect(got.slice(2)).toEqual(['67 02', '75 20 0F FF']);
    ecu.close();
  });
});

describe('RequestUpload', () => {
  it('uploads a size that is not a multiple of the block, last block shorter, then 0x31, then 77 CRC', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    const data = pattern(37, 5);
    h.ecu.memory.write(0x100, data);
    expect(await h.req(`35 00 44 ${u32(0x100)} ${u32(37)}`)).toEqual(['75 10 12']);
    expect(await h.req('36 01')).toEqual([`76 01 ${toHex(data.subarray(0, 16))}`]);
    expect(await h.req('36 02')).toEqual([`76 02 ${toHex(data.subarray(16, 32))}`]);
    expect(await h.req('36 02')).toEqual([`76 02 ${toHex(data.subarray(16, 32))}`]); // repeat
    expect(await h.req('36 03')).toEqual([`76 03 ${toHex(data.subarray(32))}`]);
    expect(await h.req('36 04')).toEqual(['7F 36 31']);
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
    h.ecu.close();
  });

  it('reads unwritten flash as its erased value and RAM as 00', async () => {
    const h = harness(SMALL);
    await programmingUnlocked(h);
    await h.req(`35 00 44 ${u32(0x0fff0)} ${u32(4)}`);
    expect(await h.req('36 01')).toEqual(['76 01 FF FF FF FF']);
    expect(await h.req('37')).toHaveLength(1);
    await h.req(`35 00 14 ${u32(0x20000000)} 02`);
    expect(await h.req('36 01')).toEqual(['76 01 00 00']);
    h.ecu.close();
  });
});
