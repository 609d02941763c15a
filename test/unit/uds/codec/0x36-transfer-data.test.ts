import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { nextBlockSequenceCounter, transferData as codec } from '../../../../src/uds/codec/0x36-transfer-data.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('TransferData (0x36)', () => {
  requestTable(codec, [
    {
      name: 'first download block',
      object: { blockSequenceCounter: 0x01, data: hex('DE AD BE EF') },
      bytes: `36          // SID
              01          // blockSequenceCounter
              DE AD BE EF // data`,
    },
    {
      name: 'upload request without data',
      object: { blockSequenceCounter: 0x00, data: new Uint8Array(0) },
      bytes: `36 // SID
              00 // blockSequenceCounter after the wrap`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'download echo',
      object: { blockSequenceCounter: 0xff, data: new Uint8Array(0) },
      bytes: `76 // SID + 0x40
              FF // blockSequenceCounter`,
    },
    {
      name: 'upload block',
      object: { blockSequenceCounter: 0x02, data: hex('01 02 03') },
      bytes: `76       // SID + 0x40
              02       // blockSequenceCounter
              01 02 03 // data`,
    },
  ]);

  it('nextBlockSequenceCounter wraps FF -> 00', () => {
    expect(nextBlockSequenceCounter(0x01)).toBe(0x02);
    expect(nextBlockSequenceCounter(0xff)).toBe(0x00);
  });

  it('refuses a counter above 0xFF on encode', () => {
    expect(() => codec.encodeRequest({ blockSequenceCounter: 0x100, data: new Uint8Array(0) })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no counter', bytes: '36', nrc: 0x13 },
    { name: 'wrong SID', bytes: '37 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no counter', bytes: '76' },
    { name: 'negative response', bytes: '7F 36 73' },
  ]);
});
