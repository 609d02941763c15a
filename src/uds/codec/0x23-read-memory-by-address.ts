/**
 * ReadMemoryByAddress (0x23), ISO 14229-1:2020 11.3.
 *
 * Request `23 ALFID memoryAddress memorySize`, positive response `63 dataRecord` (memorySize bytes).
 */
import { ByteWriter } from '../../core/bytes.js';
import { decodeAddressAndLength, encodeAddressAndLength } from './address-and-length.js';
import { decodeRequestFrame, decodeResponseFrame, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x23 request. */
export interface ReadMemoryByAddressRequest {
  /** Start address. */
  memoryAddress: number;
  /** Number of bytes to read. */
  memorySize: number;
  /** Bytes of memoryAddress on the wire, 1..4 (encode default 4; decode fills it). */
  addressLength?: number;
  /** Bytes of memorySize on the wire, 1..4 (encode default 4; decode fills it). */
  sizeLength?: number;
}

/** A decoded 0x23 positive response. */
export interface ReadMemoryByAddressResponse {
  /** The bytes read (the client checks that there are memorySize of them). */
  data: Uint8Array;
}

const NAME = 'ReadMemoryByAddress';

/** Codec of ReadMemoryByAddress (0x23). */
export const readMemoryByAddress: ServiceCodec<ReadMemoryByAddressRequest, ReadMemoryByAddressResponse> = {
  sid: SID.ReadMemoryByAddress,
  name: NAME,
  hasSubFunction: false,
  // SID + ALFID + at least one address byte + one size byte.
  minRequestLength: 4,

  encodeRequest(req) {
    return new ByteWriter(10)
      .u8(SID.ReadMemoryByAddress)
      .bytes(encodeAddressAndLength(req.memoryAddress, req.memorySize, req.addressLength ?? 4, req.sizeLength ?? 4))
      .finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 11.3.2 — the length must be exactly 2 + the two ALFID nibbles; else 0x13.
    return decodeRequestFrame(SID.ReadMemoryByAddress, NAME, bytes, (r) => {
      const al = decodeAddressAndLength(r, `${NAME} request`);
      return { memoryAddress: al.memoryAddress, memorySize: al.memorySize, addressLength: al.addressLength, sizeLength: al.sizeLength };
    });
  },

  encodeResponse(res) {
    return new ByteWriter(1 + res.data.length).u8(SID.ReadMemoryByAddress + 0x40).bytes(res.data).finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 11.3.3 — SID + dataRecord.
    return decodeResponseFrame(SID.ReadMemoryByAddress, NAME, bytes, (r) => ({ data: r.rest() }));
  },
};
