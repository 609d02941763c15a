import { describe, it, expect } from 'vitest';
import { parseVbfHeader, type VbfHeader } from '../../../src/firmware/vbf-header.js';
import { formatVbfHeader } from '../../../src/firmware/vbf-header-writer.js';
import { VbfFormatError } from '../../../src/firmware/vbf-errors.js';

const wrap = (body: string): string => `vbf_version = 2.6;\nheader {\n${body}\n}`;

describe('parseVbfHeader: values', () => {
  const cases: Array<[string, string, Partial<VbfHeader>]> = [
    ['hex and decimal numbers', 'ecu_address = 0x7A1; call = 4096;', { ecu_address: 0x7a1, call: 4096 }],
    ['string', 'sw_part_number = "32123456";', { sw_part_number: '32123456' }],
    ['string with braces and comment markers', 'sw_version = "A}{ // /* x";', { sw_version: 'A}{ // /* x' }],
    ['escaped quote and backslash', 'sw_version = "a\\"b\\\\c\\d";', { sw_version: 'a"b\\c\\d' }],
    ['identifiers', 'sw_part_type = EXE; frame_format = CAN_STANDARD; network = CAN_HS;', { sw_part_type: 'EXE', frame_format: 'CAN_STANDARD', network: 'CAN_HS' }],
    ['network as number', 'network = 0x40000000;', { network: 0x40000000 }],
    ['description string', 'description = "one";', { description: ['one'] }],
    ['description list', 'description = { "one", "", "three" };', { description: ['one', '', 'three'] }],
    ['empty erase list', 'erase = { };', { erase: [] }],
    [
      'nested erase list, trailing comma',
      'erase = { { 0x00010000, 0x2000 }, {0x20000,0x100}, };',
      { erase: [{ start: 0x10000, length: 0x2000 }, { start: 0x20000, length: 0x100 }] },
    ],
    ['data_format_identifier', 'data_format_identifier = 0x10;', { data_format_identifier: 0x10 }],
    ['verification numbers', 'verification_block_start = 0x1000; verification_block_length = 0x40;', { verification_block_start: 0x1000, verification_block_length: 0x40 }],
    ['root hash keeps leading zeros', 'verification_block_root_hash = 0x00FF10;', { verification_block_root_hash: Uint8Array.from([0x00, 0xff, 0x10]) }],
    ['odd digit hash is left-padded', 'sw_signature_dev = 0xABC;', { sw_signature_dev: Uint8Array.from([0x0a, 0xbc]) }],
    ['file_checksum', 'file_checksum = 0xCBF43926;', { file_checksum: 0xcbf43926 }],
    ['line and block comments', '// comment with } brace\n/* block\n } */ call = 1; // trailing', { call: 1 }],
  ];
  for (const [name, body, expected] of cases) {
    it(name, () => {
      const r = parseVbfHeader(wrap(body));
      expect(r.version).toBe('2.6');
      expect(r.header).toEqual(expected);
    });
  }

  it('keeps unknown keys raw, in order', () => {
    const r = parseVbfHeader(wrap('oem_key = { 1, "x", ID, { 2.5 } }; sw_part_type = SBL; another = 0x0010;'));
    expect(r.header.sw_part_type).toBe('SBL');
    expect(Object.keys(r.header.extra ?? {})).toEqual(['oem_key', 'another']);
    expect(r.header.extra?.oem_key).toEqual({
      type: 'list',
      items: [
        { type: 'number', text: '1', value: 1n },
        { type: 'string', value: 'x' },
        { type: 'identifier', value: 'ID' },
        { type: 'list', items: [{ type: 'decimal', text: '2.5' }] },
      ],
    });
    expect(r.header.extra?.another).toEqual({ type: 'number', text: '0x0010', value: 16n });
  });

  it('stops at the closing brace of header and reports the binary offset', () => {
    const text = 'vbf_version = 2.1; header { sw_version = "}"; }';
    const bytes = new Uint8Array([...Buffer.from(text, 'latin1'), 0x7b, 0x00, 0xff]);
    expect(parseVbfHeader(bytes).end).toBe(text.length);
  });

  it('reads the comments before vbf_version and accepts an integer version', () => {
    expect(parseVbfHeader('// made by hand\nvbf_version = 3; header { }').version).toBe('3');
  });
});

