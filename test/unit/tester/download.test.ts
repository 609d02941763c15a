import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { TimeoutError } from '../../../src/core/errors.js';
import { toHex, fromHex } from '../../../src/core/hex.js';
import { uintToBytes } from '../../../src/core/bytes.js';
import { FakeClock } from '../../../src/core/clock.js';
import { MemoryBus } from '../../../src/core/memory-link.js';
import { NegativeResponseError } from '../../../src/uds/client/errors.js';
import { UdsClient } from '../../../src/uds/client/uds-client.js';
import { Tester } from '../../../src/tester/tester.js';
import { CrcMismatchError, TransferStepError } from '../../../src/tester/errors.js';
import type { DownloadProgress } from '../../../src/tester/download.js';
import { ScriptedEcu, type Reply } from '../uds/client/scripted-ecu.js';
import { setup, track } from '../uds/client/helpers.js';

/** Deterministic test data. */
function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + (i >> 8)) & 0xff);
}

/**
 * A downloading ECU: answers 34 with `maxHex` (the 74 response), checks each 36 counter, collects the
 * data, answers 37 with `exit` (default the CRC32 of what it received). `on36` may override a block's replies.
 */
function flashEcu(
  ecu: ScriptedEcu,
  o: { expect34: string; response74: string; exit?: (got: Uint8Array) => string; on36?: (counter: number, attempt: number) => Reply[] | undefined },
): { counters: number[]; written: () => Uint8Array } {
  const counters: number[] = [];
  const chunks: Uint8Array[] = [];
  const attempts = new Map<number, number>();
  let expected = 1;
  ecu.handle((req) => {
    const hex = toHex(req);
    if (req[0] === 0x34) {
      if (hex !== o.expect34) throw new Error(`34 request ${hex}, expected ${o.expect34}`);
      return [o.response74];
    }
    if (req[0] === 0x36) {
      const counter = req[1] as number;
      counters.push(counter);
      let attempt = 1;
      if (counter === expected) {
        chunks.push(req.slice(2));
        expected = (expected + 1) & 0xff;
      } else if (counter === ((expected + 255) & 0xff)) {
        attempt = (attempts.get(chunks.length - 1) ?? 1) + 1; // a repeat of the previous block: not written again
      } else {
        return [toHex([0x7f, 0x36, 0x73])];
      }
      attempts.set(chunks.length - 1, attempt);
      const custom = o.on36?.(counter, attempt);
      return custom ?? [toHex([0x76, counter])];
    }
    if (req[0] === 0x37) {
      const got = Uint8Array.from(chunks.flatMap((c) => [...c]));
      return [o.exit ? o.exit(got) : toHex([0x77, ...uintToBytes(crc32(got), 4)])];
    }
    return undefined;
  });
  return { counters, written: () => Uint8Array.from(chunks.flatMap((c) => [...c])) };
}

