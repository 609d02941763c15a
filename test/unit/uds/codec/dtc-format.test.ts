import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { dtcHex, dtcStatusBits, DTC_STATUS, formatDtc, parseDtc } from '../../../../src/uds/codec/dtc-format.js';

describe('DTC text (SAE J2012)', () => {
  // [3-byte DTC, text]: the two high bits select P/C/B/U, the next two the first digit.
  const table: [number, string][] = [
    [0x000000, 'P0000-00'],
    [0x123456, 'P1234-56'],
    [0x056216, 'P0562-16'],
    [0x56789a, 'C1678-9A'],
    [0xa5b6c7, 'B25B6-C7'],
    [0xc10001, 'U0100-01'],
    [0xd00001, 'U1000-01'],
    [0xffffff, 'U3FFF-FF'],
  ];
  for (const [dtc, text] of table) {
    it(`${dtc.toString(16).padStart(6, '0')} <-> ${text}`, () => {
      expect(formatDtc(dtc)).toBe(text);
      expect(parseDtc(text)).toBe(dtc);
    });
  }

  it('parses without the dash, in lower case, and without the failure type byte', () => {
    expect(parseDtc('p056216')).toBe(0x056216);
    expect(parseDtc(' U1000 ')).toBe(0xd00000);
  });

  it('refuses malformed text and out-of-range values', () => {
    for (const bad of ['X0562-16', 'P4562-16', 'P056-16', 'P0562-1', '', 'P0562--16']) {
      expect(() => parseDtc(bad), bad).toThrow(InvalidArgumentError);
    }
    expect(() => formatDtc(0x1000000)).toThrow(InvalidArgumentError);
    expect(() => formatDtc(1.5)).toThrow(InvalidArgumentError);
  });

  it('parse(format(x)) = x for every 3-byte value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffff }), (dtc) => {
        expect(parseDtc(formatDtc(dtc))).toBe(dtc);
      }),
    );
  });

  it('dtcHex and the status bit names', () => {
    expect(dtcHex(0x056216)).toBe('05 62 16');
    expect(dtcStatusBits(0x09)).toEqual(['testFailed', 'confirmedDTC']);
    expect(dtcStatusBits(0x50)).toEqual(['testNotCompletedSinceLastClear', 'testNotCompletedThisOperationCycle']);
    expect(Object.values(DTC_STATUS).reduce((a, b) => a | b, 0)).toBe(0xff);
  });
});
