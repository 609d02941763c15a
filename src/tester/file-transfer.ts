/**
 * Files on an ECU's file system with RequestFileTransfer (0x38), ISO 14229-1:2020 15.6: put (AddFile /
 * ReplaceFile), resume an interrupted put (ResumeFile), get (ReadFile), list (ReadDir) and delete
 * (DeleteFile). Each runs 38, then the TransferData (36) blocks and RequestTransferExit (37) of
 * download.ts / upload.ts, with the same retries, abort signal and per-block progress.
 *
 * ```ts
 * await tester.putFile('/logs/trace.bin', data, { onProgress: (p) => console.log(p.bytes, p.totalBytes) });
 * // ... the connection dropped in the middle of a second put:
 * await tester.resumeFile('/logs/big.bin', bigData);
 * const back = await tester.getFile('/logs/trace.bin');
 * const { entries } = await tester.listDirectory('/logs');
 * await tester.deleteFile('/logs/trace.bin');
 * ```
 */
import { crc32 } from '../core/crc.js';
import { InvalidArgumentError } from '../core/errors.js';
import { parseDirectoryListing, type FileEntry } from '../ecu/file-area.js';
import { MODE_OF_OPERATION, modeOfOperationName, type RequestFileTransferResponse } from '../uds/codec/0x38-request-file-transfer.js';
import { InvalidResponseError } from '../uds/client/errors.js';
import type { UdsClient } from '../uds/client/uds-client.js';
import { dataBytesPerBlock, reportedCrc32, retriesOf, sendBlocks, type TransferOptions } from './download.js';
import { CrcMismatchError, FileTransferError } from './errors.js';
import { receiveBlocks } from './upload.js';

/** Progress after each TransferData block of a file transfer. */
export interface FileProgress {
  /** The path as sent. */
  path: string;
  /** `download` (put, resume) or `upload` (get, list). */
  direction: 'download' | 'upload';
  /** 1-based number of the block just acknowledged (of this transfer). */
  block: number;
  /** Blocks this transfer has in total. */
  blocks: number;
  /** Bytes of the file (or listing) done, a resumed put counting what the ECU already had. */
  bytes: number;
  /** Bytes of the whole file (or listing). */
  totalBytes: number;
  /** Offset in the file of the block just acknowledged. */
  offset: number;
  /** Its block sequence counter. */
  counter: number;
  /** Time since the RequestFileTransfer was sent, in ms (client clock). */
  elapsedMs: number;
}

/** Options of every file helper. */
export interface FileTransferOptions extends Pick<TransferOptions, 'retries' | 'signal' | 'blockLengthIsDataSize'> {
  /** Called after each TransferData block. */
  onProgress?: (progress: FileProgress) => void;
}

/** Options of {@link putFile} and {@link resumeFile}. */
export interface PutFileOptions extends FileTransferOptions {
  /** ReplaceFile (0x03: replaces the file, or adds it) instead of AddFile (0x01: the file must not exist). Default false. */
  replace?: boolean;
  /** dataFormatIdentifier, default 0x00 (plain). With a compression method, `data` is the compressed bytes. */
  dataFormatIdentifier?: number;
  /** fileSizeUnCompressed when `data` is compressed; default `data.length`. */
  uncompressedSize?: number;
}

/** What {@link putFile} / {@link resumeFile} did. */
export interface PutFileResult {
  /** Bytes of the file. */
  bytes: number;
  /** Where this transfer started in the file: 0, or the ECU's filePosition on a resume. */
  filePosition: number;
  /** TransferData blocks sent. */
  blocks: number;
  /** CRC32 of the whole file. */
  crc32: number;
  /** Whether the ECU reported a CRC32 of the file in its 0x77 response (and it matched). */
  crcVerifiedByEcu: boolean;
  /** maxNumberOfBlockLength of the 0x78 response. */
  maxNumberOfBlockLength: number;
  /** From RequestFileTransfer to the RequestTransferExit response, in seconds. */
  seconds: number;
}

