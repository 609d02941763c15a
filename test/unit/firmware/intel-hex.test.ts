import { describe, it, expect } from 'vitest';
import type { FirmwareWarning } from '../../../src/firmware/errors.js';
import { createImage } from '../../../src/firmware/image.js';
import { readIntelHex, writeIntelHex } from '../../../src/firmware/intel-hex.js';

const seg = (address: number, hex: string) => ({ address, data: Uint8Array.from(Buffer.from(hex, 'hex')) });
/** Appends the Intel HEX checksum to `:` + hex body (for hand-built records). */
const ck = (rec: string): string => {
  const bytes = Buffer.from(rec.slice(1), 'hex');
  const sum = bytes.reduce((a, v) => a + v, 0);
  return rec + ((-sum & 0xff).toString(16).toUpperCase().padStart(2, '0'));
};
const flat = (text: string) => readIntelHex(text).segments.map((s) => [s.address, Buffer.from(s.data).toString('hex')]);

describe('Intel HEX records both ways', () => {
  it('00 data, 01 EOF', () => {
    expect(flat(':10100000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA40\n:00000001FF\n')).toEqual([[0x1000, 'aa'.repeat(16)]]);
  });
  it('02 extended segment address: base = value x 16, wraps inside the segment', () => {
    // 02 1000 -> base 0x10000; data at offset FFFF runs on to offset 0000 of the same segment.
    expect(flat(`${ck(':0200000210 00')}\n${ck(':02FFFF001122')}\n:00000001FF\n`.replace(' ', ''))).toEqual([
      [0x10000, '22'],
      [0x1ffff, '11'],
    ]);
  });
  it('03 start segment address CS:IP', () => {
    expect(readIntelHex(':0400000312345678E5\n:00000001FF\n').startSegment).toEqual({ cs: 0x1234, ip: 0x5678 });
  });
  it('04 extended linear address: a record may cross 64 KiB (as srec_cat writes)', () => {
    expect(flat(`:020000040001F9\n${ck(':04FFFE0011223344')}\n:00000001FF\n`)).toEqual([[0x1fffe, '11223344']]);
  });
  it('05 start linear address', () => {
    expect(readIntelHex(':0400000500001234B1\n:00000001FF\n').startAddress).toBe(0x1234);
  });
  it("the end-of-file record's address field is the start of an I8HEX file without start records (srec_cat)", () => {
    // srec_cat -generate 0x10 0x14 -repeat-data 0xEE -execution-start-address 0x1234 -o - -intel -address-length=2
    expect(readIntelHex(':04001000EEEEEEEE34\n:00123401B9\n').startAddress).toBe(0x1234);
    // srec_info: "end-of-file record's address field should be zero" when a start record exists; the record wins.
    expect(readIntelHex(':0400000500000010E7\n:00123401B9\n').startAddress).toBe(0x10);
    expect(readIntelHex(':0400000312345678E5\n:00123401B9\n')).toMatchObject({ startSegment: { cs: 0x1234, ip: 0x5678 } });
    expect(readIntelHex(':0400000312345678E5\n:00123401B9\n').startAddress).toBeUndefined();
  });

  it('writes what srec_cat -intel writes', () => {
    // srec_cat -generate 0x10000 0x10010 -constant 0xAA -execution-start-address 0x1234 -o - -intel
    const img = { ...createImage([seg(0x10000, 'aa'.repeat(16))]), startAddress: 0x1234 };
    expect(writeIntelHex(img)).toBe(':020000040001F9\n:10000000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA50\n:0400000500001234B1\n:00000001FF\n');
  });

  it('emits 04 at the first record and when the upper 16 bits of a record start change', () => {
    const data = Array.from({ length: 0x30 }, (_, i) => (i + 1).toString(16).padStart(2, '0')).join('');
    const text = writeIntelHex(createImage([seg(0xfff0, data)]));
    expect(text.split('\n').map((l) => l.slice(0, 9))).toEqual([':02000004', ':20FFF000', ':02000004', ':10001000', ':00000001', '']);
    expect(flat(text)).toEqual([[0xfff0, data]]);
  });

  it('segment addressing splits at 64 KiB and writes 02 records; none refuses > 0xFFFF', () => {
    const img = createImage([seg(0xfffe, '11223344')]);
    expect(writeIntelHex(img, { addressing: 'segment' })).toBe(':020000020000FC\n:02FFFE001122CE\n:020000021000EC\n:02000000334487\n:00000001FF\n');
    expect(() => writeIntelHex(img, { addressing: 'none' })).toThrow(/addressing 'none' reaches 0xFFFF but data ends at 0x10001/);
    expect(writeIntelHex(createImage([seg(0, '11')]), { addressing: 'none', bytesPerRecord: 1 })).toBe(':0100000011EE\n:00000001FF\n');
  });

  it('writes 03 and CRLF', () => {
    const img = { ...createImage([]), startSegment: { cs: 0x1234, ip: 0x5678 } };
    expect(writeIntelHex(img, { lineEnding: '\r\n' })).toBe(':0400000312345678E5\r\n:00000001FF\r\n');
  });
});

describe('Intel HEX errors name file, line and column', () => {
  const table: [string, string, string][] = [
    ['bad checksum', ':10100000AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA41\n', 'f.hex:1:42: bad checksum: expected 40, found 41'],
    ['bad character', ':1010000 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA40\n', "f.hex:1:9: bad character: expected a hex digit 0-9 A-F, found U+0020"],
    ['odd hex digit', ':00000001F\n', 'f.hex:1:10: odd number of hex digits: expected whole bytes (an even number of digits), found 9 digits'],
    ['short record', ':10100000AAAA40\n', 'f.hex:1:2: short record: expected 16 data bytes (42 hex digits after \':\'), found 2 data bytes'],
    ['too short for a header', ':0000\n', 'f.hex:1:1: short record: expected at least 5 bytes (count, address, type, checksum), found 2'],
    ['unknown type', ':00000006FA\n', 'f.hex:1:8: bad record type: expected 00-05, found 06'],
    ['wrong length of 04', ':0100000400FB\n', 'f.hex:1:2: record type 04 has a wrong length: expected 2 data bytes, found 1'],
    ['not a record', 'S9030000FC\n', "f.hex:1:1: bad character: expected ':' starting a record, found 'S'"],
    ['beyond 32 bits', `:02000004FFFFFC\n${ck(':02FFFF001122')}\n`, 'f.hex:2:10: data beyond the 32-bit address space'],
    ['overlap', `${ck(':021000001122')}\n${ck(':01100100CC')}\n:00000001FF\n`, 'overlapping data at 0x00001001: f.hex:2:10 writes over data from f.hex:1:10'],
  ];
  for (const [name, text, message] of table) {
    it(name, () => {
      expect(() => readIntelHex(text, { file: 'f.hex' })).toThrow(message);
    });
  }

  it('a missing EOF is a warning (as srec_cat), an error in strict mode; records after EOF are ignored', () => {
    const warnings: FirmwareWarning[] = [];
    readIntelHex(':0100000011EE\n', { file: 'f.hex', onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.message)).toEqual(['no end-of-file record: expected an :00000001FF record']);
    expect(() => readIntelHex(':0100000011EE\n', { file: 'f.hex', strict: true })).toThrow('f.hex:2: no end-of-file record');
    expect(readIntelHex(':00000001FF\nrubbish\n').segments).toEqual([]);
  });
});
