/**
 * ReadDTCInformation (0x19), ISO 14229-1:2020 12.3.
 *
 * Request `19 reportType [parameters]`, positive response `59 reportType [parameters]`. Sub-functions
 * 01, 02, 03, 04, 06, 0A, 0B, 0C, 0D and 0E are decoded field by field (see `0x19-dtc-records.ts`);
 * any other sub-function keeps its parameter bytes (`parameters`), so every request decodes.
 */
import { ByteWriter } from '../../core/bytes.js';
import {
  readRequestParameters,
  readResponseParameters,
  writeRequestParameters,
  writeResponseParameters,
  type ReadDtcInformationContext,
  type ReadDtcInformationRequest,
  type ReadDtcInformationResponse,
} from './0x19-dtc-records.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

export * from './0x19-dtc-records.js';

const NAME = 'ReadDTCInformation';

/**
 * Codec of ReadDTCInformation (0x19). `decodeResponse` takes a {@link ReadDtcInformationContext} for
 * the snapshot DIDs (04) and extended data records (06) whose lengths the wire does not carry.
 */
export const readDtcInformation: ServiceCodec<ReadDtcInformationRequest, ReadDtcInformationResponse, ReadDtcInformationContext> = {
  sid: SID.ReadDTCInformation,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    const w = new ByteWriter(8)
      .u8(SID.ReadDTCInformation)
      .u8(encodeSubFunction(NAME, 'reportType', req.subFunction, req.suppressPositiveResponse));
    writeRequestParameters(w, req);
    return w.finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 12.3.2 — SID, reportType, then the parameters of that reportType (exact length, else 0x13).
    return decodeRequestFrame(SID.ReadDTCInformation, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('reportType'));
      return readRequestParameters(r, sf.value, sf.suppressPositiveResponse);
    });
  },

  encodeResponse(res) {
    const w = new ByteWriter(64).u8(SID.ReadDTCInformation + 0x40).u8(encodeSubFunction(NAME, 'reportType', res.subFunction));
    writeResponseParameters(w, res);
    return w.finish();
  },

  decodeResponse(bytes, ctx) {
    // ISO 14229-1:2020 12.3.3 — SID, reportType echo, then the records of that reportType.
    return decodeResponseFrame(SID.ReadDTCInformation, NAME, bytes, (r) =>
      readResponseParameters(r, r.u8('reportType') & 0x7f, ctx),
    );
  },
};
