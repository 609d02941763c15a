/**
 * Typed client calls of ClearDiagnosticInformation (0x14), ReadDTCInformation (0x19) and
 * ResponseOnEvent (0x86).
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import { clearDiagnosticInformation as clearCodec } from '../../codec/0x14-clear-diagnostic-information.js';
import {
  readDtcInformation as rdtciCodec,
  type ReadDtcCountResponse,
  type ReadDtcExtendedDataResponse,
  type ReadDtcInformationContext,
  type ReadDtcInformationRequest,
  type ReadDtcInformationResponse,
  type ReadDtcListResponse,
  type ReadDtcSnapshotIdentificationResponse,
  type ReadDtcSnapshotRecordResponse,
} from '../../codec/0x19-read-dtc-information.js';
import {
  responseOnEvent as roeCodec,
  roeSubFunction,
  type ResponseOnEventRequest,
  type ResponseOnEventResponse,
} from '../../codec/0x86-response-on-event.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** Options of the 0x19 calls: the lengths the wire does not carry (snapshot DIDs, extended data records). */
export interface ReadDtcOptions extends ServiceCallOptions {
  /** Data length of snapshot DIDs (19 04). Without it a record's last DID takes the rest of the response. */
  didLengths?: Readonly<Record<number, number>> | ReadonlyMap<number, number>;
  /** Length of extended data records by record number (19 06). Without it a record takes the rest. */
  extendedDataLengths?: Readonly<Record<number, number>> | ReadonlyMap<number, number>;
}

function lookup(table: ReadDtcOptions['didLengths']): ((key: number) => number | undefined) | undefined {
  if (!table) return undefined;
  if (table instanceof Map) return (k) => table.get(k);
  const rec = table as Readonly<Record<number, number>>;
  return (k) => rec[k];
}

function checkDtcArg(dtc: number): void {
  if (!Number.isInteger(dtc) || dtc < 0 || dtc > 0xffffff) {
    throw new InvalidArgumentError(`readDtcInformation: a DTC is 0x000000..0xFFFFFF, got ${String(dtc)}`, { field: 'dtc' });
  }
}

/** `14 groupOfDTC [MemorySelection]` -> `54`. `group` 0xFFFFFF clears every DTC. */
export async function clearDiagnosticInformation(
  c: UdsRequester,
  group: number,
  memorySelection?: number,
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<void> {
  const req = clearCodec.encodeRequest(memorySelection === undefined ? { groupOfDtc: group } : { groupOfDtc: group, memorySelection });
  const res = await c.request(req, requestOptionsOf(opts, false));
  if (res) decodePositive(clearCodec, res, c.target);
}

/**
 * `19 reportType ...` -> the decoded response; checks the reportType echo and, for 04/06, the DTC echo.
 * Undefined only with `suppress` when no response came.
 */
export async function readDtcInformation(
  c: UdsRequester,
  request: ReadDtcInformationRequest,
  opts?: ReadDtcOptions,
): Promise<ReadDtcInformationResponse | undefined> {
  const req = rdtciCodec.encodeRequest({ ...request, suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true, [request.subFunction]));
  if (!res) return undefined;
  const didLength = lookup(opts?.didLengths);
  const extendedDataLength = lookup(opts?.extendedDataLengths);
  const ctx: ReadDtcInformationContext = { ...(didLength ? { didLength } : {}), ...(extendedDataLength ? { extendedDataLength } : {}) };
  const d = decodePositive(rdtciCodec, res, c.target, ctx);
  checkEcho(rdtciCodec.sid, c.target, res, 'reportType', d.subFunction, request.subFunction);
  // ISO 14229-1:2020 12.3.3 — 04/06 answer for the DTC of the request.
  if ('dtc' in request && 'dtc' in d) checkEcho(rdtciCodec.sid, c.target, res, 'DTC', d.dtc, request.dtc, 6);
  return d;
}

/** Runs `request` without SPRMIB and returns the response as `T` (the decoder picks `T` by reportType). */
async function report<T extends ReadDtcInformationResponse>(c: UdsRequester, request: ReadDtcInformationRequest, opts?: ReadDtcOptions): Promise<T> {
  return (await readDtcInformation(c, request, { ...opts, suppress: false })) as T;
}

/** `19 01 mask` -> availability mask, DTCFormatIdentifier and the count. */
export function readNumberOfDtcByStatusMask(c: UdsRequester, statusMask: number, opts?: ReadDtcOptions): Promise<ReadDtcCountResponse> {
  return report(c, { subFunction: 0x01, statusMask }, opts);
}

/** `19 02 mask` -> availability mask and the DTCs whose status has a bit of `mask`. */
export function readDtcByStatusMask(c: UdsRequester, statusMask: number, opts?: ReadDtcOptions): Promise<ReadDtcListResponse> {
  return report(c, { subFunction: 0x02, statusMask }, opts);
}

/** `19 03` -> every stored snapshot record as {dtc, recordNumber}. */
export function readDtcSnapshotIdentification(c: UdsRequester, opts?: ReadDtcOptions): Promise<ReadDtcSnapshotIdentificationResponse> {
  return report(c, { subFunction: 0x03 }, opts);
}

/** `19 04 DTC record` (record 0xFF = all) -> the DTC, its status and the snapshot records. */
export async function readDtcSnapshotRecord(c: UdsRequester, dtc: number, recordNumber = 0xff, opts?: ReadDtcOptions): Promise<ReadDtcSnapshotRecordResponse> {
  checkDtcArg(dtc);
  return report(c, { subFunction: 0x04, dtc, recordNumber }, opts);
}

/** `19 06 DTC record` (0xFF = all, 0xFE = regulated) -> the DTC, its status and the extended data records. */
export async function readDtcExtendedDataRecord(c: UdsRequester, dtc: number, recordNumber = 0xff, opts?: ReadDtcOptions): Promise<ReadDtcExtendedDataResponse> {
  checkDtcArg(dtc);
  return report(c, { subFunction: 0x06, dtc, recordNumber }, opts);
}

/** `19 0A` -> every DTC the ECU supports, with its status. */
export function readSupportedDtcs(c: UdsRequester, opts?: ReadDtcOptions): Promise<ReadDtcListResponse> {
  return report(c, { subFunction: 0x0a }, opts);
}

/**
 * `86 eventType ...` -> the decoded response (set-up, start, stop, clear, report); checks the eventType
 * echo (storageState included). The event responses that follow are unsolicited messages: the client
 * reports them with its `ignored` event (listen on the link for them).
 */
export async function responseOnEvent(
  c: UdsRequester,
  request: ResponseOnEventRequest,
  opts?: ServiceCallOptions,
): Promise<ResponseOnEventResponse | undefined> {
  const req = roeCodec.encodeRequest({ ...request, suppressPositiveResponse: opts?.suppress === true });
  const echo = roeSubFunction(request.event, request.storeEvent);
  const res = await c.request(req, requestOptionsOf(opts, true, [echo]));
  if (!res) return undefined;
  const d = decodePositive(roeCodec, res, c.target);
  checkEcho(roeCodec.sid, c.target, res, 'eventType', roeSubFunction(d.event, d.storeEvent), echo);
  return d;
}
