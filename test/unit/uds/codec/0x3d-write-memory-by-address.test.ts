import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { writeMemoryByAddress as codec } from '../../../../src/uds/codec/0x3d-write-memory-by-address.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('WriteMemoryByAddress (0x3D)', () => {
  requestTable(codec, [
    {
      name: '4-byte address, 1-byte size, 3 data bytes',
      object: { memoryAddress: 0x20000000, data: hex('01 02 03'), addressLength: 4, sizeLength: 1 },
      bytes: `3D          // SID
              14          // ALFID: 1-byte size, 4-byte address
              20 00 00 00 // memoryAddress
              03          // memorySize
              01 02 03    // dataRecord`,
    },
    {
      name: 'zero size carries no data (the server refuses it with 0x31)',
      object: { memoryAddress: 0x10, data: new Uint8Array(0), addressLength: 1, sizeLength: 1 },
      bytes: '3D 11 10 00',
    },
  ]);

  responseTable(codec, [
    {
      name: 'echo of ALFID, address and size',
      object: { memoryAddress: 0x20000000, memorySize: 3, addressLength: 4, sizeLength: 1 },
      bytes: `7D          // SID + 0x40
              14          // ALFID
              20 00 00 00 // memoryAddress
              03          // memorySize`,
    },
  ]);

  requestErrorTable(codec, [
    { name: 'only SID', bytes: '3D', nrc: 0x13 },
    { name: 'fewer data bytes than memorySize', bytes: '3D 11 10 03 01 02', nrc: 0x13 },
    { name: 'more data bytes than memorySize', bytes: '3D 11 10 01 01 02', nrc: 0x13 },
    { name: 'ALFID nibble 0', bytes: '3D 10 01 02', nrc: 0x13 },
    { name: 'address cut short', bytes: '3D 44 20 00', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'ALFID nibble 0', bytes: '7D 01 10' },
    { name: 'size missing', bytes: '7D 11 10' },
    { name: 'extra byte', bytes: '7D 11 10 01 00' },
    { name: 'negative response', bytes: '7F 3D 72' },
  ]);

  it('refuses data that is not a Uint8Array, and sizes that do not fit', () => {
    expect(() => codec.encodeRequest({ memoryAddress: 0, data: [1] as unknown as Uint8Array })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ memoryAddress: 0, data: new Uint8Array(256), sizeLength: 1 })).toThrow(InvalidArgumentError);
  });
});
