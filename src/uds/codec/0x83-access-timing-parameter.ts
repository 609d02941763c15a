/**
 * AccessTimingParameter (0x83), ISO 14229-1:2013 9.7. (The 2020 edition no longer defines this service
 * and lists 0x83 as reserved; udskit keeps the 2013 definition, which ECUs in the field still implement.)
 *
 * Request `83 SF [timingParameterRequestRecord]` (the record only with 04 setTimingParametersToGivenValues),
 * positive response `C3 SF [timingParameterResponseRecord]` (the record only with 01
 * readExtendedTimingParameterSet and 03 readCurrentlyActiveTimingParameters).
 *
 * ISO 14229-1 leaves the content of the records to the data-link implementation. udskit uses the layout of
 * the DiagnosticSessionControl sessionParameterRecord (ISO 14229-1:2020 10.2.3): P2server_max as u16 in
 * 1 ms and P2*server_max as u16 in 10 ms, see {@link encodeServerTimingRecord}.
 */
import { ByteWriter } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** timingParameterAccessType values of ISO 14229-1:2013 9.7.2.2 (the sub-function values of 0x83). */
export const TimingParameterAccessType = {
  readExtendedTimingParameterSet: 0x01,
  setTimingParametersToDefaultValues: 0x02,
  readCurrentlyActiveTimingParameters: 0x03,
  setTimingParametersToGivenValues: 0x04,
} as const;

