import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { readMemoryByAddress as codec } from '../../../../src/uds/codec/0x23-read-memory-by-address.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ReadMemoryByAddress (0x23)', () => {
  requestTable(codec, [
    {
      name: '4-byte address, 2-byte size',
      object: { memoryAddress: 0x20000010, memorySize: 0x10, addressLength: 4, sizeLength: 2 },
      bytes: `23          // SID
              24          // ALFID: 2-byte size, 4-byte address
              20 00 00 10 // memoryAddress
              00 10       // memorySize = 16`,
    },
    {
      name: 'default lengths are 4/4',
      object: { memoryAddress: 0x1000, memorySize: 4 },
      bytes: '23 44 00 00 10 00 00 00 00 04',
      decoded: { memoryAddress: 0x1000, memorySize: 4, addressLength: 4, sizeLength: 4 },
    },
    {
      name: '1-byte address and size',
      object: { memoryAddress: 0x80, memorySize: 0x01, addressLength: 1, sizeLength: 1 },
      bytes: '23 11 80 01',
    },
  ]);

  responseTable(codec, [
    { name: 'four data bytes', object: { data: hex('DE AD BE EF') }, bytes: '63 DE AD BE EF' },
    { name: 'no data (the client checks the count)', object: { data: new Uint8Array(0) }, bytes: '63' },
  ]);

  requestErrorTable(codec, [
    { name: 'only SID', bytes: '23', nrc: 0x13 },
    { name: 'ALFID size nibble 0', bytes: '23 04 00 00 10 00', nrc: 0x13 },
    { name: 'ALFID address nibble 5', bytes: '23 15 00 00 00 10 00 04', nrc: 0x13 },
    { name: 'one byte short of the ALFID', bytes: '23 24 20 00 00 10 00', nrc: 0x13 },
    { name: 'one byte too many', bytes: '23 11 80 01 00', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'wrong SID', bytes: '62 00' },
    { name: 'negative response', bytes: '7F 23 31' },
  ]);

  it('refuses an address that does not fit its length', () => {
    expect(() => codec.encodeRequest({ memoryAddress: 0x100, memorySize: 1, addressLength: 1, sizeLength: 1 })).toThrow(InvalidArgumentError);
  });
});
