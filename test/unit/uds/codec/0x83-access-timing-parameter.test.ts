import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { toHex } from '../../../../src/core/hex.js';
import {
  accessTimingParameter as codec,
  decodeServerTimingRecord,
  encodeServerTimingRecord,
  TimingParameterAccessType,
} from '../../../../src/uds/codec/0x83-access-timing-parameter.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

const none = new Uint8Array(0);

describe('AccessTimingParameter (0x83)', () => {
  requestTable(codec, [
    {
      name: 'read the extended set',
      object: { timingParameterAccessType: TimingParameterAccessType.readExtendedTimingParameterSet, timingParameterRequestRecord: none, suppressPositiveResponse: false },
      bytes: `83 01 // SID, readExtendedTimingParameterSet`,
    },
    {
      name: 'back to defaults with SPRMIB',
      object: { timingParameterAccessType: 0x02, timingParameterRequestRecord: none, suppressPositiveResponse: true },
      bytes: `83 82 // SID, SPRMIB | setTimingParametersToDefaultValues`,
    },
    {
      name: 'set given values',
      object: { timingParameterAccessType: 0x04, timingParameterRequestRecord: hex('00 64 01 F4'), suppressPositiveResponse: false },
      bytes: `83    // SID
              04    // setTimingParametersToGivenValues
              00 64 // P2server_max 100 ms
              01 F4 // P2*server_max 500 x 10 ms`,
    },
    {
      name: 'a reserved type keeps its bytes (the server answers 0x12)',
      object: { timingParameterAccessType: 0x05, timingParameterRequestRecord: hex('AA'), suppressPositiveResponse: false },
      bytes: `83 05 AA`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'current values',
      object: { timingParameterAccessType: 0x03, timingParameterResponseRecord: hex('00 32 01 F4') },
      bytes: `C3    // SID + 0x40
              03    // readCurrentlyActiveTimingParameters
              00 32 // P2server_max 50 ms
              01 F4 // P2*server_max 5000 ms`,
    },
    { name: 'set confirmed', object: { timingParameterAccessType: 0x04, timingParameterResponseRecord: none }, bytes: 'C3 04' },
  ]);

  requestErrorTable(codec, [
    { name: 'SID only', bytes: '83', nrc: 0x13 },
    { name: '04 without a record', bytes: '83 04', nrc: 0x13 },
    { name: '03 with a record', bytes: '83 03 00', nrc: 0x13 },
    { name: '82 (SPRMIB) with a record', bytes: '83 82 00 32', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: '03 without a record', bytes: 'C3 03' },
    { name: '02 with a record', bytes: 'C3 02 00' },
    { name: 'no sub-function', bytes: 'C3' },
    { name: 'negative response', bytes: '7F 83 31' },
  ]);

  it('checks the record against the access type on encode', () => {
    expect(() => codec.encodeRequest({ timingParameterAccessType: 0x04, timingParameterRequestRecord: none })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ timingParameterAccessType: 0x01, timingParameterRequestRecord: hex('00') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ timingParameterAccessType: 0x01, timingParameterResponseRecord: none })).toThrow(InvalidArgumentError);
  });

  it('timing record: P2 in 1 ms, P2* in 10 ms (the 0x50 sessionParameterRecord layout)', () => {
    expect(toHex(encodeServerTimingRecord({ p2ServerMs: 50, p2StarServerMs: 5000 }))).toBe('00 32 01 F4');
    expect(toHex(encodeServerTimingRecord({ p2ServerMs: 1, p2StarServerMs: 11 }))).toBe('00 01 00 02');
    expect(decodeServerTimingRecord(hex('01 F4 03 E8'))).toEqual({ p2ServerMs: 500, p2StarServerMs: 10000 });
    expect(() => decodeServerTimingRecord(hex('00 32 01'))).toThrow(DecodeError);
    expect(() => encodeServerTimingRecord({ p2ServerMs: 0x10000, p2StarServerMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => encodeServerTimingRecord({ p2ServerMs: 0, p2StarServerMs: 655_351 })).toThrow(InvalidArgumentError);
  });
});
