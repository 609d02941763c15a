/**
 * ResponseOnEvent (0x86), ISO 14229-1:2020 10.9.
 *
 * Request `86 eventType eventWindowTime [eventTypeRecord] [serviceToRespondToRecord]`; positive response
 * `C6 eventType numberOfIdentifiedEvents eventWindowTime [eventTypeRecord] [serviceToRespondToRecord]`,
 * or for reportActivatedEvents `C6 04 numberOfActivatedEvents [eventTypeOfActiveEvent eventWindowTime
 * eventTypeRecord serviceToRespondToRecord]*`. The sub-function byte holds SPRMIB (bit 7), storageState
 * (bit 6: 1 = storeEvent) and the event (bits 5-0).
 */
import { ByteWriter, type ByteReader } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';
import { roeServiceLength, ROE_EVENT_RECORD_LENGTH } from './0x86-roe-lengths.js';
import { decodeRequestFrame, decodeResponseFrame, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID, SPRMIB } from './sid.js';

/** The event values (bits 5-0 of the sub-function) of ISO 14229-1:2020 10.9.2. */
export const RoeEvent = {
  stopResponseOnEvent: 0x00,
  onDTCStatusChange: 0x01,
  onChangeOfDataIdentifier: 0x03,
  reportActivatedEvents: 0x04,
  startResponseOnEvent: 0x05,
  clearResponseOnEvent: 0x06,
  onComparisonOfValues: 0x07,
  reportMostRecentDtcOnStatusChange: 0x08,
  reportDTCRecordInformationOnDtcStatusChange: 0x09,
} as const;

/** eventWindowTime values of ISO 14229-1:2020 10.9.2 (others are vehicle-manufacturer specific). */
export const EventWindowTime = {
  infiniteTimeToResponse: 0x02,
  shortEventWindowTime: 0x03,
  mediumEventWindowTime: 0x04,
  longEventWindowTime: 0x05,
  powerWindowTime: 0x06,
  ignitionWindowTime: 0x07,
  manufacturerTriggerEventWindowTime: 0x08,
} as const;

/** storageState, bit 6 of the sub-function (ISO 14229-1:2020 10.9.2): 1 = storeEvent. */
export const ROE_STORE_EVENT = 0x40;

/** Events whose request is `86 SF eventWindowTime` only. */
export type RoeControlEvent = 0x00 | 0x04 | 0x05 | 0x06;
const CONTROL_EVENTS: ReadonlySet<number> = new Set([0x00, 0x04, 0x05, 0x06]);

