/**
 * WriteMemoryByAddress (0x3D), ISO 14229-1:2020 11.8.
 *
 * Request `3D ALFID memoryAddress memorySize dataRecord` (exactly memorySize data bytes), positive
 * response `7D ALFID memoryAddress memorySize` (the echo of the request's address and size).
 */
import { ByteWriter } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { decodeAddressAndLength, encodeAddressAndLength, type AddressAndLength } from './address-and-length.js';
import { decodeRequestFrame, decodeResponseFrame, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x3D request. */
export interface WriteMemoryByAddressRequest {
  /** Start address. */
  memoryAddress: number;
  /** The bytes to write; memorySize on the wire is their count. */
  data: Uint8Array;
  /** Bytes of memoryAddress on the wire, 1..4 (encode default 4; decode fills it). */
  addressLength?: number;
  /** Bytes of memorySize on the wire, 1..4 (encode default 4; decode fills it). */
  sizeLength?: number;
}

/** A decoded 0x3D positive response: the echo of ALFID, memoryAddress and memorySize. */
export interface WriteMemoryByAddressResponse {
  /** Echo of the start address. */
  memoryAddress: number;
  /** Echo of the size. */
  memorySize: number;
  /** Bytes of memoryAddress on the wire, 1..4 (encode default 4; decode fills it). */
  addressLength?: number;
  /** Bytes of memorySize on the wire, 1..4 (encode default 4; decode fills it). */
  sizeLength?: number;
}

const NAME = 'WriteMemoryByAddress';

/** Codec of WriteMemoryByAddress (0x3D). */
export const writeMemoryByAddress: ServiceCodec<WriteMemoryByAddressRequest, WriteMemoryByAddressResponse> = {
  sid: SID.WriteMemoryByAddress,
  name: NAME,
  hasSubFunction: false,
  // SID + ALFID + at least one address byte + one size byte (a zero size carries no data; the server says 0x31).
  minRequestLength: 4,

  encodeRequest(req) {
    if (!(req.data instanceof Uint8Array)) throw new InvalidArgumentError(`${NAME}: data must be a Uint8Array`, { field: 'data' });
    return new ByteWriter(10 + req.data.length)
      .u8(SID.WriteMemoryByAddress)
      .bytes(encodeAddressAndLength(req.memoryAddress, req.data.length, req.addressLength ?? 4, req.sizeLength ?? 4))
      .bytes(req.data)
      .finish();
  },

  decodeRequest(bytes) {
    return decodeRequestFrame(SID.WriteMemoryByAddress, NAME, bytes, (r) => {
      const al = decodeAddressAndLength(r, `${NAME} request`);
      // ISO 14229-1:2020 11.8.2 / 11.8.4 NRC 0x13 — the dataRecord must hold exactly memorySize bytes.
      if (r.remaining !== al.memorySize) {
        throw new RequestFormatError(
          `${NAME} request announces memorySize ${al.memorySize} but carries ${r.remaining} data byte(s) (NRC 0x13)`,
          undefined,
          { memorySize: al.memorySize, dataLength: r.remaining },
        );
      }
      return { memoryAddress: al.memoryAddress, data: r.rest(), addressLength: al.addressLength, sizeLength: al.sizeLength };
    });
  },

  encodeResponse(res) {
    return new ByteWriter(10)
      .u8(SID.WriteMemoryByAddress + 0x40)
      .bytes(encodeAddressAndLength(res.memoryAddress, res.memorySize, res.addressLength ?? 4, res.sizeLength ?? 4))
      .finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 11.8.3 — SID, ALFID, memoryAddress, memorySize as in the request.
    return decodeResponseFrame(SID.WriteMemoryByAddress, NAME, bytes, (r) => {
      let al: AddressAndLength;
      try {
        al = decodeAddressAndLength(r, `${NAME} response`);
      } catch (e) {
        // The shared ALFID reader speaks in request terms (RequestFormatError, NRC 0x13); here it is a bad response.
        if (e instanceof RequestFormatError) throw new DecodeError(e.message.replace(' (NRC 0x13)', ''), { ...e.details });
        throw e;
      }
      return { memoryAddress: al.memoryAddress, memorySize: al.memorySize, addressLength: al.addressLength, sizeLength: al.sizeLength };
    });
  },
};
