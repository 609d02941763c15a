import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { readDataByIdentifier as codec } from '../../../../src/uds/codec/0x22-read-data-by-identifier.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

const VIN = new TextEncoder().encode('WVWZZZ1JZXW000001');

describe('ReadDataByIdentifier (0x22)', () => {
  requestTable(codec, [
    {
      name: 'one DID',
      object: { dids: [0xf190] },
      bytes: `22    // SID
              F1 90 // VIN`,
    },
    {
      name: 'three DIDs',
      object: { dids: [0xf190, 0xf186, 0x0001] },
      bytes: `22    // SID
              F1 90 // VIN
              F1 86 // active session
              00 01`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'VIN',
      object: { records: [{ did: 0xf190, data: VIN }] },
      bytes: `62    // SID + 0x40
              F1 90 // VIN
              57 56 57 5A 5A 5A 31 4A 5A 58 57 30 30 30 30 30 31 // "WVWZZZ1JZXW000001"`,
    },
    {
      name: 'DID with empty data',
      object: { records: [{ did: 0x0102, data: new Uint8Array(0) }] },
      bytes: '62 01 02',
    },
  ]);

  describe('several DIDs in one response', () => {
    const bytes = `62    // SID + 0x40
                   F1 86 // active session
                   03    // extended
                   F1 90 // VIN
                   01 02 03`;
    const records = [
      { did: 0xf186, data: hex('03') },
      { did: 0xf190, data: hex('01 02 03') },
    ];

    responseTable(codec, [{ name: 'split by didLength', object: { records }, bytes }], {
      didLength: (did) => (did === 0xf186 ? 1 : undefined),
    });
    responseTable(codec, [{ name: 'split at the next requested DID', object: { records }, bytes }], { dids: [0xf186, 0xf190] });
    responseTable(codec, [{ name: 'unsupported DID left out by the server', object: { records }, bytes }], {
      dids: [0xf186, 0x1234, 0xf190],
    });

    it('without context reads one DID whose data is the rest', () => {
      expect(codec.decodeResponse(hex(bytes))).toEqual({ records: [{ did: 0xf186, data: hex('03 F1 90 01 02 03') }] });
    });

    it('rejects a DID that was not requested or comes out of order', () => {
      const reversed = hex('62 F1 90 01 F1 86 03'); // VIN (1 byte here), then active session
      expect(() => codec.decodeResponse(reversed, { dids: [0xf186, 0xf190], didLength: () => 1 })).toThrow(DecodeError);
      expect(codec.decodeResponse(reversed, { dids: [0xf190, 0xf186], didLength: () => 1 }).records).toHaveLength(2);
      expect(() => codec.decodeResponse(hex(bytes), { dids: [0x1111] })).toThrow(DecodeError);
    });

    it('rejects a didLength longer than the data left', () => {
      expect(() => codec.decodeResponse(hex(bytes), { didLength: () => 9 })).toThrow(DecodeError);
    });
  });

  it('refuses empty lists on encode', () => {
    expect(() => codec.encodeRequest({ dids: [] })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ records: [] })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ dids: [0x10000] })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no DID', bytes: '22', nrc: 0x13 },
    { name: 'half a DID', bytes: '22 F1', nrc: 0x13 },
    { name: 'odd DID bytes', bytes: '22 F1 90 F1', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no DID', bytes: '62' },
    { name: 'half a DID', bytes: '62 F1' },
    { name: 'request SID', bytes: '22 F1 90' },
    { name: 'negative response', bytes: '7F 22 31' },
  ]);
});
