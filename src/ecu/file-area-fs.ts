/**
 * The file area on disk: `<ecu state dir>/files/` holds the files as plain files (the ECU's path
 * `logs/a.txt` is `files/logs/a.txt`), and `<ecu state dir>/files-partial/` holds interrupted or running
 * downloads, each as `<id>.data` (the bytes received) and `<id>.json` (its 38 request), where `<id>` is
 * derived from the path.
 *
 * Crash safety (spec/bootloader-and-flashing.md "Persistence"): a downloaded file lands with one rename
 * of its fsync'ed partial into `files/` (the old content or the new one, never a mix); the request of a
 * partial and the initial files are written to a temporary file, fsync'ed and renamed; the first start
 * builds `files/` in a staging directory and renames it into place, so the initial files appear whole or
 * are written again at the next start.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { crc32 } from '../core/crc.js';
import { errnoOf as errno, syncDirectory, writeFileAtomic } from './persistence/atomic-file.js';
import type { FilesConfig } from './config-files.js';
import {
  compareNames,
  FileAreaError,
  initialFileKey,
  type FileArea,
  type FileEntry,
  type FileStat,
  type PartialFileInfo,
  type PartialFileInit,
} from './file-area.js';

function isPartialInit(v: unknown): v is PartialFileInit {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  const num = (k: string): boolean => typeof o[k] === 'number' && Number.isSafeInteger(o[k]) && (o[k] as number) >= 0;
  return typeof o['key'] === 'string' && num('modeOfOperation') && num('dataFormatIdentifier') && num('fileSizeUncompressed') && num('fileSizeCompressed');
}

/** A file area in `<ecuDir>/files/` (see the module doc). */
export class FsFileArea implements FileArea {
  /** The directory holding the files. */
  readonly location: string;
  private readonly partialDir: string;
  private opening: Promise<void> | undefined;

  /**
   * @param ecuDir the ECU's state directory (`ecuStateDirectory(stateDir, address)`)
   * @param initial the profile's initial files, written when `files/` does not exist yet
   */
  constructor(ecuDir: string, private readonly initial: FilesConfig['initial'] = []) {
    this.location = join(ecuDir, 'files');
    this.partialDir = join(ecuDir, 'files-partial');
  }

  open(): Promise<void> {
    this.opening ??= this.guard('open', '', () => this.create()).catch((e: unknown) => {
      this.opening = undefined;
      throw e;
    });
    return this.opening;
  }

  stat(key: string): Promise<FileStat | undefined> {
    return this.guard('stat', key, async () => {
      if (key === '') return { kind: 'directory' };
      try {
        const s = await stat(this.pathOf(key));
        if (s.isFile()) return { kind: 'file', size: s.size };
        if (s.isDirectory()) return { kind: 'directory' };
        return undefined;
      } catch (e) {
        if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') return undefined;
        throw e;
      }
    });
  }

  readFile(key: string): Promise<Uint8Array> {
    return this.guard('read', key, async () => new Uint8Array(await readFile(this.pathOf(key))));
  }

  list(key: string): Promise<FileEntry[]> {
    return this.guard('list', key, async () => {
      const dir = this.pathOf(key);
      const out: FileEntry[] = [];
      for (const d of await readdir(dir, { withFileTypes: true })) {
        if (d.isDirectory()) out.push({ name: d.name, kind: 'directory', size: 0 });
        else if (d.isFile()) out.push({ name: d.name, kind: 'file', size: (await stat(join(dir, d.name))).size });
      }
      return out.sort(compareNames);
    });
  }

  usedBytes(): Promise<number> {
    return this.guard('measure', '', async () => {
      let total = 0;
      const stack = [this.location];
      for (let dir = stack.pop(); dir !== undefined; dir = stack.pop()) {
        for (const d of await readdir(dir, { withFileTypes: true })) {
          if (d.isDirectory()) stack.push(join(dir, d.name));
          else if (d.isFile()) total += (await stat(join(dir, d.name))).size;
        }
      }
      return total;
    });
  }

  deleteFile(key: string): Promise<void> {
    return this.guard('delete', key, async () => {
      const file = this.pathOf(key);
      await unlink(file);
      // Directories are implicit: remove the ones this delete left empty.
      let dir = dirname(file);
      while (dir !== this.location && dir.startsWith(this.location)) {
        try {
          await rmdir(dir);
        } catch {
          break;
        }
        dir = dirname(dir);
      }
      await syncDirectory(dir);
      await this.removePartial(key);
    });
  }

