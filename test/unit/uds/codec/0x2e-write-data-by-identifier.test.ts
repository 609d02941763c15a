import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { writeDataByIdentifier as codec } from '../../../../src/uds/codec/0x2e-write-data-by-identifier.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('WriteDataByIdentifier (0x2E)', () => {
  requestTable(codec, [
    {
      name: 'repair shop code',
      object: { did: 0xf198, data: hex('01 02 03 04 05 06') },
      bytes: `2E                // SID
              F1 98             // repair shop code
              01 02 03 04 05 06 // data`,
    },
    {
      name: 'one data byte',
      object: { did: 0x0100, data: hex('FF') },
      bytes: '2E 01 00 FF',
    },
  ]);

  responseTable(codec, [
    {
      name: 'echo',
      object: { did: 0xf198 },
      bytes: `6E    // SID + 0x40
              F1 98 // DID`,
    },
  ]);

  it('refuses empty data on encode', () => {
    expect(() => codec.encodeRequest({ did: 0xf198, data: new Uint8Array(0) })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no DID', bytes: '2E', nrc: 0x13 },
    { name: 'half a DID', bytes: '2E F1', nrc: 0x13 },
    { name: 'no data', bytes: '2E F1 98', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'half a DID', bytes: '6E F1' },
    { name: 'extra byte', bytes: '6E F1 98 00' },
    { name: 'negative response', bytes: '7F 2E 31' },
  ]);
});