describe('parseVbfHeader: errors name line, column, expected and found', () => {
  const cases: Array<[string, string, number, number, string, string]> = [
    ['missing vbf_version', 'header { }', 1, 1, 'vbf_version', 'identifier header'],
    ['missing semicolon after version', 'vbf_version = 2.6\nheader { }', 2, 1, "';'", 'identifier header'],
    ['bad version', 'vbf_version = "2";', 1, 15, 'a version number such as 2.6', 'string "2"'],
    ['missing semicolon after value', 'vbf_version = 2.6;\nheader {\n  call = 0x10\n  erase = { };\n}', 4, 3, "';'", 'identifier erase'],
    ['unterminated string', 'vbf_version = 2.6;\nheader {\n  sw_version = "abc\n}', 3, 20, `'"' closing the string opened at 3:16`, 'end of line'],
    ['unterminated block comment', 'vbf_version = 2.6;\nheader { /* x', 2, 10, "'*/' closing the comment opened at 2:10", 'end of file'],
    ['stray character', 'vbf_version = 2.6;\nheader {\n  call = @;\n}', 3, 10, 'a key, a value or one of { } = ; ,', "'@'"],
    ['binary byte in header', 'vbf_version = 2.6;\nheader { \u0089 }', 2, 10, 'a key, a value or one of { } = ; ,', 'byte 0x89'],
    ['missing closing brace', 'vbf_version = 2.6;\nheader {\n  call = 1;\n', 4, 1, "a key or '}' closing the header", 'end of file'],
    ['hex without digits', 'vbf_version = 2.6;\nheader { call = 0x; }', 2, 19, 'hex digits after 0x', "';'"],
    ['letters after a number', 'vbf_version = 2.6;\nheader { call = 12ab; }', 2, 19, 'end of the number', "'a'"],
    ['list missing comma', 'vbf_version = 2.6;\nheader { x = { 1 2 }; }', 2, 18, "',' or '}'", 'number 2'],
    ['string where a number is required', 'vbf_version = 2.6;\nheader {\n  ecu_address = "7A1";\n}', 3, 17, 'a 32-bit number', 'string "7A1"'],
    ['number over 32 bits', 'vbf_version = 2.6;\nheader { call = 0x100000000; }', 2, 17, 'a 32-bit number', 'number 0x100000000'],
    ['erase pair with three items', 'vbf_version = 2.6;\nheader { erase = { { 1, 2, 3 } }; }', 2, 18, 'a list of { start, length } pairs', "'{'"],
    ['dfi over a byte', 'vbf_version = 2.6;\nheader { data_format_identifier = 0x100; }', 2, 35, 'a byte (0x00 plain, 0x10 LZSS, 0x20 LZMA)', 'number 0x100'],
    ['hash given in decimal', 'vbf_version = 2.6;\nheader { sw_signature_dev = 12; }', 2, 29, 'a hex number (0x...)', 'number 12'],
    ['duplicate key', 'vbf_version = 2.6;\nheader { call = 1;\n call = 2; }', 3, 2, 'each key once', 'identifier call (again)'],
    ['description with a number', 'vbf_version = 2.6;\nheader { description = { "a", 1 }; }', 2, 24, 'a "string" or a list of strings', "'{'"],
  ];
  for (const [name, text, line, column, expected, found] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        parseVbfHeader(text, { fileName: 'f.vbf' });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(VbfFormatError);
      const e = err as VbfFormatError;
      expect(e.code).toBe('UDSKIT_VBF_FORMAT');
      expect(e.details).toMatchObject({ file: 'f.vbf', line, column, expected, found });
      expect(e.message).toBe(`f.vbf:${line}:${column}: expected ${expected}, found ${found}`);
    });
  }

  it('rejects lists nested deeper than 16', () => {
    const deep = '{ '.repeat(20) + '}'.repeat(20);
    expect(() => parseVbfHeader(wrap(`x = ${deep};`))).toThrow(/nested at most 16/);
  });
});

describe('formatVbfHeader', () => {
  it('writes the spec keys in spec order, then extra keys, with CR LF', () => {
    const text = formatVbfHeader('2.6', {
      file_checksum: 0x1234abcd,
      erase: [{ start: 0x10000, length: 0x2000 }],
      sw_part_type: 'EXE',
      description: ['Demo "one"', 'two\\'],
      network: 'CAN_HS',
      ecu_address: 0x7a1,
      data_format_identifier: 0,
      verification_block_root_hash: Uint8Array.from([0, 1, 0xfe]),
      extra: { oem: { type: 'list', items: [{ type: 'number', text: '0x01', value: 1n }, { type: 'identifier', value: 'X' }] } },
    });
    expect(text).toBe(
      [
        'vbf_version = 2.6;',
        '',
        'header {',
        '    description = { "Demo \\"one\\"", "two\\\\" };',
        '    sw_part_type = EXE;',
        '    data_format_identifier = 0x00;',
        '    network = CAN_HS;',
        '    ecu_address = 0x7A1;',
        '    erase = { { 0x00010000, 0x00002000 } };',
        '    verification_block_root_hash = 0x0001FE;',
        '    file_checksum = 0x1234ABCD;',
        '    oem = { 0x01, X };',
        '}',
      ].join('\r\n'),
    );
    const back = parseVbfHeader(text);
    expect(back.header.description).toEqual(['Demo "one"', 'two\\']);
    expect(back.header.verification_block_root_hash).toEqual(Uint8Array.from([0, 1, 0xfe]));
  });

  it('quotes identifier-like fields that are not identifiers', () => {
    const text = formatVbfHeader('2.6', { frame_format: 'CAN STANDARD' });
    expect(text).toContain('frame_format = "CAN STANDARD";');
    expect(parseVbfHeader(text).header.frame_format).toBe('CAN STANDARD');
  });

  it('refuses values it cannot write, naming the key', () => {
    expect(() => formatVbfHeader('2.6', { call: -1 })).toThrow(/call must be an integer/);
    expect(() => formatVbfHeader('2.6', { sw_version: 'a\nb' })).toThrow(/sw_version: strings hold printable/);
    expect(() => formatVbfHeader('x', {})).toThrow(/version must look like 2.6/);
    expect(() => formatVbfHeader('2.6', { extra: { call: { type: 'number', text: '1', value: 1n } } })).toThrow(/not a spec key/);
  });
});
