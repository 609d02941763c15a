/**
 * RequestFileTransfer (0x38) on the simulated ECU, over the in-memory link: every mode, the 36/37 that
 * carry the data, resume after an interruption, and each NRC.
 */
import { describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import type { TransferProgress } from '../../../src/ecu/transfer.js';
import { harness, u32, type Harness } from './helpers.js';

/** maxBlockLength 0x12: 16 data bytes per block. */
const SMALL = { files: { maxBlockLength: 0x12 } };

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function pattern(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);
}

/** filePathAndNameLength + filePathAndName. */
function path(p: string): string {
  return `${toHex([p.length >> 8, p.length & 0xff])} ${toHex(ascii(p))}`.trim();
}

/** `38 mode path 00 02 size size` (AddFile / ReplaceFile / ResumeFile with 2-byte sizes). */
function download(mode: number, p: string, size: number, compressed = size, dfi = 0): string {
  const u16 = (v: number): string => toHex([v >> 8, v & 0xff]);
  return `38 ${toHex([mode])} ${path(p)} ${toHex([dfi])} 02 ${u16(size)} ${u16(compressed)}`;
}

async function extendedUnlocked(h: Harness): Promise<void> {
  expect((await h.req('10 03'))[0]).toMatch(/^50 03/);
  await h.unlock(0x01);
}

/** Sends `data` in 16-byte blocks from counter 1; returns the number of blocks. */
async function sendBlocks(h: Harness, data: Uint8Array, firstCounter = 1): Promise<void> {
  let counter = firstCounter;
  for (let at = 0; at < data.length; at += 16) {
    const c = toHex([counter & 0xff]);
    expect(await h.req(`36 ${c} ${toHex(data.subarray(at, at + 16))}`)).toEqual([`76 ${c}`]);
    counter++;
  }
}

/** AddFile (or `mode`) of `data` at `p` through 38, 36..., 37. */
async function put(h: Harness, p: string, data: Uint8Array, mode = 0x01): Promise<void> {
  expect(await h.req(download(mode, p, data.length))).toEqual([`78 ${toHex([mode])} 01 12 00`]);
  await sendBlocks(h, data);
  expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
}

/** ReadFile / ReadDir upload: collects the 36 responses until 0x31, checks the 37 CRC. */
async function readAll(h: Harness, size: number): Promise<Uint8Array> {
  const out: number[] = [];
  for (let counter = 1; out.length < size; counter++) {
    const [rsp] = await h.req(`36 ${toHex([counter & 0xff])}`);
    expect(rsp?.startsWith(`76 ${toHex([counter & 0xff])}`)).toBe(true);
    out.push(...(rsp ?? '').split(' ').slice(2).map((x) => parseInt(x, 16)));
  }
  const data = Uint8Array.from(out);
  expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
  return data;
}

async function get(h: Harness, p: string): Promise<Uint8Array> {
  const [rsp] = await h.req(`38 04 ${path(p)} 00`);
  const m = /^78 04 01 12 00 00 (0[1-8]) ((?:[0-9A-F]{2} ?)+)$/.exec(rsp ?? '');
  if (!m) throw new Error(`ReadFile ${p}: ${rsp}`);
  const n = parseInt(m[1] as string, 16);
  const sizes = (m[2] as string).split(' ').map((x) => parseInt(x, 16));
  const size = sizes.slice(0, n).reduce((a, b) => a * 256 + b, 0);
  expect(sizes.slice(n).reduce((a, b) => a * 256 + b, 0)).toBe(size); // compressed = uncompressed
  return readAll(h, size);
}

async function listing(h: Harness, p: string): Promise<string> {
  const [rsp] = await h.req(`38 05 ${path(p)}`);
  const m = /^78 05 01 12 00 00 (0[1-8]) ((?:[0-9A-F]{2} ?)+)$/.exec(rsp ?? '');
  if (!m) throw new Error(`ReadDir ${p}: ${rsp}`);
  const size = (m[2] as string).split(' ').reduce((a, x) => a * 256 + parseInt(x, 16), 0);
  return String.fromCharCode(...(await readAll(h, size)));
}