interface RoeCommon {
  /** storageState (bit 6): keep the event set-up over a reset / power cycle. */
  storeEvent: boolean;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** `86 00|04|05|06 eventWindowTime`: stop, report, start, clear. */
export interface RoeControlRequest extends RoeCommon {
  event: RoeControlEvent;
  /** eventWindowTime (the server echoes it; it does not apply to these events). */
  eventWindowTime: number;
}

/** `86 01 eventWindowTime DTCStatusMask serviceToRespondToRecord`. */
export interface RoeOnDtcStatusChangeRequest extends RoeCommon {
  event: 0x01;
  eventWindowTime: number;
  /** The status bits whose change is the event. */
  dtcStatusMask: number;
  /** The request the server executes when the event occurs (e.g. `19 0E` or `19 02 FF`). */
  serviceToRespondTo: Uint8Array;
}

/** `86 03 eventWindowTime DID(2) serviceToRespondToRecord`. */
export interface RoeOnChangeOfDidRequest extends RoeCommon {
  event: 0x03;
  eventWindowTime: number;
  /** The DID whose value change is the event. */
  dataIdentifier: number;
  /** The request the server executes when the event occurs (e.g. `22 DID`). */
  serviceToRespondTo: Uint8Array;
}

/** Any other event: eventTypeRecord and serviceToRespondToRecord undecoded. */
export interface RoeOtherRequest extends RoeCommon {
  event: number;
  eventWindowTime: number;
  /** Every byte after eventWindowTime. */
  record: Uint8Array;
}

/** A decoded 0x86 request. Narrow `RoeOtherRequest` out first with `'record' in req`. */
export type ResponseOnEventRequest = RoeControlRequest | RoeOnDtcStatusChangeRequest | RoeOnChangeOfDidRequest | RoeOtherRequest;

/** One entry of the reportActivatedEvents response. */
export interface RoeActivatedEvent {
  /** The event (bits 5-0 of eventTypeOfActiveEvent). */
  event: number;
  /** storageState of the event (bit 6). */
  storeEvent: boolean;
  eventWindowTime: number;
  /** eventTypeRecord (e.g. the DTCStatusMask or the DID). */
  eventTypeRecord: Uint8Array;
  serviceToRespondTo: Uint8Array;
}

/** `C6 00|05|06 numberOfIdentifiedEvents eventWindowTime`. */
export interface RoeControlResponse {
  event: 0x00 | 0x05 | 0x06;
  storeEvent: boolean;
  numberOfIdentifiedEvents: number;
  eventWindowTime: number;
}

/** `C6 01 numberOfIdentifiedEvents eventWindowTime DTCStatusMask serviceToRespondToRecord`. */
export interface RoeOnDtcStatusChangeResponse {
  event: 0x01;
  storeEvent: boolean;
  /** 0 in the set-up response; the count of events in the final response after the window closed. */
  numberOfIdentifiedEvents: number;
  eventWindowTime: number;
  dtcStatusMask: number;
  serviceToRespondTo: Uint8Array;
}

/** `C6 03 numberOfIdentifiedEvents eventWindowTime DID serviceToRespondToRecord`. */
export interface RoeOnChangeOfDidResponse {
  event: 0x03;
  storeEvent: boolean;
  numberOfIdentifiedEvents: number;
  eventWindowTime: number;
  dataIdentifier: number;
  serviceToRespondTo: Uint8Array;
}

/** `C6 04 numberOfActivatedEvents [event]*`. */
export interface RoeReportActivatedEventsResponse {
  event: 0x04;
  storeEvent: boolean;
  /** The active events (their count is numberOfActivatedEvents). */
  events: RoeActivatedEvent[];
}

/** Any other event, its bytes undecoded. */
export interface RoeOtherResponse {
  event: number;
  storeEvent: boolean;
  /** Every byte after the sub-function echo. */
  parameters: Uint8Array;
}

/** A decoded 0x86 positive response. Narrow `RoeOtherResponse` out first with `'parameters' in res`. */
export type ResponseOnEventResponse =
  | RoeControlResponse
  | RoeOnDtcStatusChangeResponse
  | RoeOnChangeOfDidResponse
  | RoeReportActivatedEventsResponse
  | RoeOtherResponse;

const NAME = 'ResponseOnEvent';

/** The sub-function byte from its parts. */
export function roeSubFunction(event: number, storeEvent: boolean, suppressPositiveResponse = false): number {
  if (!Number.isInteger(event) || event < 0 || event > 0x3f) {
    throw new InvalidArgumentError(`${NAME}: event must be 0x00..0x3F (bit 6 is storageState, bit 7 SPRMIB), got ${String(event)}`, {
      field: 'event',
    });
  }
  return event | (storeEvent ? ROE_STORE_EVENT : 0) | (suppressPositiveResponse ? SPRMIB : 0);
}

function split(byte: number): { event: number; storeEvent: boolean; suppressPositiveResponse: boolean } {
  return { event: byte & 0x3f, storeEvent: (byte & ROE_STORE_EVENT) !== 0, suppressPositiveResponse: (byte & SPRMIB) !== 0 };
}

function readActivatedEvents(r: ByteReader, bytes: Uint8Array): RoeActivatedEvent[] {
  const count = r.u8('numberOfActivatedEvents');
  const events: RoeActivatedEvent[] = [];
  for (let i = 0; i < count; i++) {
    const typeByte = r.u8('eventTypeOfActiveEvent');
    // ISO 14229-1:2020 10.9.3 — bit 7 of eventTypeOfActiveEvent is reserved (0).
    if (typeByte & SPRMIB) throw new DecodeError(`${NAME} response: eventTypeOfActiveEvent 0x${hexByte(typeByte)} has the reserved bit 7 set`);
    const { event, storeEvent } = split(typeByte);
    const eventWindowTime = r.u8('eventWindowTime');
    const recordLength = ROE_EVENT_RECORD_LENGTH.get(event);
    if (recordLength === undefined) {
      throw new DecodeError(`${NAME} response: cannot split the record of active event 0x${hexByte(event)} (unknown eventTypeRecord length)`, { event });
    }
    const eventTypeRecord = r.bytes(recordLength, 'eventTypeRecord');
    // The wire does not carry the length of serviceToRespondToRecord: it follows from its SID and sub-function.
    const len = roeServiceLength(bytes.subarray(r.offset));
    if (len === undefined && i < count - 1) {
      throw new DecodeError(`${NAME} response: cannot tell where serviceToRespondToRecord of active event ${i + 1} of ${count} ends`, { event });
    }
    const serviceToRespondTo = len === undefined ? r.rest() : r.bytes(len, 'serviceToRespondToRecord');
    if (serviceToRespondTo.length === 0) {
      throw new DecodeError(`${NAME} response: serviceToRespondToRecord of active event ${i + 1} is missing`, { event });
    }
    events.push({ event, storeEvent, eventWindowTime, eventTypeRecord, serviceToRespondTo });
  }
  return events;
}

function requireByte(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new InvalidArgumentError(`${NAME}: ${name} must be a byte, got ${String(v)}`, { field: name });
}

function writeRequestBody(w: ByteWriter, req: ResponseOnEventRequest): void {
  if ('record' in req) {
    if (CONTROL_EVENTS.has(req.event) || req.event === 0x01 || req.event === 0x03) {
      throw new InvalidArgumentError(`${NAME}: event 0x${hexByte(req.event)} has typed fields; do not pass a raw record`, { field: 'record' });
    }
    w.bytes(req.record);
  } else if (req.event === 0x01) {
    requireService(req.serviceToRespondTo);
    w.u8(req.dtcStatusMask).bytes(req.serviceToRespondTo);
  } else if (req.event === 0x03) {
    requireService(req.serviceToRespondTo);
    w.u16(req.dataIdentifier).bytes(req.serviceToRespondTo);
  }
}

function requireService(service: Uint8Array): void {
  if (service.length === 0) throw new InvalidArgumentError(`${NAME}: serviceToRespondTo needs at least the SID`, { field: 'serviceToRespondTo' });
}

function readRequestBody(r: ByteReader, head: { event: number; storeEvent: boolean; suppressPositiveResponse: boolean }): ResponseOnEventRequest {
  const eventWindowTime = r.u8('eventWindowTime');
  const common = { storeEvent: head.storeEvent, suppressPositiveResponse: head.suppressPositiveResponse };
  // ISO 14229-1:2020 10.9.2 — the parameters after eventWindowTime depend on the event; a wrong length is 0x13.
  if (CONTROL_EVENTS.has(head.event)) return { event: head.event as RoeControlEvent, eventWindowTime, ...common };
  if (head.event === 0x01) {
    const dtcStatusMask = r.u8('DTCStatusMask');
    return { event: 0x01, eventWindowTime, dtcStatusMask, serviceToRespondTo: restService(r), ...common };
  }
  if (head.event === 0x03) {
    const dataIdentifier = r.u16('dataIdentifier');
    return { event: 0x03, eventWindowTime, dataIdentifier, serviceToRespondTo: restService(r), ...common };
  }
  return { event: head.event, eventWindowTime, record: r.rest(), ...common };
}

function restService(r: ByteReader): Uint8Array {
  // ISO 14229-1:2020 10.9.2 — serviceToRespondToRecord (SID + parameters) is mandatory for 01/03.
  if (r.remaining === 0) throw new RequestFormatError(`${NAME} request: serviceToRespondToRecord is missing (NRC 0x13)`);
  return r.rest();
}

function readResponseBody(r: ByteReader, bytes: Uint8Array, event: number, storeEvent: boolean): ResponseOnEventResponse {
  if (event === 0x04) return { event, storeEvent, events: readActivatedEvents(r, bytes) };
  if (event === 0x00 || event === 0x05 || event === 0x06 || event === 0x01 || event === 0x03) {
    const numberOfIdentifiedEvents = r.u8('numberOfIdentifiedEvents');
    const eventWindowTime = r.u8('eventWindowTime');
    const head = { storeEvent, numberOfIdentifiedEvents, eventWindowTime };
    if (event === 0x01) {
      const dtcStatusMask = r.u8('DTCStatusMask');
      return { event, ...head, dtcStatusMask, serviceToRespondTo: nonEmpty(r.rest()) };
    }
    if (event === 0x03) {
      const dataIdentifier = r.u16('dataIdentifier');
      return { event, ...head, dataIdentifier, serviceToRespondTo: nonEmpty(r.rest()) };
    }
    return { event, ...head };
  }
  return { event, storeEvent, parameters: r.rest() };
}

function nonEmpty(service: Uint8Array): Uint8Array {
  if (service.length === 0) throw new DecodeError(`${NAME} response: serviceToRespondToRecord is missing`);
  return service;
}

function writeResponseBody(w: ByteWriter, res: ResponseOnEventResponse): void {
  if ('parameters' in res) {
    if (CONTROL_EVENTS.has(res.event) || res.event === 0x01 || res.event === 0x03) {
      throw new InvalidArgumentError(`${NAME}: event 0x${hexByte(res.event)} has typed fields; do not pass raw parameters`, { field: 'parameters' });
    }
    w.bytes(res.parameters);
    return;
  }
  if (res.event === 0x04) {
    if (res.events.length > 0xff) throw new InvalidArgumentError(`${NAME}: at most 255 activated events, got ${res.events.length}`);
    w.u8(res.events.length);
    for (const e of res.events) {
      requireService(e.serviceToRespondTo);
      w.u8(roeSubFunction(e.event, e.storeEvent)).u8(e.eventWindowTime).bytes(e.eventTypeRecord).bytes(e.serviceToRespondTo);
    }
    return;
  }
  requireByte('numberOfIdentifiedEvents', res.numberOfIdentifiedEvents);
  w.u8(res.numberOfIdentifiedEvents).u8(res.eventWindowTime);
  if (res.event === 0x01) {
    requireService(res.serviceToRespondTo);
    w.u8(res.dtcStatusMask).bytes(res.serviceToRespondTo);
  } else if (res.event === 0x03) {
    requireService(res.serviceToRespondTo);
    w.u16(res.dataIdentifier).bytes(res.serviceToRespondTo);
  }
}

/** Codec of ResponseOnEvent (0x86). */
export const responseOnEvent: ServiceCodec<ResponseOnEventRequest, ResponseOnEventResponse> = {
  sid: SID.ResponseOnEvent,
  name: NAME,
  hasSubFunction: true,
  // ISO 14229-1:2020 10.9.2 — SID, eventType and eventWindowTime are always present.
  minRequestLength: 3,

  encodeRequest(req) {
    const w = new ByteWriter(16).u8(SID.ResponseOnEvent).u8(roeSubFunction(req.event, req.storeEvent, req.suppressPositiveResponse));
    requireByte('eventWindowTime', req.eventWindowTime);
    w.u8(req.eventWindowTime);
    writeRequestBody(w, req);
    return w.finish();
  },

  decodeRequest(bytes) {
    return decodeRequestFrame(SID.ResponseOnEvent, NAME, bytes, (r) => readRequestBody(r, split(r.u8('eventType'))));
  },

  encodeResponse(res) {
    const w = new ByteWriter(16).u8(SID.ResponseOnEvent + 0x40).u8(roeSubFunction(res.event, res.storeEvent));
    writeResponseBody(w, res);
    return w.finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 10.9.3 — SID, eventType echo, then the parameters of that event.
    return decodeResponseFrame(SID.ResponseOnEvent, NAME, bytes, (r) => {
      const { event, storeEvent } = split(r.u8('eventType'));
      return readResponseBody(r, bytes, event, storeEvent);
    });
  },
};
