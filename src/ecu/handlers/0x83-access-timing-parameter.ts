/**
 * AccessTimingParameter (0x83), ISO 14229-1:2013 9.7: reads the extended and the active P2server /
 * P2*server, sets given values or the defaults. Records use the 4-byte layout of
 * `encodeServerTimingRecord` (P2 in 1 ms, P2* in 10 ms). New values are put in force after the positive
 * response (ISO 14229-1:2013 9.7.1: after the response is sent, or after the evaluation of the request
 * when SPRMIB suppresses it) and last until the next session transition.
 */
import { DecodeError } from '../../core/errors.js';
import {
  accessTimingParameter,
  decodeServerTimingRecord,
  encodeServerTimingRecord,
  TimingParameterAccessType,
} from '../../uds/codec/0x83-access-timing-parameter.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x83 (sub-functions 01-04 via the service table). */
export const accessTimingParameterHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2013 9.7.4 NRC 0x13 — a record with 01-03, none with 04 (the codec checks it).
  const req = accessTimingParameter.decodeRequest(ctx.data);
  const timing = ctx.env.timing;
  const type = req.timingParameterAccessType;
  const respond = (record: Uint8Array = new Uint8Array(0)): Uint8Array =>
    accessTimingParameter.encodeResponse({ timingParameterAccessType: type, timingParameterResponseRecord: record });

  switch (type) {
    case TimingParameterAccessType.readExtendedTimingParameterSet:
      return respond(encodeServerTimingRecord(timing.extended));
    case TimingParameterAccessType.readCurrentlyActiveTimingParameters:
      return respond(encodeServerTimingRecord(timing.active));
    case TimingParameterAccessType.setTimingParametersToDefaultValues:
      ctx.afterResponse(() => timing.reset());
      return respond();
    case TimingParameterAccessType.setTimingParametersToGivenValues: {
      let values;
      try {
        values = decodeServerTimingRecord(req.timingParameterRequestRecord);
      } catch (e) {
        // ISO 14229-1:2013 9.7.4 NRC 0x13 — the record does not have the timing record's length.
        if (e instanceof DecodeError) throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, e.message);
        throw e;
      }
      const problem = timing.problem(values);
      // ISO 14229-1:2013 9.7.4 NRC 0x31 — the given timing parameters are not within the server's limits.
      if (problem) throw new NrcError(NRC.requestOutOfRange, `${problem}; 83 01 reports the extended set, the limit`);
      ctx.afterResponse(() => timing.set(values));
      return respond();
    }
    default:
      // Other access types never pass the service table (0x12); a custom table that lets one through gets 0x12 here.
      throw new NrcError(NRC.subFunctionNotSupported, `timingParameterAccessType 0x${type.toString(16)} is not supported`);
  }
};