describe('Tester.download', () => {
  it('300 blocks: block size from the 74 response, counter 01..FF, 00, 01.., CRC compared', async () => {
    const { ecu, client } = setup();
    const data = pattern(300 * 16 - 5); // 4795 = 0x12BB bytes; the last block has 11 bytes
    // 74 20 0012: maxNumberOfBlockLength 18 = SID + counter + 16 data bytes
    const f = flashEcu(ecu, { expect34: '34 00 44 00 00 10 00 00 00 12 BB', response74: '74 20 00 12' });
    const progress: DownloadProgress[] = [];
    const r = await new Tester(client).download(0x1000, data, { onProgress: (p) => progress.push(p) });
    expect(r).toMatchObject({ bytes: 4795, blocks: 300, crc32: crc32(data), crcVerifiedByEcu: true, maxNumberOfBlockLength: 18 });
    expect(f.written()).toEqual(data);
    expect(f.counters).toHaveLength(300);
    expect(f.counters.slice(253, 258)).toEqual([0xfe, 0xff, 0x00, 0x01, 0x02]);
    expect(f.counters[299]).toBe(300 & 0xff);
    expect(progress).toHaveLength(300);
    expect(progress[0]).toMatchObject({ block: 1, blocks: 300, bytesSent: 16, totalBytes: 4795, address: 0x1000, counter: 1 });
    expect(progress[299]).toMatchObject({ block: 300, bytesSent: 4795, address: 0x1000 + 299 * 16, counter: 0x2c });
    ecu.assertDone();
  });

  it('blockLengthIsDataSize reads maxNumberOfBlockLength as the data size (doipsimu quirk)', async () => {
    const { ecu, client } = setup();
    const data = pattern(64);
    const f = flashEcu(ecu, { expect34: '34 00 44 00 00 00 00 00 00 00 40', response74: '74 10 10' });
    const r = await new Tester(client).download(0, data, { blockLengthIsDataSize: true });
    expect(r.blocks).toBe(4); // 16 bytes per block instead of 14
    expect(f.written()).toEqual(data);
  });

  it('caps the block at what the link carries', async () => {
    const clock = new FakeClock();
    const bus = new MemoryBus();
    const link = bus.attach(0x0e00, { maxMessageSize: 12 });
    const ecu = new ScriptedEcu(bus, 0x1010, clock);
    const client = new UdsClient(link, { target: 0x1010, clock });
    const data = pattern(25);
    const f = flashEcu(ecu, { expect34: '34 00 44 00 00 00 00 00 00 00 19', response74: '74 20 0F FF' });
    const r = await new Tester(client).download(0, data);
    expect(r.blocks).toBe(3); // 10 + 10 + 5: 12-byte messages minus SID and counter
    expect(f.written()).toEqual(data);
  });

  it('repeats a block whose response was lost, with the same counter', async () => {
    const { ecu, client, clock } = setup();
    const data = pattern(5 * 14);
    const f = flashEcu(ecu, {
      expect34: '34 00 44 00 00 20 00 00 00 00 46',
      response74: '74 10 10',
      on36: (counter, attempt) => (counter === 3 && attempt === 1 ? [] : undefined), // first 36 03 answer lost
    });
    const t = track(new Tester(client).download(0x2000, data));
    await clock.advance(150);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(f.counters).toEqual([1, 2, 3, 3, 4, 5]);
    expect(f.written()).toEqual(data);
  });

  it('ignores the late answer of the first attempt when it arrives during the next block', async () => {
    const { ecu, client, clock } = setup();
    const data = pattern(5 * 14);
    const f = flashEcu(ecu, {
      expect34: '34 00 44 00 00 20 00 00 00 00 46',
      response74: '74 10 10',
      // The first answer to 36 03 comes 200 ms late (after P2 150 ms); the repeat is answered at once,
      // block 4 is answered after 100 ms, so the late 76 03 arrives while block 4 waits.
      on36: (counter, attempt) =>
        counter === 3 && attempt === 1 ? [{ afterMs: 200, hex: '76 03' }] : counter === 4 ? [{ afterMs: 100, hex: '76 04' }] : undefined,
    });
    const ignored: string[] = [];
    client.events.on('ignored', (m, reason) => ignored.push(`${toHex(m.data)}: ${reason}`));
    const t = track(new Tester(client).download(0x2000, data));
    await clock.advance(400);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(f.counters).toEqual([1, 2, 3, 3, 4, 5]);
    expect(ignored).toEqual(['76 03: late answer to an earlier request that timed out']);
  });

  it('a second lost response fails with an error naming the block and address', async () => {
    const { ecu, client, clock } = setup();
    flashEcu(ecu, {
      expect34: '34 00 44 00 00 20 00 00 00 00 46',
      response74: '74 10 10',
      on36: (counter) => (counter === 3 ? [] : undefined),
    });
    const t = track(new Tester(client).download(0x2000, pattern(70)));
    await clock.advance(300);
    await t.done;
    const e = t.error as TransferStepError;
    expect(e).toBeInstanceOf(TransferStepError);
    expect(e.code).toBe('UDSKIT_TRANSFER_FAILED');
    expect(e.message).toMatch(/^download block 3 at 0x0000201C \(counter 0x03\): TransferData \(0x36\) to ECU 0x1010: no response within P2client 150 ms/);
    expect(e.cause).toBeInstanceOf(TimeoutError);
    expect(e).toMatchObject({ block: 3, address: 0x201c, counter: 3, step: 'transferData' });
  });

  it('an NRC on block 17 names the step: "download block 17 at 0x00011000"', async () => {
    const { ecu, client } = setup();
    flashEcu(ecu, {
      expect34: '34 00 44 00 01 00 00 00 00 20 00',
      response74: '74 20 01 02', // 258 -> 256 data bytes per block
      on36: (counter) => (counter === 17 ? ['7F 36 72'] : undefined),
    });
    const e = (await new Tester(client).download(0x10000, pattern(0x2000)).catch((x: unknown) => x)) as TransferStepError;
    expect(e.message).toMatch(
      /^download block 17 at 0x00011000 \(counter 0x11\): TransferData \(0x36\) refused by ECU 0x1010: generalProgrammingFailure \(0x72\)/,
    );
    expect(e.cause).toBeInstanceOf(NegativeResponseError);
    expect((e.cause as NegativeResponseError).nrc).toBe(0x72);
  });

  it('a refused RequestDownload names the step', async () => {
    const { ecu, client } = setup();
    ecu.expect('34 00 44 00 00 10 00 00 00 00 10', '7F 34 70');
    const e = (await new Tester(client).download(0x1000, pattern(16)).catch((x: unknown) => x)) as TransferStepError;
    expect(e.message).toMatch(/^download requestDownload at 0x00001000: RequestDownload \(0x34\) refused by ECU 0x1010: uploadDownloadNotAccepted \(0x70\)/);
  });

  it('a wrong CRC in the 77 response -> CrcMismatchError', async () => {
    const { ecu, client } = setup();
    const data = pattern(32);
    flashEcu(ecu, { expect34: '34 00 44 00 00 00 00 00 00 00 20', response74: '74 10 22', exit: () => '77 DE AD BE EF' });
    const e = (await new Tester(client).download(0, data).catch((x: unknown) => x)) as CrcMismatchError;
    expect(e).toBeInstanceOf(CrcMismatchError);
    expect(e.code).toBe('UDSKIT_CRC_MISMATCH');
    expect(e.reported).toBe(0xdeadbeef);
    expect(e.expected).toBe(crc32(data));
  });

  it('a 77 without a 4-byte record is accepted without an ECU CRC check', async () => {
    const { ecu, client } = setup();
    flashEcu(ecu, { expect34: '34 00 44 00 00 00 00 00 00 00 20', response74: '74 10 22', exit: () => '77' });
    const r = await new Tester(client).download(0, pattern(32));
    expect(r.crcVerifiedByEcu).toBe(false);
  });

  it('maxNumberOfBlockLength 2 leaves no room for data', async () => {
    const { ecu, client } = setup();
    ecu.expect('34 00 44 00 00 00 00 00 00 00 01', '74 10 02');
    await expect(new Tester(client).download(0, fromHex('00'))).rejects.toThrow(/maxNumberOfBlockLength 2 leaves no room for data/);
  });
});
