import { describe } from 'vitest';
import { testerPresent as codec } from '../../../../src/uds/codec/0x3e-tester-present.js';
import { requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('TesterPresent (0x3E)', () => {
  requestTable(codec, [
    {
      name: 'with response',
      object: {},
      bytes: `3E // SID
              00 // zeroSubFunction`,
      decoded: { subFunction: 0, suppressPositiveResponse: false },
    },
    {
      name: 'suppressed (3E 80)',
      object: { suppressPositiveResponse: true },
      bytes: `3E // SID
              80 // SPRMIB | zeroSubFunction`,
      decoded: { subFunction: 0, suppressPositiveResponse: true },
    },
    {
      // Decoded so that the server can answer 0x12 (subFunctionNotSupported).
      name: 'non-zero sub-function',
      object: { subFunction: 0x01, suppressPositiveResponse: false },
      bytes: '3E 01',
    },
  ]);

  responseTable(codec, [{ name: 'echo', object: {}, bytes: '7E 00 // SID + 0x40, zeroSubFunction' }]);

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '3E', nrc: 0x13 },
    { name: 'extra byte', bytes: '3E 00 00', nrc: 0x13 },
    { name: 'extra byte with SPRMIB', bytes: '3E 80 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no sub-function', bytes: '7E' },
    { name: 'non-zero sub-function', bytes: '7E 01' },
    { name: 'extra byte', bytes: '7E 00 00' },
    { name: 'negative response', bytes: '7F 3E 13' },
  ]);
});