describe('RequestFileTransfer (0x38) on the ECU file area', () => {
  it('adds a file in blocks, reads it back, and lists directories', async () => {
    const h = harness(SMALL);
    await extendedUnlocked(h);
    const a = pattern(40);
    await put(h, '/logs/a.bin', a);
    await put(h, 'logs/b.txt', ascii('hello'));
    await put(h, 'top', ascii('xyz'));
    expect(toHex(await get(h, '/logs/a.bin'))).toBe(toHex(a));
    expect(await listing(h, '/')).toBe('logs/\ntop\t3\n');
    expect(await listing(h, '/logs/')).toBe('a.bin\t40\nb.txt\t5\n');
    expect(await listing(h, '')).toBe('logs/\ntop\t3\n');
    h.ecu.close();
  });

  it('replaces a file, adds with ReplaceFile when it is missing, deletes at once', async () => {
    const h = harness(SMALL);
    await extendedUnlocked(h);
    await put(h, 'f', pattern(20));
    await put(h, 'f', pattern(7, 1), 0x03);
    expect(toHex(await get(h, 'f'))).toBe(toHex(pattern(7, 1)));
    await put(h, 'new', pattern(3), 0x03);
    expect(await h.req(`38 02 ${path('f')}`)).toEqual(['78 02']);
    expect(await h.req(`38 04 ${path('f')} 00`)).toEqual(['7F 38 31']);
    expect(await h.req(`38 02 ${path('f')}`)).toEqual(['7F 38 31']);
    expect(await listing(h, '/')).toBe('new\t3\n');
    h.ecu.close();
  });

  it('adds, reads and lists an empty file; an empty directory listing has length 0', async () => {
    const h = harness(SMALL);
    await extendedUnlocked(h);
    expect(await h.req(`38 05 ${path('/')}`)).toEqual(['78 05 01 12 00 00 01 00']);
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(new Uint8Array(0)))}`]);
    expect(await h.req(download(0x01, 'empty', 0))).toEqual(['78 01 01 12 00']);
    expect(await h.req('37')).toEqual(['77 00 00 00 00']);
    expect(await h.req(`38 04 ${path('empty')} 00`)).toEqual(['78 04 01 12 00 00 01 00 00']);
    expect(await h.req('36 01')).toEqual(['7F 36 31']);
    expect(await h.req('37')).toEqual(['77 00 00 00 00']);
    h.ecu.close();
  });

  it('serves the profile initial files', async () => {
    const h = harness({ files: { ...SMALL.files, initial: [{ path: '/cfg/gain.txt', value: 'gain=1' }] } });
    await extendedUnlocked(h);
    expect(String.fromCharCode(...(await get(h, 'cfg/gain.txt')))).toBe('gain=1');
    expect(await listing(h, '/')).toBe('cfg/\n');
    h.ecu.close();
  });

  it('applies the counter and length rules of 34/35 to file transfers', async () => {
    const h = harness(SMALL);
    await extendedUnlocked(h);
    expect(await h.req(download(0x01, 'f', 40))).toEqual(['78 01 01 12 00']);
    expect(await h.req(`36 02 ${toHex(pattern(16))}`)).toEqual(['7F 36 73']); // wrong counter
    expect(await h.req(`36 01 ${toHex(pattern(17))}`)).toEqual(['7F 36 31']); // longer than 0x12 - 2
    expect(await h.req('36 01')).toEqual(['7F 36 13']); // no data
    expect(await h.req(`36 01 ${toHex(pattern(16))}`)).toEqual(['76 01']);
    expect(await h.req(`36 01 ${toHex(pattern(16, 9))}`)).toEqual(['76 01']); // a repeat: not written again
    expect(await h.req('37')).toEqual(['7F 37 24']); // 16 of 40 bytes
    expect(await h.req(`36 02 ${toHex(pattern(16, 16))}`)).toEqual(['76 02']);
    expect(await h.req(`36 03 ${toHex(pattern(16))}`)).toEqual(['7F 36 31']); // more than announced
    expect(await h.req(`36 03 ${toHex(pattern(8, 32))}`)).toEqual(['76 03']);
    const expected = Uint8Array.from([...pattern(16), ...pattern(16, 16), ...pattern(8, 32)]);
    expect(await h.req('37')).toEqual([`77 ${u32(crc32(expected))}`]);
    expect(toHex(await get(h, 'f'))).toBe(toHex(expected));
    h.ecu.close();
  });

  it('reports file transfers as transfer progress events', async () => {
    const h = harness(SMALL);
    await extendedUnlocked(h);
    const seen: TransferProgress[] = [];
    h.ecu.events.on('transfer', (p) => seen.push(p));
    await put(h, 'dir/f', pattern(20));
    expect(seen.map((p) => [p.direction, p.transferred, p.done, p.region, p.file?.path, p.file?.modeOfOperation])).toEqual([
      ['download', 0, false, 'files', 'dir/f', 1],
      ['download', 16, false, 'files', 'dir/f', 1],
      ['download', 20, false, 'files', 'dir/f', 1],
      ['download', 20, true, 'files', 'dir/f', 1],
    ]);
    h.ecu.close();
  });

  describe('ResumeFile (06)', () => {
    it('continues a download interrupted by a return to the default session, from filePosition', async () => {
      const h = harness(SMALL);
      await extendedUnlocked(h);
      const data = pattern(40, 3);
      expect(await h.req(download(0x01, 'big.bin', 40))).toEqual(['78 01 01 12 00']);
      await sendBlocks(h, data.subarray(0, 32));
      expect(await h.req('10 01')).toEqual(['50 01 00 32 01 F4']); // suspends the download
      expect(await h.req(`38 04 ${path('big.bin')} 00`)).toEqual(['7F 38 7F']);
      await extendedUnlocked(h);
      expect(await h.req(`38 04 ${path('big.bin')} 00`)).toEqual(['7F 38 31']); // not there yet
      expect(await h.req(download(0x06, 'big.bin', 40))).toEqual(['78 06 01 12 00 00 00 00 00 00 00 00 20']);
      expect(await h.req(`36 01 ${toHex(data.subarray(32))}`)).toEqual(['76 01']);
      expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]); // CRC of the whole file
      expect(toHex(await get(h, 'big.bin'))).toBe(toHex(data));
      expect(await h.req(download(0x06, 'big.bin', 40))).toEqual(['7F 38 24']); // nothing left to resume
      h.ecu.close();
    });

    it('resumes after an S3 timeout and after an ECU reset', async () => {
      const h = harness(SMALL);
      await extendedUnlocked(h);
      const data = pattern(48);
      await h.req(download(0x03, 'r', 48));
      await sendBlocks(h, data.subarray(0, 16));
      await h.advance(5100); // S3: back to the default session
      expect(h.ecu.state.session).toBe(0x01);
      await extendedUnlocked(h);
      expect(await h.req(download(0x06, 'r', 48))).toEqual(['78 06 01 12 00 00 00 00 00 00 00 00 10']);
      await sendBlocks(h, data.subarray(16, 32));
      expect(await h.req('11 01')).toEqual(['51 01']);
      await h.advance(100);
      await extendedUnlocked(h);
      expect(await h.req(download(0x06, 'r', 48))).toEqual(['78 06 01 12 00 00 00 00 00 00 00 00 20']);
      await sendBlocks(h, data.subarray(32));
      expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
      h.ecu.close();
    });

    it('takes over the download of the same file that is still running (the tester lost track)', async () => {
      const h = harness(SMALL);
      await extendedUnlocked(h);
      const data = pattern(20);
      await h.req(download(0x01, 'x', 20));
      await sendBlocks(h, data.subarray(0, 16));
      expect(await h.req(download(0x06, 'y', 20))).toEqual(['7F 38 22']); // another path: busy
      expect(await h.req(download(0x06, 'x', 20))).toEqual(['78 06 01 12 00 00 00 00 00 00 00 00 10']);
      await sendBlocks(h, data.subarray(16));
      expect(await h.req('37')).toEqual([`77 ${u32(crc32(data))}`]);
      h.ecu.close();
    });

    it('refuses sizes or DFI that differ from the interrupted request (0x31); a new AddFile discards the partial', async () => {
      const h = harness({ ...SMALL, transfer: { dataFormatIdentifiers: [0x00, 0x10] } });
      await extendedUnlocked(h);
      await h.req(download(0x01, 'p', 40));
      await sendBlocks(h, pattern(16));
      await h.req('10 03');
      await h.unlock(0x01);
      expect(await h.req(download(0x06, 'p', 41))).toEqual(['7F 38 31']);
      expect(await h.req(download(0x06, 'p', 40, 20, 0x10))).toEqual(['7F 38 31']);
      expect(await h.req(download(0x06, '/p/', 40))).toEqual(['7F 38 31']); // a directory path
      expect(await h.req(download(0x01, 'p', 4))).toEqual(['78 01 01 12 00']);
      await h.req('10 03');
      await h.unlock(0x01);
      expect(await h.req(download(0x06, 'p', 4))).toEqual(['78 06 01 12 00 00 00 00 00 00 00 00 00']);
      h.ecu.close();
    });
  });

  describe('NRCs', () => {
    it('is refused in the default session (0x7F) and while locked (0x33); 36/37 follow 38', async () => {
      const h = harness(SMALL);
      expect(await h.req(`38 05 ${path('/')}`)).toEqual(['7F 38 7F']);
      await h.req('10 03');
      expect(await h.req(`38 05 ${path('/')}`)).toEqual(['7F 38 33']);
      expect(await h.req('36 01')).toEqual(['7F 36 33']);
      await h.unlock(0x01);
      expect(await h.req('36 01')).toEqual(['7F 36 24']);
      expect(await h.req('37')).toEqual(['7F 37 24']);
      expect(await h.req(`38 05 ${path('/')}`)).toEqual(['78 05 01 12 00 00 01 00']);
      h.ecu.close();
    });

    it('follows files.sessions / securityLevels, and is absent with files.enabled false (0x11)', async () => {
      const open = harness({ files: { sessions: [1, 3], securityLevels: [] } });
      expect(await open.req(`38 05 ${path('/')}`)).toEqual(['78 05 02 10 02 00 00 01 00']);
      expect(await open.req('37')).toHaveLength(1);
      open.ecu.close();
      const off = harness({ files: { enabled: false } });
      await extendedUnlocked(off);
      expect(await off.req(`38 05 ${path('/')}`)).toEqual(['7F 38 11']);
      off.ecu.close();
    });

    it('checks format (0x13), mode (0x31), path (0x31) and DFI (0x31)', async () => {
      const h = harness({ ...SMALL, files: { ...SMALL.files, maxPathLength: 12 } });
      await extendedUnlocked(h);
      expect(await h.req('38 01 00')).toEqual(['7F 38 13']);
      expect(await h.req(`38 02 ${path('a')} 00`)).toEqual(['7F 38 13']);
      expect(await h.req(`38 07 ${path('a')}`)).toEqual(['7F 38 31']);
      for (const bad of ['a/../b', 'a//b', './a', 'a\\b', 'a:b', 'abcdefghijklm', '', 'a\u0000b', 'a\tb']) {
        expect(await h.req(download(0x01, bad, 1))).toEqual(['7F 38 31']);
      }
      expect(await h.req(download(0x01, 'a', 1, 1, 0x11))).toEqual(['7F 38 31']); // DFI not supported
      expect(await h.req(`38 04 ${path('a')} 11`)).toEqual(['7F 38 31']);
      h.ecu.close();
    });

    it('refuses AddFile of an existing file, paths through files and directories as files (0x31)', async () => {
      const h = harness(SMALL);
      await extendedUnlocked(h);
      await put(h, 'd/f', pattern(2));
      expect(await h.req(download(0x01, 'd/f', 2))).toEqual(['7F 38 31']); // exists: use ReplaceFile
      expect(await h.req(download(0x01, 'd/f/g', 2))).toEqual(['7F 38 31']); // d/f is a file
      expect(await h.req(download(0x03, 'd', 2))).toEqual(['7F 38 31']); // d is a directory
      expect(await h.req(download(0x01, 'd/', 2))).toEqual(['7F 38 31']); // directory syntax
      expect(await h.req(`38 04 ${path('d')} 00`)).toEqual(['7F 38 31']); // ReadFile of a directory
      expect(await h.req(`38 05 ${path('d/f')}`)).toEqual(['7F 38 31']); // ReadDir of a file
      expect(await h.req(`38 05 ${path('nothing')}`)).toEqual(['7F 38 31']);
      expect(await h.req(`38 02 ${path('d')}`)).toEqual(['7F 38 31']); // DeleteFile of a directory
      h.ecu.close();
    });

    it('refuses inconsistent sizes (0x31), too large files and a full area (0x70)', async () => {
      const h = harness({ files: { maxBlockLength: 0x12, maxFileSize: 64, maxTotalBytes: 100 } });
      await extendedUnlocked(h);
      expect(await h.req(download(0x01, 'a', 10, 12))).toEqual(['7F 38 31']); // DFI 00: sizes must agree
      expect(await h.req(download(0x01, 'a', 65))).toEqual(['7F 38 70']);
      await put(h, 'a', pattern(60));
      expect(await h.req(download(0x01, 'b', 41))).toEqual(['7F 38 70']); // 60 + 41 > 100
      await put(h, 'b', pattern(40));
      expect(await h.req(download(0x03, 'a', 60))).toEqual(['78 03 01 12 00']); // replacing frees the old size
      h.ecu.close();
    });

    it('is busy (0x22, or transfer.busyNrc) while any transfer is active, and 37 before all data is 0x24', async () => {
      const h = harness(SMALL);
      await extendedUnlocked(h);
      await h.req(download(0x01, 'a', 20));
      expect(await h.req(`38 05 ${path('/')}`)).toEqual(['7F 38 22']);
      expect(await h.req(`38 02 ${path('a')}`)).toEqual(['7F 38 22']);
      expect(await h.req('37')).toEqual(['7F 37 24']);
      h.ecu.close();

      const h2 = harness({ ...SMALL, transfer: { busyNrc: 0x70 } });
      await h2.req('10 02');
      await h2.unlock(0x01);
      await h2.req(`35 00 44 ${u32(0)} ${u32(16)}`);
      expect(await h2.req(`38 05 ${path('/')}`)).toEqual(['7F 38 70']);
      h2.ecu.close();
    });
  });
});
