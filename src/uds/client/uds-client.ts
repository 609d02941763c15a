/**
 * The UDS client (ISO 14229-1 services over ISO 14229-2 timing) on any {@link UdsLink}.
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
import type { Clock } from '../../core/clock.js';
import { AbortedError, InvalidArgumentError } from '../../core/errors.js';
import { TypedEmitter } from '../../core/events.js';
import type { Addressing, UdsLink } from '../../core/link.js';
import type { Logger } from '../../core/logger.js';
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
import { ExchangeRunner } from './exchange-runner.js';
import type { FunctionalAnswer } from './functional-exchange.js';
import { prepareRequest, RequestQueue, type PreparedRequest } from './request-queue.js';
import { checkMs, resolveClientOptions, type ResolvedClientOptions, type UdsClientOptions } from './options.js';
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
import { TesterPresentKeepAlive, type TesterPresentOptions } from './tester-present.js';
import { ClientTiming, type ClientTimingValues } from './timing.js';
import type { RequestOptions, ServiceCallOptions, UdsClientEvents, UdsRequester } from './types.js';

/** Options of {@link UdsClient.requestFunctional}. */
export type FunctionalRequestOptions = Omit<RequestOptions, 'addressing'>;

/** A UDS client talking to one ECU (`target`) over a link; see the module comment. */
export class UdsClient implements UdsRequester {
  /** Typed events: keep-alive, 0x78, timing changes, ignored messages. */
  readonly events = new TypedEmitter<UdsClientEvents>();
  private readonly opts: ResolvedClientOptions;
  private readonly timingState: ClientTiming;
  private readonly keepAlive: TesterPresentKeepAlive;
  private readonly queue = new RequestQueue(() => this.isClosed);
  private readonly runner: ExchangeRunner;
  private isClosed = false;

  /** Validates `options` (InvalidArgumentError naming the field) and subscribes to `link`. */
  constructor(
    readonly link: UdsLink,
    options: UdsClientOptions,
  ) {
    if (!link || typeof link.send !== 'function' || !link.events) {
      throw new InvalidArgumentError('UdsClient: link must be a UdsLink (DoIP, ISO-TP or memory link)', { field: 'link' });
    }
    this.opts = resolveClientOptions(options);
    this.timingState = new ClientTiming(this.opts, this.opts);
    this.keepAlive = new TesterPresentKeepAlive({
      link,
      clock: this.opts.clock,
      logger: this.opts.logger,
      target: this.opts.target,
      functionalTarget: this.opts.functionalTarget,
      defaultIntervalMs: this.opts.testerPresentIntervalMs,
      onSent: (info) => this.events.emit('keepAlive', info),
      onError: (e) => {
        this.opts.logger.warn(`TesterPresent keep-alive failed: ${e.message}`);
        this.events.emit('keepAliveError', e);
      },
    });
    this.runner = new ExchangeRunner({
      link,
      clock: this.opts.clock,
      logger: this.opts.logger,
      target: this.opts.target,
      functionalTarget: this.opts.functionalTarget,
      events: this.events,
      onLinkClose: () => this.keepAlive.stop(),
    });
  }

  /** Logical address of the ECU. */
  get target(): number {
    return this.opts.target;
  }

  /** The functional address used by `requestFunctional` and the keep-alive. */
  get functionalTarget(): number {
    return this.opts.functionalTarget;
  }

  /** The clock every timer of this client uses. */
  get clock(): Clock {
    return this.opts.clock;
  }

  /** The logger of this client. */
  get logger(): Logger {
    return this.opts.logger;
  }

