import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { isRequestSeed, securityAccess as codec } from '../../../../src/uds/codec/0x27-security-access.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('SecurityAccess (0x27)', () => {
  requestTable(codec, [
    {
      name: 'requestSeed level 1',
      object: { subFunction: 0x01, data: new Uint8Array(0), suppressPositiveResponse: false },
      bytes: `27 // SID
              01 // requestSeed level 1`,
    },
    {
      name: 'requestSeed with securityAccessDataRecord',
      object: { subFunction: 0x11, data: hex('AA BB'), suppressPositiveResponse: false },
      bytes: `27    // SID
              11    // requestSeed level 0x11
              AA BB // securityAccessDataRecord`,
    },
    {
      name: 'sendKey level 1',
      object: { subFunction: 0x02, data: hex('12 34 56 78') },
      bytes: `27          // SID
              02          // sendKey level 1
              12 34 56 78 // key`,
      decoded: { subFunction: 0x02, data: hex('12 34 56 78'), suppressPositiveResponse: false },
    },
    {
      name: 'sendKey with SPRMIB',
      object: { subFunction: 0x02, data: hex('01'), suppressPositiveResponse: true },
      bytes: '27 82 01',
    },
    {
      // The server answers 0x12 for SF 00 or 0x13 for a missing key, in that order; the codec accepts it.
      name: 'sendKey without a key (the handler checks the key length)',
      object: { subFunction: 0x04, data: new Uint8Array(0), suppressPositiveResponse: false },
      bytes: '27 04',
    },
  ]);

  responseTable(codec, [
    {
      name: 'seed',
      object: { subFunction: 0x01, seed: hex('DE AD BE EF') },
      bytes: `67          // SID + 0x40
              01          // requestSeed level 1
              DE AD BE EF // seed`,
    },
    {
      name: 'sendKey accepted',
      object: { subFunction: 0x02, seed: new Uint8Array(0) },
      bytes: `67 // SID + 0x40
              02 // sendKey level 1`,
    },
  ]);

  it('isRequestSeed is true for odd sub-functions, ignoring SPRMIB', () => {
    expect([0x01, 0x03, 0x41, 0x81].map(isRequestSeed)).toEqual([true, true, true, true]);
    expect([0x00, 0x02, 0x42, 0x82].map(isRequestSeed)).toEqual([false, false, false, false]);
  });

  it('refuses a seed in a sendKey response and an empty seed on encode', () => {
    expect(() => codec.encodeResponse({ subFunction: 2, seed: hex('01') })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ subFunction: 1, seed: new Uint8Array(0) })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '27', nrc: 0x13 },
    { name: 'wrong SID', bytes: '67 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'requestSeed without seed', bytes: '67 01' },
    { name: 'sendKey with extra bytes', bytes: '67 02 00' },
    { name: 'no sub-function', bytes: '67' },
    { name: 'negative response', bytes: '7F 27 35' },
  ]);
});
