/**
 * Download (tester -> ECU): RequestDownload (0x34), TransferData (0x36) blocks, RequestTransferExit
 * (0x37), ISO 14229-1:2020 clause 15 and spec/uds.md "Transfer services in detail".
 */
import { readUintBE } from '../core/bytes.js';
import { crc32 } from '../core/crc.js';
import { InvalidArgumentError, TimeoutError } from '../core/errors.js';
import { nextBlockSequenceCounter } from '../uds/codec/0x36-transfer-data.js';
import { InvalidResponseError } from '../uds/client/errors.js';
import type { UdsClient } from '../uds/client/uds-client.js';
import { CrcMismatchError, TransferStepError, hexAddress } from './errors.js';

/** Progress after each TransferData block. */
export interface DownloadProgress {
  /** 1-based number of the block just acknowledged. */
  block: number;
  /** Total number of blocks. */
  blocks: number;
  /** Data bytes acknowledged so far. */
  bytesSent: number;
  /** Data bytes in total. */
  totalBytes: number;
  /** Memory address of the block just acknowledged. */
  address: number;
  /** Its block sequence counter. */
  counter: number;
  /** Time since the RequestDownload was sent, in ms (client clock). */
  elapsedMs: number;
}

/** Options shared by download and upload. */
export interface TransferOptions {
  /** dataFormatIdentifier, default 0x00 (plain). */
  dataFormatIdentifier?: number;
  /** Bytes of the address in 34/35, 1..4 (default 4). */
  addressLength?: number;
  /** Bytes of the size in 34/35, 1..4 (default 4). */
  sizeLength?: number;
  /**
   * Take maxNumberOfBlockLength as the data size per block (the doipsimu prototype's reading) instead of
   * the ISO length of the whole 0x36 request (SID + counter + data). Default false.
   */
  blockLengthIsDataSize?: boolean;
  /** How often a block whose response timed out is repeated with the same counter (default 1). */
  retries?: number;
  /** Aborts the transfer between (and during) requests. */
  signal?: AbortSignal;
}

/** Options of {@link downloadData}. */
export interface DownloadOptions extends TransferOptions {
  /** Called after each acknowledged block. */
  onProgress?: (progress: DownloadProgress) => void;
}

/** What {@link downloadData} did. */
export interface DownloadResult {
  /** Data bytes downloaded. */
  bytes: number;
  /** TransferData blocks sent. */
  blocks: number;
  /** CRC32 of the data (compared with the ECU's when its 0x77 response carries 4 bytes). */
  crc32: number;
  /** Whether the ECU reported a CRC32 (and it matched). */
  crcVerifiedByEcu: boolean;
  /** Duration from RequestDownload to the RequestTransferExit response, in seconds. */
  seconds: number;
  /** maxNumberOfBlockLength from the 0x74 response. */
  maxNumberOfBlockLength: number;
}

/**
 * The data bytes per 0x36 block for `maxNumberOfBlockLength` (ISO 14229-1:2020 15.2.3: the value counts
 * SID and counter, so data = value - 2), capped by what the link carries.
 */
export function dataBytesPerBlock(client: UdsClient, sid: number, maxNumberOfBlockLength: number, blockLengthIsDataSize = false): number {
  const fromEcu = blockLengthIsDataSize ? maxNumberOfBlockLength : maxNumberOfBlockLength - 2;
  const perBlock = Math.min(fromEcu, client.link.maxMessageSize - 2);
  if (perBlock < 1) {
    throw new InvalidResponseError({
      sid,
      source: client.target,
      response: new Uint8Array(0),
      reason: `maxNumberOfBlockLength ${maxNumberOfBlockLength} leaves no room for data (it counts the SID and the counter)`,
    });
  }
  return perBlock;
}

/** Validates the retry count. */
export function retriesOf(opts: TransferOptions): number {
  const r = opts.retries ?? 1;
  if (!Number.isInteger(r) || r < 0 || r > 10) {
    throw new InvalidArgumentError(`retries must be an integer 0..10, got ${String(opts.retries)}`, { field: 'retries' });
  }
  return r;
}

/**
 * Sends one block, repeating it with the same counter when its response timed out (the ECU treats a
 * repeated counter as a repeat and answers without writing again, spec/uds.md 36). `requestBuffer`:
 * encode the request there instead of in a new array (see `TransferDataOptions`).
 */
export async function transferBlockWithRetry(
  client: UdsClient,
  counter: number,
  data: Uint8Array | undefined,
  retries: number,
  signal: AbortSignal | undefined,
  requestBuffer?: Uint8Array,
): Promise<Uint8Array> {
  const opts = signal || requestBuffer ? { ...(signal ? { signal } : {}), ...(requestBuffer ? { requestBuffer } : {}) } : undefined;
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.transferData(counter, data, opts);
    } catch (e) {
      if (!(e instanceof TimeoutError) || attempt >= retries) throw e;
      client.logger.warn(`TransferData block counter 0x${counter.toString(16)}: no response, repeating it (attempt ${attempt + 2})`);
    }
  }
}

/** One acknowledged block of {@link sendBlocks}. */
export interface SentBlock {
  /** 1-based block number. */
  block: number;
  /** Total number of blocks. */
  blocks: number;
  /** Offset of the block in the data. */
  offset: number;
  /** Data bytes acknowledged so far. */
  sent: number;
  /** Its block sequence counter. */
  counter: number;
}

