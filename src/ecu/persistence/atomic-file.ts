/**
 * Atomic file replacement for the state directory (spec/bootloader-and-flashing.md "Persistence"):
 * the new content goes to a temporary file in the same directory (so the rename cannot cross file
 * systems), is fsync'ed, renamed over the target (rename(2) replaces a name atomically), and the
 * directory is fsync'ed so that the rename itself survives a power loss. A crash at any moment leaves
 * the target with its old content or its new content, never a mix; at worst a temporary file is left
 * behind, which {@link removeTempFiles} / {@link removeTempFilesSync} clear at the next start.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Prefix of temporary files; a file with it is debris of an interrupted write. */
export const TEMP_PREFIX = '.tmp-';

/** The steps of an atomic write, in order. */
export type AtomicWriteStep = 'write' | 'sync' | 'rename' | 'sync-directory';

/** Options of {@link writeFileAtomic} / {@link writeFileAtomicSync}. */
export interface AtomicWriteOptions {
  /** Directory of the temporary file; default the target's directory (must be on the same file system). */
  readonly tempDir?: string;
  /**
   * Called after each step with the temporary file's path (tests: throwing here simulates a failure or
   * a crash at that point; the write then rejects and the temporary file is removed unless the hook
   * removed or replaced it).
   */
  readonly afterStep?: (step: AtomicWriteStep, tempFile: string) => void;
}

/** The `code` of a Node.js system error, if `e` is one. */
export function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : undefined;
}

/** fsync on a directory is not possible on every platform / file system: these errors mean "not supported". */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'EBADF', 'EACCES']);

/** A fresh temporary file name in `dir` for `target`. */
function tempPath(dir: string, target: string): string {
  return join(dir, `${TEMP_PREFIX}${basename(target)}-${randomUUID()}`);
}

/** fsync of a directory, so that a rename or unlink in it is durable (ignored where unsupported). */
export async function syncDirectory(dir: string): Promise<void> {
  let fh;
  try {
    fh = await open(dir, 'r');
    await fh.sync();
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has(errnoOf(e) ?? '')) throw e;
  } finally {
    await fh?.close();
  }
}

/** Synchronous {@link syncDirectory}. */
export function syncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has(errnoOf(e) ?? '')) throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes `data` to a new temporary file next to `file` (or in `options.tempDir`) and fsyncs it; returns
 * its path. The first half of {@link writeFileAtomic}, for callers that decide later whether to rename.
 */
export async function writeTempFile(file: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<string> {
  const tmp = tempPath(options.tempDir ?? dirname(file), file);
  try {
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(data);
      options.afterStep?.('write', tmp);
      await fh.sync();
      options.afterStep?.('sync', tmp);
    } finally {
      await fh.close();
    }
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return tmp;
}

/** Synchronous {@link writeTempFile}. */
export function writeTempFileSync(file: string, data: Uint8Array, options: AtomicWriteOptions = {}): string {
  const tmp = tempPath(options.tempDir ?? dirname(file), file);
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
      options.afterStep?.('write', tmp);
      fsyncSync(fd);
      options.afterStep?.('sync', tmp);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return tmp;
}

/** Replaces `file` with `data` atomically and durably (see the module doc). */
export async function writeFileAtomic(file: string, data: Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const tmp = await writeTempFile(file, data, options);
  try {
    await rename(tmp, file);
    options.afterStep?.('rename', tmp);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  await syncDirectory(dirname(file));
  options.afterStep?.('sync-directory', tmp);
}

/** Synchronous {@link writeFileAtomic}: `file` holds `data` durably when it returns. */
export function writeFileAtomicSync(file: string, data: Uint8Array, options: AtomicWriteOptions = {}): void {
  const tmp = writeTempFileSync(file, data, options);
  try {
    renameSync(tmp, file);
    options.afterStep?.('rename', tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  syncDirectorySync(dirname(file));
  options.afterStep?.('sync-directory', tmp);
}

/** True for the name of a temporary file (debris of an interrupted write). */
export function isTempFile(name: string): boolean {
  return name.startsWith(TEMP_PREFIX);
}

/** Removes the temporary files an interrupted write left in `dir` (which exists); returns how many. */
export async function removeTempFiles(dir: string): Promise<number> {
  let n = 0;
  for (const name of await readdir(dir)) {
    if (!isTempFile(name)) continue;
    await rm(join(dir, name), { force: true });
    n++;
  }
  return n;
}

/** Synchronous {@link removeTempFiles}. */
export function removeTempFilesSync(dir: string): number {
  let n = 0;
  for (const name of readdirSync(dir)) {
    if (!isTempFile(name)) continue;
    rmSync(join(dir, name), { force: true });
    n++;
  }
  return n;
}
