import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { responseOnEvent as codec, type ResponseOnEventResponse } from '../../../../src/uds/codec/0x86-response-on-event.js';
import { roeServiceLength } from '../../../../src/uds/codec/0x86-roe-lengths.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ResponseOnEvent (0x86)', () => {
  requestTable(codec, [
    {
      name: '01 onDTCStatusChange, respond with 19 0E',
      object: { event: 0x01, storeEvent: false, eventWindowTime: 0x02, dtcStatusMask: 0x08, serviceToRespondTo: hex('19 0E'), suppressPositiveResponse: false },
      bytes: `86    // SID
              01    // onDTCStatusChange, doNotStoreEvent
              02    // eventWindowTime: infiniteTimeToResponse
              08    // DTCStatusMask: confirmedDTC
              19 0E // serviceToRespondTo: reportMostRecentConfirmedDTC`,
    },
    {
      name: '01 stored, with SPRMIB, respond with 19 02 FF',
      object: { event: 0x01, storeEvent: true, eventWindowTime: 0x02, dtcStatusMask: 0xff, serviceToRespondTo: hex('19 02 FF'), suppressPositiveResponse: true },
      bytes: `86       // SID
              C1       // SPRMIB + storeEvent + onDTCStatusChange
              02       // infinite
              FF       // DTCStatusMask
              19 02 FF // reportDTCByStatusMask FF`,
    },
    {
      name: '03 onChangeOfDataIdentifier',
      object: { event: 0x03, storeEvent: false, eventWindowTime: 0x03, dataIdentifier: 0xf186, serviceToRespondTo: hex('22 F1 86'), suppressPositiveResponse: false },
      bytes: `86       // SID
              03       // onChangeOfDataIdentifier
              03       // shortEventWindowTime
              F1 86    // DID: active session
              22 F1 86 // serviceToRespondTo: ReadDataByIdentifier F186`,
    },
    { name: '05 start', object: { event: 0x05, storeEvent: false, eventWindowTime: 0x02, suppressPositiveResponse: false }, bytes: '86 05 02' },
    { name: '00 stop', object: { event: 0x00, storeEvent: false, eventWindowTime: 0x02, suppressPositiveResponse: false }, bytes: '86 00 02' },
    { name: '04 report activated events', object: { event: 0x04, storeEvent: false, eventWindowTime: 0x02, suppressPositiveResponse: false }, bytes: '86 04 02' },
    { name: '06 clear, stored', object: { event: 0x06, storeEvent: true, eventWindowTime: 0x02, suppressPositiveResponse: false }, bytes: '86 46 02' },
    {
      name: '07 onComparisonOfValues kept raw',
      object: { event: 0x07, storeEvent: false, eventWindowTime: 0x02, record: hex('F1 90 01 00 00 00 10 00 00 00 22 F1 90'), suppressPositiveResponse: false },
      bytes: '86 07 02 F1 90 01 00 00 00 10 00 00 00 22 F1 90',
    },
  ]);

  responseTable<unknown, ResponseOnEventResponse, unknown>(codec, [
    {
      name: '01 set-up',
      object: { event: 0x01, storeEvent: false, numberOfIdentifiedEvents: 0, eventWindowTime: 0x02, dtcStatusMask: 0x08, serviceToRespondTo: hex('19 0E') },
      bytes: `C6    // SID + 0x40
              01    // onDTCStatusChange
              00    // numberOfIdentifiedEvents
              02    // eventWindowTime
              08    // DTCStatusMask
              19 0E // serviceToRespondTo`,
    },
    {
      name: '03 final response after the window',
      object: { event: 0x03, storeEvent: false, numberOfIdentifiedEvents: 3, eventWindowTime: 0x03, dataIdentifier: 0xf186, serviceToRespondTo: hex('22 F1 86') },
      bytes: 'C6 03 03 03 F1 86 22 F1 86',
    },
    { name: '05 start', object: { event: 0x05, storeEvent: false, numberOfIdentifiedEvents: 0, eventWindowTime: 0x02 }, bytes: 'C6 05 00 02' },
    { name: '00 stop, stored', object: { event: 0x00, storeEvent: true, numberOfIdentifiedEvents: 0, eventWindowTime: 0x02 }, bytes: 'C6 40 00 02' },
    { name: '04 nothing active', object: { event: 0x04, storeEvent: false, events: [] }, bytes: 'C6 04 00' },
    {
      name: '04 two active events',
      object: {
        event: 0x04,
        storeEvent: false,
        events: [
          { event: 0x01, storeEvent: true, eventWindowTime: 0x02, eventTypeRecord: hex('08'), serviceToRespondTo: hex('19 02 08') },
          { event: 0x03, storeEvent: false, eventWindowTime: 0x02, eventTypeRecord: hex('F1 86'), serviceToRespondTo: hex('22 F1 86') },
        ],
      },
      bytes: `C6       // SID + 0x40
              04       // reportActivatedEvents
              02       // numberOfActivatedEvents
              41 02 08 // storeEvent onDTCStatusChange, infinite, mask 08
              19 02 08 // serviceToRespondTo (3 bytes: 19 02 takes a mask)
              03 02    // onChangeOfDataIdentifier, infinite
              F1 86    // DID
              22 F1 86 // serviceToRespondTo`,
    },
    { name: '07 kept raw', object: { event: 0x07, storeEvent: false, parameters: hex('00 02 01') }, bytes: 'C6 07 00 02 01' },
  ]);

  it('the last active event may carry a service of unknown length', () => {
    const res = codec.decodeResponse(hex('C6 04 01 01 02 08 31 01 02 03'));
    expect(res).toEqual({
      event: 4,
      storeEvent: false,
      events: [{ event: 1, storeEvent: false, eventWindowTime: 2, eventTypeRecord: hex('08'), serviceToRespondTo: hex('31 01 02 03') }],
    });
  });

  it('knows the request lengths of 22 and the fixed-format 19 reportTypes', () => {
    expect(roeServiceLength(hex('22 F1 90 00'))).toBe(3);
    expect(roeServiceLength(hex('19 0E'))).toBe(2);
    expect(roeServiceLength(hex('19 04 05 62 16 FF'))).toBe(6);
    expect(roeServiceLength(hex('19'))).toBeUndefined();
    expect(roeServiceLength(hex('31 01 02 03'))).toBeUndefined();
  });

  it('refuses values that do not fit', () => {
    expect(() => codec.encodeRequest({ event: 0x40, storeEvent: false, eventWindowTime: 2, record: hex('') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ event: 0x01, storeEvent: false, eventWindowTime: 2, dtcStatusMask: 8, serviceToRespondTo: hex('') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ event: 0x05, storeEvent: false, eventWindowTime: 0x100 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ event: 0x01, storeEvent: false, eventWindowTime: 2, record: hex('08 19 0E') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ event: 0x05, storeEvent: false, numberOfIdentifiedEvents: 256, eventWindowTime: 2 })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no eventWindowTime', bytes: '86 05', nrc: 0x13 },
    { name: 'start with a record', bytes: '86 05 02 00', nrc: 0x13 },
    { name: '01 without service', bytes: '86 01 02 08', nrc: 0x13 },
    { name: '01 without mask', bytes: '86 01 02', nrc: 0x13 },
    { name: '03 with half a DID', bytes: '86 03 02 F1', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: '05 without eventWindowTime', bytes: 'C6 05 00' },
    { name: '01 without service', bytes: 'C6 01 00 02 08' },
    { name: '04 count larger than the events', bytes: 'C6 04 02 01 02 08 19 0E' },
    { name: '04 unsplittable service before the last event', bytes: 'C6 04 02 01 02 08 31 01 01 02 08 19 0E' },
    { name: '04 event of unknown record length', bytes: 'C6 04 01 09 02 08 19 0E' },
    { name: '04 reserved bit 7 of eventTypeOfActiveEvent', bytes: 'C6 04 01 81 02 08 19 0E' },
    { name: '04 extra bytes after the events', bytes: 'C6 04 01 01 02 08 19 0E 00' },
    { name: 'negative response', bytes: '7F 86 31' },
  ]);

  it('rejects a negative response as DecodeError', () => {
    expect(() => codec.decodeResponse(hex('7F 86 12'))).toThrow(DecodeError);
  });
});
