import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { describe, expect, it } from 'vitest';
import { dtcLine, knownDidLength, obdDidName, parseDtcArgument, parseLengths, readableDtc, snapshotDidLengths } from '../../../src/cli/dtc-format.js';

describe('CLI DTC forms', () => {
  it('parses SAE J2012 text and 6-digit hex', () => {
    expect(parseDtcArgument('P0562-16')).toBe(0x056216);
    expect(parseDtcArgument('p0562')).toBe(0x056200);
    expect(parseDtcArgument('U0100-87')).toBe(0xc10087);
    expect(parseDtcArgument('056216')).toBe(0x056216);
    expect(parseDtcArgument('0x56216')).toBe(0x056216);
    // Six hex digits are hex even when they start with a system letter that is also a hex digit.
    expect(parseDtcArgument('C10001')).toBe(0xc10001);
    expect(() => parseDtcArgument('X123')).toThrow(CommanderInvalidArgument);
    expect(() => parseDtcArgument('1234')).toThrow(/6 hex digits such as 056216/);
  });

  it('names the status bits and prints one line per DTC', () => {
    const d = readableDtc(0x056216, 0x09);
    expect(d).toEqual({ dtc: 0x056216, code: 'P0562-16', status: 0x09, statusBits: ['testFailed', 'confirmedDTC'] });
    expect(dtcLine(d)).toBe('P0562-16  status 0x09  testFailed, confirmedDTC');
    expect(dtcLine(readableDtc(0xc10087, 0))).toBe('U0100-87  status 0x00  (no bit set)');
    expect(readableDtc(0x000001, 0xff).statusBits).toHaveLength(8);
  });

  it('knows the OBD DIDs (ISO 15031-5 PIDs as F4xx) and takes --lengths', () => {
    expect(knownDidLength(0xf442)).toBe(2);
    expect(knownDidLength(0xf40d)).toBe(1);
    expect(knownDidLength(0xf4ee)).toBeUndefined();
    expect(knownDidLength(0x0142)).toBeUndefined();
    expect(obdDidName(0xf40c)).toBe('engineSpeed');
    expect(parseLengths('F442=3, 0x0101=4')).toEqual(new Map([[0xf442, 3], [0x0101, 4]]));
    expect(() => parseLengths('F442:3')).toThrow(/ID=BYTES pairs/);
    expect(() => parseLengths('F442=0')).toThrow(CommanderInvalidArgument);
    const lengths = snapshotDidLengths(parseLengths('F442=3,0101=4'));
    expect(lengths.get(0xf442)).toBe(3);
    expect(lengths.get(0x0101)).toBe(4);
    expect(lengths.get(0xf40d)).toBe(1);
  });
});
