import { describe, it, expect } from 'vitest';
import { FirmwareFormatError, type FirmwareWarning } from '../../../src/firmware/errors.js';
import { createImage } from '../../../src/firmware/image.js';
import { readSRecord, writeSRecord, SREC_CAT_DEFAULT_HEADER } from '../../../src/firmware/srecord.js';

const seg = (address: number, hex: string) => ({ address, data: Uint8Array.from(Buffer.from(hex, 'hex')) });

describe('S-record records both ways', () => {
  // Each record type: text <-> what it means. Checksums from srec_cat 1.64.
  const cases: [string, string, Record<string, unknown>][] = [
    ['S0 header "abc"', 'S0060000616263D3', { header: 'abc' }],
    ['S1 16-bit data AA x16 @1000', 'S1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3C', { seg: [0x1000, 'aa'.repeat(16)] }],
    ['S2 24-bit data 01 @10000', 'S20501000001F8', { seg: [0x10000, '01'] }],
    ['S3 32-bit data AA x16 @1000', 'S31500001000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3A', { seg: [0x1000, 'aa'.repeat(16)] }],
    ['S5 count 1', 'S5030001FB', {}],
    ['S6 count 0x10001', 'S604010001F9', {}],
    ['S7 start 0x00012345', 'S7050001234591', { start: 0x12345 }],
    ['S8 start 0x123456', 'S8041234565F', { start: 0x123456 }],
    ['S9 start 0x1234', 'S9031234B6', { start: 0x1234 }],
  ];
  for (const [name, line, want] of cases) {
    it(`reads ${name}`, () => {
      // Prefix data records so S5/S6 counts hold.
      const text = `${line}\n`;
      if (line.startsWith('S5') || line.startsWith('S6')) {
        const n = line.startsWith('S5') ? 1 : 0x10001;
        const lines = Array.from({ length: n }, (_, k) => writeSRecord(createImage([seg(k, '01')]), { header: false, countRecord: false, addressBytes: 3 }));
        const img = readSRecord(lines.join('') + text, { onWarning: () => undefined });
        expect(img.segments.length).toBe(1);
        return;
      }
      const img = readSRecord(text, { onWarning: () => undefined });
      if (want.header) expect(Buffer.from(img.header ?? []).toString('latin1')).toBe(want.header);
      if (want.seg) {
        const [a, h] = want.seg as [number, string];
        expect(img.segments.map((s) => [s.address, Buffer.from(s.data).toString('hex')])).toEqual([[a, h]]);
      }
      if (want.start !== undefined) expect(img.startAddress).toBe(want.start);
    });
  }

  it('writes what srec_cat writes (default header, S1, S5, S9)', () => {
    const img = { ...createImage([seg(0x1000, 'aa'.repeat(16))]), startAddress: 0x1234 };
    expect(writeSRecord(img, { header: SREC_CAT_DEFAULT_HEADER })).toBe(
      'S0220000687474703A2F2F737265636F72642E736F75726365666F7267652E6E65742F1D\n' +
        'S1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3C\n' +
        'S5030001FB\n' +
        'S9031234B6\n',
    );
  });

  it('widens the end record for the start address (S1 data, S8 end) like srec_cat', () => {
    const img = { ...createImage([seg(0x1000, 'aa'.repeat(16))]), startAddress: 0x123456 };
    expect(writeSRecord(img, { header: 'abc' })).toBe('S0060000616263D3\nS1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3C\nS5030001FB\nS8041234565F\n');
  });

  it('forces S3 and S7, splits records at bytesPerRecord, CRLF on request', () => {
    const img = { ...createImage([seg(0x1000, 'aa'.repeat(16))]), startAddress: 0x12345 };
    expect(writeSRecord(img, { addressBytes: 4, header: false, countRecord: false, bytesPerRecord: 8, lineEnding: '\r\n' })).toBe(
      'S30D00001000AAAAAAAAAAAAAAAA92\r\nS30D00001008AAAAAAAAAAAAAAAA8A\r\nS7050001234591\r\n',
    );
  });

  it('writes S6 above 65535 records and an empty S0 by default', () => {
    const text = writeSRecord(createImage([seg(0, '01'.repeat(0x10001))]), { bytesPerRecord: 1 });
    expect(text.startsWith('S0030000FC\n')).toBe(true);
    expect(text.endsWith('S20501000001F8\nS604010001F9\n')).toBe(true);
  });

  it('treats addressBytes as a minimum and sizes the end record by the start address (srec_cat)', () => {
    const img = { ...createImage([seg(0x10000, '01')]), startAddress: 0x80 };
    expect(writeSRecord(img, { addressBytes: 2, header: false })).toBe('S20501000001F8\nS5030001FB\nS90300807C\n');
    // srec_cat -generate 0x100 0x101 -constant 1 -execution-start-address 0x80 -o - -address-length=3 -header ''
    const low = { ...createImage([seg(0x100, '01')]), startAddress: 0x80 };
    expect(writeSRecord(low, { addressBytes: 3 })).toBe('S0030000FC\nS20500010001F8\nS5030001FB\nS8040000807B\n');
  });

  it('rejects options it cannot honour', () => {
    const img = createImage([seg(0x10000, '01')]);
    expect(() => writeSRecord(img, { bytesPerRecord: 252 })).toThrow(/bytesPerRecord must be 1..251/);
  });
});

