import { describe, it, expect } from 'vitest';
import { FirmwareFormatError, ImageOverlapError, type FirmwareWarning, type ReadOptions } from '../../../src/firmware/errors.js';
import type { FirmwareImage } from '../../../src/firmware/image.js';
import { readIntelHex } from '../../../src/firmware/intel-hex.js';
import { readSRecord } from '../../../src/firmware/srecord.js';

/**
 * How both text readers treat odd input: line endings, blank lines, white space, case, characters outside
 * ASCII, records out of order, data after the end record. Each row is checked with the text given as a
 * string and as Latin-1 bytes (the two input forms of the public API). Expected values were taken from the
 * line-splitting readers of session 2 and checked by hand, so the byte-level rewrite keeps them.
 */
type Reader = (input: string | Uint8Array, options?: ReadOptions) => FirmwareImage;
type Outcome =
  | { readonly segments: [number, string][]; readonly start?: number; readonly header?: string; readonly warnings?: string[] }
  | { readonly error: string; readonly kind?: 'format' | 'overlap' };

function run(read: Reader, input: string | Uint8Array): Outcome {
  const warnings: FirmwareWarning[] = [];
  try {
    const img = read(input, { file: 'f', onWarning: (w) => warnings.push(w) });
    return {
      segments: img.segments.map((s) => [s.address, Buffer.from(s.data).toString('hex')]),
      ...(img.startAddress !== undefined ? { start: img.startAddress } : {}),
      ...(img.header !== undefined ? { header: Buffer.from(img.header).toString('hex') } : {}),
      ...(warnings.length > 0 ? { warnings: warnings.map((w) => `${w.place.line}: ${w.message}`) } : {}),
    };
  } catch (e) {
    if (e instanceof FirmwareFormatError) return { error: e.message };
    if (e instanceof ImageOverlapError) return { error: e.message, kind: 'overlap' };
    throw e;
  }
}

const NO_S_END = 'no end record (S7/S8/S9): expected an S7, S8 or S9 end record';
const NO_EOF = 'no end-of-file record: expected an :00000001FF record';
const HEX_DIGIT = 'bad character: expected a hex digit 0-9 A-F, found';

