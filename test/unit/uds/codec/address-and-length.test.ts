import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../../src/core/bytes.js';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { toHex } from '../../../../src/core/hex.js';
import {
  addressAndLengthFormat,
  decodeAddressAndLength,
  encodeAddressAndLength,
} from '../../../../src/uds/codec/address-and-length.js';
import { RequestFormatError } from '../../../../src/uds/codec/service-codec.js';
import { hex } from './table.js';

const rows = [
  {
    name: '4/4 (default)',
    value: { memoryAddress: 0x00010000, memorySize: 0x8000, addressLength: 4, sizeLength: 4 },
    bytes: `44          // ALFID: 4-byte size, 4-byte address
            00 01 00 00 // memoryAddress
            00 00 80 00 // memorySize`,
  },
  {
    name: '2-byte address, 1-byte size',
    value: { memoryAddress: 0x1234, memorySize: 0x10, addressLength: 2, sizeLength: 1 },
    bytes: `12    // ALFID: 1-byte size, 2-byte address
            12 34 // memoryAddress
            10    // memorySize`,
  },
  {
    name: '3-byte address, 3-byte size',
    value: { memoryAddress: 0xabcdef, memorySize: 0x010000, addressLength: 3, sizeLength: 3 },
    bytes: '33 AB CD EF 01 00 00',
  },
];

describe('address-and-length (ALFID)', () => {
  for (const row of rows) {
    it(`encodes and decodes ${row.name}`, () => {
      const v = row.value;
      expect(toHex(encodeAddressAndLength(v.memoryAddress, v.memorySize, v.addressLength, v.sizeLength))).toBe(toHex(hex(row.bytes)));
      const r = new ByteReader(hex(row.bytes));
      expect(decodeAddressAndLength(r)).toEqual(v);
      expect(r.remaining).toBe(0);
    });
  }

  it('defaults to 4-byte address and size', () => {
    expect(encodeAddressAndLength(1, 2)).toEqual(hex('44 00 00 00 01 00 00 00 02'));
  });

  it('builds the ALFID byte', () => {
    expect(addressAndLengthFormat(4, 2)).toBe(0x24);
    expect(() => addressAndLengthFormat(0, 2)).toThrow(InvalidArgumentError);
    expect(() => addressAndLengthFormat(4, 5)).toThrow(InvalidArgumentError);
  });

  it('refuses values that do not fit their length', () => {
    expect(() => encodeAddressAndLength(0x100, 1, 1, 1)).toThrow(InvalidArgumentError);
    expect(() => encodeAddressAndLength(0, 0x10000, 4, 2)).toThrow(InvalidArgumentError);
  });

  for (const [name, bytes] of [
    ['nibbles 0', '00'],
    ['address nibble 0', '40 00 00 00 01'],
    ['size nibble 0', '04 00 00 00 01'],
    ['address nibble 5', '15 00 00 00 00 00 01'],
    ['size nibble F', 'F1 00'],
    ['missing ALFID', ''],
    ['address cut short', '44 00 01'],
    ['size cut short', '44 00 01 00 00 00 00'],
  ] as const) {
    it(`rejects ${name} with RequestFormatError 0x13`, () => {
      let caught: unknown;
      try {
        decodeAddressAndLength(new ByteReader(hex(bytes)), 'RequestDownload request');
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RequestFormatError);
      expect((caught as RequestFormatError).nrc).toBe(0x13);
      expect((caught as RequestFormatError).message).toContain('RequestDownload request');
    });
  }
});