describe('S-record errors name file, line and column', () => {
  const table: [string, string, string][] = [
    ['bad checksum', 'S1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3D\n', 'f.s19:1:41: bad checksum: expected 3C, found 3D'],
    ['bad character', 'S0030000FC\nS1131000AAAAAAAAAAAAAAGAAAAAAAAAAAAAAAAA3C\n', "f.s19:2:23: bad character: expected a hex digit 0-9 A-F, found 'G'"],
    ['odd hex digit', 'S1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3\n', 'f.s19:1:41: odd number of hex digits: expected whole bytes (an even number of digits), found 39 digits'],
    ['short record', 'S1131000AAAAAA3C\n', 'f.s19:1:3: short record: expected 19 bytes after the count (38 hex digits), found 6 bytes'],
    ['long record', 'S1031000AAEC\n', 'f.s19:1:3: record longer than its byte count: expected 3 bytes after the count (6 hex digits), found 4 bytes'],
    ['count too small for the address', 'S10201FC\n', 'f.s19:1:3: short record: expected a byte count of at least 3 for S1, found 2'],
    ['not a record', '\n\n:00000001FF\n', "f.s19:3:1: bad character: expected 'S' starting a record, found ':'"],
    ['S4', 'S4030000FC\n', "f.s19:1:2: bad record type: expected S0-S3 or S5-S9, found '4'"],
    ['S5 count', 'S1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3C\nS5030002FA\n', 'f.s19:2:5: S5 record count mismatch: expected 1 data records so far, found 2'],
    ['overlap', 'S1051000AAAA96\nS1041001CC1E\nS9030000FC\n', 'overlapping data at 0x00001001: f.s19:2:9 writes over data from f.s19:1:9'],
  ];
  for (const [name, text, message] of table) {
    it(name, () => {
      expect(() => readSRecord(text, { file: 'f.s19', onWarning: () => undefined })).toThrow(message);
    });
  }

  it('a missing end record is a warning (as srec_cat), an error in strict mode', () => {
    const warnings: FirmwareWarning[] = [];
    const text = 'S1131000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3C\nS5030001FB\n';
    readSRecord(text, { file: 'f.s19', onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([{ place: { file: 'f.s19', line: 3 }, message: 'no end record (S7/S8/S9): expected an S7, S8 or S9 end record' }]);
    expect(() => readSRecord(text, { file: 'f.s19', strict: true })).toThrow(FirmwareFormatError);
  });

  it('accepts lower-case hex and CRLF', () => {
    const img = readSRecord('S1131000aaAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA3c\r\nS9030000FC\r\n');
    expect(img.segments[0]?.data.length).toBe(16);
  });
});
