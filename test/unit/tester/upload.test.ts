import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import { uintToBytes } from '../../../src/core/bytes.js';
import { Tester } from '../../../src/tester/tester.js';
import { CrcMismatchError, TransferStepError } from '../../../src/tester/errors.js';
import type { UploadProgress } from '../../../src/tester/upload.js';
import type { ScriptedEcu, Reply } from '../uds/client/scripted-ecu.js';
import { setup, track } from '../uds/client/helpers.js';

const memory = Uint8Array.from({ length: 4096 }, (_, i) => (i * 13 + 5) & 0xff);

/**
 * An uploading ECU over `memory` from address 0: answers 35 with `response75`, each empty `36 cc` with
 * the next `perBlock` bytes (a repeated counter resends the same block), 37 with the CRC32.
 */
function uploadEcu(
  ecu: ScriptedEcu,
  o: { expect35: string; response75: string; perBlock: number; size: number; on36?: (counter: number, attempt: number) => Reply[] | undefined; exit?: string },
): { counters: number[] } {
  const counters: number[] = [];
  let offset = 0;
  let last: { counter: number; bytes: Uint8Array; attempt: number } | undefined;
  ecu.handle((req) => {
    const hex = toHex(req);
    if (req[0] === 0x35) {
      if (hex !== o.expect35) throw new Error(`35 request ${hex}, expected ${o.expect35}`);
      return [o.response75];
    }
    if (req[0] === 0x36) {
      if (req.length !== 2) return ['7F 36 13'];
      const counter = req[1] as number;
      counters.push(counter);
      if (last && counter === last.counter) {
        last.attempt++;
      } else {
        if (offset >= o.size) return ['7F 36 31'];
        const bytes = memory.slice(offset, Math.min(offset + o.perBlock, o.size));
        offset += bytes.length;
        last = { counter, bytes, attempt: 1 };
      }
      return o.on36?.(counter, last.attempt) ?? [toHex([0x76, counter, ...last.bytes])];
    }
    if (req[0] === 0x37) return [o.exit ?? toHex([0x77, ...uintToBytes(crc32(memory.subarray(0, offset)), 4)])];
    return undefined;
  });
  return { counters };
}

describe('Tester.upload', () => {
  it('reads a size that is not a multiple of the block size; the last block is shorter', async () => {
    const { ecu, client } = setup();
    // 75 20 0102: 258 - 2 = 256 data bytes per block; 1000 = 256 + 256 + 256 + 232
    const u = uploadEcu(ecu, { expect35: '35 00 44 00 00 00 00 00 00 03 E8', response75: '75 20 01 02', perBlock: 256, size: 1000 });
    const progress: UploadProgress[] = [];
    const back = await new Tester(client).upload(0, 1000, { onProgress: (p) => progress.push(p) });
    expect(back).toEqual(memory.subarray(0, 1000));
    expect(u.counters).toEqual([1, 2, 3, 4]);
    expect(progress.map((p) => [p.block, p.blocks, p.bytesReceived, p.address])).toEqual([
      [1, 4, 256, 0],
      [2, 4, 512, 256],
      [3, 4, 768, 512],
      [4, 4, 1000, 768],
    ]);
  });

  it('wraps the counter on a long upload', async () => {
    const { ecu, client } = setup();
    const u = uploadEcu(ecu, { expect35: '35 00 44 00 00 00 00 00 00 01 2C', response75: '75 10 03', perBlock: 1, size: 300 });
    const back = await new Tester(client).upload(0, 300);
    expect(back).toEqual(memory.subarray(0, 300));
    expect(u.counters.slice(253, 257)).toEqual([0xfe, 0xff, 0x00, 0x01]);
  });

  it('repeats a block whose response was lost and gets the same data again', async () => {
    const { ecu, client, clock } = setup();
    const u = uploadEcu(ecu, {
      expect35: '35 00 44 00 00 00 00 00 00 00 30',
      response75: '75 10 12',
      perBlock: 16,
      size: 48,
      on36: (counter, attempt) => (counter === 2 && attempt === 1 ? [] : undefined),
    });
    const t = track(new Tester(client).upload(0, 48));
    await clock.advance(150);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(t.value).toEqual(memory.subarray(0, 48));
    expect(u.counters).toEqual([1, 2, 2, 3]);
  });

  it('more bytes than requested -> TransferStepError naming the block', async () => {
    const { ecu, client } = setup();
    uploadEcu(ecu, { expect35: '35 00 44 00 00 00 00 00 00 00 0A', response75: '75 10 12', perBlock: 16, size: 16 });
    const e = (await new Tester(client).upload(0, 10).catch((x: unknown) => x)) as TransferStepError;
    expect(e).toBeInstanceOf(TransferStepError);
    expect(e.message).toMatch(/^upload block 1 at 0x00000000 \(counter 0x01\): .*the ECU sent 6 byte\(s\) more than the 10 requested/);
  });

  it('an empty block -> error instead of looping', async () => {
    const { ecu, client } = setup();
    uploadEcu(ecu, { expect35: '35 00 44 00 00 00 00 00 00 00 0A', response75: '75 10 12', perBlock: 16, size: 10, on36: (c) => [toHex([0x76, c])] });
    await expect(new Tester(client).upload(0, 10)).rejects.toThrow(/the ECU sent an empty block/);
  });

  it('a wrong CRC in the 77 response -> CrcMismatchError', async () => {
    const { ecu, client } = setup();
    uploadEcu(ecu, { expect35: '35 00 44 00 00 00 00 00 00 00 10', response75: '75 10 12', perBlock: 16, size: 16, exit: '77 00 00 00 00' });
    await expect(new Tester(client).upload(0, 16)).rejects.toBeInstanceOf(CrcMismatchError);
  });

  it('reports each block before the next request leaves, and checks the CRC over all blocks', async () => {
    const { ecu, client, testerLink } = setup();
    uploadEcu(ecu, { expect35: '35 00 44 00 00 00 00 00 00 00 30', response75: '75 10 12', perBlock: 16, size: 48, exit: '77 00 00 00 00' });
    const log: string[] = [];
    const send = testerLink.send.bind(testerLink);
    testerLink.send = (m) => {
      log.push(`sent ${toHex(m.data)}`);
      return send(m);
    };
    const e = (await new Tester(client)
      .upload(0, 48, { onProgress: (p) => log.push(`progress ${p.block}`) })
      .catch((x: unknown) => x)) as CrcMismatchError;
    expect(log.filter((l) => !l.startsWith('sent 35'))).toEqual(['sent 36 01', 'progress 1', 'sent 36 02', 'progress 2', 'sent 36 03', 'progress 3', 'sent 37']);
    expect(e).toBeInstanceOf(CrcMismatchError);
    expect(e.expected).toBe(crc32(memory.subarray(0, 48)));
  });

  it('validates the size', async () => {
    const { client } = setup();
    await expect(new Tester(client).upload(0, 0)).rejects.toThrow(/size must be a positive integer/);
  });
});
