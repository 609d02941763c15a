/**
 * Typed client calls of the transfer services: RequestDownload (0x34), RequestUpload (0x35),
 * TransferData (0x36) and RequestTransferExit (0x37), ISO 14229-1:2020 clause 15.
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { requestDownload as dlCodec, type RequestDownloadResponse } from '../../codec/0x34-request-download.js';
import { requestUpload as ulCodec } from '../../codec/0x35-request-upload.js';
import { encodeTransferDataRequestInto, transferData as tdCodec } from '../../codec/0x36-transfer-data.js';
import { requestTransferExit as rteCodec } from '../../codec/0x37-request-transfer-exit.js';
import type { ServiceCodec } from '../../codec/service-codec.js';
import type { RequestDownloadRequest } from '../../codec/0x34-request-download.js';
import { InvalidResponseError } from '../errors.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** Arguments of `requestDownload` / `requestUpload`. */
export interface TransferRequestArgs {
  /** Start address. */
  address: number;
  /** Number of bytes. */
  size: number;
  /** dataFormatIdentifier, default 0x00 (no compression, no encryption). */
  dataFormatIdentifier?: number;
  /** Bytes of the address on the wire, 1..4 (default 4). */
  addressLength?: number;
  /** Bytes of the size on the wire, 1..4 (default 4). */
  sizeLength?: number;
}

/** Options of the transfer calls (no SPRMIB: these services have no sub-function). */
export type TransferCallOptions = Omit<ServiceCallOptions, 'suppress'>;

/** Options of `transferData`. */
export interface TransferDataOptions extends TransferCallOptions {
  /**
   * Encode the request into this buffer (at least 2 + data bytes) instead of a new array: a download
   * sends every block from one buffer. It must not change until the call settled (the link may still
   * be writing it before that).
   */
  requestBuffer?: Uint8Array;
}

const EMPTY = new Uint8Array(0);

function noResponse(sid: number, source: number): InvalidResponseError {
  return new InvalidResponseError({ sid, source, response: EMPTY, reason: 'no response' });
}

async function transferRequest(
  codec: ServiceCodec<RequestDownloadRequest, RequestDownloadResponse>,
  c: UdsRequester,
  args: TransferRequestArgs,
  opts: TransferCallOptions | undefined,
): Promise<RequestDownloadResponse> {
  if (args === null || typeof args !== 'object') {
    throw new InvalidArgumentError(`${codec.name}: pass { address, size }`, { field: 'args' });
  }
  const req = codec.encodeRequest({
    dataFormatIdentifier: args.dataFormatIdentifier ?? 0x00,
    memoryAddress: args.address,
    memorySize: args.size,
    addressLength: args.addressLength ?? 4,
    sizeLength: args.sizeLength ?? 4,
  });
  const res = await c.request(req, requestOptionsOf(opts, false));
  if (!res) throw noResponse(codec.sid, c.target);
  return decodePositive(codec, res, c.target);
}

/** `34 DFI ALFID addr size` -> `74 LFI maxNumberOfBlockLength` (which counts SID + counter + data). */
export function requestDownload(c: UdsRequester, args: TransferRequestArgs, opts?: TransferCallOptions): Promise<RequestDownloadResponse> {
  return transferRequest(dlCodec, c, args, opts);
}

/** `35 DFI ALFID addr size` -> `75 LFI maxNumberOfBlockLength`. */
export function requestUpload(c: UdsRequester, args: TransferRequestArgs, opts?: TransferCallOptions): Promise<RequestDownloadResponse> {
  return transferRequest(ulCodec, c, args, opts);
}

/**
 * `36 counter [data]` -> `76 counter [data]`; checks the counter echo and returns the response data
 * (the uploaded block; usually empty on download).
 */
export async function transferData(
  c: UdsRequester,
  blockSequenceCounter: number,
  data: Uint8Array = EMPTY,
  opts?: TransferDataOptions,
): Promise<Uint8Array> {
  if (!Number.isInteger(blockSequenceCounter) || blockSequenceCounter < 0 || blockSequenceCounter > 0xff) {
    throw new InvalidArgumentError(`TransferData: blockSequenceCounter must be 0x00..0xFF, got ${String(blockSequenceCounter)}`, {
      field: 'blockSequenceCounter',
    });
  }
  const req = opts?.requestBuffer ? encodeTransferDataRequestInto(opts.requestBuffer, blockSequenceCounter, data) : tdCodec.encodeRequest({ blockSequenceCounter, data });
  const res = await c.request(req, requestOptionsOf(opts, false, [blockSequenceCounter]));
  if (!res) throw noResponse(tdCodec.sid, c.target);
  const d = decodePositive(tdCodec, res, c.target);
  checkEcho(tdCodec.sid, c.target, res, 'blockSequenceCounter', d.blockSequenceCounter, blockSequenceCounter);
  return d.data;
}

/** `37 [record]` -> `77 [record]`; returns the response record (the simulator puts the CRC32 there). */
export async function requestTransferExit(c: UdsRequester, record: Uint8Array = EMPTY, opts?: TransferCallOptions): Promise<Uint8Array> {
  const req = rteCodec.encodeRequest({ record });
  const res = await c.request(req, requestOptionsOf(opts, false));
  if (!res) throw noResponse(rteCodec.sid, c.target);
  return decodePositive(rteCodec, res, c.target).record;
}
