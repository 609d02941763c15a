import { describe, expect, it } from 'vitest';
import { crc16CcittFalse, crc32 } from '../../../src/core/crc.js';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('checksums', () => {
  it('CRC-32 check value of "123456789" is CBF43926', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  });
  it('CRC-32 continues over chunks', () => {
    expect(crc32(ascii('56789'), crc32(ascii('1234')))).toBe(0xcbf43926);
  });
  it('CRC-16/CCITT-FALSE check value of "123456789" is 29B1', () => {
    expect(crc16CcittFalse(ascii('123456789'))).toBe(0x29b1);
  });
});
