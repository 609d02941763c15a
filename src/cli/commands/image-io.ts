/**
 * File I/O of the `udskit image` sub-commands, streaming both ways so that a large file costs about the
 * size of its image in memory, not a multiple of it: input is read in chunks into a {@link FirmwareReader}
 * (S-record and Intel HEX parsed as they come, binary into one buffer of the file's size), output is written
 * chunk by chunk to a temporary file next to the target and renamed over it at the end, so a failed
 * conversion never leaves a half-written file (the target keeps its old content, or does not appear).
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UdskitError } from '../../core/errors.js';
import { FirmwareReader, type FirmwareFile, type ReadFirmwareOptions } from '../../firmware/firmware-file.js';

/** Bytes read per chunk (one buffer, reused). */
const READ_CHUNK = 1 << 20;

/** A file could not be read or written (missing, a directory, no permission, disk full). */
export class ImageFileError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, 'UDSKIT_IMAGE_FILE', details, options);
  }
}

function errno(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

const WHY: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
  ENOTDIR: 'a part of the path is not a directory',
};

/** An {@link ImageFileError} saying why `path` cannot be read or written. */
export function fileError(what: 'read' | 'write', path: string, e: unknown): ImageFileError {
  const code = errno(e);
  const why = (code !== undefined ? WHY[code] : undefined) ?? (e as Error).message;
  const hint = what === 'write' && code === 'ENOENT' ? 'check that the directory exists' : 'check the path';
  return new ImageFileError(`cannot ${what} ${path}: ${why}${code ? ` (${code})` : ''}; ${hint}`, { file: path, ...(code ? { errno: code } : {}) }, { cause: e });
}

/**
 * Reads the firmware file `path` in chunks (format detected from the content unless `options.format` forces
 * one). Throws an {@link ImageFileError} when the file cannot be read, else the readers' errors.
 */
export async function readFirmwareFile(path: string, options: ReadFirmwareOptions): Promise<FirmwareFile> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw fileError('read', path, e);
  }
  try {
    let size: number;
    try {
      size = (await fh.stat()).size;
    } catch (e) {
      throw fileError('read', path, e);
    }
    // The file size sizes the image's buffers once (text) or is the buffer (binary).
    const reader = new FirmwareReader(options, size);
    const buf = Buffer.allocUnsafe(READ_CHUNK);
    // Bounded by the file's length: every round reads at least one byte or ends.
    for (;;) {
      let n: number;
      try {
        n = (await fh.read(buf, 0, buf.length, null)).bytesRead;
      } catch (e) {
        throw fileError('read', path, e);
      }
      if (n === 0) break;
      reader.push(buf.subarray(0, n));
    }
    return reader.end();
  } finally {
    await fh.close();
  }
}

/**
 * Writes `chunks` to `path` through a temporary file in the same directory, renamed over `path` once all is
 * written (each chunk is written before the next is asked for, so the chunks may share one buffer). Returns
 * the bytes written. On any failure (an I/O error, or an error thrown while making the chunks) the temporary
 * file is removed and `path` is left as it was. Throws an {@link ImageFileError} for I/O errors.
 */
export async function writeFileChunks(path: string, chunks: Iterable<Uint8Array>): Promise<number> {
  const temp = join(dirname(path), `.${basename(path)}.udskit-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  let fh: FileHandle;
  try {
    fh = await open(temp, 'wx');
  } catch (e) {
    throw fileError('write', path, e);
  }
  let total = 0;
  try {
    try {
      for (const chunk of chunks) {
        // Bounded: every write moves at least one byte or throws.
        for (let at = 0; at < chunk.length; ) at += (await fh.write(chunk, at, chunk.length - at)).bytesWritten;
        total += chunk.length;
      }
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true });
    throw errno(e) !== undefined ? fileError('write', path, e) : e;
  }
  return total;
}
