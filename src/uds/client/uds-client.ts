/**
 * The UDS client (ISO 14229-1 services over ISO 14229-2 timing) on any `UdsLink`: {@link UdsClientCore}
 * (queue, timing, raw requests) plus one typed method per service.
 *
 * - `request()` sends raw bytes and returns the positive response; negative responses throw
 *   {@link NegativeResponseError}, silence throws `TimeoutError`, a response that does not fit throws
 *   {@link InvalidResponseError}, link failures pass through.
 * - NRC 0x78 switches the wait to P2*, restarted by each further 0x78; SPRMIB is honoured (with 0x78
 *   the final response is still awaited).
 * - Requests are queued: concurrent calls never interleave on the wire.
 * - `requestFunctional()` collects every ECU's answer; `startTesterPresent()` keeps sessions alive.
 * - Typed methods per service encode with the codecs of `uds/codec`, decode the response and check
 *   its echo (sub-function, DID, RID, block counter).
 */
import type { DiagnosticSessionControlResponse } from '../codec/0x10-diagnostic-session-control.js';
import type { EcuResetResponse } from '../codec/0x11-ecu-reset.js';
import type {
  ReadDtcCountResponse,
  ReadDtcExtendedDataResponse,
  ReadDtcInformationRequest,
  ReadDtcInformationResponse,
  ReadDtcListResponse,
  ReadDtcSnapshotIdentificationResponse,
  ReadDtcSnapshotRecordResponse,
} from '../codec/0x19-read-dtc-information.js';
import type { ResponseOnEventRequest, ResponseOnEventResponse } from '../codec/0x86-response-on-event.js';
import type { DidRecord } from '../codec/0x22-read-data-by-identifier.js';
import type { ReadScalingDataByIdentifierResponse } from '../codec/0x24-read-scaling-data-by-identifier.js';
import type {
  DidSourceElement,
  DynamicallyDefineDataIdentifierRequest,
  DynamicallyDefineDataIdentifierResponse,
  MemorySourceElement,
} from '../codec/0x2c-dynamically-define-data-identifier.js';
import type { InputOutputControlByIdentifierResponse } from '../codec/0x2f-input-output-control-by-identifier.js';
import type { WriteMemoryByAddressResponse } from '../codec/0x3d-write-memory-by-address.js';
import type { RoutineControlResponse } from '../codec/0x31-routine-control.js';
import type { RequestDownloadResponse } from '../codec/0x34-request-download.js';
import type { AccessTimingParameterResponse, ServerTimingRecord } from '../codec/0x83-access-timing-parameter.js';
import type { RequestFileTransferRequest, RequestFileTransferResponse } from '../codec/0x38-request-file-transfer.js';
import { UdsClientCore } from './uds-client-core.js';
import * as data from './services/data.js';
import * as dtc from './services/dtc.js';
import * as dataExtra from './services/data-extra.js';
import * as memory from './services/memory.js';
import * as routine from './services/routine.js';
import * as security from './services/security.js';
import * as session from './services/session.js';
import * as transfer from './services/transfer.js';
import * as linkCtl from './services/link-control.js';
import * as periodic from './services/periodic.js';
import * as timingSvc from './services/timing.js';
import * as fileTransfer from './services/file-transfer.js';
import type { ServiceCallOptions } from './types.js';

/** A UDS client talking to one ECU (`target`) over a link; see the module comment. */
export class UdsClient extends UdsClientCore {
  // ---- typed services -------------------------------------------------------------------------

  /** DiagnosticSessionControl (0x10): `10 SF` -> P2/P2* of the new session (adopted unless disabled). */
  diagnosticSessionControl(sessionType: number, opts: ServiceCallOptions & { suppress: true }): Promise<DiagnosticSessionControlResponse | undefined>;
  diagnosticSessionControl(sessionType: number, opts?: ServiceCallOptions & { suppress?: false }): Promise<DiagnosticSessionControlResponse>;
  diagnosticSessionControl(sessionType: number, opts?: ServiceCallOptions): Promise<DiagnosticSessionControlResponse | undefined>;
  diagnosticSessionControl(sessionType: number, opts?: ServiceCallOptions): Promise<DiagnosticSessionControlResponse | undefined> {
    return session.diagnosticSessionControl(this, sessionType, opts);
  }

  /** ECUReset (0x11): `11 SF` -> `{ resetType, powerDownTimeS? }` (the ECU answers before resetting). */
  ecuReset(resetType: number, opts: ServiceCallOptions & { suppress: true }): Promise<EcuResetResponse | undefined>;
  ecuReset(resetType: number, opts?: ServiceCallOptions & { suppress?: false }): Promise<EcuResetResponse>;
  ecuReset(resetType: number, opts?: ServiceCallOptions): Promise<EcuResetResponse | undefined>;
  ecuReset(resetType: number, opts?: ServiceCallOptions): Promise<EcuResetResponse | undefined> {
    return session.ecuReset(this, resetType, opts);
  }