const SREC: [string, string, Outcome][] = [
  ['empty input: warning on line 1', '', { segments: [], warnings: [`1: ${NO_S_END}`] }],
  ['only a newline: the line after it counts', '\n', { segments: [], warnings: [`2: ${NO_S_END}`] }],
  ['lower-case hex digits', 'S1051000aaBb85\nS9030000fc\n', { segments: [[0x1000, 'aabb']], start: 0 }],
  ['CRLF', 'S1051000AAAA96\r\nS9030000FC\r\n', { segments: [[0x1000, 'aaaa']], start: 0 }],
  ['CR only', 'S1051000AAAA96\rS9030000FC\r', { segments: [[0x1000, 'aaaa']], start: 0 }],
  ['CR CR LF is two line ends', 'S1051000AAAA96\r\r\nS1051000AAAA96\n', { error: 'overlapping data at 0x00001000: f:3:9 writes over data from f:1:9; remove one of them, or let the later one win (udskit image --overlap last-wins; { overlap: \'last-wins\' } in code)', kind: 'overlap' }],
  ['no newline at the end', 'S1051000AAAA96\nS9030000FC', { segments: [[0x1000, 'aaaa']], start: 0 }],
  ['blank and white-space-only lines', '\n  \t\nS1051000AAAA96\n\n\nS9030000FC\n\n', { segments: [[0x1000, 'aaaa']], start: 0 }],
  ['trailing spaces and tabs', 'S1051000AAAA96 \t \nS9030000FC\t\n', { segments: [[0x1000, 'aaaa']], start: 0 }],
  ['records out of order coalesce', 'S1041002CC1D\nS1051000AAAA96\nS9030000FC\n', { segments: [[0x1000, 'aaaacc']], start: 0 }],
  ['mixed S1/S2/S3 records', 'S1041000AA41\nS2061000000102E6\nS3060000001003E6\nS9030000FC\n', { segments: [[0x10, '03'], [0x1000, 'aa'], [0x100000, '0102']], start: 0 }],
  ['records after the end record are still read', 'S9030000FC\nS1051000AAAA96\n', { segments: [[0x1000, 'aaaa']], start: 0 }],
  ['a later end record wins', 'S9031234B6\nS9030000FC\n', { segments: [], start: 0 }],
  ['S0 header kept as bytes', 'S0060000616263D3\nS9030000FC\n', { segments: [], start: 0, header: '616263' }],
  ['S5 with 0 records', 'S5030000FC\n', { segments: [], warnings: [`2: ${NO_S_END}`] }],
  ['leading space', ' S9030000FC\n', { error: "f:1:1: bad character: expected 'S' starting a record, found U+0020" }],
  ['lower-case s', 's9030000FC\n', { error: "f:1:1: bad character: expected 'S' starting a record, found 's'" }],
  ['a lone S', 'S\n', { error: 'f:1:2: short record: expected a record type digit 0-9, found end of line' }],
  ['a lone S then spaces', 'S  \n', { error: 'f:1:2: short record: expected a record type digit 0-9, found end of line' }],
  ['S9 without a count', 'S9\n', { error: 'f:1:3: short record: expected a 2-digit byte count, found end of line' }],
  ['a type letter', 'SX030000FC\n', { error: "f:1:2: bad record type: expected S0-S3 or S5-S9, found 'X'" }],
  ['space inside the record', 'S1051000AA AA96\n', { error: `f:1:11: ${HEX_DIGIT} U+0020` }],
  ['space splitting a byte', 'S1051000AAAA9 6\n', { error: `f:1:14: ${HEX_DIGIT} U+0020` }],
  ['form feed is not white space', 'S9030000FC\f\n', { error: `f:1:11: ${HEX_DIGIT} U+000C` }],
  ['NUL byte', 'S9030000FC\0\n', { error: `f:1:11: ${HEX_DIGIT} U+0000` }],
  ['Latin-1 letter', 'S9030000F\u00e9\n', { error: `f:1:10: ${HEX_DIGIT} U+00E9` }],
  ['odd digits before trailing space', 'S9030000F \n', { error: 'f:1:9: odd number of hex digits: expected whole bytes (an even number of digits), found 7 digits' }],
  ['a bad digit wins over an odd count', 'S90G0000F\n', { error: `f:1:4: ${HEX_DIGIT} 'G'` }],
  ['S6 shorter than its address', 'S6030000FC\n', { error: 'f:1:3: short record: expected a byte count of at least 4 for S6, found 3' }],
  ['S0 shorter than its count', 'S00600006162\n', { error: 'f:1:3: short record: expected 6 bytes after the count (12 hex digits), found 4 bytes' }],
  ['overlap inside one run names the record', 'S1051000AAAA96\nS1051002BBBB72\nS1041003CC1C\n', { error: 'overlapping data at 0x00001003: f:3:9 writes over data from f:2:9; remove one of them, or let the later one win (udskit image --overlap last-wins; { overlap: \'last-wins\' } in code)', kind: 'overlap' }],
  ['data across 4 GiB', 'S307FFFFFFFFAABB97\n', { error: 'f:1:13: data beyond the 32-bit address space: expected an end address <= 0xFFFFFFFF, found 0x100000000' }],
  ['data up to 4 GiB', 'S307FFFFFFFEAABB98\nS9030000FC\n', { segments: [[0xfffffffe, 'aabb']], start: 0 }],
];

