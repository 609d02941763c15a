/**
 * ECUReset (0x11), ISO 14229-1:2020 10.3.
 *
 * Request `11 SF`, positive response `51 SF [powerDownTime]` (powerDownTime only for
 * enableRapidPowerShutDown, 0x04).
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** Reset types of ISO 14229-1:2020 10.3.2 (the sub-function values of 0x11). */
export const ResetType = {
  hardReset: 0x01,
  keyOffOnReset: 0x02,
  softReset: 0x03,
  enableRapidPowerShutDown: 0x04,
  disableRapidPowerShutDown: 0x05,
} as const;

/** powerDownTime value meaning "failure or time not available" (ISO 14229-1:2020 10.3.3). */
export const POWER_DOWN_TIME_NOT_AVAILABLE = 0xff;

/** A decoded 0x11 request. */
export interface EcuResetRequest {
  /** Reset type, 0..0x7F (without SPRMIB). */
  resetType: number;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x11 positive response. */
export interface EcuResetResponse {
  /** Echo of the reset type. */
  resetType: number;
  /**
   * Minimum stand-by time in seconds (0..0xFE; 0xFF = not available). Present only for resetType 0x04;
   * encode writes 0xFF when it is missing and throws when it is given for any other reset type.
   */
  powerDownTimeS?: number;
}

const NAME = 'ECUReset';

/** Codec of ECUReset (0x11). */
export const ecuReset: ServiceCodec<EcuResetRequest, EcuResetResponse> = {
  sid: SID.ECUReset,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    return Uint8Array.of(SID.ECUReset, encodeSubFunction(NAME, 'resetType', req.resetType, req.suppressPositiveResponse));
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.3.2 — the request is exactly SID + sub-function; any other length is 0x13.
    return decodeRequestFrame(SID.ECUReset, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('resetType'));
      return { resetType: sf.value, suppressPositiveResponse: sf.suppressPositiveResponse };
    });
  },

  encodeResponse(res) {
    const w = new ByteWriter(3).u8(SID.ECUReset + 0x40).u8(encodeSubFunction(NAME, 'resetType', res.resetType));
    // ISO 14229-1:2020 10.3.3 — powerDownTime is present only in the response to enableRapidPowerShutDown.
    if (res.resetType === ResetType.enableRapidPowerShutDown) {
      w.u8(res.powerDownTimeS ?? POWER_DOWN_TIME_NOT_AVAILABLE);
    } else if (res.powerDownTimeS !== undefined) {
      throw new InvalidArgumentError(
        `${NAME}: powerDownTimeS is only sent for resetType 0x04 (enableRapidPowerShutDown), got resetType ${res.resetType}`,
        { field: 'powerDownTimeS' },
      );
    }
    return w.finish();
  },

  decodeResponse(bytes) {
    return decodeResponseFrame(SID.ECUReset, NAME, bytes, (r) => {
      const resetType = r.u8('resetType') & 0x7f;
      if (resetType === ResetType.enableRapidPowerShutDown) {
        return { resetType, powerDownTimeS: r.u8('powerDownTime') };
      }
      return { resetType };
    });
  },
};
