/** Placeholders in byte values: text and hex forms, dates as BCD, variables, padding, and the problems reported. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/hex.js';
import { expandBytes, fitLength, templateProblems, type PlaceholderContext } from '../../../src/flash/placeholders.js';

const ctx: PlaceholderContext = { date: new Date(2024, 4, 1, 13, 45, 7), testerAddress: 0x0e00, ecuAddress: 0x1010, variables: { testerSerial: 'TS-42', shop: 'AB' } };

describe('placeholders', () => {
  it.each([
    [{ mode: 'text', text: 'UDSKIT {date}' }, '55 44 53 4B 49 54 20 32 30 32 34 30 35 30 31'], // "UDSKIT 20240501"
    [{ mode: 'hex', hex: '{date}' }, '20 24 05 01'], // F199 BCD YYYYMMDD
    [{ mode: 'hex', hex: '{date:yymmdd} {time}' }, '24 05 01 13 45 07'],
    [{ mode: 'hex', hex: '01 {testerAddress} {ecuAddress}' }, '01 0E 00 10 10'],
    [{ mode: 'hex', hex: '{testerSerial}' }, '54 53 2D 34 32'], // variables as ASCII bytes
    [{ mode: 'text', text: '{shop}-{testerAddress}' }, '41 42 2D 30 45 30 30'],
  ] as const)('%j -> %s', (t, hex) => {
    expect(toHex(expandBytes(t, ctx))).toBe(hex);
  });

  it('pads or cuts to a length', () => {
    expect(toHex(fitLength(Uint8Array.of(1, 2), 4, 0xff))).toBe('01 02 FF FF');
    expect(toHex(fitLength(Uint8Array.of(1, 2, 3), 2))).toBe('01 02');
    expect(toHex(fitLength(Uint8Array.of(1), undefined))).toBe('01');
  });

  it('reports unknown placeholders, formats, non-ASCII text and odd hex', () => {
    expect(templateProblems({ mode: 'text', text: '{serial}' }, ['testerSerial'])).toEqual([
      '{serial} is not a placeholder (date, time, testerAddress, ecuAddress) nor a variable of the job (testerSerial)',
    ]);
    expect(templateProblems({ mode: 'hex', hex: '{date:ddmmyy}' }, [])).toEqual(['{date:ddmmyy}: format must be one of yyyymmdd, yymmdd']);
    expect(templateProblems({ mode: 'text', text: 'é' }, [])[0]).toMatch(/not printable ASCII/);
    expect(templateProblems({ mode: 'hex', hex: '{date} 0' }, [])[0]).toMatch(/not whole hex bytes/);
    expect(templateProblems({ mode: 'hex', hex: '{date} 01 {testerSerial}' }, ['testerSerial'])).toEqual([]);
    expect(() => expandBytes({ mode: 'text', text: '{missing}' }, ctx)).toThrow(ConfigError);
  });

  it('text without placeholders is its ASCII bytes (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ -z|~]*$/), (s) => {
        expect(Buffer.from(expandBytes({ mode: 'text', text: s }, ctx)).toString('latin1')).toBe(s);
      }),
    );
  });
});