  /**
   * ReadDataByIdentifier (0x22): `readDataByIdentifier(0xF190)` or `readDataByIdentifier(0xF180, 0xF187,
   * { didLengths: { 0xF180: 8 } })`. Returns the records in response order.
   */
  readDataByIdentifier(...args: [...dids: number[], options: data.ReadDataOptions] | number[]): Promise<DidRecord[]> {
    const last = args[args.length - 1];
    const options = typeof last === 'object' && last !== null ? (last as data.ReadDataOptions) : undefined;
    const dids = (options ? args.slice(0, -1) : args) as number[];
    return data.readDataByIdentifier(this, dids, options);
  }

  /** WriteDataByIdentifier (0x2E): `2E DID data` -> checks the DID echo. */
  writeDataByIdentifier(did: number, record: Uint8Array, opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<void> {
    return data.writeDataByIdentifier(this, did, record, opts);
  }

  /** ReadMemoryByAddress (0x23): `23 ALFID addr size` -> exactly `size` bytes. */
  readMemoryByAddress(args: memory.ReadMemoryArgs, opts?: memory.MemoryCallOptions): Promise<Uint8Array> {
    return memory.readMemoryByAddress(this, args, opts);
  }

  /** WriteMemoryByAddress (0x3D): `3D ALFID addr size data` -> checks the echo of ALFID, address and size. */
  writeMemoryByAddress(args: memory.WriteMemoryArgs, opts?: memory.MemoryCallOptions): Promise<WriteMemoryByAddressResponse> {
    return memory.writeMemoryByAddress(this, args, opts);
  }

  /** ReadScalingDataByIdentifier (0x24): `24 DID` -> `{ did, records: [{ scalingByte, extension }] }`. */
  readScalingDataByIdentifier(did: number, opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<ReadScalingDataByIdentifierResponse> {
    return dataExtra.readScalingDataByIdentifier(this, did, opts);
  }

  /** DynamicallyDefineDataIdentifier (0x2C), any form -> `{ subFunction, dddid? }` (undefined with `suppress`). */
  dynamicallyDefineDataIdentifier(
    req: DynamicallyDefineDataIdentifierRequest,
    opts?: ServiceCallOptions,
  ): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
    return dataExtra.dynamicallyDefineDataIdentifier(this, req, opts);
  }

  /** 0x2C 01 defineByIdentifier: `dddid` from bytes of other DIDs (`position` is 1-based). */
  defineDynamicDidByIdentifier(
    dddid: number,
    sources: readonly DidSourceElement[],
    opts?: ServiceCallOptions,
  ): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
    return dataExtra.defineByIdentifier(this, dddid, sources, opts);
  }

