/**
 * SecurityAccess (0x27), ISO 14229-1:2020 10.4.
 *
 * Request `27 SF [data]`: an odd SF is requestSeed (data = securityAccessDataRecord), an even SF is
 * sendKey (data = securityKey). Positive response `67 SF seed` to requestSeed, `67 SF` to sendKey.
 */
import { ByteWriter } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** A decoded 0x27 request. */
export interface SecurityAccessRequest {
  /** Security access type, 0..0x7F (without SPRMIB): odd = requestSeed, even = sendKey. */
  subFunction: number;
  /** securityAccessDataRecord (requestSeed) or securityKey (sendKey); may be empty. */
  data: Uint8Array;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x27 positive response. */
export interface SecurityAccessResponse {
  /** Echo of the security access type. */
  subFunction: number;
  /** The seed (at least one byte) for requestSeed; empty for a sendKey response. */
  seed: Uint8Array;
}

/** True for a requestSeed sub-function (odd values, ISO 14229-1:2020 10.4.2); SPRMIB is ignored. */
export function isRequestSeed(subFunction: number): boolean {
  return (subFunction & 0x01) === 1;
}

const NAME = 'SecurityAccess';

/**
 * Codec of SecurityAccess (0x27). `decodeRequest` accepts a sendKey without key bytes: whether the
 * sub-function is supported (0x12) is checked by the server before the key length (0x13), so the
 * handler checks the key length itself.
 */
export const securityAccess: ServiceCodec<SecurityAccessRequest, SecurityAccessResponse> = {
  sid: SID.SecurityAccess,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    return new ByteWriter(2 + req.data.length)
      .u8(SID.SecurityAccess)
      .u8(encodeSubFunction(NAME, 'subFunction', req.subFunction, req.suppressPositiveResponse))
      .bytes(req.data)
      .finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.4.2 — SID, securityAccessType, then the optional record or the key.
    return decodeRequestFrame(SID.SecurityAccess, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('securityAccessType'));
      return { subFunction: sf.value, data: r.rest(), suppressPositiveResponse: sf.suppressPositiveResponse };
    });
  },

  encodeResponse(res) {
    const sf = encodeSubFunction(NAME, 'subFunction', res.subFunction);
    // ISO 14229-1:2020 10.4.3 — securitySeed only in the response to requestSeed.
    if (!isRequestSeed(sf) && res.seed.length > 0) {
      throw new InvalidArgumentError(`${NAME}: a sendKey response (even subFunction ${sf}) carries no seed; pass an empty seed`, {
        field: 'seed',
      });
    }
    if (isRequestSeed(sf) && res.seed.length === 0) {
      throw new InvalidArgumentError(`${NAME}: a requestSeed response needs a seed of at least one byte`, { field: 'seed' });
    }
    return new ByteWriter(2 + res.seed.length).u8(SID.SecurityAccess + 0x40).u8(sf).bytes(res.seed).finish();
  },

  decodeResponse(bytes) {
    return decodeResponseFrame(SID.SecurityAccess, NAME, bytes, (r) => {
      const subFunction = r.u8('securityAccessType') & 0x7f;
      const seed = r.rest();
      if (isRequestSeed(subFunction) && seed.length === 0) {
        throw new DecodeError(`${NAME} response to requestSeed 0x${subFunction.toString(16)} has no seed`, { subFunction });
      }
      if (!isRequestSeed(subFunction) && seed.length > 0) {
        throw new DecodeError(`${NAME} response to sendKey 0x${subFunction.toString(16)} must be 2 bytes, got ${bytes.length}`, {
          subFunction,
        });
      }
      return { subFunction, seed };
    });
  },
};
