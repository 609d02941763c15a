/**
 * RoutineControl (0x31), ISO 14229-1:2020 14.2.
 *
 * Request `31 SF RID(2) [routineControlOptionRecord]`, positive response
 * `71 SF RID(2) [routineInfo] [routineStatusRecord]`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** Routine control types of ISO 14229-1:2020 14.2.2 (the sub-function values of 0x31). */
export const RoutineControlType = {
  startRoutine: 0x01,
  stopRoutine: 0x02,
  requestRoutineResults: 0x03,
} as const;

/** A decoded 0x31 request. */
export interface RoutineControlRequest {
  /** Routine control type, 0..0x7F (without SPRMIB). */
  routineControlType: number;
  /** Routine identifier, 0..0xFFFF. */
  routineId: number;
  /** routineControlOptionRecord; may be empty. */
  optionRecord: Uint8Array;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x31 positive response. */
export interface RoutineControlResponse {
  /** Echo of the routine control type. */
  routineControlType: number;
  /** Echo of the routine identifier. */
  routineId: number;
  /** Every byte after the RID: routineInfo + routineStatusRecord; may be empty. */
  statusRecord: Uint8Array;
}

const NAME = 'RoutineControl';

/** Codec of RoutineControl (0x31). */
export const routineControl: ServiceCodec<RoutineControlRequest, RoutineControlResponse> = {
  sid: SID.RoutineControl,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 4,

  encodeRequest(req) {
    return new ByteWriter(4 + req.optionRecord.length)
      .u8(SID.RoutineControl)
      .u8(encodeSubFunction(NAME, 'routineControlType', req.routineControlType, req.suppressPositiveResponse))
      .u16(req.routineId)
      .bytes(req.optionRecord)
      .finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 14.2.2 — SID, routineControlType, 2-byte RID, optional record; shorter is 0x13.
    return decodeRequestFrame(SID.RoutineControl, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('routineControlType'));
      const routineId = r.u16('routineIdentifier');
      return {
        routineControlType: sf.value,
        routineId,
        optionRecord: r.rest(),
        suppressPositiveResponse: sf.suppressPositiveResponse,
      };
    });
  },

  encodeResponse(res) {
    return new ByteWriter(4 + res.statusRecord.length)
      .u8(SID.RoutineControl + 0x40)
      .u8(encodeSubFunction(NAME, 'routineControlType', res.routineControlType))
      .u16(res.routineId)
      .bytes(res.statusRecord)
      .finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 14.2.3 — SID, routineControlType, RID, then routineInfo and status record.
    return decodeResponseFrame(SID.RoutineControl, NAME, bytes, (r) => ({
      routineControlType: r.u8('routineControlType') & 0x7f,
      routineId: r.u16('routineIdentifier'),
      statusRecord: r.rest(),
    }));
  },
};
