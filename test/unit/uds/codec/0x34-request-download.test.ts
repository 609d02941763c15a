import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { requestDownload as codec } from '../../../../src/uds/codec/0x34-request-download.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('RequestDownload (0x34)', () => {
  requestTable(codec, [
    {
      name: 'default 4-byte address and size',
      object: { dataFormatIdentifier: 0x00, memoryAddress: 0x00010000, memorySize: 0x8000 },
      bytes: `34          // SID
              00          // DFI: plain
              44          // ALFID: 4-byte size, 4-byte address
              00 01 00 00 // memoryAddress
              00 00 80 00 // memorySize`,
      decoded: { dataFormatIdentifier: 0, memoryAddress: 0x10000, memorySize: 0x8000, addressLength: 4, sizeLength: 4 },
    },
    {
      name: '3-byte address, 2-byte size, compressed',
      object: { dataFormatIdentifier: 0x10, memoryAddress: 0x123456, memorySize: 0x0400, addressLength: 3, sizeLength: 2 },
      bytes: `34       // SID
              10       // DFI: compression method 1
              23       // ALFID: 2-byte size, 3-byte address
              12 34 56 // memoryAddress
              04 00    // memorySize`,
    },
    {
      name: '1-byte address and size',
      object: { dataFormatIdentifier: 0x00, memoryAddress: 0xff, memorySize: 0x01, addressLength: 1, sizeLength: 1 },
      bytes: '34 00 11 FF 01',
    },
  ]);

  responseTable(codec, [
    {
      name: '2-byte maxNumberOfBlockLength',
      object: { maxNumberOfBlockLength: 0x0fff, lengthFormatIdentifier: 0x20 },
      bytes: `74    // SID + 0x40
              20    // LFI: 2 bytes follow
              0F FF // maxNumberOfBlockLength = 4095`,
    },
    {
      name: '4-byte LFI given for a small value',
      object: { maxNumberOfBlockLength: 0x0802, lengthFormatIdentifier: 0x40 },
      bytes: `74          // SID + 0x40
              40          // LFI: 4 bytes follow
              00 00 08 02 // maxNumberOfBlockLength`,
    },
    {
      name: '6-byte maxNumberOfBlockLength (largest udskit decodes)',
      object: { maxNumberOfBlockLength: 0x010203040506, lengthFormatIdentifier: 0x60 },
      bytes: '74 60 01 02 03 04 05 06',
    },
  ]);

  it('picks the smallest LFI when none is given', () => {
    expect(codec.encodeResponse({ maxNumberOfBlockLength: 0x82 })).toEqual(hex('74 10 82'));
    expect(codec.encodeResponse({ maxNumberOfBlockLength: 0x10002 })).toEqual(hex('74 30 01 00 02'));
  });

  it('refuses values that do not fit on encode', () => {
    expect(() => codec.encodeResponse({ maxNumberOfBlockLength: 0x1000, lengthFormatIdentifier: 0x10 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ maxNumberOfBlockLength: 1, lengthFormatIdentifier: 0x21 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ maxNumberOfBlockLength: 1, lengthFormatIdentifier: 0x70 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ maxNumberOfBlockLength: -1 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ dataFormatIdentifier: 0, memoryAddress: 0x100, memorySize: 1, addressLength: 1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => codec.encodeRequest({ dataFormatIdentifier: 0, memoryAddress: 0, memorySize: 1, sizeLength: 5 })).toThrow(
      InvalidArgumentError,
    );
  });

  requestErrorTable(codec, [
    { name: 'no DFI', bytes: '34', nrc: 0x13 },
    { name: 'no ALFID', bytes: '34 00', nrc: 0x13 },
    { name: 'address shorter than ALFID says', bytes: '34 00 44 00 01 00', nrc: 0x13 },
    { name: 'size shorter than ALFID says', bytes: '34 00 44 00 01 00 00 00 00 80', nrc: 0x13 },
    { name: 'one byte more than ALFID says', bytes: '34 00 44 00 01 00 00 00 00 80 00 00', nrc: 0x13 },
    { name: 'ALFID address nibble 0', bytes: '34 00 40 00 00 80 00', nrc: 0x13 },
    { name: 'ALFID size nibble 0', bytes: '34 00 04 00 01 00 00', nrc: 0x13 },
    { name: 'ALFID address nibble 5', bytes: '34 00 15 00 00 00 00 00 01', nrc: 0x13 },
    { name: 'ALFID size nibble 5', bytes: '34 00 51 00 00 00 00 00 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no LFI', bytes: '74' },
    { name: 'LFI count 0', bytes: '74 00' },
    { name: 'LFI reserved nibble set', bytes: '74 21 0F FF' },
    { name: 'fewer bytes than LFI says', bytes: '74 20 0F' },
    { name: 'more bytes than LFI says', bytes: '74 20 0F FF 00' },
    { name: '7-byte maxNumberOfBlockLength', bytes: '74 70 00 00 00 00 00 0F FF' },
    { name: '8-byte maxNumberOfBlockLength', bytes: '74 80 00 00 00 00 00 00 0F FF' },
    { name: 'upload SID', bytes: '75 20 0F FF' },
    { name: 'negative response', bytes: '7F 34 70' },
  ]);
});