  /** 0x2C 02 defineByMemoryAddress: `dddid` from memory ranges (address / size lengths default 4 / 4). */
  defineDynamicDidByMemoryAddress(
    dddid: number,
    sources: readonly MemorySourceElement[],
    lengths?: { addressLength?: number; sizeLength?: number },
    opts?: ServiceCallOptions,
  ): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
    return dataExtra.defineByMemoryAddress(this, dddid, sources, lengths, opts);
  }

  /** 0x2C 03 clearDynamicallyDefinedDataIdentifier: `dddid`, or every one when absent. */
  clearDynamicDid(dddid?: number, opts?: ServiceCallOptions): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
    return dataExtra.clearDynamicDid(this, dddid, opts);
  }

  /** InputOutputControlByIdentifier (0x2F): `2F DID parameter [state] [mask]` -> `{ did, inputOutputControlParameter, controlState }`. */
  inputOutputControlByIdentifier(
    did: number,
    parameter: number,
    args?: dataExtra.IoControlArgs,
    opts?: Omit<ServiceCallOptions, 'suppress'>,
  ): Promise<InputOutputControlByIdentifierResponse> {
    return dataExtra.inputOutputControlByIdentifier(this, did, parameter, args, opts);
  }

  /** SecurityAccess requestSeed (0x27, odd level) -> the seed (all zeros when already unlocked). */
  securityAccessRequestSeed(level: number, record?: Uint8Array, opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<Uint8Array> {
    return security.securityAccessRequestSeed(this, level, record, opts);
  }

  /** SecurityAccess sendKey (0x27): `level` is the requestSeed level (odd, sent as level + 1) or the even sendKey value. */
  securityAccessSendKey(level: number, key: Uint8Array, opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<void> {
    return security.securityAccessSendKey(this, level, key, opts);
  }

  /** CommunicationControl (0x28): `28 controlType communicationType [nodeId]`. */
  communicationControl(controlType: number, communicationType: number, nodeId?: number, opts?: ServiceCallOptions): Promise<void> {
    return session.communicationControl(this, controlType, communicationType, nodeId, opts);
  }

  /** RoutineControl (0x31): `31 type RID [option]` -> `{ routineControlType, routineId, statusRecord }`. */
  routineControl(type: number, routineId: number, optionRecord: Uint8Array | undefined, opts: ServiceCallOptions & { suppress: true }): Promise<RoutineControlResponse | undefined>;
  routineControl(type: number, routineId: number, optionRecord?: Uint8Array, opts?: ServiceCallOptions & { suppress?: false }): Promise<RoutineControlResponse>;
  routineControl(type: number, routineId: number, optionRecord?: Uint8Array, opts?: ServiceCallOptions): Promise<RoutineControlResponse | undefined>;
  routineControl(type: number, routineId: number, optionRecord?: Uint8Array, opts?: ServiceCallOptions): Promise<RoutineControlResponse | undefined> {
    return routine.routineControl(this, type, routineId, optionRecord, opts);
  }

  /** RequestDownload (0x34) -> `{ maxNumberOfBlockLength }` (counts SID + counter + data). */
  requestDownload(args: transfer.TransferRequestArgs, opts?: transfer.TransferCallOptions): Promise<RequestDownloadResponse> {
    return transfer.requestDownload(this, args, opts);
  }

  /** RequestUpload (0x35) -> `{ maxNumberOfBlockLength }`. */
  requestUpload(args: transfer.TransferRequestArgs, opts?: transfer.TransferCallOptions): Promise<RequestDownloadResponse> {
    return transfer.requestUpload(this, args, opts);
  }

  /** TransferData (0x36): checks the counter echo; returns the response data (upload). */
  transferData(counter: number, record?: Uint8Array, opts?: transfer.TransferDataOptions): Promise<Uint8Array> {
    return transfer.transferData(this, counter, record, opts);
  }

  /** RequestTransferExit (0x37) -> the response record. */
  requestTransferExit(record?: Uint8Array, opts?: transfer.TransferCallOptions): Promise<Uint8Array> {
    return transfer.requestTransferExit(this, record, opts);
  }

  /** RequestFileTransfer (0x38) -> the decoded `78` response; 36/37 then move the data. */
  requestFileTransfer(req: RequestFileTransferRequest, opts?: transfer.TransferCallOptions): Promise<RequestFileTransferResponse> {
    return fileTransfer.requestFileTransfer(this, req, opts);
  }

  /** TesterPresent (0x3E) once, through the queue: `3E 00` (or `3E 80` with `suppress`). */
  testerPresent(opts?: ServiceCallOptions): Promise<void> {
    return session.testerPresent(this, opts);
  }

  /** ControlDTCSetting (0x85): `85 settingType [record]` (01 on, 02 off). */
  controlDtcSetting(settingType: number, record?: Uint8Array, opts?: ServiceCallOptions): Promise<void> {
    return session.controlDtcSetting(this, settingType, record, opts);
  }

  /** ClearDiagnosticInformation (0x14): `14 group [MemorySelection]`; 0xFFFFFF clears every DTC. */
  clearDiagnosticInformation(group: number, memorySelection?: number, opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<void> {
    return dtc.clearDiagnosticInformation(this, group, memorySelection, opts);
  }

  /** ReadDTCInformation (0x19), any reportType: the decoded response (undefined only with `suppress`). */
  readDtcInformation(request: ReadDtcInformationRequest, opts?: dtc.ReadDtcOptions): Promise<ReadDtcInformationResponse | undefined> {
    return dtc.readDtcInformation(this, request, opts);
  }

  /** ReadDTCInformation 01: how many DTCs have a status bit of `statusMask`. */
  readNumberOfDtcByStatusMask(statusMask: number, opts?: dtc.ReadDtcOptions): Promise<ReadDtcCountResponse> {
    return dtc.readNumberOfDtcByStatusMask(this, statusMask, opts);
  }

  /** ReadDTCInformation 02: the DTCs (and statuses) that have a status bit of `statusMask`. */
  readDtcByStatusMask(statusMask: number, opts?: dtc.ReadDtcOptions): Promise<ReadDtcListResponse> {
    return dtc.readDtcByStatusMask(this, statusMask, opts);
  }

  /** ReadDTCInformation 03: every stored snapshot record as {dtc, recordNumber}. */
  readDtcSnapshotIdentification(opts?: dtc.ReadDtcOptions): Promise<ReadDtcSnapshotIdentificationResponse> {
    return dtc.readDtcSnapshotIdentification(this, opts);
  }

  /** ReadDTCInformation 04: the snapshot records of `dtc` (0xFF = all); pass `didLengths` to split several DIDs. */
  readDtcSnapshotRecord(dtcCode: number, recordNumber?: number, opts?: dtc.ReadDtcOptions): Promise<ReadDtcSnapshotRecordResponse> {
    return dtc.readDtcSnapshotRecord(this, dtcCode, recordNumber, opts);
  }

  /** ReadDTCInformation 06: the extended data records of `dtc` (0xFF = all); `extendedDataLengths` splits them. */
  readDtcExtendedDataRecord(dtcCode: number, recordNumber?: number, opts?: dtc.ReadDtcOptions): Promise<ReadDtcExtendedDataResponse> {
    return dtc.readDtcExtendedDataRecord(this, dtcCode, recordNumber, opts);
  }

  /** ReadDTCInformation 0A: every DTC the ECU supports. */
  readSupportedDtcs(opts?: dtc.ReadDtcOptions): Promise<ReadDtcListResponse> {
    return dtc.readSupportedDtcs(this, opts);
  }

  /** ResponseOnEvent (0x86): set up / start / stop / clear / report events; later event responses are unsolicited. */
  responseOnEvent(request: ResponseOnEventRequest, opts?: ServiceCallOptions): Promise<ResponseOnEventResponse | undefined> {
    return dtc.responseOnEvent(this, request, opts);
  }

  /**
   * ReadDataByPeriodicIdentifier (0x2A): `2A mode pDID...` -> `6A`. `rate` is 'slow' | 'medium' | 'fast'
   * (or a transmissionMode byte); `ids` are pDIDs or DIDs 0xF2xx. Receive the data with {@link onPeriodicData}.
   */
  readDataByPeriodicIdentifier(
    rate: periodic.PeriodicRateName | number,
    ids: readonly number[],
    opts?: Omit<ServiceCallOptions, 'suppress'>,
  ): Promise<void> {
    return periodic.readDataByPeriodicIdentifier(this, rate, ids, opts);
  }

  /** ReadDataByPeriodicIdentifier stopSending (`2A 04 [pDID...]`): stops `ids`, or all periodic DIDs. */
  stopPeriodicData(ids?: readonly number[], opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<void> {
    return periodic.stopPeriodicData(this, ids, opts);
  }

  /**
   * Calls `listener` for each periodic data message (`6A pDID data`) from this client's ECU; they never
   * count as the answer to a request in flight. Returns a function that unsubscribes.
   */
  onPeriodicData(listener: periodic.PeriodicDataListener): () => void {
    return periodic.subscribePeriodicData(this.link, listener, {
      source: this.target,
      onError: (e) => this.opts.logger.warn(`periodic data listener threw: ${String(e)}`),
    });
  }

  /** AccessTimingParameter (0x83): `83 type [record]` -> `{ timingParameterAccessType, timingParameterResponseRecord }`. */
  accessTimingParameter(type: number, record?: Uint8Array, opts?: ServiceCallOptions): Promise<AccessTimingParameterResponse | undefined> {
    return timingSvc.accessTimingParameter(this, type, record, opts);
  }

  /** `83 01` / `83 03` -> P2server / P2*server; the active values become this client's P2 / P2* (plus margins) unless disabled. */
  readTimingParameters(which: 'extended' | 'active', opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<ServerTimingRecord> {
    return timingSvc.readTimingParameters(this, which, opts).then((t) => (which === 'active' ? this.adoptServerTiming(t) : t));
  }

  /**
   * `83 04 P2 P2*` or `83 02` ('defaults'). Given values also become this client's P2 / P2* (plus margins,
   * ISO 14229-1:2013 9.7.1: both sides switch after the response) unless `adoptTimingFromSession` is false;
   * after 'defaults' read the active values with `readTimingParameters('active')`.
   */
  setTimingParameters(values: ServerTimingRecord | 'defaults', opts?: ServiceCallOptions): Promise<void> {
    return timingSvc.setTimingParameters(this, values, opts).then(() => void (values !== 'defaults' && this.adoptServerTiming(values)));
  }

  /** LinkControl verify (0x87 01 fixed mode / 02 baud rate): `{ mode: 0x13 }` or `{ baudrate: 1_000_000 }`. */
  verifyLinkMode(target: linkCtl.LinkModeTarget, opts?: ServiceCallOptions): Promise<void> {
    return linkCtl.verifyLinkMode(this, target, opts);
  }

  /** LinkControl transitionMode (0x87 03); usually `{ addressing: 'functional', suppress: true }` (`87 83`). */
  transitionLinkMode(opts?: ServiceCallOptions): Promise<void> {
    return linkCtl.transitionLinkMode(this, opts);
  }
}