const IHEX: [string, string, Outcome][] = [
  ['empty input: warning on line 1', '', { segments: [], warnings: [`1: ${NO_EOF}`] }],
  ['no EOF, text ends with a newline', ':0100000011EE\n', { segments: [[0, '11']], warnings: [`2: ${NO_EOF}`] }],
  ['lower-case hex digits', ':0100000011ee\n:00000001ff\n', { segments: [[0, '11']] }],
  ['CRLF', ':0100000011EE\r\n:00000001FF\r\n', { segments: [[0, '11']] }],
  ['CR only', ':0100000011EE\r:00000001FF\r', { segments: [[0, '11']] }],
  ['blank and white-space-only lines', ' \t \n:0100000011EE\n\n:00000001FF\n', { segments: [[0, '11']] }],
  ['trailing spaces and tabs', ':0100000011EE  \n:00000001FF\t\n', { segments: [[0, '11']] }],
  ['records out of order coalesce', ':0100010022DC\n:0100000011EE\n:00000001FF\n', { segments: [[0, '1122']] }],
  ['04 back to the same page', ':020000040000FA\n:0100000011EE\n:020000040000FA\n:0100010022DC\n:00000001FF\n', { segments: [[0, '1122']] }],
  ['anything after EOF is ignored', ':00000001FF\n\u20ac rubbish\n:0100000011EE\n', { segments: [] }],
  ['a lone colon', ':\n', { error: 'f:1:1: short record: expected at least 5 bytes (count, address, type, checksum), found 0' }],
  ['leading space', ' :00000001FF\n', { error: "f:1:1: bad character: expected ':' starting a record, found U+0020" }],
  ['space inside the record', ':01000000 11EE\n', { error: `f:1:10: ${HEX_DIGIT} U+0020` }],
  ['Latin-1 letter', ':00000001F\u00e9\n', { error: `f:1:11: ${HEX_DIGIT} U+00E9` }],
  ['02 with 3 bytes', ':03000002000000FB\n', { error: 'f:1:2: record type 02 has a wrong length: expected 2 data bytes, found 3' }],
  ['bad checksum on a wrapping record', ':02FFFF0011223F\n', { error: 'f:1:14: bad checksum: expected CD, found 3F' }],
  ['overlap after a segment wrap', ':020000021000EC\n:02FFFF001122CD\n:0100000033CC\n', { error: 'overlapping data at 0x00010000: f:3:10 writes over data from f:2:10; remove one of them, or let the later one win (udskit image --overlap last-wins; { overlap: \'last-wins\' } in code)', kind: 'overlap' }],
];

const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

for (const [format, read, table] of [
  ['S-record', readSRecord, SREC],
  ['Intel HEX', readIntelHex, IHEX],
] as const) {
  describe(`${format}: odd input`, () => {
    for (const [name, text, want] of table) {
      it(name, () => {
        expect(run(read, text)).toEqual(want);
        expect(run(read, latin1(text))).toEqual(want);
      });
    }
  });
}

describe('characters beyond Latin-1 in string input', () => {
  // A string may hold code units > 0xFF; their low byte must not pass for a hex digit ('\u0141' ends in 0x41 'A').
  it('are bad characters, shown as themselves', () => {
    expect(run(readSRecord, 'S9030000F\u0141\n')).toEqual({ error: `f:1:10: ${HEX_DIGIT} U+0141` });
    expect(run(readSRecord, 'S9030000F\u20ac\n')).toEqual({ error: `f:1:10: ${HEX_DIGIT} U+20AC` });
    expect(run(readSRecord, '\u0153903\n')).toEqual({ error: "f:1:1: bad character: expected 'S' starting a record, found U+0153" });
    expect(run(readSRecord, 'S\u01399030000FC\n')).toEqual({ error: "f:1:2: bad record type: expected S0-S3 or S5-S9, found U+0139" });
    expect(run(readIntelHex, 'x\n:00000001F\u20ac\n'.slice(2))).toEqual({ error: `f:1:11: ${HEX_DIGIT} U+20AC` });
    expect(run(readIntelHex, ':0100000011EE\n\n:000000\u0130\u0131FF\n')).toEqual({ error: `f:3:8: ${HEX_DIGIT} U+0130` });
  });

  it('a byte order mark is a bad first character', () => {
    expect(run(readSRecord, Uint8Array.from([0xef, 0xbb, 0xbf, ...Buffer.from('S9030000FC\n')]))).toEqual({
      error: "f:1:1: bad character: expected 'S' starting a record, found U+00EF",
    });
    expect(run(readSRecord, '\ufeffS9030000FC\n')).toEqual({ error: "f:1:1: bad character: expected 'S' starting a record, found U+FEFF" });
  });
});
