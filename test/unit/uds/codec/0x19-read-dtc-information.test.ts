import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { readDtcInformation as codec, type ReadDtcInformationResponse } from '../../../../src/uds/codec/0x19-read-dtc-information.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ReadDTCInformation (0x19)', () => {
  requestTable(codec, [
    {
      name: '01 reportNumberOfDTCByStatusMask',
      object: { subFunction: 0x01, statusMask: 0x09, suppressPositiveResponse: false },
      bytes: `19 // SID
              01 // reportNumberOfDTCByStatusMask
              09 // DTCStatusMask: testFailed | confirmedDTC`,
    },
    {
      name: '02 reportDTCByStatusMask with SPRMIB',
      object: { subFunction: 0x02, statusMask: 0xff, suppressPositiveResponse: true },
      bytes: `19 // SID
              82 // reportDTCByStatusMask + SPRMIB
              FF // every status bit`,
    },
    { name: '03 reportDTCSnapshotIdentification', object: { subFunction: 0x03, suppressPositiveResponse: false }, bytes: '19 03' },
    {
      name: '04 reportDTCSnapshotRecordByDTCNumber',
      object: { subFunction: 0x04, dtc: 0x056216, recordNumber: 0xff, suppressPositiveResponse: false },
      bytes: `19       // SID
              04       // reportDTCSnapshotRecordByDTCNumber
              05 62 16 // DTCMaskRecord P0562-16
              FF       // DTCSnapshotRecordNumber: all`,
    },
    {
      name: '06 reportDTCExtDataRecordByDTCNumber',
      object: { subFunction: 0x06, dtc: 0xc10001, recordNumber: 0x01, suppressPositiveResponse: false },
      bytes: `19       // SID
              06       // reportDTCExtDataRecordByDTCNumber
              C1 00 01 // DTCMaskRecord U0100-01
              01       // DTCExtDataRecordNumber`,
    },
    { name: '0A reportSupportedDTC', object: { subFunction: 0x0a, suppressPositiveResponse: false }, bytes: '19 0A' },
    { name: '0E reportMostRecentConfirmedDTC', object: { subFunction: 0x0e, suppressPositiveResponse: false }, bytes: '19 0E' },
    {
      name: '14 (not decoded field by field) keeps its parameters',
      object: { subFunction: 0x14, parameters: new Uint8Array(0), suppressPositiveResponse: false },
      bytes: '19 14 // reportDTCFaultDetectionCounter',
    },
    {
      name: '42 (WWH-OBD) keeps its parameters',
      object: { subFunction: 0x42, parameters: hex('33 08 FF'), suppressPositiveResponse: false },
      bytes: '19 42 33 08 FF',
    },
  ]);

  responseTable<unknown, ReadDtcInformationResponse, unknown>(codec, [
    {
      name: '01 count',
      object: { subFunction: 0x01, statusAvailabilityMask: 0xff, formatIdentifier: 0x01, count: 2 },
      bytes: `59    // SID + 0x40
              01    // reportNumberOfDTCByStatusMask
              FF    // DTCStatusAvailabilityMask
              01    // DTCFormatIdentifier: ISO_14229-1_DTCFormat
              00 02 // DTCCount`,
    },
    {
      name: '02 two DTCs',
      object: {
        subFunction: 0x02,
        statusAvailabilityMask: 0x7f,
        dtcs: [
          { dtc: 0x056216, status: 0x2f },
          { dtc: 0xc10001, status: 0x28 },
        ],
      },
      bytes: `59       // SID + 0x40
              02       // reportDTCByStatusMask
              7F       // DTCStatusAvailabilityMask
              05 62 16 // P0562-16
              2F       // TF TFTOC PDTC CDTC TFSLC
              C1 00 01 // U0100-01
              28       // CDTC TFSLC`,
    },
    { name: '0A no DTC', object: { subFunction: 0x0a, statusAvailabilityMask: 0xff, dtcs: [] }, bytes: '59 0A FF' },
    {
      name: '03 snapshot identification',
      object: {
        subFunction: 0x03,
        records: [
          { dtc: 0x056216, recordNumber: 0x01 },
          { dtc: 0x056216, recordNumber: 0x02 },
        ],
      },
      bytes: `59 03
              05 62 16 01 // P0562-16 record 01
              05 62 16 02 // P0562-16 record 02`,
    },
    {
      name: '04 one record with one DID (the DID takes the rest)',
      object: { subFunction: 0x04, dtc: 0x056216, status: 0x2f, records: [{ recordNumber: 0x01, dids: [{ did: 0xf442, data: hex('20 D0') }] }] },
      bytes: `59       // SID + 0x40
              04       // reportDTCSnapshotRecordByDTCNumber
              05 62 16 // DTC
              2F       // statusOfDTC
              01       // DTCSnapshotRecordNumber
              01       // DTCSnapshotRecordNumberOfIdentifiers
              F4 42    // DID: control module voltage
              20 D0    // 8.4 V`,
    },
    { name: '04 nothing stored', object: { subFunction: 0x04, dtc: 0x056216, status: 0x50, records: [] }, bytes: '59 04 05 62 16 50' },
    {
      name: '06 one extended data record (takes the rest)',
      object: { subFunction: 0x06, dtc: 0x056216, status: 0x2f, records: [{ recordNumber: 0x01, data: hex('03') }] },
      bytes: `59 06
              05 62 16 2F // DTC and status
              01 03       // record 01: occurrence counter 3`,
    },
    {
      name: '14 kept raw',
      object: { subFunction: 0x14, parameters: hex('05 62 16 7F') },
      bytes: '59 14 05 62 16 7F',
    },
  ]);

  describe('records whose lengths come from the context', () => {
    const snapshot = `59 04 05 62 16 2F
                      01 02       // record 01 with 2 DIDs
                      F4 42 20 D0 // voltage (2 bytes)
                      F4 0D 00    // speed (1 byte)
                      02 01       // record 02 with 1 DID
                      F4 42 2E E0`;
    const records = [
      {
        recordNumber: 1,
        dids: [
          { did: 0xf442, data: hex('20 D0') },
          { did: 0xf40d, data: hex('00') },
        ],
      },
      { recordNumber: 2, dids: [{ did: 0xf442, data: hex('2E E0') }] },
    ];
    responseTable(codec, [{ name: '04 two records split by didLength', object: { subFunction: 0x04, dtc: 0x056216, status: 0x2f, records }, bytes: snapshot }], {
      didLength: (did: number) => (did === 0xf442 ? 2 : did === 0xf40d ? 1 : undefined),
    });

    it('04 without didLength cannot split a record of several DIDs', () => {
      expect(() => codec.decodeResponse(hex(snapshot))).toThrow(DecodeError);
    });

    const ext = `59 06 05 62 16 2F
                 01 03    // occurrence counter
                 02 00 27 // aging counter (2 bytes)`;
    responseTable(
      codec,
      [
        {
          name: '06 all records split by extendedDataLength',
          object: {
            subFunction: 0x06,
            dtc: 0x056216,
            status: 0x2f,
            records: [
              { recordNumber: 1, data: hex('03') },
              { recordNumber: 2, data: hex('00 27') },
            ],
          },
          bytes: ext,
        },
      ],
      { extendedDataLength: (n: number) => (n === 1 ? 1 : 2) },
    );

    it('06 without extendedDataLength reads one record holding the rest', () => {
      expect(codec.decodeResponse(hex(ext))).toEqual({ subFunction: 0x06, dtc: 0x056216, status: 0x2f, records: [{ recordNumber: 1, data: hex('03 02 00 27') }] });
    });
  });

  it('refuses raw parameters for a typed sub-function and out-of-range values', () => {
    expect(() => codec.encodeRequest({ subFunction: 0x02, parameters: hex('FF') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ subFunction: 0x01, parameters: hex('FF') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ subFunction: 0x04, dtc: 0x1000000, recordNumber: 1 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ subFunction: 0x80, parameters: hex('') })).toThrow(InvalidArgumentError);
    const tooMany = Array.from({ length: 256 }, (_, i) => ({ did: i, data: new Uint8Array(0) }));
    expect(() => codec.encodeResponse({ subFunction: 0x04, dtc: 1, status: 0, records: [{ recordNumber: 1, dids: tooMany }] })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '19', nrc: 0x13 },
    { name: '02 without mask', bytes: '19 02', nrc: 0x13 },
    { name: '02 with two masks', bytes: '19 02 FF FF', nrc: 0x13 },
    { name: '0A with a parameter', bytes: '19 0A 00', nrc: 0x13 },
    { name: '04 with a 2-byte DTC', bytes: '19 04 05 62 FF', nrc: 0x13 },
    { name: '06 without record number', bytes: '19 06 05 62 16', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: '01 short', bytes: '59 01 FF 01 00' },
    { name: '02 without availability mask', bytes: '59 02' },
    { name: '02 partial DTC record', bytes: '59 02 FF 05 62 16' },
    { name: '03 partial record', bytes: '59 03 05 62 16' },
    { name: '04 without status', bytes: '59 04 05 62 16' },
    { name: '04 record without its count', bytes: '59 04 05 62 16 2F 01' },
    { name: 'request SID', bytes: '19 02 FF' },
    { name: 'negative response', bytes: '7F 19 31' },
  ]);
});
