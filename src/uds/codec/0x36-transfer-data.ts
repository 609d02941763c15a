/**
 * TransferData (0x36), ISO 14229-1:2020 15.4.
 *
 * Request `36 blockSequenceCounter [transferRequestParameterRecord]`, positive response
 * `76 blockSequenceCounter [transferResponseParameterRecord]` (the data, on upload).
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x36 request. */
export interface TransferDataRequest {
  /** Block sequence counter 0..0xFF (starts at 1, wraps 0xFF -> 0x00). */
  blockSequenceCounter: number;
  /** The block's data (download); usually empty on upload. */
  data: Uint8Array;
}

/** A decoded 0x36 positive response. */
export interface TransferDataResponse {
  /** Echo of the block sequence counter. */
  blockSequenceCounter: number;
  /** The block's data on upload; usually empty on download. */
  data: Uint8Array;
}

const NAME = 'TransferData';

/** The counter that follows `counter` (ISO 14229-1:2020 15.4.2: 0xFF wraps to 0x00). */
export function nextBlockSequenceCounter(counter: number): number {
  return (counter + 1) & 0xff;
}

/**
 * A positive response `76 blockSequenceCounter` with room for `dataLength` bytes after it, for a server
 * that writes an upload block in place (into `response.subarray(2)`) instead of encoding a copy of it.
 */
export function transferDataResponseWithRoom(blockSequenceCounter: number, dataLength: number): Uint8Array {
  if (!Number.isInteger(blockSequenceCounter) || blockSequenceCounter < 0 || blockSequenceCounter > 0xff) {
    throw new InvalidArgumentError(`${NAME}: blockSequenceCounter must be 0x00..0xFF, got ${String(blockSequenceCounter)}`, { field: 'blockSequenceCounter' });
  }
  const out = new Uint8Array(2 + dataLength);
  out[0] = SID.TransferData + 0x40;
  out[1] = blockSequenceCounter;
  return out;
}

/**
 * Encodes the request `36 blockSequenceCounter data` into `out` (at least `2 + data.length` long) and
 * returns the view of it that holds the request: for a client that sends block after block from one
 * buffer instead of allocating one per block.
 */
export function encodeTransferDataRequestInto(out: Uint8Array, blockSequenceCounter: number, data: Uint8Array): Uint8Array {
  if (!Number.isInteger(blockSequenceCounter) || blockSequenceCounter < 0 || blockSequenceCounter > 0xff) {
    throw new InvalidArgumentError(`${NAME}: blockSequenceCounter must be 0x00..0xFF, got ${String(blockSequenceCounter)}`, { field: 'blockSequenceCounter' });
  }
  if (out.length < 2 + data.length) {
    throw new InvalidArgumentError(`${NAME}: a request buffer of ${out.length} bytes cannot hold 2 + ${data.length} bytes`, { field: 'requestBuffer' });
  }
  out[0] = SID.TransferData;
  out[1] = blockSequenceCounter;
  out.set(data, 2);
  return out.length === 2 + data.length ? out : out.subarray(0, 2 + data.length);
}

/**
 * Codec of TransferData (0x36). The decoded `data` is a view of the bytes passed in, not a copy (a block
 * may be the whole maxNumberOfBlockLength); copy it before changing either.
 */
export const transferData: ServiceCodec<TransferDataRequest, TransferDataResponse> = {
  sid: SID.TransferData,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 2,

  encodeRequest(req) {
    return new ByteWriter(2 + req.data.length).u8(SID.TransferData).u8(req.blockSequenceCounter).bytes(req.data).finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 15.4.2 — the blockSequenceCounter is mandatory; without it 0x13.
    return decodeRequestFrame(SID.TransferData, NAME, bytes, (r) => ({
      blockSequenceCounter: r.u8('blockSequenceCounter'),
      data: r.restView(),
    }));
  },

  encodeResponse(res) {
    return new ByteWriter(2 + res.data.length).u8(SID.TransferData + 0x40).u8(res.blockSequenceCounter).bytes(res.data).finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 15.4.3 — SID, counter echo, optional record.
    return decodeResponseFrame(SID.TransferData, NAME, bytes, (r) => ({
      blockSequenceCounter: r.u8('blockSequenceCounter'),
      data: r.restView(),
    }));
  },
};
