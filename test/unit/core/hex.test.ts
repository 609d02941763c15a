import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { fromHex, hexByte, hexNum, parseIntAuto, toHex } from '../../../src/core/hex.js';

describe('hex', () => {
  it.each([
    ['22 F1 90', [0x22, 0xf1, 0x90]],
    ['22f190', [0x22, 0xf1, 0x90]],
    ['0x22,0xF1,0x90', [0x22, 0xf1, 0x90]],
    ['22:f1:90', [0x22, 0xf1, 0x90]],
    ['3E 80', [0x3e, 0x80]],
    ['  ', []],
    ['F', [0x0f]],
  ])('fromHex(%j)', (text, bytes) => {
    expect(Array.from(fromHex(text))).toEqual(bytes);
  });

  it('rejects what is not hex, saying how to write it', () => {
    expect(() => fromHex('22 G1')).toThrow(InvalidArgumentError);
    expect(() => fromHex('22 G1')).toThrow(/write bytes like "22 F1 90"/);
    expect(() => fromHex('F19')).toThrow(/odd number of hex digits/);
  });

  it('formats', () => {
    expect(toHex(Uint8Array.of(0x7f, 0x22, 0x31))).toBe('7F 22 31');
    expect(toHex([1, 2], '')).toBe('0102');
    expect(hexNum(0x1010)).toBe('0x1010');
    expect(hexNum(0xe, 2)).toBe('0x0E');
    expect(hexByte(0x7)).toBe('07');
  });

  it.each([
    ['4096', 4096],
    ['0x1000', 4096],
    ['64K', 65536],
    ['1M', 1048576],
    ['16MiB', 16777216],
  ])('parseIntAuto(%j)', (t, v) => expect(parseIntAuto(t)).toBe(v));

  it('parseIntAuto names the option on error', () => {
    expect(() => parseIntAuto('lots', '--size')).toThrow(/--size must be a number like 4096, 0x1000 or 64K/);
  });
});
