/**
 * WriteDataByIdentifier (0x2E), ISO 14229-1:2020 11.7.
 *
 * Request `2E DID(2) data` (at least one data byte), positive response `6E DID(2)`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { decodeRequestFrame, decodeResponseFrame, requireBytes, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x2E request. */
export interface WriteDataByIdentifierRequest {
  /** The data identifier, 0..0xFFFF. */
  did: number;
  /** The data record, at least one byte. */
  data: Uint8Array;
}

/** A decoded 0x2E positive response. */
export interface WriteDataByIdentifierResponse {
  /** Echo of the data identifier. */
  did: number;
}

const NAME = 'WriteDataByIdentifier';

/** Codec of WriteDataByIdentifier (0x2E). */
export const writeDataByIdentifier: ServiceCodec<WriteDataByIdentifierRequest, WriteDataByIdentifierResponse> = {
  sid: SID.WriteDataByIdentifier,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 4,

  encodeRequest(req) {
    requireBytes(NAME, 'data', req.data, 1);
    return new ByteWriter(3 + req.data.length).u8(SID.WriteDataByIdentifier).u16(req.did).bytes(req.data).finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 11.7.2 — SID, DID and a dataRecord of at least one byte; shorter is 0x13.
    return decodeRequestFrame(SID.WriteDataByIdentifier, NAME, bytes, (r) => {
      const did = r.u16('dataIdentifier');
      const data = r.bytes(Math.max(1, r.remaining), 'dataRecord');
      return { did, data };
    });
  },

  encodeResponse(res) {
    return new ByteWriter(3).u8(SID.WriteDataByIdentifier + 0x40).u16(res.did).finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 11.7.3 — exactly SID + DID.
    return decodeResponseFrame(SID.WriteDataByIdentifier, NAME, bytes, (r) => ({ did: r.u16('dataIdentifier') }));
  },
};
