import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { toHex } from '../../../../src/core/hex.js';
import {
  isPeriodicDid,
  periodicDidToDid,
  readDataByPeriodicIdentifier as codec,
  TransmissionMode,
} from '../../../../src/uds/codec/0x2a-read-data-by-periodic-identifier.js';
import {
  decodePeriodicDataMessage,
  encodePeriodicDataMessage,
  isPeriodicDataMessage,
  periodicMessageDid,
} from '../../../../src/uds/codec/periodic-data-message.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ReadDataByPeriodicIdentifier (0x2A)', () => {
  requestTable(codec, [
    {
      name: 'two pDIDs at the fast rate',
      object: { transmissionMode: TransmissionMode.sendAtFastRate, periodicDataIdentifiers: [0x01, 0xe3] },
      bytes: `2A    // SID
              03    // sendAtFastRate
              01 E3 // pDIDs = DIDs F201, F2E3`,
    },
    {
      name: 'one pDID at the slow rate',
      object: { transmissionMode: 0x01, periodicDataIdentifiers: [0x10] },
      bytes: `2A 01 // SID, sendAtSlowRate
              10    // pDID F210`,
    },
    {
      name: 'stopSending without pDIDs (stop all)',
      object: { transmissionMode: TransmissionMode.stopSending, periodicDataIdentifiers: [] },
      bytes: `2A 04 // SID, stopSending`,
    },
    {
      name: 'stopSending of one pDID',
      object: { transmissionMode: 0x04, periodicDataIdentifiers: [0x01] },
      bytes: `2A 04 // SID, stopSending
              01    // pDID`,
    },
    {
      name: 'reserved mode is decoded (the server answers 0x31)',
      object: { transmissionMode: 0x05, periodicDataIdentifiers: [] },
      bytes: `2A 05 // SID, ISOSAEReserved`,
    },
    {
      name: 'duplicates are kept as sent',
      object: { transmissionMode: 0x02, periodicDataIdentifiers: [0x01, 0x01] },
      bytes: `2A 02 01 01 // medium rate, pDID 01 twice`,
    },
  ]);

  responseTable(codec, [{ name: 'the SID only', object: {}, bytes: '6A // SID + 0x40' }]);

  requestErrorTable(codec, [
    { name: 'SID only', bytes: '2A', nrc: 0x13 },
    { name: 'slow rate without a pDID', bytes: '2A 01', nrc: 0x13 },
    { name: 'fast rate without a pDID', bytes: '2A 03', nrc: 0x13 },
    { name: 'another SID', bytes: '22 F2 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'a periodic data message is not the response', bytes: '6A 01 AA' },
    { name: 'negative response', bytes: '7F 2A 31' },
    { name: 'another SID', bytes: '62 F2 01' },
  ]);

  it('refuses to encode a rate without a pDID', () => {
    expect(() => codec.encodeRequest({ transmissionMode: 0x03, periodicDataIdentifiers: [] })).toThrow(InvalidArgumentError);
  });

  it('maps pDIDs onto the DID range F200-F2FF', () => {
    expect(periodicDidToDid(0xe3)).toBe(0xf2e3);
    expect(isPeriodicDid(0xf200)).toBe(true);
    expect(isPeriodicDid(0xf2ff)).toBe(true);
    expect(isPeriodicDid(0xf300)).toBe(false);
    expect(isPeriodicDid(0xf1ff)).toBe(false);
  });
});

describe('periodic data message', () => {
  const rows: { name: string; type: 1 | 2; bytes: string; pDid: number; data: string }[] = [
    { name: 'type 1 (DoIP / one channel)', type: 1, bytes: '6A // SID + 0x40\n 01 // pDID\n 12 34 // data of F201', pDid: 0x01, data: '12 34' },
    { name: 'type 1 without data', type: 1, bytes: '6A E3 // SID, pDID', pDid: 0xe3, data: '' },
    { name: 'type 2 (UUDT on CAN)', type: 2, bytes: '01 // pDID\n 12 34 // data', pDid: 0x01, data: '12 34' },
  ];
  for (const row of rows) {
    it(`${row.name}: encodes and decodes`, () => {
      const bytes = hex(row.bytes);
      const msg = { periodicDataIdentifier: row.pDid, data: hex(row.data) };
      expect(toHex(encodePeriodicDataMessage(msg, row.type))).toBe(toHex(bytes));
      expect(decodePeriodicDataMessage(bytes, row.type)).toEqual(msg);
    });
  }

  it('tells periodic data from the 6A response and other messages', () => {
    expect(isPeriodicDataMessage(hex('6A 01 00'))).toBe(true);
    expect(isPeriodicDataMessage(hex('6A 01'))).toBe(true);
    expect(isPeriodicDataMessage(hex('6A'))).toBe(false);
    expect(isPeriodicDataMessage(hex('62 F2 01 00'))).toBe(false);
    expect(isPeriodicDataMessage(new Uint8Array(0))).toBe(false);
    expect(periodicMessageDid({ periodicDataIdentifier: 0x10, data: new Uint8Array(0) })).toBe(0xf210);
  });

  it('rejects what is not a periodic data message with DecodeError', () => {
    expect(() => decodePeriodicDataMessage(hex('6A'))).toThrow(DecodeError);
    expect(() => decodePeriodicDataMessage(hex('62 F2 01'))).toThrow(DecodeError);
    expect(() => decodePeriodicDataMessage(new Uint8Array(0))).toThrow(DecodeError);
    expect(() => decodePeriodicDataMessage(new Uint8Array(0), 2)).toThrow(DecodeError);
    expect(() => encodePeriodicDataMessage({ periodicDataIdentifier: 0x100, data: new Uint8Array(0) })).toThrow(InvalidArgumentError);
  });
});
