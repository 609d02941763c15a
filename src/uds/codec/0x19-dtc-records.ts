/**
 * The typed request and response objects of ReadDTCInformation (0x19), ISO 14229-1:2020 12.3, one per
 * group of sub-functions with the same format (a discriminated union on `subFunction`), and the
 * readers/writers of their parameter bytes. The codec itself is in `0x19-read-dtc-information.ts`.
 */
import type { ByteReader, ByteWriter } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte, hexNum } from '../../core/hex.js';
import type { DidRecord } from './0x22-read-data-by-identifier.js';

/** The reportType (sub-function) values of ISO 14229-1:2020 12.3.2 that udskit decodes field by field. */
export const ReadDtcSubFunction = {
  reportNumberOfDTCByStatusMask: 0x01,
  reportDTCByStatusMask: 0x02,
  reportDTCSnapshotIdentification: 0x03,
  reportDTCSnapshotRecordByDTCNumber: 0x04,
  reportDTCExtDataRecordByDTCNumber: 0x06,
  reportSupportedDTC: 0x0a,
  reportFirstTestFailedDTC: 0x0b,
  reportFirstConfirmedDTC: 0x0c,
  reportMostRecentTestFailedDTC: 0x0d,
  reportMostRecentConfirmedDTC: 0x0e,
} as const;

/** DTCSnapshotRecordNumber / DTCExtDataRecordNumber 0xFF: every record (ISO 14229-1:2020 12.3.2). */
export const ALL_RECORDS = 0xff;
/** DTCExtDataRecordNumber 0xFE: every regulated (OBD) record 0x90..0xEF (ISO 14229-1:2020 12.3.2). */
export const ALL_REGULATED_EXT_DATA_RECORDS = 0xfe;

/** Sub-functions whose request carries a DTCStatusMask. */
export type StatusMaskSubFunction = 0x01 | 0x02;
/** Sub-functions whose request has no parameter. */
export type NoParameterSubFunction = 0x03 | 0x0a | 0x0b | 0x0c | 0x0d | 0x0e;
/** Sub-functions whose request names a DTC and a record number. */
export type DtcRecordSubFunction = 0x04 | 0x06;
/** Sub-functions whose response is `DTCStatusAvailabilityMask [DTC status]*`. */
export type DtcListSubFunction = 0x02 | 0x0a | 0x0b | 0x0c | 0x0d | 0x0e;

const STATUS_MASK_SFS: ReadonlySet<number> = new Set([0x01, 0x02]);
const NO_PARAMETER_SFS: ReadonlySet<number> = new Set([0x03, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e]);
const DTC_RECORD_SFS: ReadonlySet<number> = new Set([0x04, 0x06]);
const DTC_LIST_SFS: ReadonlySet<number> = new Set([0x02, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e]);

