/**
 * Upload (ECU -> tester): RequestUpload (0x35), TransferData (0x36) with empty requests until `size`
 * bytes arrived (any size; the last block may be shorter), RequestTransferExit (0x37).
 * ISO 14229-1:2020 15.3 / 15.4 and spec/uds.md "Transfer services in detail".
 */
import { concatBytes } from '../core/bytes.js';
import { crc32 } from '../core/crc.js';
import { InvalidArgumentError } from '../core/errors.js';
import { nextBlockSequenceCounter } from '../uds/codec/0x36-transfer-data.js';
import { InvalidResponseError } from '../uds/client/errors.js';
import type { UdsClient } from '../uds/client/uds-client.js';
import { dataBytesPerBlock, reportedCrc32, retriesOf, transferBlockWithRetry, type TransferOptions } from './download.js';
import { CrcMismatchError, TransferStepError } from './errors.js';

/** Progress after each TransferData block of an upload. */
export interface UploadProgress {
  /** 1-based number of the block just received. */
  block: number;
  /** Expected number of blocks (at full block size). */
  blocks: number;
  /** Bytes received so far. */
  bytesReceived: number;
  /** Bytes requested in total. */
  totalBytes: number;
  /** Memory address of the block just received. */
  address: number;
  /** Its block sequence counter. */
  counter: number;
  /** Time since the RequestUpload was sent, in ms (client clock). */
  elapsedMs: number;
}

/** Options of {@link uploadData}. */
export interface UploadOptions extends TransferOptions {
  /** Called after each received block. */
  onProgress?: (progress: UploadProgress) => void;
}

/** One received block of {@link receiveBlocks}. */
export interface ReceivedBlock {
  /** 1-based block number. */
  block: number;
  /** Expected number of blocks (at full block size). */
  blocks: number;
  /** Offset of the block in the data. */
  offset: number;
  /** Bytes received so far. */
  received: number;
  /** Its block sequence counter. */
  counter: number;
}

/** Options of {@link receiveBlocks}. */
export interface ReceiveBlocksOptions {
  /** Repeats of a block whose response timed out. */
  retries: number;
  /** Aborts between (and during) requests. */
  signal?: AbortSignal | undefined;
  /** Called after each received block. */
  onBlock?: (b: ReceivedBlock) => void;
  /** Builds the error thrown when a block fails (`cause` is the client's error or an InvalidResponseError). */
  fail: (cause: unknown, b: Omit<ReceivedBlock, 'received'>) => Error;
}

/**
 * The TransferData (0x36) part of an upload, shared by 35 uploads and 38 ReadFile / ReadDir: empty 36
 * requests from counter 0x01 until `size` bytes arrived (the last block may be shorter), each repeated with
 * the same counter when its response timed out. Returns the bytes and their CRC32.
 */
export async function receiveBlocks(client: UdsClient, size: number, perBlock: number, opts: ReceiveBlocksOptions): Promise<{ data: Uint8Array; crc32: number }> {
  const { retries, signal } = opts;
  const out = new Uint8Array(size);
  const blocks = Math.ceil(size / perBlock);
  let received = 0;
  let counter = 0x01;
  let crc = 0;
  // ISO 14229-1:2020 15.4.2 — the first block has counter 0x01; 0xFF wraps to 0x00.
  let next: Promise<Uint8Array> | undefined = size > 0 ? transferBlockWithRetry(client, counter, undefined, retries, signal) : undefined;
  // Every block carries at least one byte, so `size` iterations always suffice.
  for (let block = 1; next && block <= size; block++) {
    let chunk: Uint8Array;
    try {
      chunk = await next;
      const reason =
        chunk.length === 0
          ? 'the ECU sent an empty block'
          : chunk.length > perBlock
            ? `the ECU sent ${chunk.length} bytes, more than the ${perBlock} its maxNumberOfBlockLength allows`
            : received + chunk.length > size
              ? `the ECU sent ${received + chunk.length - size} byte(s) more than the ${size} requested`
              : undefined;
      if (reason) throw new InvalidResponseError({ sid: 0x36, source: client.target, response: concatBytes([0x76, counter], chunk), reason });
    } catch (e) {
      throw opts.fail(e, { block, blocks, offset: received, counter });
    }
    const at = received;
    received += chunk.length;
    opts.onBlock?.({ block, blocks, offset: at, received, counter });
    counter = nextBlockSequenceCounter(counter);
    // The next request goes out (the request queue sends at once) before this block is stored and
    // checksummed, so that work overlaps the ECU's.
    next = received < size ? transferBlockWithRetry(client, counter, undefined, retries, signal) : undefined;
    out.set(chunk, at);
    crc = crc32(chunk, crc);
  }
  return { data: out, crc32: crc };
}

/** 35, 36..., 37 for `size` bytes at `address`; returns the bytes. Errors name the step. */
export async function uploadData(client: UdsClient, address: number, size: number, opts: UploadOptions = {}): Promise<Uint8Array> {
  if (!Number.isInteger(size) || size < 1) {
    throw new InvalidArgumentError(`upload: size must be a positive integer, got ${String(size)}`, { field: 'size' });
  }
  const retries = retriesOf(opts);
  const clock = client.clock;
  const signal = opts.signal;
  const t0 = clock.now();
  const fail = (step: string, at: number, cause: unknown, block?: number, counter?: number): TransferStepError =>
    new TransferStepError({ direction: 'upload', step, address: at, cause, ...(block !== undefined ? { block, counter } : {}) });

  let perBlock: number;
  try {
    const res = await client.requestUpload(
      {
        address,
        size,
        ...(opts.dataFormatIdentifier !== undefined ? { dataFormatIdentifier: opts.dataFormatIdentifier } : {}),
        ...(opts.addressLength !== undefined ? { addressLength: opts.addressLength } : {}),
        ...(opts.sizeLength !== undefined ? { sizeLength: opts.sizeLength } : {}),
      },
      signal ? { signal } : undefined,
    );
    perBlock = dataBytesPerBlock(client, 0x35, res.maxNumberOfBlockLength, opts.blockLengthIsDataSize);
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    throw fail('requestUpload', address, e);
  }

  const onProgress = opts.onProgress;
  const { data: out, crc32: crc } = await receiveBlocks(client, size, perBlock, {
    retries,
    signal,
    fail: (e, b) => fail('transferData', address + b.offset, e, b.block, b.counter),
    ...(onProgress
      ? {
          onBlock: (b: ReceivedBlock) =>
            onProgress({ block: b.block, blocks: b.blocks, bytesReceived: b.received, totalBytes: size, address: address + b.offset, counter: b.counter, elapsedMs: clock.now() - t0 }),
        }
      : {}),
  });

  let record: Uint8Array;
  try {
    record = await client.requestTransferExit(undefined, signal ? { signal } : undefined);
  } catch (e) {
    throw fail('requestTransferExit', address, e);
  }
  const reported = reportedCrc32(record);
  if (reported !== undefined && reported !== crc) throw new CrcMismatchError({ direction: 'upload', address, size, expected: crc, reported });
  return out;
}