/** A directory listing: the raw bytes the ECU sent and the entries parsed from udskit's format. */
export interface DirectoryListing {
  /** Entries parsed from the udskit simulator's format (`name<TAB>size` and `name/` lines; other lines are skipped). */
  entries: FileEntry[];
  /** The listing as sent (its format is the server's, ISO 14229-1:2020 15.6.3). */
  raw: Uint8Array;
}

type Step = 'requestFileTransfer' | 'transferData' | 'requestTransferExit';

function failer(path: string, mode: number): (step: Step, cause: unknown, block?: { block: number; offset: number; counter: number }) => FileTransferError {
  return (step, cause, block) => new FileTransferError({ path, modeOfOperation: mode, modeName: modeOfOperationName(mode), step, cause, ...(block ?? {}) });
}

function checkPath(path: unknown): string {
  if (typeof path !== 'string') throw new InvalidArgumentError('file transfer: path must be a string', { field: 'path' });
  return path;
}

/** 38 with the mode's fields, then the block length for 36; errors become step `requestFileTransfer`. */
async function start(
  client: UdsClient,
  req: Parameters<UdsClient['requestFileTransfer']>[0],
  opts: FileTransferOptions,
  fail: ReturnType<typeof failer>,
): Promise<{ res: RequestFileTransferResponse; perBlock: number }> {
  try {
    const res = await client.requestFileTransfer(req, opts.signal ? { signal: opts.signal } : undefined);
    const perBlock = dataBytesPerBlock(client, 0x38, res.maxNumberOfBlockLength ?? 0, opts.blockLengthIsDataSize);
    return { res, perBlock };
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw fail('requestFileTransfer', e);
  }
}

async function exit(client: UdsClient, opts: FileTransferOptions, fail: ReturnType<typeof failer>): Promise<Uint8Array> {
  try {
    return await client.requestTransferExit(undefined, opts.signal ? { signal: opts.signal } : undefined);
  } catch (e) {
    throw fail('requestTransferExit', e);
  }
}

async function download(client: UdsClient, mode: number, path: string, data: Uint8Array, opts: PutFileOptions): Promise<PutFileResult> {
  checkPath(path);
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('putFile: data must be a Uint8Array', { field: 'data' });
  const retries = retriesOf(opts);
  const clock = client.clock;
  const t0 = clock.now();
  const fail = failer(path, mode);
  const { res, perBlock } = await start(
    client,
    {
      modeOfOperation: mode,
      filePathAndName: path,
      dataFormatIdentifier: opts.dataFormatIdentifier ?? 0x00,
      fileSizeUncompressed: opts.uncompressedSize ?? data.length,
      fileSizeCompressed: data.length,
    },
    opts,
    fail,
  );
  // ISO 14229-1:2020 15.6.3 — ResumeFile: the download continues at filePosition.
  const position = mode === MODE_OF_OPERATION.resumeFile ? (res.filePosition ?? 0) : 0;
  if (position > data.length) {
    const reason = `filePosition ${position} lies beyond the ${data.length} bytes of the file`;
    throw fail('requestFileTransfer', new InvalidResponseError({ sid: 0x38, source: client.target, response: new Uint8Array(0), reason }));
  }
  const onProgress = opts.onProgress;
  const { blocks } = await sendBlocks(client, data.subarray(position), perBlock, {
    retries,
    signal: opts.signal,
    fail: (e, b) => fail('transferData', e, { block: b.block, offset: position + b.offset, counter: b.counter }),
    ...(onProgress
      ? {
          onBlock: (b) =>
            onProgress({
              path,
              direction: 'download',
              block: b.block,
              blocks: b.blocks,
              bytes: position + b.sent,
              totalBytes: data.length,
              offset: position + b.offset,
              counter: b.counter,
              elapsedMs: clock.now() - t0,
            }),
        }
      : {}),
  });
  const record = await exit(client, opts, fail);
  const crc = crc32(data);
  // spec/uds.md 37 — the simulator answers the CRC32 of the whole file after a file transfer.
  const reported = reportedCrc32(record);
  if (reported !== undefined && reported !== crc) {
    throw new CrcMismatchError({ direction: 'download', address: 0, size: data.length, expected: crc, reported, path });
  }
  return {
    bytes: data.length,
    filePosition: position,
    blocks,
    crc32: crc,
    crcVerifiedByEcu: reported !== undefined,
    maxNumberOfBlockLength: res.maxNumberOfBlockLength ?? 0,
    seconds: (clock.now() - t0) / 1000,
  };
}