  beginPartial(init: PartialFileInit): Promise<void> {
    return this.guard('start a download of', init.key, async () => {
      await this.removePartial(init.key);
      const { data, meta } = this.partialFiles(init.key);
      await writeFile(data, new Uint8Array(0));
      const json = JSON.stringify({
        key: init.key,
        modeOfOperation: init.modeOfOperation,
        dataFormatIdentifier: init.dataFormatIdentifier,
        fileSizeUncompressed: init.fileSizeUncompressed,
        fileSizeCompressed: init.fileSizeCompressed,
      });
      await writeFileAtomic(meta, Uint8Array.from(Buffer.from(json, 'utf8')), { tempDir: this.partialDir });
    });
  }

  partial(key: string): Promise<PartialFileInfo | undefined> {
    return this.guard('look up the download of', key, async () => {
      const { data, meta } = this.partialFiles(key);
      let init: unknown;
      let position: number;
      try {
        init = JSON.parse(await readFile(meta, 'utf8'));
        position = (await stat(data)).size;
      } catch (e) {
        if (errno(e) === 'ENOENT' || e instanceof SyntaxError) return undefined;
        throw e;
      }
      if (!isPartialInit(init) || init.key !== key || position > init.fileSizeCompressed) return undefined;
      return { ...init, position };
    });
  }

  appendPartial(key: string, data: Uint8Array): Promise<void> {
    return this.guard('write to', key, async () => {
      // 'r+': a partial that is not there (never begun, or discarded) is an error, not a new file.
      const fh = await open(this.partialFiles(key).data, 'r+');
      try {
        await fh.write(data, 0, data.length, (await fh.stat()).size);
      } finally {
        await fh.close();
      }
    });
  }

  commitPartial(key: string): Promise<number> {
    return this.guard('complete', key, async () => {
      const { data, meta } = this.partialFiles(key);
      const fh = await open(data, 'r+');
      let crc: number;
      try {
        crc = crc32(new Uint8Array(await fh.readFile()));
        await fh.sync();
      } finally {
        await fh.close();
      }
      const target = this.pathOf(key);
      await mkdir(dirname(target), { recursive: true });
      // The one step that makes the file: rename of the complete, fsync'ed partial (same file system).
      await rename(data, target);
      await syncDirectory(dirname(target));
      await rm(meta, { force: true });
      return crc;
    });
  }

  discardPartial(key: string): Promise<void> {
    return this.guard('discard the download of', key, () => this.removePartial(key));
  }

  /** Creates `files/` with the initial files (in a staging directory, renamed into place) unless it exists. */
  private async create(): Promise<void> {
    await mkdir(this.partialDir, { recursive: true });
    try {
      await stat(this.location);
      return;
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw e;
    }
    const staging = `${this.location}.staging`;
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
    for (const f of this.initial) {
      const file = join(staging, ...initialFileKey(f.path).split('/'));
      await mkdir(dirname(file), { recursive: true });
      await writeFileAtomic(file, f.value, { tempDir: this.partialDir });
    }
    await rename(staging, this.location);
    await syncDirectory(dirname(this.location));
  }

  private async removePartial(key: string): Promise<void> {
    const { data, meta } = this.partialFiles(key);
    await rm(meta, { force: true });
    await rm(data, { force: true });
  }

  private pathOf(key: string): string {
    return key === '' ? this.location : join(this.location, ...key.split('/'));
  }

  private partialFiles(key: string): { data: string; meta: string } {
    const id = createHash('sha256').update(key, 'latin1').digest('hex').slice(0, 32);
    return { data: join(this.partialDir, `${id}.data`), meta: join(this.partialDir, `${id}.json`) };
  }

  /** Opens the area first, and turns a storage failure into a {@link FileAreaError} naming the path. */
  private async guard<T>(what: string, key: string, fn: () => Promise<T>): Promise<T> {
    if (what !== 'open') await this.open();
    try {
      return await fn();
    } catch (e) {
      if (e instanceof FileAreaError) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      throw new FileAreaError(`file area ${this.location}: cannot ${what} "${key}": ${reason}`, { key, errno: errno(e) }, { cause: e });
    }
  }
}
