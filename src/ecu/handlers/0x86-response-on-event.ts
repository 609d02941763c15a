/**
 * ResponseOnEvent (0x86), ISO 14229-1:2020 10.9: sets up, starts, stops, clears and reports the ECU's
 * events (model and firing rules in `../response-on-event.ts`). The responses of a fired event go to the
 * tester that set up or started it, through `ctx.sendToRequester` (10.9.1: unsolicited messages).
 */
import { hexByte, hexNum } from '../../core/hex.js';
import { readDataByIdentifier } from '../../uds/codec/0x22-read-data-by-identifier.js';
import { readDtcInformation } from '../../uds/codec/0x19-read-dtc-information.js';
import { responseOnEvent, type RoeOnChangeOfDidRequest, type RoeOnDtcStatusChangeRequest } from '../../uds/codec/0x86-response-on-event.js';
import { NRC } from '../../uds/codec/nrc.js';
import { DecodeError } from '../../core/errors.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { SUPPORTED_EVENT_WINDOWS, type RoeRequester } from '../response-on-event.js';
import type { EcuRuntime } from '../ecu-runtime.js';
import type { EcuHandler } from './types.js';

/** Most events one ECU keeps set up. */
export const MAX_ROE_EVENTS = 16;

/** ISO 14229-1:2020 10.9 table 137 — the services recommended (and here accepted) as serviceToRespondTo. */
const SERVICE_CODECS: ReadonlyMap<number, { readonly name: string; decodeRequest(bytes: Uint8Array): unknown }> = new Map<
  number,
  { readonly name: string; decodeRequest(bytes: Uint8Array): unknown }
>([
  [0x19, readDtcInformation],
  [0x22, readDataByIdentifier],
]);

function checkSetup(ecu: EcuRuntime, req: RoeOnDtcStatusChangeRequest | RoeOnChangeOfDidRequest): void {
  // ISO 14229-1:2020 10.9.4 NRC 0x31 — an eventWindowTime the server does not support.
  if (!SUPPORTED_EVENT_WINDOWS.has(req.eventWindowTime)) {
    throw new NrcError(NRC.requestOutOfRange, `eventWindowTime 0x${hexByte(req.eventWindowTime)} is not supported (02..07)`);
  }
  // ISO 14229-1:2020 10.9.4 NRC 0x31 — a stored event must outlive a power cycle: only the infinite window (02).
  if (req.storeEvent && req.eventWindowTime !== 0x02) {
    throw new NrcError(NRC.requestOutOfRange, `storeEvent needs eventWindowTime 02 (infinite), got 0x${hexByte(req.eventWindowTime)}`);
  }
  // ISO 14229-1:2020 10.9.4 NRC 0x31 — serviceToRespondToRecord is not a valid request of a supported service.
  const sid = req.serviceToRespondTo[0] as number;
  const codec = SERVICE_CODECS.get(sid);
  if (!codec) throw new NrcError(NRC.requestOutOfRange, `serviceToRespondTo SID 0x${hexByte(sid)} is not supported (0x19 or 0x22)`);
  try {
    codec.decodeRequest(req.serviceToRespondTo);
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
    throw new NrcError(NRC.requestOutOfRange, `serviceToRespondTo is not a valid ${codec.name} request: ${e.message}`);
  }
  // ISO 14229-1:2020 10.9.4 NRC 0x31 — the DID of onChangeOfDataIdentifier is not supported.
  if (req.event === 0x03 && !ecu.dids.get(req.dataIdentifier)) {
    throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(req.dataIdentifier)} is not supported`);
  }
}

/** Handler of 0x86 (events 00, 01, 03, 04, 05, 06; storageState bit 6 via the service table). */
export const responseOnEventHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 10.9.4 NRC 0x13 — the length does not fit the event (the codec checks it).
  const req = responseOnEvent.decodeRequest(ctx.data);
  const roe = ctx.env.roe;
  const requester: RoeRequester = { message: ctx.request, send: ctx.sendToRequester };
  if ('record' in req) throw new NrcError(NRC.subFunctionNotSupported, `event 0x${hexByte(req.event)} is not implemented`);
  const head = { storeEvent: req.storeEvent, numberOfIdentifiedEvents: 0, eventWindowTime: req.eventWindowTime };
  switch (req.event) {
    case 0x01:
    case 0x03: {
      checkSetup(ctx.env, req);
      // ISO 14229-1:2020 A.1 NRC 0x22 — no room for another event.
      if (roe.eventCount >= MAX_ROE_EVENTS && !roe.has(req.event, req.event === 0x03 ? req.dataIdentifier : undefined)) {
        throw new NrcError(NRC.conditionsNotCorrect, `at most ${MAX_ROE_EVENTS} events can be set up`);
      }
      if (req.event === 0x01) {
        roe.setup({ event: 0x01, storeEvent: req.storeEvent, eventWindowTime: req.eventWindowTime, dtcStatusMask: req.dtcStatusMask, serviceToRespondTo: req.serviceToRespondTo }, requester);
        return responseOnEvent.encodeResponse({ event: 0x01, ...head, dtcStatusMask: req.dtcStatusMask, serviceToRespondTo: req.serviceToRespondTo });
      }
      roe.setup({ event: 0x03, storeEvent: req.storeEvent, eventWindowTime: req.eventWindowTime, dataIdentifier: req.dataIdentifier, serviceToRespondTo: req.serviceToRespondTo }, requester);
      return responseOnEvent.encodeResponse({ event: 0x03, ...head, dataIdentifier: req.dataIdentifier, serviceToRespondTo: req.serviceToRespondTo });
    }
    case 0x05:
      // ISO 14229-1:2020 A.1 NRC 0x24 — startResponseOnEvent before any event was set up.
      if (!roe.hasEvents) throw new NrcError(NRC.requestSequenceError, 'no event is set up (86 01 / 86 03 first)');
      roe.start(requester);
      return responseOnEvent.encodeResponse({ event: 0x05, ...head });
    case 0x00:
      roe.stop();
      return responseOnEvent.encodeResponse({ event: 0x00, ...head });
    case 0x06:
      roe.clear();
      return responseOnEvent.encodeResponse({ event: 0x06, ...head });
    default:
      return responseOnEvent.encodeResponse({ event: 0x04, storeEvent: req.storeEvent, events: roe.activated() });
  }
};