/** A decoded 0x83 request. */
export interface AccessTimingParameterRequest {
  /** timingParameterAccessType, 0..0x7F (without SPRMIB). */
  timingParameterAccessType: number;
  /** timingParameterRequestRecord: non-empty with 04, empty with 01-03, any bytes with other values. */
  timingParameterRequestRecord: Uint8Array;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x83 positive response. */
export interface AccessTimingParameterResponse {
  /** Echo of the access type. */
  timingParameterAccessType: number;
  /** timingParameterResponseRecord: non-empty with 01/03, empty with 02/04, any bytes with other values. */
  timingParameterResponseRecord: Uint8Array;
}

/** Server timing as carried in a timing parameter record. */
export interface ServerTimingRecord {
  /** P2server_max in ms (u16, 1 ms resolution). */
  p2ServerMs: number;
  /** P2*server_max in ms (u16, 10 ms resolution; encoding rounds up to the next 10 ms). */
  p2StarServerMs: number;
}

const NAME = 'AccessTimingParameter';
/** Length of the record of {@link encodeServerTimingRecord}. */
export const SERVER_TIMING_RECORD_LENGTH = 4;

/** Which access types carry a request record (`true`), none (`false`); undefined = not defined by ISO. */
function requestHasRecord(type: number): boolean | undefined {
  if (type === TimingParameterAccessType.setTimingParametersToGivenValues) return true;
  if (type >= 0x01 && type <= 0x03) return false;
  return undefined;
}

/** Which access types carry a response record (01 and 03), none (02 and 04); undefined = not defined. */
function responseHasRecord(type: number): boolean | undefined {
  if (type === TimingParameterAccessType.readExtendedTimingParameterSet || type === TimingParameterAccessType.readCurrentlyActiveTimingParameters) {
    return true;
  }
  if (type === 0x02 || type === 0x04) return false;
  return undefined;
}

function checkRecord(kind: string, type: number, record: Uint8Array, want: boolean | undefined): string | undefined {
  if (want === true && record.length === 0) return `access type ${type} needs a ${kind} record`;
  if (want === false && record.length > 0) return `access type ${type} carries no ${kind} record, got ${record.length} byte(s)`;
  return undefined;
}

/** The 4-byte timing record `P2server_max(2, 1 ms) P2*server_max(2, 10 ms)`. Throws `InvalidArgumentError` when a value does not fit. */
export function encodeServerTimingRecord(t: ServerTimingRecord): Uint8Array {
  const p2Star = Math.ceil(t.p2StarServerMs / 10);
  if (!Number.isInteger(t.p2ServerMs) || t.p2ServerMs < 0 || t.p2ServerMs > 0xffff) {
    throw new InvalidArgumentError(`${NAME}: p2ServerMs must be 0..65535 ms, got ${t.p2ServerMs}`, { field: 'p2ServerMs' });
  }
  if (!Number.isFinite(p2Star) || p2Star < 0 || p2Star > 0xffff) {
    throw new InvalidArgumentError(`${NAME}: p2StarServerMs must be 0..655350 ms (u16 in 10 ms units), got ${t.p2StarServerMs}`, {
      field: 'p2StarServerMs',
    });
  }
  return new ByteWriter(SERVER_TIMING_RECORD_LENGTH).u16(t.p2ServerMs).u16(p2Star).finish();
}

/** Reads a record of {@link encodeServerTimingRecord}; throws {@link DecodeError} unless it has exactly 4 bytes. */
export function decodeServerTimingRecord(record: Uint8Array): ServerTimingRecord {
  if (record.length !== SERVER_TIMING_RECORD_LENGTH) {
    throw new DecodeError(`${NAME}: a timing record is P2server_max(2) P2*server_max(2), 4 bytes, got ${record.length}`);
  }
  return {
    p2ServerMs: ((record[0] as number) << 8) | (record[1] as number),
    p2StarServerMs: (((record[2] as number) << 8) | (record[3] as number)) * 10,
  };
}

/** Codec of AccessTimingParameter (0x83). */
export const accessTimingParameter: ServiceCodec<AccessTimingParameterRequest, AccessTimingParameterResponse> = {
  sid: SID.AccessTimingParameter,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    const type = req.timingParameterAccessType;
    const record = req.timingParameterRequestRecord;
    const bad = checkRecord('request', type, record, requestHasRecord(type));
    if (bad) throw new InvalidArgumentError(`${NAME}: ${bad}`, { field: 'timingParameterRequestRecord' });
    return new ByteWriter(2 + record.length)
      .u8(SID.AccessTimingParameter)
      .u8(encodeSubFunction(NAME, 'timingParameterAccessType', type, req.suppressPositiveResponse))
      .bytes(record)
      .finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2013 9.7.2 — the record is present with 04 only (9.7.4: NRC 0x13 otherwise).
    return decodeRequestFrame(SID.AccessTimingParameter, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('timingParameterAccessType'));
      const record = r.rest();
      const bad = checkRecord('request', sf.value, record, requestHasRecord(sf.value));
      if (bad) throw new RequestFormatError(`${NAME} request: ${bad} (NRC 0x13)`);
      return { timingParameterAccessType: sf.value, timingParameterRequestRecord: record, suppressPositiveResponse: sf.suppressPositiveResponse };
    });
  },

  encodeResponse(res) {
    const type = res.timingParameterAccessType;
    const record = res.timingParameterResponseRecord;
    const bad = checkRecord('response', type, record, responseHasRecord(type));
    if (bad) throw new InvalidArgumentError(`${NAME}: ${bad}`, { field: 'timingParameterResponseRecord' });
    return new ByteWriter(2 + record.length)
      .u8(SID.AccessTimingParameter + 0x40)
      .u8(encodeSubFunction(NAME, 'timingParameterAccessType', type))
      .bytes(record)
      .finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2013 9.7.3 — the record is present with 01 and 03 only.
    return decodeResponseFrame(SID.AccessTimingParameter, NAME, bytes, (r) => {
      const type = r.u8('timingParameterAccessType') & 0x7f;
      const record = r.rest();
      const bad = checkRecord('response', type, record, responseHasRecord(type));
      if (bad) throw new DecodeError(`${NAME} response: ${bad}`);
      return { timingParameterAccessType: type, timingParameterResponseRecord: record };
    });
  },
};
