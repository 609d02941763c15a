import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import {
  decodeTwoByteReal,
  encodeTwoByteReal,
  readScalingDataByIdentifier as codec,
  scalingHasExtension,
  ScalingType,
} from '../../../../src/uds/codec/0x24-read-scaling-data-by-identifier.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ReadScalingDataByIdentifier (0x24)', () => {
  requestTable(codec, [{ name: 'one DID', object: { did: 0xf190 }, bytes: '24 F1 90' }]);

  responseTable(codec, [
    {
      name: 'unsigned 2 bytes, formula 0 (y = 0.1 x - 40), unit',
      object: {
        did: 0x0105,
        records: [
          { scalingByte: 0x02, extension: new Uint8Array(0) },
          { scalingByte: 0x95, extension: hex('00 F0 01 1F FC') },
          { scalingByte: 0xa1, extension: hex('2E') },
        ],
      },
      bytes: `64       // SID + 0x40
              01 05    // DID
              02       // unSignedNumeric, 2 bytes
              95       // formula, 5-byte extension follows
              00       //   formulaIdentifier 0: y = C0 * x + C1
              F0 01    //   C0 = 1 * 10^-1
              1F FC    //   C1 = -4 * 10^1
              A1       // unit/format, 1-byte extension
              2E       //   unit code`,
    },
    {
      name: 'ASCII 17 bytes is ASCII 15 + ASCII 2 (one nibble holds 15 at most)',
      object: {
        did: 0xf190,
        records: [
          { scalingByte: 0x6f, extension: new Uint8Array(0) },
          { scalingByte: 0x62, extension: new Uint8Array(0) },
        ],
      },
      bytes: '64 F1 90 6F 62',
    },
    {
      name: 'bit mapped without mask carries its validity mask',
      object: { did: 0x0200, records: [{ scalingByte: 0x21, extension: hex('0F') }] },
      bytes: '64 02 00 21 0F',
    },
  ]);

  requestErrorTable(codec, [
    { name: 'half a DID', bytes: '24 F1', nrc: 0x13 },
    { name: 'two DIDs (one per request)', bytes: '24 F1 90 F1 91', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no scalingByte', bytes: '64 F1 90' },
    { name: 'formula extension cut short', bytes: '64 01 05 95 00 F0' },
    { name: 'negative response', bytes: '7F 24 31' },
  ]);

  it('refuses an extension whose length disagrees with the scalingByte', () => {
    expect(() => codec.encodeResponse({ did: 1, records: [{ scalingByte: 0x91, extension: new Uint8Array(0) }] })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ did: 1, records: [{ scalingByte: 0x01, extension: hex('00') }] })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ did: 1, records: [] })).toThrow(InvalidArgumentError);
  });

  it('knows which types carry a scalingByteExtension', () => {
    expect(scalingHasExtension(ScalingType.formula)).toBe(true);
    expect(scalingHasExtension(ScalingType.unitFormat)).toBe(true);
    expect(scalingHasExtension(ScalingType.bitMappedReportedWithOutMask)).toBe(true);
    expect(scalingHasExtension(ScalingType.unSignedNumeric)).toBe(false);
    expect(scalingHasExtension(ScalingType.bitMappedReportedWithMask)).toBe(false);
  });
});

describe('two-byte real numbers (formula constants)', () => {
  const rows: [number, number][] = [
    [0, 0x0000],
    [1, 0x0001],
    [0.1, 0xf001], // E = -1, M = 1
    [-40, 0x1ffc], // E = 1, M = -4
    [2047, 0x07ff],
    [-2048, 0x0800],
    [0.25, 0xe019], // E = -2, M = 25
    [3e7, 0x7003], // E = 7, M = 3
    [1.5e-7, 0x800f], // E = -8, M = 15
  ];
  for (const [value, raw] of rows) {
    it(`${value} <-> 0x${raw.toString(16).padStart(4, '0')}`, () => {
      expect(encodeTwoByteReal(value)).toBe(raw);
      expect(decodeTwoByteReal(raw)).toBeCloseTo(value, 12);
    });
  }

  it('refuses values it cannot write exactly', () => {
    expect(() => encodeTwoByteReal(1 / 3)).toThrow(InvalidArgumentError);
    expect(() => encodeTwoByteReal(123456789)).toThrow(InvalidArgumentError);
    expect(() => encodeTwoByteReal(1.5e-8)).toThrow(InvalidArgumentError);
    expect(() => encodeTwoByteReal(Number.NaN)).toThrow(InvalidArgumentError);
  });

  it('property: every 16-bit pattern decodes to a value that encodes back to the same value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (raw) => {
        const value = decodeTwoByteReal(raw);
        expect(Number.isFinite(value)).toBe(true);
        expect(decodeTwoByteReal(encodeTwoByteReal(value))).toBeCloseTo(value, 12);
      }),
      { numRuns: 2000 },
    );
  });
});
