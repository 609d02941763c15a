/**
 * The tester's file helpers (putFile, resumeFile, getFile, listDirectory, deleteFile) against the
 * simulated ECU over the in-memory bus, on a FakeClock.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { crc32 } from '../../../src/core/crc.js';
import { MemoryBus } from '../../../src/core/memory-link.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { NegativeResponseError } from '../../../src/uds/client/errors.js';
import { UdsClient } from '../../../src/uds/client/uds-client.js';
import { CrcMismatchError, FileTransferError } from '../../../src/tester/errors.js';
import type { FileProgress } from '../../../src/tester/file-transfer.js';
import { Tester } from '../../../src/tester/tester.js';
import { track } from '../uds/client/helpers.js';

const UNLOCK = { algorithm: 'doipsimu-pin', secret: '2345' };

/** Runs `p` while moving fake time forward 1 ms at a time (bounded), so ECU timers fire. */
async function drive<T>(clock: FakeClock, p: Promise<T>, maxMs = 60_000): Promise<T> {
  const t = track(p);
  for (let ms = 0; ms < maxMs && !t.settled; ms++) await clock.advance(1);
  await t.done;
  if (!t.settled) throw new Error(`not done after ${maxMs} ms of fake time`);
  if (t.error !== undefined) throw t.error;
  return t.value as T;
}

async function build(): Promise<{ clock: FakeClock; ecu: SimulatedEcu; tester: Tester; client: UdsClient }> {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const ecu = new SimulatedEcu(
    {
      address: 0x1010,
      security: [{ level: 0x01, algorithm: 'doipsimu-pin', secret: '2345' }],
      // 0x22 = SID + counter + 32 data bytes.
      files: { maxBlockLength: 0x22, initial: [{ path: '/etc/id.txt', value: 'ECU-1010' }] },
    },
    { clock },
  );
  ecu.attach(bus.attach(0x1010));
  const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010, clock });
  const tester = new Tester(client);
  await drive(clock, tester.openSession(0x03));
  await drive(clock, tester.unlock(0x01, UNLOCK));
  return { clock, ecu, tester, client };
}

function pattern(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 29 + seed + (i >> 8)) & 0xff);
}

describe('Tester file helpers against SimulatedEcu', () => {
  it('puts a file with progress, gets it back, lists, replaces and deletes', async () => {
    const { clock, tester, client } = await build();
    const data = pattern(1000);
    const progress: FileProgress[] = [];
    const r = await drive(clock, tester.putFile('/logs/trace.bin', data, { onProgress: (p) => progress.push(p) }));
    expect(r).toMatchObject({ bytes: 1000, filePosition: 0, blocks: 32, crc32: crc32(data), crcVerifiedByEcu: true, maxNumberOfBlockLength: 0x22 });
    expect(progress).toHaveLength(32);
    expect(progress[31]).toMatchObject({ path: '/logs/trace.bin', direction: 'download', block: 32, blocks: 32, bytes: 1000, totalBytes: 1000, offset: 992 });

    const got: FileProgress[] = [];
    expect(await drive(clock, tester.getFile('logs/trace.bin', { onProgress: (p) => got.push(p) }))).toEqual(data);
    expect(got.map((p) => p.bytes).slice(-2)).toEqual([992, 1000]);
    expect(got[0]).toMatchObject({ direction: 'upload', totalBytes: 1000 });

    expect((await drive(clock, tester.listDirectory('/'))).entries).toEqual([
      { name: 'etc', kind: 'directory', size: 0 },
      { name: 'logs', kind: 'directory', size: 0 },
    ]);
    const logs = await drive(clock, tester.listDirectory('/logs'));
    expect(logs.entries).toEqual([{ name: 'trace.bin', kind: 'file', size: 1000 }]);
    expect(String.fromCharCode(...logs.raw)).toBe('trace.bin\t1000\n');
    expect(String.fromCharCode(...(await drive(clock, tester.getFile('/etc/id.txt'))))).toBe('ECU-1010');

    await drive(clock, tester.putFile('/logs/trace.bin', pattern(5), { replace: true }));
    expect(await drive(clock, tester.getFile('/logs/trace.bin'))).toEqual(pattern(5));
    await drive(clock, tester.deleteFile('/logs/trace.bin'));
    expect((await drive(clock, tester.listDirectory('/'))).entries.map((e) => e.name)).toEqual(['etc']);
    // An empty file works both ways.
    await drive(clock, tester.putFile('/empty', new Uint8Array(0)));
    expect(await drive(clock, tester.getFile('/empty'))).toEqual(new Uint8Array(0));
    await client.close();
  });

  it('resumes an interrupted put from the ECU filePosition', async () => {
    const { clock, tester, client } = await build();
    const data = pattern(500, 7);
    const stop = new AbortController();
    const e = await drive(
      clock,
      tester
        .putFile('/big.bin', data, { signal: stop.signal, onProgress: (p) => (p.block === 5 ? stop.abort() : undefined) })
        .catch((x: unknown) => x),
    );
    expect(e).toBeInstanceOf(FileTransferError);
    expect(e).toMatchObject({ path: '/big.bin', step: 'transferData', block: 6, offset: 160, modeOfOperation: 0x01 });
    // The tester starts over: new session (the ECU suspends the download), unlock, resume.
    await drive(clock, tester.openSession(0x03));
    await drive(clock, tester.unlock(0x01, UNLOCK));
    const progress: FileProgress[] = [];
    const r = await drive(clock, tester.resumeFile('/big.bin', data, { onProgress: (p) => progress.push(p) }));
    expect(r).toMatchObject({ bytes: 500, filePosition: 160, crc32: crc32(data), crcVerifiedByEcu: true });
    expect(r.blocks).toBe(Math.ceil(340 / 32));
    expect(progress[0]).toMatchObject({ offset: 160, bytes: 192, totalBytes: 500, counter: 1 });
    expect(await drive(clock, tester.getFile('/big.bin'))).toEqual(data);
    await client.close();
  });

  it('names the mode, file and step of a refusal; checks the ECU CRC', async () => {
    const { clock, ecu, tester, client } = await build();
    await drive(clock, tester.putFile('/a', pattern(3)));
    const exists = (await drive(clock, tester.putFile('/a', pattern(3)).catch((x: unknown) => x))) as FileTransferError;
    expect(exists).toBeInstanceOf(FileTransferError);
    expect(exists.message).toMatch(/^AddFile "\/a" requestFileTransfer: .*0x31/);
    expect(exists.cause).toBeInstanceOf(NegativeResponseError);
    const missing = (await drive(clock, tester.getFile('/nope').catch((x: unknown) => x))) as FileTransferError;
    expect(missing).toMatchObject({ step: 'requestFileTransfer', modeOfOperation: 0x04 });
    await expect(drive(clock, tester.deleteFile('/nope'))).rejects.toThrow(/DeleteFile "\/nope"/);
    const resumeNothing = (await drive(clock, tester.resumeFile('/b', pattern(3)).catch((x: unknown) => x))) as FileTransferError;
    expect((resumeNothing.cause as NegativeResponseError).nrc).toBe(0x24);

    ecu.registerService(0x37, () => Uint8Array.of(0x77, 0xde, 0xad, 0xbe, 0xef));
    const bad = await drive(clock, tester.putFile('/c', pattern(40)).catch((x: unknown) => x));
    expect(bad).toBeInstanceOf(CrcMismatchError);
    expect((bad as Error).message).toMatch(/file "\/c" \(40 bytes\)/);
    await client.close();
  });
});