  /** P2 / P2* in force. */
  get timing(): ClientTimingValues {
    return this.timingState.values;
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** True while the TesterPresent keep-alive runs. */
  get testerPresentRunning(): boolean {
    return this.keepAlive.running;
  }

  /** Sets P2 and/or P2* client (ms), e.g. from a profile; emits `timing`. */
  setTiming(values: Partial<ClientTimingValues>): void {
    if (values.p2ClientMs !== undefined) checkMs('p2ClientMs', values.p2ClientMs, 1);
    if (values.p2StarClientMs !== undefined) checkMs('p2StarClientMs', values.p2StarClientMs, 1);
    this.timingState.set(values);
    this.events.emit('timing', this.timingState.values);
  }

  /**
   * Sends `data` and resolves with the positive response (see {@link RequestOptions}). With SPRMIB
   * (`suppressPositiveResponse: true`, or bit 7 of the sub-function byte already set in `data`) it
   * resolves with undefined when the ECU stays silent within P2. Callers that put SPRMIB into the bytes
   * themselves should also pass `suppressPositiveResponse: true` to get the `| undefined` result type.
   */
  request(data: Uint8Array, opts: RequestOptions & { suppressPositiveResponse: true }): Promise<Uint8Array | undefined>;
  request(data: Uint8Array, opts?: RequestOptions & { suppressPositiveResponse?: false }): Promise<Uint8Array>;
  request(data: Uint8Array, opts?: RequestOptions): Promise<Uint8Array | undefined>;
  request(data: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    try {
      const prepared = this.prepare(data, opts);
      const addressing: Addressing = opts.addressing ?? 'physical';
      if (addressing !== 'physical' && addressing !== 'functional') {
        throw new InvalidArgumentError(`request: addressing must be 'physical' or 'functional', got ${String(addressing)}`, {
          field: 'addressing',
        });
      }
      return this.queue.run(prepared.sid, opts.signal, () => this.runPhysical(prepared, addressing, opts.signal));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Sends `data` to the functional address and collects every ECU's answer: those within P2client, and
   * for each ECU that answered NRC 0x78 its final answer within P2*client (ISO 14229-2:2013 7.2).
   * NRCs are returned as `error` entries, not thrown. Sorted by source address.
   */
  requestFunctional(data: Uint8Array, opts: FunctionalRequestOptions = {}): Promise<FunctionalAnswer[]> {
    try {
      const prepared = this.prepare(data, opts);
      return this.queue.run(prepared.sid, opts.signal, () => this.runFunctional(prepared, opts.signal));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /**
   * Starts the TesterPresent keep-alive (`3E 80` every `intervalMs`, functional by default). It runs
   * outside the request queue, keeps going while a request waits on NRC 0x78, and reports failures as
   * `keepAliveError` events. Calling it again restarts it with the new options.
   */
  startTesterPresent(options: TesterPresentOptions = {}): void {
    if (this.isClosed) throw new AbortedError('UdsClient is closed');
    this.keepAlive.start(options);
  }

  /** Stops the keep-alive. */
  stopTesterPresent(): void {
    this.keepAlive.stop();
  }

  /**
   * Stops the keep-alive and every timer, rejects the request in flight and the queued ones with
   * `AbortedError`, and detaches from the link (the link itself stays open: its owner closes it).
   */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    this.keepAlive.stop();
    this.runner.failCurrent(new AbortedError('UdsClient closed while waiting for a response'));
    this.runner.detach();
  }

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
  transferData(counter: number, record?: Uint8Array, opts?: transfer.TransferCallOptions): Promise<Uint8Array> {
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

  // ---- internals ------------------------------------------------------------------------------

  /** P2client / P2*client from server values set or read with 0x83 (like `adoptTiming` for 0x50). */
  private adoptServerTiming(t: ServerTimingRecord): ServerTimingRecord {
    if (this.opts.adoptTimingFromSession) {
      this.setTiming({
        p2ClientMs: Math.max(1, t.p2ServerMs + this.opts.p2MarginMs),
        p2StarClientMs: Math.max(1, t.p2StarServerMs + this.opts.p2StarMarginMs),
      });
    }
    return t;
  }

  private prepare(data: Uint8Array, opts: RequestOptions): PreparedRequest {
    if (this.isClosed) throw new AbortedError('UdsClient is closed');
    return prepareRequest(data, opts, this.link.maxMessageSize, this.timingState.values.p2ClientMs);
  }

  private async runPhysical(req: PreparedRequest, addressing: Addressing, signal: AbortSignal | undefined): Promise<Uint8Array | undefined> {
    const res = await this.runner.physical(req, addressing, this.timingState.values.p2StarClientMs, signal);
    if (res) this.adoptTiming(res);
    return res;
  }

  private async runFunctional(req: PreparedRequest, signal: AbortSignal | undefined): Promise<FunctionalAnswer[]> {
    const answers = await this.runner.functional(req, this.timingState.values.p2StarClientMs, signal);
    const mine = answers.find((a) => a.source === this.opts.target);
    if (mine?.response) this.adoptTiming(mine.response);
    return answers;
  }

  private adoptTiming(response: Uint8Array): void {
    if (!this.opts.adoptTimingFromSession) return;
    const values = this.timingState.adoptFromSessionResponse(response);
    if (values) {
      this.opts.logger.debug('adopted session timing', { ...values });
      this.events.emit('timing', values);
    }
  }
}
