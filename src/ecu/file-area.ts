/**
 * The file area of one simulated ECU: the file system that RequestFileTransfer (0x38, ISO 14229-1:2020
 * 15.6) adds to, replaces in, deletes from, reads and lists. Two implementations: {@link MemoryFileArea}
 * (default; gone when the process ends) and `FsFileArea` (file-area-fs.ts; a directory
 * `<stateDir>/<ecu address>/files/` that survives restarts).
 *
 * Paths are normalised keys (`logs/a.txt`, `""` = root; see file-path.ts). Directories are implicit:
 * a directory exists while a file lies below it.
 *
 * A download does not touch the file until it is complete: its bytes go to a *partial file* kept beside
 * the area (with the sizes and DFI of its 38 request). RequestTransferExit (37) makes the partial the file
 * in one step; a transfer that ends any other way (session change, S3 timeout, reset, lost tester)
 * leaves the partial where it is, so that ResumeFile (38 06) continues it from its length, also after the
 * tester reconnects. A new AddFile / ReplaceFile of the same path, or a DeleteFile, discards it.
 */
import { crc32 } from '../core/crc.js';
import { UdskitError } from '../core/errors.js';
import type { FilesConfig } from './config-files.js';
import { isParsedFilePath, parseFilePath } from './file-path.js';

/** What a path is in the area. */
export type FileStat = { readonly kind: 'file'; readonly size: number } | { readonly kind: 'directory' };

/** One entry of a directory listing. */
export interface FileEntry {
  /** The name inside its directory. */
  readonly name: string;
  /** `file` or `directory`. */
  readonly kind: 'file' | 'directory';
  /** Bytes of a file (0 for a directory). */
  readonly size: number;
}

/** The request that started a partial (interrupted or running) download. */
export interface PartialFileInit {
  /** Normalised path of the file it becomes. */
  readonly key: string;
  /** modeOfOperation that started it: 0x01 AddFile or 0x03 ReplaceFile. */
  readonly modeOfOperation: number;
  /** dataFormatIdentifier of that request. */
  readonly dataFormatIdentifier: number;
  /** fileSizeUnCompressed of that request. */
  readonly fileSizeUncompressed: number;
  /** fileSizeCompressed of that request: the bytes TransferData carries in total. */
  readonly fileSizeCompressed: number;
}

/** A partial download and how far it got. */
export interface PartialFileInfo extends PartialFileInit {
  /** Bytes stored so far: the filePosition a ResumeFile answers. */
  readonly position: number;
}

/**
 * Thrown by a file area when its storage fails (a disk error, no space, no permission). The 0x38 / 36 /
 * 37 handlers answer it with NRC 0x72 generalProgrammingFailure (writes) or 0x22 (reads).
 */
export class FileAreaError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, 'UDSKIT_FILE_AREA', details, options);
  }
}

/** Storage of an ECU file area. Every path argument is a normalised key (see file-path.ts). */
export interface FileArea {
  /** `memory`, or the directory that holds the files. */
  readonly location: string;
  /** Prepares the storage (creates it with the profile's initial files the first time). Idempotent. */
  open(): Promise<void>;
  /** What `key` is, or undefined when nothing is there. */
  stat(key: string): Promise<FileStat | undefined>;
  /** The content of the file `key` (which exists). */
  readFile(key: string): Promise<Uint8Array>;
  /** The entries of the directory `key` (which exists), sorted by name. */
  list(key: string): Promise<FileEntry[]>;
  /** Bytes of every file together. */
  usedBytes(): Promise<number>;
  /** Deletes the file `key` (which exists), its partial download if any, and directories left empty. */
  deleteFile(key: string): Promise<void>;
  /** Starts a partial download for `init.key`, discarding an earlier one. */
  beginPartial(init: PartialFileInit): Promise<void>;
  /** The partial download of `key`, if one exists. */
  partial(key: string): Promise<PartialFileInfo | undefined>;
  /** Appends one block to the partial download of `key`. */
  appendPartial(key: string, data: Uint8Array): Promise<void>;
  /** Makes the partial download of `key` the file, in one step; returns the CRC32 of the file. */
  commitPartial(key: string): Promise<number>;
  /** Removes the partial download of `key`, if any. */
  discardPartial(key: string): Promise<void>;
}

/**
 * The ReadDir listing udskit sends (ISO 14229-1:2020 15.6.3 leaves its format to the server): ASCII, one
 * line per entry in name order, `name<TAB>size<LF>` for a file and `name/<LF>` for a directory.
 */