async function upload(client: UdsClient, mode: number, path: string, opts: FileTransferOptions): Promise<Uint8Array> {
  checkPath(path);
  const retries = retriesOf(opts);
  const clock = client.clock;
  const t0 = clock.now();
  const fail = failer(path, mode);
  const req = mode === MODE_OF_OPERATION.readFile ? { modeOfOperation: mode, filePathAndName: path, dataFormatIdentifier: 0x00 } : { modeOfOperation: mode, filePathAndName: path };
  const { res, perBlock } = await start(client, req, opts, fail);
  // ISO 14229-1:2020 15.6.3 — ReadFile: 36 carries fileSizeCompressed bytes; ReadDir: dirInfoLength bytes.
  const size = (mode === MODE_OF_OPERATION.readFile ? res.fileSizeCompressed : res.fileSizeUncompressedOrDirInfoLength) ?? 0;
  const onProgress = opts.onProgress;
  const { data, crc32: crc } = await receiveBlocks(client, size, perBlock, {
    retries,
    signal: opts.signal,
    fail: (e, b) => fail('transferData', e, { block: b.block, offset: b.offset, counter: b.counter }),
    ...(onProgress
      ? {
          onBlock: (b) =>
            onProgress({
              path,
              direction: 'upload',
              block: b.block,
              blocks: b.blocks,
              bytes: b.received,
              totalBytes: size,
              offset: b.offset,
              counter: b.counter,
              elapsedMs: clock.now() - t0,
            }),
        }
      : {}),
  });
  const reported = reportedCrc32(await exit(client, opts, fail));
  if (reported !== undefined && reported !== crc) throw new CrcMismatchError({ direction: 'upload', address: 0, size, expected: crc, reported, path });
  return data;
}

/** AddFile (38 01) — or ReplaceFile (38 03) with `replace` — then 36... and 37; checks the ECU's CRC32 of the file. */
export function putFile(client: UdsClient, path: string, data: Uint8Array, opts: PutFileOptions = {}): Promise<PutFileResult> {
  return download(client, opts.replace ? MODE_OF_OPERATION.replaceFile : MODE_OF_OPERATION.addFile, path, data, opts);
}

/**
 * ResumeFile (38 06) of a put that was interrupted (connection lost, session ended): sends the whole
 * file's sizes, then only the bytes from the ECU's filePosition on, then 37. `data` is the whole file.
 */
export function resumeFile(client: UdsClient, path: string, data: Uint8Array, opts: PutFileOptions = {}): Promise<PutFileResult> {
  return download(client, MODE_OF_OPERATION.resumeFile, path, data, opts);
}

/** ReadFile (38 04), 36... and 37: the file's bytes. */
export function getFile(client: UdsClient, path: string, opts: FileTransferOptions = {}): Promise<Uint8Array> {
  return upload(client, MODE_OF_OPERATION.readFile, path, opts);
}

/** ReadDir (38 05), 36... and 37: the directory listing (raw, and parsed when it is in udskit's format). */
export async function listDirectory(client: UdsClient, path: string, opts: FileTransferOptions = {}): Promise<DirectoryListing> {
  const raw = await upload(client, MODE_OF_OPERATION.readDir, path, opts);
  return { raw, entries: parseDirectoryListing(raw) };
}

/** DeleteFile (38 02): completes at once, no 36/37. */
export async function deleteFile(client: UdsClient, path: string, opts: Pick<FileTransferOptions, 'signal'> = {}): Promise<void> {
  const fail = failer(checkPath(path), MODE_OF_OPERATION.deleteFile);
  try {
    await client.requestFileTransfer({ modeOfOperation: MODE_OF_OPERATION.deleteFile, filePathAndName: path }, opts.signal ? { signal: opts.signal } : undefined);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw fail('requestFileTransfer', e);
  }
}
