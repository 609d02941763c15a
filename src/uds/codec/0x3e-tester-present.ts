/**
 * TesterPresent (0x3E), ISO 14229-1:2020 10.7.
 *
 * Request `3E 00` (or `3E 80` with SPRMIB), positive response `7E 00`.
 */
import { DecodeError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** The only defined sub-function of 0x3E (ISO 14229-1:2020 10.7.2). */
export const ZERO_SUB_FUNCTION = 0x00;

/**
 * A 0x3E request. Encode sends `subFunction` (default 0, the only valid value); decode always fills it
 * so the server can answer 0x12 for a non-zero value.
 */
export interface TesterPresentRequest {
  /** Sub-function value without SPRMIB; must be 0 (zeroSubFunction). */
  subFunction?: number;
  /** SPRMIB: the server sends no positive response (`3E 80`). */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x3E positive response (`7E 00` carries nothing else). */
export type TesterPresentResponse = Record<string, never>;

const NAME = 'TesterPresent';

/** Codec of TesterPresent (0x3E). */
export const testerPresent: ServiceCodec<TesterPresentRequest, TesterPresentResponse> = {
  sid: SID.TesterPresent,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    return Uint8Array.of(
      SID.TesterPresent,
      encodeSubFunction(NAME, 'subFunction', req.subFunction ?? ZERO_SUB_FUNCTION, req.suppressPositiveResponse),
    );
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.7.2 — exactly SID + sub-function; extra bytes are 0x13.
    return decodeRequestFrame(SID.TesterPresent, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('zeroSubFunction'));
      return { subFunction: sf.value, suppressPositiveResponse: sf.suppressPositiveResponse };
    });
  },

  encodeResponse() {
    return Uint8Array.of(SID.TesterPresent + 0x40, ZERO_SUB_FUNCTION);
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 10.7.3 — exactly `7E 00`.
    return decodeResponseFrame(SID.TesterPresent, NAME, bytes, (r) => {
      const sf = r.u8('zeroSubFunction');
      if (sf !== ZERO_SUB_FUNCTION) {
        throw new DecodeError(`${NAME} response must echo sub-function 00, got ${hexByte(sf)}`, { subFunction: sf });
      }
      return {};
    });
  },
};
