/**
 * The ECU file area (0x38): the same behaviour in memory and on disk (a temporary directory under
 * os.tmpdir(), removed afterwards), plus what only the disk area does: survive a restart, land files
 * with one rename, write the initial files only once.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { FileAreaError, formatDirectoryListing, MemoryFileArea, parseDirectoryListing, type FileArea } from '../../../src/ecu/file-area.js';
import { FsFileArea } from '../../../src/ecu/file-area-fs.js';
import { isParsedFilePath, parseFilePath } from '../../../src/ecu/file-path.js';
import { ecuStateDirectory } from '../../../src/ecu/state-dir.js';

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'udskit-files-'));
  temps.push(d);
  return d;
}
afterAll(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);
const INITIAL = [{ path: '/cfg/a.txt', value: bytes('alpha') }];

const kinds: [string, () => Promise<FileArea>][] = [
  ['memory', async () => new MemoryFileArea(INITIAL)],
  ['disk', async () => new FsFileArea(await tempDir(), INITIAL)],
];

describe.each(kinds)('%s file area', (_kind, make) => {
  it('holds the initial files, stats files and implicit directories', async () => {
    const area = await make();
    await area.open();
    expect(await area.stat('')).toEqual({ kind: 'directory' });
    expect(await area.stat('cfg')).toEqual({ kind: 'directory' });
    expect(await area.stat('cfg/a.txt')).toEqual({ kind: 'file', size: 5 });
    expect(await area.stat('cfg/none')).toBeUndefined();
    expect(await area.stat('cfg/a.txt/x')).toBeUndefined();
    expect(text(await area.readFile('cfg/a.txt'))).toBe('alpha');
    expect(await area.usedBytes()).toBe(5);
  });

  it('keeps a download as a partial until commit, then lands it whole', async () => {
    const area = await make();
    const init = { key: 'logs/x.bin', modeOfOperation: 1, dataFormatIdentifier: 0, fileSizeUncompressed: 6, fileSizeCompressed: 6 };
    await area.beginPartial(init);
    await area.appendPartial('logs/x.bin', bytes('abc'));
    expect(await area.partial('logs/x.bin')).toEqual({ ...init, position: 3 });
    expect(await area.stat('logs/x.bin')).toBeUndefined(); // not visible before 37
    await area.appendPartial('logs/x.bin', bytes('def'));
    expect(await area.commitPartial('logs/x.bin')).toBe(crc32(bytes('abcdef')));
    expect(await area.partial('logs/x.bin')).toBeUndefined();
    expect(text(await area.readFile('logs/x.bin'))).toBe('abcdef');
    expect(await area.usedBytes()).toBe(11);
    // A new begin discards an old partial.
    await area.beginPartial({ ...init, key: 'p' });
    await area.appendPartial('p', bytes('zz'));
    await area.beginPartial({ ...init, key: 'p', fileSizeCompressed: 9, fileSizeUncompressed: 9 });
    expect((await area.partial('p'))?.position).toBe(0);
    await area.discardPartial('p');
    expect(await area.partial('p')).toBeUndefined();
  });

  it('lists directories sorted, and removes directories a delete leaves empty', async () => {
    const area = await make();
    for (const [k, v] of [['d/z', 'zz'], ['d/e/f', 'f'], ['b', 'bbb']] as const) {
      await area.beginPartial({ key: k, modeOfOperation: 1, dataFormatIdentifier: 0, fileSizeUncompressed: v.length, fileSizeCompressed: v.length });
      await area.appendPartial(k, bytes(v));
      await area.commitPartial(k);
    }
    expect(await area.list('')).toEqual([
      { name: 'b', kind: 'file', size: 3 },
      { name: 'cfg', kind: 'directory', size: 0 },
      { name: 'd', kind: 'directory', size: 0 },
    ]);
    expect(text(formatDirectoryListing(await area.list('d')))).toBe('e/\nz\t2\n');
    await area.deleteFile('d/e/f');
    expect(await area.stat('d/e')).toBeUndefined();
    expect(await area.list('d')).toEqual([{ name: 'z', kind: 'file', size: 2 }]);
    await area.deleteFile('d/z');
    expect(await area.stat('d')).toBeUndefined();
  });

  it('throws FileAreaError for a partial that does not exist', async () => {
    const area = await make();
    await expect(area.appendPartial('nope', bytes('x'))).rejects.toBeInstanceOf(FileAreaError);
    await expect(area.commitPartial('nope')).rejects.toBeInstanceOf(FileAreaError);
  });
});

describe('disk file area', () => {
  it('lives in <stateDir>/<address>/files and keeps files and partials across a restart', async () => {
    const state = await tempDir();
    const ecuDir = ecuStateDirectory(state, 0x0e80);
    expect(ecuDir).toBe(join(state, '0e80'));
    const first = new FsFileArea(ecuDir, INITIAL);
    expect(first.location).toBe(join(ecuDir, 'files'));
    await first.beginPartial({ key: 'big', modeOfOperation: 3, dataFormatIdentifier: 0, fileSizeUncompressed: 10, fileSizeCompressed: 10 });
    await first.appendPartial('big', bytes('01234'));
    await first.deleteFile('cfg/a.txt');
    expect(await readdir(join(ecuDir, 'files'))).toEqual([]);

    const second = new FsFileArea(ecuDir, INITIAL); // a restart
    expect(await second.stat('cfg/a.txt')).toBeUndefined(); // initial files are written only once
    expect(await second.partial('big')).toMatchObject({ modeOfOperation: 3, position: 5, fileSizeCompressed: 10 });
    await second.appendPartial('big', bytes('56789'));
    await second.commitPartial('big');
    expect(await readFile(join(ecuDir, 'files', 'big'), 'latin1')).toBe('0123456789');
    expect((await readdir(join(ecuDir, 'files-partial'))).filter((n) => !n.startsWith('.'))).toEqual([]);
  });

  it('ignores a partial whose request file is damaged', async () => {
    const ecuDir = join(await tempDir(), '1010');
    const area = new FsFileArea(ecuDir);
    await area.beginPartial({ key: 'f', modeOfOperation: 1, dataFormatIdentifier: 0, fileSizeUncompressed: 4, fileSizeCompressed: 4 });
    const metas = (await readdir(join(ecuDir, 'files-partial'))).filter((n) => n.endsWith('.json'));
    expect(metas).toHaveLength(1);
    await writeFile(join(ecuDir, 'files-partial', metas[0] as string), '{"key": "f", "modeOf');
    expect(await area.partial('f')).toBeUndefined();
  });

  it('reports storage failures as FileAreaError naming the path', async () => {
    const state = await tempDir();
    await writeFile(join(state, 'blocker'), 'a file where the ECU directory should be');
    const area = new FsFileArea(join(state, 'blocker'));
    await expect(area.stat('x')).rejects.toThrow(FileAreaError);
    await expect(area.open()).rejects.toThrow(/blocker/);
  });
});

describe('file paths and listings', () => {
  it('normalises accepted paths', () => {
    expect(parseFilePath('/a/b.txt', 255)).toEqual({ parts: ['a', 'b.txt'], key: 'a/b.txt', isDirectorySyntax: false });
    expect(parseFilePath('a/b/', 255)).toEqual({ parts: ['a', 'b'], key: 'a/b', isDirectorySyntax: true });
    expect(parseFilePath('/', 255)).toEqual({ parts: [], key: '', isDirectorySyntax: true });
    expect(parseFilePath('', 255)).toEqual({ parts: [], key: '', isDirectorySyntax: true });
    expect(parseFilePath('with space.txt', 255)).toMatchObject({ key: 'with space.txt' });
  });

  it.each([
    ['a/../b', /'\.\.'/],
    ['./a', /'\.'/],
    ['a//b', /empty component/],
    ['//a', /empty component/],
    ['a\u0000', /0x00/],
    ['a\u007f', /0x7f/],
    ['\u00e9', /0xe9/],
    ['a\\b', /not allowed/],
    ['a?b', /not allowed/],
    ['x'.repeat(300), /at most 255/],
  ])('refuses %j', (p, why) => {
    const r = parseFilePath(p, p.length > 255 ? 1000 : 255);
    expect(isParsedFilePath(r)).toBe(false);
    expect(r).toMatch(why);
    expect(parseFilePath('abcdef', 5)).toMatch(/at most 5/);
  });

  it('parses the listing format back', () => {
    const entries = [
      { name: 'dir', kind: 'directory' as const, size: 0 },
      { name: 'f x', kind: 'file' as const, size: 12 },
    ];
    expect(text(formatDirectoryListing(entries))).toBe('dir/\nf x\t12\n');
    expect(parseDirectoryListing(formatDirectoryListing(entries))).toEqual(entries);
    expect(parseDirectoryListing(bytes('ok\t1\nbroken\nneg\t-1\n'))).toEqual([{ name: 'ok', kind: 'file', size: 1 }]);
  });
});
