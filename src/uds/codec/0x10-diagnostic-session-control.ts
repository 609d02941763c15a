/**
 * DiagnosticSessionControl (0x10), ISO 14229-1:2020 10.2.
 *
 * Request `10 SF`, positive response `50 SF P2server_max(2) P2*server_max(2)`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** Session types of ISO 14229-1:2020 10.2.2 (the sub-function values of 0x10). */
export const SessionType = {
  defaultSession: 0x01,
  programmingSession: 0x02,
  extendedDiagnosticSession: 0x03,
  safetySystemDiagnosticSession: 0x04,
} as const;

/** A decoded 0x10 request. */
export interface DiagnosticSessionControlRequest {
  /** Session type, 0..0x7F (without SPRMIB). */
  sessionType: number;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x10 positive response. */
export interface DiagnosticSessionControlResponse {
  /** Echo of the session type. */
  sessionType: number;
  /** P2server_max in ms (wire: u16, 1 ms resolution). */
  p2ServerMaxMs: number;
  /** P2*server_max in ms (wire: u16, 10 ms resolution; encode rounds up to the next 10 ms). */
  p2StarServerMaxMs: number;
}

const NAME = 'DiagnosticSessionControl';
const P2_STAR_RESOLUTION_MS = 10;

/** Codec of DiagnosticSessionControl (0x10). */
export const diagnosticSessionControl: ServiceCodec<DiagnosticSessionControlRequest, DiagnosticSessionControlResponse> = {
  sid: SID.DiagnosticSessionControl,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    return Uint8Array.of(
      SID.DiagnosticSessionControl,
      encodeSubFunction(NAME, 'sessionType', req.sessionType, req.suppressPositiveResponse),
    );
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.2.2 — the request is exactly SID + sub-function; any other length is 0x13.
    return decodeRequestFrame(SID.DiagnosticSessionControl, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('sessionType'));
      return { sessionType: sf.value, suppressPositiveResponse: sf.suppressPositiveResponse };
    });
  },

  encodeResponse(res) {
    // ISO 14229-1:2020 10.2.3 — P2*server_max is sent in units of 10 ms.
    const p2Star = Math.ceil(res.p2StarServerMaxMs / P2_STAR_RESOLUTION_MS);
    if (!Number.isFinite(p2Star) || p2Star < 0 || p2Star > 0xffff) {
      throw new InvalidArgumentError(
        `${NAME}: p2StarServerMaxMs must be 0..655350 ms (u16 in 10 ms units), got ${res.p2StarServerMaxMs}`,
        { field: 'p2StarServerMaxMs' },
      );
    }
    return new ByteWriter(6)
      .u8(SID.DiagnosticSessionControl + 0x40)
      .u8(encodeSubFunction(NAME, 'sessionType', res.sessionType))
      .u16(res.p2ServerMaxMs)
      .u16(p2Star)
      .finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 10.2.3 — exactly SID, session type and the 4-byte sessionParameterRecord.
    return decodeResponseFrame(SID.DiagnosticSessionControl, NAME, bytes, (r) => ({
      sessionType: r.u8('sessionType') & 0x7f,
      p2ServerMaxMs: r.u16('P2server_max'),
      p2StarServerMaxMs: r.u16('P2*server_max') * P2_STAR_RESOLUTION_MS,
    }));
  },
};
