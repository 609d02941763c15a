import { describe, expect, it } from 'vitest';
import { asciiOf, didHex, didName, interpretDid, readableDid } from '../../../src/cli/did-names.js';
import { hexDumpLines } from '../../../src/cli/hexdump.js';

describe('DID names and readable forms', () => {
  it('names the identification DIDs of the profiles and of ISO 14229-1 Annex C.1', () => {
    expect(didName(0xf190)).toBe('vin');
    expect(didName(0xf186)).toBe('activeDiagnosticSession');
    expect(didName(0xf15a)).toBe('fingerprint');
    expect(didName(0xf1aa)).toBe('version');
    expect(didName(0xf18a)).toBe('systemSupplierId');
    expect(didName(0x1234)).toBeUndefined();
    expect(didHex(0x12)).toBe('0012');
  });

  it('ASCII only when every byte is printable; trailing NULs and spaces are dropped', () => {
    expect(asciiOf(Uint8Array.from('APP-1.0', (c) => c.charCodeAt(0)))).toBe('APP-1.0');
    expect(asciiOf(Uint8Array.of(0x41, 0x42, 0x00, 0x20, 0x00))).toBe('AB');
    expect(asciiOf(Uint8Array.of(0x41, 0x01, 0x42))).toBeUndefined();
    expect(asciiOf(Uint8Array.of(0x00, 0x00))).toBeUndefined();
    expect(asciiOf(new Uint8Array(0))).toBeUndefined();
  });

  it('readableDid gives the --json shape {did, name?, hex, ascii?}', () => {
    expect(readableDid(0xf187, Uint8Array.of(0x55, 0x44))).toEqual({ did: 0xf187, name: 'sparePartNumber', hex: '55 44', ascii: 'UD' });
    expect(readableDid(0x0101, Uint8Array.of(0x00, 0x5f))).toEqual({ did: 0x0101, hex: '00 5F' });
  });

  it('interprets F186 (session) and F199 (BCD date, YYMMDD or YYYYMMDD)', () => {
    expect(interpretDid(0xf186, Uint8Array.of(0x03))).toBe('extended session');
    expect(interpretDid(0xf186, Uint8Array.of(0x60))).toBeUndefined();
    expect(interpretDid(0xf199, Uint8Array.of(0x20, 0x24, 0x05, 0x31))).toBe('2024-05-31');
    expect(interpretDid(0xf199, Uint8Array.of(0x24, 0x05, 0x31))).toBe('2024-05-31');
    expect(interpretDid(0xf199, Uint8Array.of(0x2a, 0x05, 0x31))).toBeUndefined();
    expect(interpretDid(0xf190, Uint8Array.of(0x41))).toBeUndefined();
  });
});

describe('hexDumpLines', () => {
  it('16 bytes a line with the address and the printable ASCII', () => {
    const data = Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i);
    data[1] = 0x00;
    expect(hexDumpLines(data, 0x08000000)).toEqual([
      '08000000  41 00 43 44 45 46 47 48  49 4A 4B 4C 4D 4E 4F 50  |A.CDEFGHIJKLMNOP|',
      '08000010  51 52 53 54                                       |QRST|',
    ]);
    expect(hexDumpLines(new Uint8Array(0))).toEqual([]);
    expect(hexDumpLines(Uint8Array.of(0xff), 0x1_0000_0000)[0]).toBe('100000000  FF                                                |.|');
  });
});