/** Options of {@link sendBlocks}. */
export interface SendBlocksOptions {
  /** Repeats of a block whose response timed out. */
  retries: number;
  /** Aborts between (and during) requests. */
  signal?: AbortSignal | undefined;
  /** Called after each acknowledged block. */
  onBlock?: (b: SentBlock) => void;
  /** Builds the error thrown when a block fails (`cause` is the client's error). */
  fail: (cause: unknown, b: Omit<SentBlock, 'sent'>) => Error;
}

/**
 * The TransferData (0x36) part of a download, shared by 34 downloads and 38 file downloads: `data` in
 * blocks of `perBlock` bytes, counter from 0x01 wrapping 0xFF -> 0x00 (ISO 14229-1:2020 15.4.2), each
 * repeated with the same counter when its response timed out. Returns the blocks sent and the CRC32 of `data`.
 */
export async function sendBlocks(client: UdsClient, data: Uint8Array, perBlock: number, opts: SendBlocksOptions): Promise<{ blocks: number; crc32: number }> {
  const blocks = Math.ceil(data.length / perBlock);
  // One request buffer for every block: a block is encoded into it once the previous one was answered
  // (its bytes were on the wire by then), so 16 MiB in 64 KiB blocks is not 256 arrays for the GC.
  const requestBuffer = new Uint8Array(2 + Math.min(perBlock, data.length));
  // ISO 14229-1:2020 15.4.2 — the first block has counter 0x01; 0xFF wraps to 0x00.
  let counter = 0x01;
  let sent = 0;
  let crc = 0;
  for (let block = 1; block <= blocks; block++) {
    const chunk = data.subarray(sent, Math.min(sent + perBlock, data.length));
    const offset = sent;
    try {
      const answered = transferBlockWithRetry(client, counter, chunk, opts.retries, opts.signal, requestBuffer);
      // The block is on its way (the request queue sends at once): checksum it while the ECU works.
      crc = crc32(chunk, crc);
      await answered;
    } catch (e) {
      throw opts.fail(e, { block, blocks, offset, counter });
    }
    sent += chunk.length;
    opts.onBlock?.({ block, blocks, offset, sent, counter });
    counter = nextBlockSequenceCounter(counter);
  }
  return { blocks, crc32: crc };
}

/** The CRC32 in a 0x77 response record of 4 bytes (spec/uds.md 37: the simulator's), else undefined. */
export function reportedCrc32(record: Uint8Array): number | undefined {
  return record.length === 4 ? readUintBE(record, 0, 4) : undefined;
}

/** 34, 36..., 37 for `data` at `address`; see {@link DownloadOptions}. Errors name the step. */
export async function downloadData(client: UdsClient, address: number, data: Uint8Array, opts: DownloadOptions = {}): Promise<DownloadResult> {
  if (!(data instanceof Uint8Array) || data.length === 0) {
    throw new InvalidArgumentError('download: data must be a non-empty Uint8Array', { field: 'data' });
  }
  const retries = retriesOf(opts);
  const clock = client.clock;
  const signal = opts.signal;
  const t0 = clock.now();
  const fail = (step: string, at: number, cause: unknown, block?: number, counter?: number): TransferStepError =>
    new TransferStepError({ direction: 'download', step, address: at, cause, ...(block !== undefined ? { block, counter } : {}) });

  let maxLen: number;
  let perBlock: number;
  try {
    const res = await client.requestDownload(
      {
        address,
        size: data.length,
        ...(opts.dataFormatIdentifier !== undefined ? { dataFormatIdentifier: opts.dataFormatIdentifier } : {}),
        ...(opts.addressLength !== undefined ? { addressLength: opts.addressLength } : {}),
        ...(opts.sizeLength !== undefined ? { sizeLength: opts.sizeLength } : {}),
      },
      signal ? { signal } : undefined,
    );
    maxLen = res.maxNumberOfBlockLength;
    perBlock = dataBytesPerBlock(client, 0x34, maxLen, opts.blockLengthIsDataSize);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw fail('requestDownload', address, e);
  }

  const onProgress = opts.onProgress;
  const { blocks, crc32: crc } = await sendBlocks(client, data, perBlock, {
    retries,
    signal,
    fail: (e, b) => fail('transferData', address + b.offset, e, b.block, b.counter),
    ...(onProgress
      ? {
          onBlock: (b: SentBlock) =>
            onProgress({ block: b.block, blocks: b.blocks, bytesSent: b.sent, totalBytes: data.length, address: address + b.offset, counter: b.counter, elapsedMs: clock.now() - t0 }),
        }
      : {}),
  });

  let record: Uint8Array;
  try {
    record = await client.requestTransferExit(undefined, signal ? { signal } : undefined);
  } catch (e) {
    throw fail('requestTransferExit', address, e);
  }
  let crcVerifiedByEcu = false;
  // spec/uds.md 37 — the simulator returns the CRC32 of the transferred range.
  const reported = reportedCrc32(record);
  if (reported !== undefined) {
    if (reported !== crc) throw new CrcMismatchError({ direction: 'download', address, size: data.length, expected: crc, reported });
    crcVerifiedByEcu = true;
  }
  client.logger.debug(`download of ${data.length} bytes at ${hexAddress(address)} done in ${blocks} blocks`);
  return { bytes: data.length, blocks, crc32: crc, crcVerifiedByEcu, seconds: (clock.now() - t0) / 1000, maxNumberOfBlockLength: maxLen };
}