interface Suppressible {
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** `19 01|02 DTCStatusMask`. */
export interface ReadDtcByStatusMaskRequest extends Suppressible {
  subFunction: StatusMaskSubFunction;
  /** DTCStatusMask: a DTC matches when `status & mask` is not 0. */
  statusMask: number;
}

/** `19 03`, `19 0A`, `19 0B`..`0E`: no parameter. */
export interface ReadDtcNoParameterRequest extends Suppressible {
  subFunction: NoParameterSubFunction;
}

/** `19 04|06 DTCMaskRecord(3) RecordNumber`. */
export interface ReadDtcRecordRequest extends Suppressible {
  subFunction: DtcRecordSubFunction;
  /** DTCMaskRecord: the DTC (3 bytes). */
  dtc: number;
  /** DTCSnapshotRecordNumber (04) or DTCExtDataRecordNumber (06); 0xFF = all. */
  recordNumber: number;
}

/** Any other sub-function, its parameter bytes undecoded. */
export interface ReadDtcOtherRequest extends Suppressible {
  subFunction: number;
  /** The bytes after the sub-function. */
  parameters: Uint8Array;
}

/** A decoded 0x19 request. Narrow `ReadDtcOtherRequest` out first with `'parameters' in req`. */
export type ReadDtcInformationRequest = ReadDtcByStatusMaskRequest | ReadDtcNoParameterRequest | ReadDtcRecordRequest | ReadDtcOtherRequest;

/** A DTC and its statusOfDTC. */
export interface DtcAndStatus {
  /** The 3-byte DTC. */
  dtc: number;
  /** statusOfDTC (ISO 14229-1:2020 Annex D.2). */
  status: number;
}

/** `59 01 DTCStatusAvailabilityMask DTCFormatIdentifier DTCCount(2)`. */
export interface ReadDtcCountResponse {
  subFunction: 0x01;
  /** The status bits the server supports. */
  statusAvailabilityMask: number;
  /** DTCFormatIdentifier (see `DtcFormatIdentifier`). */
  formatIdentifier: number;
  /** Number of DTCs matching the mask. */
  count: number;
}

/** `59 02|0A|0B..0E DTCStatusAvailabilityMask [DTC(3) status]*`. */
export interface ReadDtcListResponse {
  subFunction: DtcListSubFunction;
  /** The status bits the server supports. */
  statusAvailabilityMask: number;
  /** The DTCs, in server order. */
  dtcs: DtcAndStatus[];
}

/** `59 03 [DTC(3) DTCSnapshotRecordNumber]*`. */
export interface ReadDtcSnapshotIdentificationResponse {
  subFunction: 0x03;
  /** One entry per stored snapshot record. */
  records: { dtc: number; recordNumber: number }[];
}

/** One DTCSnapshotRecord: its number and the DIDs captured. */
export interface DtcSnapshotRecord {
  /** DTCSnapshotRecordNumber. */
  recordNumber: number;
  /** The DIDs and their values (DTCSnapshotRecordNumberOfIdentifiers = their count). */
  dids: DidRecord[];
}

/** `59 04 DTC(3) status [RecordNumber NumberOfIdentifiers [DID data]*]*`. */
export interface ReadDtcSnapshotRecordResponse {
  subFunction: 0x04;
  dtc: number;
  status: number;
  /** Empty when nothing is stored for the DTC. */
  records: DtcSnapshotRecord[];
}

/** One DTCExtendedDataRecord. */
export interface DtcExtendedDataRecord {
  /** DTCExtDataRecordNumber. */
  recordNumber: number;
  /** The record's bytes. */
  data: Uint8Array;
}

/** `59 06 DTC(3) status [RecordNumber data]*`. */
export interface ReadDtcExtendedDataResponse {
  subFunction: 0x06;
  dtc: number;
  status: number;
  /** Empty when nothing is stored for the DTC. */
  records: DtcExtendedDataRecord[];
}

/** Any other sub-function, its bytes undecoded. */
export interface ReadDtcOtherResponse {
  subFunction: number;
  /** The bytes after the sub-function echo. */
  parameters: Uint8Array;
}

/** A decoded 0x19 positive response. Narrow `ReadDtcOtherResponse` out first with `'parameters' in res`. */
export type ReadDtcInformationResponse =
  | ReadDtcCountResponse
  | ReadDtcListResponse
  | ReadDtcSnapshotIdentificationResponse
  | ReadDtcSnapshotRecordResponse
  | ReadDtcExtendedDataResponse
  | ReadDtcOtherResponse;

/**
 * What `decodeResponse` needs for the records whose lengths the wire does not carry (04 and 06).
 * Without `didLength`, a snapshot record's last DID takes the rest of the message; without
 * `extendedDataLength`, an extended data record takes the rest.
 */
export interface ReadDtcInformationContext {
  /** Data length of a snapshot DID in bytes, or undefined when unknown. */
  didLength?: (did: number) => number | undefined;
  /** Length of an extended data record in bytes, or undefined when unknown. */
  extendedDataLength?: (recordNumber: number) => number | undefined;
}

const NAME = 'ReadDTCInformation';

/** Reads the request parameters after the sub-function byte. */
export function readRequestParameters(r: ByteReader, subFunction: number, suppress: boolean): ReadDtcInformationRequest {
  const s = { suppressPositiveResponse: suppress };
  // ISO 14229-1:2020 12.3.2 — each reportType has a fixed request length; another length is 0x13.
  if (STATUS_MASK_SFS.has(subFunction)) {
    return { subFunction: subFunction as StatusMaskSubFunction, statusMask: r.u8('DTCStatusMask'), ...s };
  }
  if (NO_PARAMETER_SFS.has(subFunction)) return { subFunction: subFunction as NoParameterSubFunction, ...s };
  if (DTC_RECORD_SFS.has(subFunction)) {
    const dtc = r.uint(3, 'DTCMaskRecord');
    const recordNumber = r.u8(subFunction === 0x04 ? 'DTCSnapshotRecordNumber' : 'DTCExtDataRecordNumber');
    return { subFunction: subFunction as DtcRecordSubFunction, dtc, recordNumber, ...s };
  }
  return { subFunction, parameters: r.rest(), ...s };
}

/** Writes the request parameters after the sub-function byte. */
export function writeRequestParameters(w: ByteWriter, req: ReadDtcInformationRequest): void {
  if ('parameters' in req) {
    if (isKnownSubFunction(req.subFunction)) {
      throw new InvalidArgumentError(`${NAME}: sub-function 0x${hexByte(req.subFunction)} has typed fields; do not pass raw parameters`, {
        field: 'parameters',
      });
    }
    w.bytes(req.parameters);
  } else if ('statusMask' in req) w.u8(req.statusMask);
  else if ('dtc' in req) w.uint(req.dtc, 3).u8(req.recordNumber);
}

/** True for the sub-functions decoded field by field. */
export function isKnownSubFunction(subFunction: number): boolean {
  return STATUS_MASK_SFS.has(subFunction) || NO_PARAMETER_SFS.has(subFunction) || DTC_RECORD_SFS.has(subFunction);
}

function readDtcList(r: ByteReader, subFunction: DtcListSubFunction): ReadDtcListResponse {
  const statusAvailabilityMask = r.u8('DTCStatusAvailabilityMask');
  // ISO 14229-1:2020 12.3.3 — DTCAndStatusRecord is 4 bytes each (DTC 3 + statusOfDTC 1).
  if (r.remaining % 4 !== 0) {
    throw new DecodeError(`${NAME} response: ${r.remaining} byte(s) after the availability mask are not whole DTC+status records (4 bytes each)`, {
      subFunction,
    });
  }
  const dtcs: DtcAndStatus[] = [];
  while (r.remaining > 0) dtcs.push({ dtc: r.uint(3, 'DTC'), status: r.u8('statusOfDTC') });
  return { subFunction, statusAvailabilityMask, dtcs };
}

function readSnapshotRecords(r: ByteReader, ctx: ReadDtcInformationContext | undefined): DtcSnapshotRecord[] {
  const records: DtcSnapshotRecord[] = [];
  while (r.remaining > 0) {
    const recordNumber = r.u8('DTCSnapshotRecordNumber');
    const count = r.u8('DTCSnapshotRecordNumberOfIdentifiers');
    const dids: DidRecord[] = [];
    for (let i = 0; i < count; i++) {
      const did = r.u16('dataIdentifier');
      const len = ctx?.didLength?.(did);
      if (len !== undefined) dids.push({ did, data: r.bytes(len, `data of DID ${hexNum(did)}`) });
      else if (i === count - 1) dids.push({ did, data: r.rest() });
      else {
        throw new DecodeError(
          `${NAME} response: snapshot record 0x${hexByte(recordNumber)} has ${count} DIDs and the length of DID ${hexNum(did)} is unknown; pass didLength`,
          { did, recordNumber },
        );
      }
    }
    records.push({ recordNumber, dids });
  }
  return records;
}

function readExtendedDataRecords(r: ByteReader, ctx: ReadDtcInformationContext | undefined): DtcExtendedDataRecord[] {
  const records: DtcExtendedDataRecord[] = [];
  while (r.remaining > 0) {
    const recordNumber = r.u8('DTCExtDataRecordNumber');
    const len = ctx?.extendedDataLength?.(recordNumber);
    records.push({ recordNumber, data: len === undefined ? r.rest() : r.bytes(len, `extended data record 0x${hexByte(recordNumber)}`) });
  }
  return records;
}

/** Reads the response parameters after the sub-function echo. */
export function readResponseParameters(r: ByteReader, subFunction: number, ctx: ReadDtcInformationContext | undefined): ReadDtcInformationResponse {
  if (subFunction === 0x01) {
    return {
      subFunction,
      statusAvailabilityMask: r.u8('DTCStatusAvailabilityMask'),
      formatIdentifier: r.u8('DTCFormatIdentifier'),
      count: r.u16('DTCCount'),
    };
  }
  if (DTC_LIST_SFS.has(subFunction)) return readDtcList(r, subFunction as DtcListSubFunction);
  if (subFunction === 0x03) {
    // ISO 14229-1:2020 12.3.3 — DTCRecord(3) + DTCSnapshotRecordNumber(1), repeated.
    if (r.remaining % 4 !== 0) throw new DecodeError(`${NAME} response: snapshot identification records are 4 bytes each, got ${r.remaining} byte(s)`);
    const records: { dtc: number; recordNumber: number }[] = [];
    while (r.remaining > 0) records.push({ dtc: r.uint(3, 'DTC'), recordNumber: r.u8('DTCSnapshotRecordNumber') });
    return { subFunction, records };
  }
  if (subFunction === 0x04 || subFunction === 0x06) {
    const dtc = r.uint(3, 'DTC');
    const status = r.u8('statusOfDTC');
    return subFunction === 0x04
      ? { subFunction, dtc, status, records: readSnapshotRecords(r, ctx) }
      : { subFunction, dtc, status, records: readExtendedDataRecords(r, ctx) };
  }
  return { subFunction, parameters: r.rest() };
}

/** Writes the response parameters after the sub-function echo. */
export function writeResponseParameters(w: ByteWriter, res: ReadDtcInformationResponse): void {
  if ('parameters' in res) {
    if (isKnownSubFunction(res.subFunction)) {
      throw new InvalidArgumentError(`${NAME}: sub-function 0x${hexByte(res.subFunction)} has typed fields; do not pass raw parameters`, {
        field: 'parameters',
      });
    }
    w.bytes(res.parameters);
    return;
  }
  switch (res.subFunction) {
    case 0x01:
      w.u8(res.statusAvailabilityMask).u8(res.formatIdentifier).u16(res.count);
      return;
    case 0x03:
      for (const rec of res.records) w.uint(rec.dtc, 3).u8(rec.recordNumber);
      return;
    case 0x04:
      w.uint(res.dtc, 3).u8(res.status);
      for (const rec of res.records) {
        if (rec.dids.length > 0xff) {
          throw new InvalidArgumentError(`${NAME}: a snapshot record holds at most 255 DIDs, got ${rec.dids.length}`, { field: 'records' });
        }
        w.u8(rec.recordNumber).u8(rec.dids.length);
        for (const d of rec.dids) w.u16(d.did).bytes(d.data);
      }
      return;
    case 0x06:
      w.uint(res.dtc, 3).u8(res.status);
      for (const rec of res.records) w.u8(rec.recordNumber).bytes(rec.data);
      return;
    default:
      w.u8(res.statusAvailabilityMask);
      for (const d of res.dtcs) w.uint(d.dtc, 3).u8(d.status);
  }
}