export function formatDirectoryListing(entries: readonly FileEntry[]): Uint8Array {
  const text = entries.map((e) => (e.kind === 'directory' ? `${e.name}/\n` : `${e.name}\t${e.size}\n`)).join('');
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** Parses a listing of {@link formatDirectoryListing}; lines that do not fit the format are skipped. */
export function parseDirectoryListing(bytes: Uint8Array): FileEntry[] {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  const out: FileEntry[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.endsWith('/')) {
      out.push({ name: line.slice(0, -1), kind: 'directory', size: 0 });
      continue;
    }
    const tab = line.lastIndexOf('\t');
    const size = tab > 0 ? Number(line.slice(tab + 1)) : NaN;
    if (Number.isSafeInteger(size) && size >= 0) out.push({ name: line.slice(0, tab), kind: 'file', size });
  }
  return out;
}

/** The key of an initial file of the profile (its path was validated by the schema). */
export function initialFileKey(path: string): string {
  const parsed = parseFilePath(path, Number.MAX_SAFE_INTEGER);
  if (!isParsedFilePath(parsed)) throw new FileAreaError(`initial file "${path}": ${parsed}`, { path });
  return parsed.key;
}

/** Compares names the way listings are sorted (byte order). */
export function compareNames(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

interface MemoryPartial {
  readonly init: PartialFileInit;
  chunks: Uint8Array[];
  length: number;
}

/** A file area in memory: the default, and what unit tests use. Partial downloads live as long as the object. */
export class MemoryFileArea implements FileArea {
  readonly location = 'memory';
  private readonly files = new Map<string, Uint8Array>();
  private readonly partials = new Map<string, MemoryPartial>();
  private opened = false;

  /** `initial` are the profile's files (validated by the schema). */
  constructor(private readonly initial: FilesConfig['initial'] = []) {}

  async open(): Promise<void> {
    if (this.opened) return;
    this.opened = true;
    for (const f of this.initial) this.files.set(initialFileKey(f.path), f.value.slice());
  }

  async stat(key: string): Promise<FileStat | undefined> {
    await this.open();
    const file = this.files.get(key);
    if (file) return { kind: 'file', size: file.length };
    if (key === '') return { kind: 'directory' };
    const prefix = `${key}/`;
    for (const k of this.files.keys()) if (k.startsWith(prefix)) return { kind: 'directory' };
    return undefined;
  }

  async readFile(key: string): Promise<Uint8Array> {
    await this.open();
    const file = this.files.get(key);
    if (!file) throw new FileAreaError(`no file "${key}"`, { key });
    return file.slice();
  }

  async list(key: string): Promise<FileEntry[]> {
    await this.open();
    const prefix = key === '' ? '' : `${key}/`;
    const entries = new Map<string, FileEntry>();
    for (const [k, v] of this.files) {
      if (!k.startsWith(prefix)) continue;
      const rest = k.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash < 0) entries.set(rest, { name: rest, kind: 'file', size: v.length });
      else entries.set(rest.slice(0, slash), { name: rest.slice(0, slash), kind: 'directory', size: 0 });
    }
    return [...entries.values()].sort(compareNames);
  }

  async usedBytes(): Promise<number> {
    await this.open();
    let n = 0;
    for (const v of this.files.values()) n += v.length;
    return n;
  }

  async deleteFile(key: string): Promise<void> {
    await this.open();
    this.files.delete(key);
    this.partials.delete(key);
  }

  async beginPartial(init: PartialFileInit): Promise<void> {
    await this.open();
    this.partials.set(init.key, { init, chunks: [], length: 0 });
  }

  async partial(key: string): Promise<PartialFileInfo | undefined> {
    const p = this.partials.get(key);
    return p ? { ...p.init, position: p.length } : undefined;
  }

  async appendPartial(key: string, data: Uint8Array): Promise<void> {
    const p = this.partials.get(key);
    if (!p) throw new FileAreaError(`no partial download of "${key}"`, { key });
    p.chunks.push(data.slice());
    p.length += data.length;
  }

  async commitPartial(key: string): Promise<number> {
    const p = this.partials.get(key);
    if (!p) throw new FileAreaError(`no partial download of "${key}"`, { key });
    const content = new Uint8Array(p.length);
    let at = 0;
    for (const c of p.chunks) {
      content.set(c, at);
      at += c.length;
    }
    this.files.set(key, content);
    this.partials.delete(key);
    return crc32(content);
  }

  async discardPartial(key: string): Promise<void> {
    this.partials.delete(key);
  }
}
