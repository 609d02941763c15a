import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { dynamicallyDefineDataIdentifier as codec } from '../../../../src/uds/codec/0x2c-dynamically-define-data-identifier.js';
import { requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('DynamicallyDefineDataIdentifier (0x2C)', () => {
  requestTable(codec, [
    {
      name: 'defineByIdentifier with two source elements',
      object: {
        kind: 'defineByIdentifier',
        dddid: 0xf300,
        sources: [
          { sourceDid: 0xf190, position: 1, size: 4 },
          { sourceDid: 0x0100, position: 2, size: 1 },
        ],
        suppressPositiveResponse: false,
      },
      bytes: `2C       // SID
              01       // defineByIdentifier
              F3 00    // DDDID
              F1 90    // sourceDataIdentifier
              01       // positionInSourceDataRecord (1-based)
              04       // memorySize
              01 00 02 01 // second element`,
    },
    {
      name: 'defineByMemoryAddress: one ALFID for two elements, SPRMIB',
      object: {
        kind: 'defineByMemoryAddress',
        dddid: 0xf201,
        addressLength: 4,
        sizeLength: 1,
        sources: [
          { memoryAddress: 0x20000000, memorySize: 2 },
          { memoryAddress: 0x20000010, memorySize: 4 },
        ],
        suppressPositiveResponse: true,
      },
      bytes: `2C          // SID
              82          // SPRMIB | defineByMemoryAddress
              F2 01       // DDDID
              14          // ALFID: 1-byte size, 4-byte address
              20 00 00 00 02 // element 1
              20 00 00 10 04 // element 2 (no ALFID of its own)`,
    },
    {
      name: 'clear one DDDID',
      object: { kind: 'clear', dddid: 0xf300, suppressPositiveResponse: false },
      bytes: '2C 03 F3 00',
    },
    {
      name: 'clear every DDDID',
      object: { kind: 'clear', suppressPositiveResponse: false },
      bytes: '2C 03',
    },
    {
      name: 'an unknown sub-function keeps its bytes (the server answers 0x12)',
      object: { kind: 'other', subFunction: 0x04, data: Uint8Array.of(0xf3, 0x00), suppressPositiveResponse: false },
      bytes: '2C 04 F3 00',
    },
  ]);

  responseTable(codec, [
    { name: 'define echo', object: { subFunction: 0x01, dddid: 0xf300 }, bytes: '6C 01 F3 00' },
    { name: 'clear of every DDDID', object: { subFunction: 0x03 }, bytes: '6C 03' },
  ]);

  requestErrorTable(codec, [
    { name: 'only SID', bytes: '2C', nrc: 0x13 },
    { name: 'defineByIdentifier without elements', bytes: '2C 01 F3 00', nrc: 0x13 },
    { name: 'defineByIdentifier element cut short', bytes: '2C 01 F3 00 F1 90 01', nrc: 0x13 },
    { name: 'defineByMemoryAddress without ALFID', bytes: '2C 02 F3 00', nrc: 0x13 },
    { name: 'defineByMemoryAddress ALFID nibble 0', bytes: '2C 02 F3 00 04 20 00 00 00', nrc: 0x13 },
    { name: 'defineByMemoryAddress trailing half element', bytes: '2C 02 F3 00 11 10 01 20', nrc: 0x13 },
    { name: 'clear with one byte', bytes: '2C 03 F3', nrc: 0x13 },
    { name: 'clear with three bytes', bytes: '2C 03 F3 00 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'half a DDDID', bytes: '6C 01 F3' },
    { name: 'extra byte', bytes: '6C 01 F3 00 00' },
    { name: 'negative response', bytes: '7F 2C 31' },
  ]);

  it('refuses a definition without source elements', () => {
    expect(() => codec.encodeRequest({ kind: 'defineByIdentifier', dddid: 0xf300, sources: [] })).toThrow(InvalidArgumentError);
    expect(() =>
      codec.encodeRequest({ kind: 'defineByMemoryAddress', dddid: 0xf300, addressLength: 4, sizeLength: 1, sources: [] }),
    ).toThrow(InvalidArgumentError);
  });
});
