/**
 * ControlDTCSetting (0x85), ISO 14229-1:2020 10.8.
 *
 * Request `85 SF [DTCSettingControlOptionRecord]`, positive response `C5 SF`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** DTC setting types of ISO 14229-1:2020 10.8.2 (the sub-function values of 0x85). */
export const DtcSettingType = {
  on: 0x01,
  off: 0x02,
} as const;

/** A decoded 0x85 request. */
export interface ControlDtcSettingRequest {
  /** DTC setting type, 0..0x7F (without SPRMIB). */
  settingType: number;
  /** DTCSettingControlOptionRecord; may be empty. */
  record: Uint8Array;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x85 positive response. */
export interface ControlDtcSettingResponse {
  /** Echo of the DTC setting type. */
  settingType: number;
}

const NAME = 'ControlDTCSetting';

/** Codec of ControlDTCSetting (0x85). */
export const controlDtcSetting: ServiceCodec<ControlDtcSettingRequest, ControlDtcSettingResponse> = {
  sid: SID.ControlDTCSetting,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    return new ByteWriter(2 + req.record.length)
      .u8(SID.ControlDTCSetting)
      .u8(encodeSubFunction(NAME, 'settingType', req.settingType, req.suppressPositiveResponse))
      .bytes(req.record)
      .finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.8.2 — SID, DTCSettingType, optional option record.
    return decodeRequestFrame(SID.ControlDTCSetting, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('DTCSettingType'));
      return { settingType: sf.value, record: r.rest(), suppressPositiveResponse: sf.suppressPositiveResponse };
    });
  },

  encodeResponse(res) {
    return Uint8Array.of(SID.ControlDTCSetting + 0x40, encodeSubFunction(NAME, 'settingType', res.settingType));
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 10.8.3 — exactly SID + DTCSettingType echo.
    return decodeResponseFrame(SID.ControlDTCSetting, NAME, bytes, (r) => ({ settingType: r.u8('DTCSettingType') & 0x7f }));
  },
};
