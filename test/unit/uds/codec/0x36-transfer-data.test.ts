import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import {
  encodeTransferDataRequestInto,
  nextBlockSequenceCounter,
  transferData as codec,
  transferDataResponseWithRoom,
} from '../../../../src/uds/codec/0x36-transfer-data.js';
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

  it('encodeTransferDataRequestInto writes the request into a given buffer (reused block after block)', () => {
    const buf = new Uint8Array(2 + 4);
    const first = encodeTransferDataRequestInto(buf, 0x01, hex('DE AD BE EF'));
    expect(first).toBe(buf);
    expect(first).toEqual(codec.encodeRequest({ blockSequenceCounter: 0x01, data: hex('DE AD BE EF') }));
    const last = encodeTransferDataRequestInto(buf, 0x02, hex('01 02'));
    expect(last).toEqual(hex('36 02 01 02'));
    expect(last.buffer).toBe(buf.buffer);
    expect(() => encodeTransferDataRequestInto(buf, 0x03, hex('01 02 03 04 05'))).toThrow(InvalidArgumentError);
    expect(() => encodeTransferDataRequestInto(buf, 0x100, hex('01'))).toThrow(InvalidArgumentError);
  });

  it('transferDataResponseWithRoom: 76 counter and room for the data, which decodes back', () => {
    const res = transferDataResponseWithRoom(0x05, 3);
    res.set(hex('0A 0B 0C'), 2);
    expect(codec.decodeResponse(res)).toEqual({ blockSequenceCounter: 0x05, data: hex('0A 0B 0C') });
    expect(transferDataResponseWithRoom(0x00, 0)).toEqual(hex('76 00'));
    expect(() => transferDataResponseWithRoom(-1, 0)).toThrow(InvalidArgumentError);
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
