/**
 * RequestDownload (0x34), ISO 14229-1:2020 15.2, and the request/response format it shares with
 * RequestUpload (0x35, 15.3).
 *
 * Request `34 DFI ALFID memoryAddress memorySize`, positive response
 * `74 LFI maxNumberOfBlockLength` (LFI bits 7-4 = byte count of maxNumberOfBlockLength, bits 3-0 reserved 0).
 */
import { ByteWriter } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { decodeAddressAndLength, encodeAddressAndLength } from './address-and-length.js';
import { decodeRequestFrame, decodeResponseFrame, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x34 (or 0x35) request. */
export interface RequestDownloadRequest {
  /** dataFormatIdentifier: high nibble compression, low nibble encryption; 0x00 = plain. */
  dataFormatIdentifier: number;
  /** Start address. */
  memoryAddress: number;
  /** Number of bytes. */
  memorySize: number;
  /** Bytes of memoryAddress on the wire, 1..4 (encode default 4; decode fills it). */
  addressLength?: number;
  /** Bytes of memorySize on the wire, 1..4 (encode default 4; decode fills it). */
  sizeLength?: number;
}

/** A decoded 0x34 (or 0x35) positive response. */
export interface RequestDownloadResponse {
  /**
   * Maximum length of a TransferData request in bytes, counting SID and counter (ISO 14229-1:2020 15.2.3):
   * the data per 0x36 block is this minus 2.
   */
  maxNumberOfBlockLength: number;
  /**
   * The lengthFormatIdentifier byte (e.g. 0x20). Decode fills it; encode uses its high nibble as the byte
   * count, or the smallest count that holds the value when absent.
   */
  lengthFormatIdentifier?: number;
}

/** Largest byte count of maxNumberOfBlockLength that decodes to a JS number exactly. */
const MAX_BLOCK_LENGTH_BYTES = 6;

/** Bytes needed for `v` (1..6). */
function byteCountFor(v: number): number {
  let n = 1;
  while (n < MAX_BLOCK_LENGTH_BYTES && v >= 2 ** (8 * n)) n++;
  return n;
}

/** Builds the 34/35 codec for `sid` (the two services share their formats). */
export function makeTransferRequestCodec(
  sid: number,
  name: string,
): ServiceCodec<RequestDownloadRequest, RequestDownloadResponse> {
  return {
    sid,
    name,
    hasSubFunction: false,
    // SID + DFI + ALFID + at least one address byte + one size byte.
    minRequestLength: 5,

    encodeRequest(req) {
      return new ByteWriter(11)
        .u8(sid)
        .u8(req.dataFormatIdentifier)
        .bytes(encodeAddressAndLength(req.memoryAddress, req.memorySize, req.addressLength ?? 4, req.sizeLength ?? 4))
        .finish();
    },

    decodeRequest(bytes) {
      // ISO 14229-1:2020 15.2.2 — the length must match the ALFID exactly; else 0x13.
      return decodeRequestFrame(sid, name, bytes, (r) => {
        const dataFormatIdentifier = r.u8('dataFormatIdentifier');
        const al = decodeAddressAndLength(r, `${name} request`);
        return {
          dataFormatIdentifier,
          memoryAddress: al.memoryAddress,
          memorySize: al.memorySize,
          addressLength: al.addressLength,
          sizeLength: al.sizeLength,
        };
      });
    },

    encodeResponse(res) {
      const v = res.maxNumberOfBlockLength;
      if (!Number.isInteger(v) || v < 0 || v >= 2 ** (8 * MAX_BLOCK_LENGTH_BYTES)) {
        throw new InvalidArgumentError(`${name}: maxNumberOfBlockLength must be an integer 0..2^48-1, got ${v}`, {
          field: 'maxNumberOfBlockLength',
        });
      }
      const n = res.lengthFormatIdentifier === undefined ? byteCountFor(v) : res.lengthFormatIdentifier >> 4;
      if (res.lengthFormatIdentifier !== undefined && (n < 1 || n > MAX_BLOCK_LENGTH_BYTES || (res.lengthFormatIdentifier & 0x0f) !== 0)) {
        throw new InvalidArgumentError(
          `${name}: lengthFormatIdentifier 0x${hexByte(res.lengthFormatIdentifier)} must be 0x10..0x60 (byte count in the high nibble, low nibble 0)`,
          { field: 'lengthFormatIdentifier' },
        );
      }
      // ByteWriter.uint throws InvalidArgumentError when the value does not fit n bytes.
      return new ByteWriter(2 + n).u8(sid + 0x40).u8(n << 4).uint(v, n).finish();
    },

    decodeResponse(bytes) {
      // ISO 14229-1:2020 15.2.3 — LFI bits 7-4 = length of maxNumberOfBlockLength, bits 3-0 reserved (0).
      return decodeResponseFrame(sid, name, bytes, (r) => {
        const lfi = r.u8('lengthFormatIdentifier');
        const n = lfi >> 4;
        if ((lfi & 0x0f) !== 0 || n < 1) {
          throw new DecodeError(`${name} response: lengthFormatIdentifier 0x${hexByte(lfi)} is invalid (high nibble 1..8, low nibble 0)`, {
            lfi,
          });
        }
        if (n > MAX_BLOCK_LENGTH_BYTES) {
          throw new DecodeError(
            `${name} response: maxNumberOfBlockLength of ${n} bytes is larger than udskit handles (at most ${MAX_BLOCK_LENGTH_BYTES})`,
            { lfi },
          );
        }
        return { maxNumberOfBlockLength: r.uint(n, 'maxNumberOfBlockLength'), lengthFormatIdentifier: lfi };
      });
    },
  };
}

/** Codec of RequestDownload (0x34). */
export const requestDownload: ServiceCodec<RequestDownloadRequest, RequestDownloadResponse> = makeTransferRequestCodec(
  SID.RequestDownload,
  'RequestDownload',
);
