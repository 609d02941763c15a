/**
 * RequestTransferExit (0x37), ISO 14229-1:2020 15.5.
 *
 * Request `37 [transferRequestParameterRecord]`, positive response `77 [transferResponseParameterRecord]`
 * (the simulator returns the CRC32 of the transferred range there).
 */
import { ByteWriter } from '../../core/bytes.js';
import { decodeRequestFrame, decodeResponseFrame, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x37 request. */
export interface RequestTransferExitRequest {
  /** transferRequestParameterRecord; may be empty. */
  record: Uint8Array;
}

/** A decoded 0x37 positive response. */
export interface RequestTransferExitResponse {
  /** transferResponseParameterRecord; may be empty. */
  record: Uint8Array;
}

const NAME = 'RequestTransferExit';

/** Codec of RequestTransferExit (0x37). */
export const requestTransferExit: ServiceCodec<RequestTransferExitRequest, RequestTransferExitResponse> = {
  sid: SID.RequestTransferExit,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 1,

  encodeRequest(req) {
    return new ByteWriter(1 + req.record.length).u8(SID.RequestTransferExit).bytes(req.record).finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 15.5.2 — SID and an optional, manufacturer-defined record.
    return decodeRequestFrame(SID.RequestTransferExit, NAME, bytes, (r) => ({ record: r.rest() }));
  },

  encodeResponse(res) {
    return new ByteWriter(1 + res.record.length).u8(SID.RequestTransferExit + 0x40).bytes(res.record).finish();
  },

  decodeResponse(bytes) {
    return decodeResponseFrame(SID.RequestTransferExit, NAME, bytes, (r) => ({ record: r.rest() }));
  },
};
