import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseVbf, vbfDataBlocks, writeVbf, type VbfDataBlock } from '../../../src/firmware/vbf.js';
import { VbfCompressionError, VbfFormatError } from '../../../src/firmware/vbf-errors.js';
import type { VbfHeader } from '../../../src/firmware/vbf-header.js';

const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(Buffer.concat(parts));
const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));

// CRC values computed independently with Python:
//   binascii.crc_hqx(bytes.fromhex('DEADBEEF'), 0xFFFF) = 0x4097
//   binascii.crc_hqx(bytes(range(16)), 0xFFFF)         = 0x3B37
//   zlib.crc32(<binary part below>)                     = 0x7926F4DA
const BINARY = h(`
  00001000 00000004  DEADBEEF  4097
  00002000 00000010  000102030405060708090A0B0C0D0E0F  3B37
`);
const HEADER = (checksum: string, extra = ''): string =>
  'vbf_version = 2.6;\r\n' +
  '// a comment with a } brace\r\n' +
  'header {\r\n' +
  '    description = { "Hand-made", "test file {" };\r\n' +
  '    sw_part_number = "31234567";\r\n' +
  '    sw_part_type = EXE;\r\n' +
  '    network = CAN_HS;\r\n' +
  '    ecu_address = 0x7A1;\r\n' +
  '    frame_format = CAN_STANDARD;\r\n' +
  '    erase = { { 0x00001000, 0x00001000 }, { 0x00002000, 0x00000100 } };\r\n' +
  extra +
  `    file_checksum = ${checksum};\r\n` +
  '}';
const SAMPLE = cat(text(HEADER('0x7926F4DA')), BINARY);

function errorOf(fn: () => unknown): VbfFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(VbfFormatError);
    return e as VbfFormatError;
  }
  throw new Error('expected a VbfFormatError');
}

describe('parseVbf', () => {
  it('reads a hand-written VBF: header, blocks, checks', () => {
    const v = parseVbf(SAMPLE, { fileName: 'demo.vbf' });
    expect(v.version).toBe('2.6');
    expect(v.header).toMatchObject({
      description: ['Hand-made', 'test file {'],
      sw_part_number: '31234567',
      sw_part_type: 'EXE',
      network: 'CAN_HS',
      ecu_address: 0x7a1,
      frame_format: 'CAN_STANDARD',
      erase: [
        { start: 0x1000, length: 0x1000 },
        { start: 0x2000, length: 0x100 },
      ],
      file_checksum: 0x7926f4da,
    });
    expect(v.binaryOffset).toBe(HEADER('0x7926F4DA').length);
    expect(v.compression).toBe('none');
    expect(v.fileChecksum).toBe(0x7926f4da);
    expect(v.blocks.map((b) => [b.address, b.crc16, b.crcChecked, b.offset])).toEqual([
      [0x1000, 0x4097, true, v.binaryOffset],
      [0x2000, 0x3b37, true, v.binaryOffset + 14],
    ]);
    expect(vbfDataBlocks(v)).toEqual([
      { address: 0x1000, data: h('DEADBEEF') },
      { address: 0x2000, data: h('000102030405060708090A0B0C0D0E0F') },
    ]);
  });

  it('names the block and its byte offset on a CRC-16 mismatch', () => {
    const bad = SAMPLE.slice();
    const off = HEADER('0x7926F4DA').length;
    bad[off + 14 + 8] = 0xff; // first data byte of block 1
    const e = errorOf(() => parseVbf(bad, { fileName: 'demo.vbf' }));
    expect(e.details).toMatchObject({ block: 1, offset: off + 14, address: 0x2000, storedCrc: 0x3b37 });
    expect(e.message).toMatch(new RegExp(`^demo\\.vbf at byte offset ${off + 14} .*block 1 at 0x00002000: CRC-16 0x3B37`));
  });

  it('checks file_checksum, with expected and found', () => {
    const e = errorOf(() => parseVbf(cat(text(HEADER('0x7926F4DB')), BINARY)));
    expect(e.details).toMatchObject({ storedChecksum: 0x7926f4db, computedChecksum: 0x7926f4da });
    expect(e.message).toContain('expected file_checksum 0x7926F4DB (header), found CRC-32 0x7926F4DA of the binary part');
  });

  it('accepts a file without file_checksum and reports the computed one', () => {
    const noSum = cat(text(HEADER('0').replace('    file_checksum = 0;\r\n', '')), BINARY);
    expect(parseVbf(noSum).fileChecksum).toBe(0x7926f4da);
  });

  it('reports a truncated block with its byte offset', () => {
    const off = HEADER('0x7926F4DA').length;
    const e1 = errorOf(() => parseVbf(SAMPLE.slice(0, SAMPLE.length - 1)));
    expect(e1.details).toMatchObject({ block: 1, offset: off + 14, length: 16 });
    expect(e1.message).toContain('(truncated)');
    const e2 = errorOf(() => parseVbf(SAMPLE.slice(0, off + 14 + 5)));
    expect(e2.details).toMatchObject({ block: 1, offset: off + 14, found: '5 byte(s) left' });
  });

  it('decompresses LZSS blocks and checks their CRC over the plain data', () => {
    // 'ABABABAB' as LZSS: A, B, then copy 6 from ring position 0 (see vbf-lzss.test.ts);
    // binascii.crc_hqx(b'ABABABAB', 0xFFFF) = 0x7AF7
    const bin = h('00000000 00000005 A0D0800A00 7AF7');
    const file = cat(text('vbf_version = 2.6; header { data_format_identifier = 0x10; }'), bin);
    const v = parseVbf(file);
    expect(v.compression).toBe('lzss');
    expect(vbfDataBlocks(v)).toEqual([{ address: 0, data: text('ABABABAB') }]);
    expect(v.blocks[0]?.stored).toEqual(h('A0D0800A00'));
  });

  it('keeps LZMA blocks as stored and names the method when plain data is needed', () => {
    const file = cat(text('vbf_version = 2.6; header { data_format_identifier = 0x20; }'), h('00000100 00000003 5D0000 1234'));
    const v = parseVbf(file);
    expect(v.compression).toBe('lzma');
    expect(v.blocks[0]).toMatchObject({ address: 0x100, crcChecked: false, data: undefined, crc16: 0x1234 });
    expect(() => vbfDataBlocks(v)).toThrow(VbfCompressionError);
    expect(() => vbfDataBlocks(v)).toThrow(/LZMA \(data_format_identifier 0x20\)/);
    expect(() => writeVbf({ version: '2.6', header: { data_format_identifier: 0x01 }, blocks: [] })).toThrow(/method 0x01/);
  });

  it('reports header errors with line and column', () => {
    const e = errorOf(() => parseVbf(text('vbf_version = 2.6;\nheader {\n  call = ;\n}'), { fileName: 'x.vbf' }));
    expect(e.message).toBe("x.vbf:3:10: expected a value (number, \"string\", identifier or { list }), found ';'");
  });
});

describe('writeVbf', () => {
  it('writes blocks with CRC-16 and file_checksum, readable by parseVbf', () => {
    const header: VbfHeader = { sw_part_type: 'EXE', ecu_address: 0x7a1, file_checksum: 1 };
    const out = writeVbf({ version: '2.6', header, blocks: [{ address: 0x1000, data: h('DEADBEEF') }] });
    const s = Buffer.from(out).toString('latin1');
    // zlib.crc32(bytes.fromhex('0000100000000004DEADBEEF4097')) = 0x486E7186 (Python)
    expect(s).toContain('    file_checksum = 0x486E7186;\r\n}');
    const v = parseVbf(out);
    expect(v.header.file_checksum).toBe(0x486e7186);
    expect(out.subarray(v.binaryOffset)).toEqual(h('00001000 00000004 DEADBEEF 4097'));
  });

  it('writes the hand-written sample byte for byte from its header and blocks', () => {
    const v = parseVbf(SAMPLE);
    const again = writeVbf({ version: v.version, header: v.header, blocks: vbfDataBlocks(v) });
    expect(again.subarray(parseVbf(again).binaryOffset)).toEqual(BINARY);
    expect(parseVbf(again).header).toEqual(v.header);
  });

  it('compresses with LZSS when data_format_identifier is 0x10', () => {
    const data = new Uint8Array(2000).map((_, i) => (i >> 4) & 3);
    const out = writeVbf({ version: '2.6', header: { data_format_identifier: 0x10 }, blocks: [{ address: 0x8000, data }] });
    expect(out.length).toBeLessThan(1000);
    const v = parseVbf(out);
    expect(vbfDataBlocks(v)).toEqual([{ address: 0x8000, data }]);
  });

  it('refuses an address outside 32 bits', () => {
    expect(() => writeVbf({ version: '2.6', header: {}, blocks: [{ address: 2 ** 32, data: new Uint8Array(1) }] })).toThrow(/block 0: address/);
  });
});

const ident = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,11}$/);
const printable = fc.string({ maxLength: 20 }).map((s) => s.replace(/[^\x20-\x7e]/g, '?'));
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const headerArb: fc.Arbitrary<VbfHeader> = fc.record(
  {
    description: fc.array(printable, { maxLength: 3 }),
    sw_part_number: printable,
    sw_version: printable,
    sw_part_type: ident,
    data_format_identifier: fc.constantFrom(0x00, 0x10),
    network: fc.oneof(ident, u32),
    ecu_address: u32,
    frame_format: fc.oneof(ident, printable),
    erase: fc.array(fc.record({ start: u32, length: u32 }), { maxLength: 3 }),
    call: u32,
    verification_block_start: u32,
    verification_block_length: u32,
    verification_block_root_hash: fc.uint8Array({ minLength: 1, maxLength: 32 }),
    sw_signature_dev: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    extra: fc.dictionary(
      fc.stringMatching(/^x_[a-z]{1,6}$/),
      fc.oneof(
        printable.map((value) => ({ type: 'string' as const, value })),
        u32.map((n) => ({ type: 'number' as const, text: '0x' + n.toString(16), value: BigInt(n) })),
        ident.map((value) => ({ type: 'identifier' as const, value })),
      ),
      { maxKeys: 3 },
    ),
  },
  { requiredKeys: [] },
);
const blocksArb: fc.Arbitrary<VbfDataBlock[]> = fc.array(fc.record({ address: u32, data: fc.uint8Array({ maxLength: 300 }) }), { maxLength: 4 });

describe('VBF properties', () => {
  it('random headers and blocks round-trip through writeVbf and parseVbf', () => {
    fc.assert(
      fc.property(headerArb, blocksArb, (header, blocks) => {
        const v = parseVbf(writeVbf({ version: '2.6', header, blocks }));
        const expected: VbfHeader = { ...header, file_checksum: v.fileChecksum };
        if (expected.extra !== undefined && Object.keys(expected.extra).length === 0) delete expected.extra;
        expect(v.header).toEqual(expected);
        expect(vbfDataBlocks(v)).toEqual(blocks);
      }),
      { numRuns: 150 },
    );
  });

  it('random bytes and mutated files throw nothing but VbfFormatError', () => {
    const valid = writeVbf({ version: '2.6', header: { sw_part_type: 'EXE', data_format_identifier: 0x10 }, blocks: [{ address: 0x10, data: text('ABABABABCCCCDDDD') }] });
    const mutated = fc
      .array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })
      .chain((muts) => fc.nat(valid.length).map((cut) => ({ muts, cut })))
      .map(({ muts, cut }) => {
        const b = valid.slice(0, Math.max(cut, valid.length - 8));
        for (const [i, v] of muts) if (i < b.length) b[i] = v;
        return b;
      });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), mutated, fc.uint8Array({ maxLength: 60 }).map((tail) => cat(SAMPLE.subarray(0, 400), tail))), (bytes) => {
        try {
          parseVbf(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(VbfFormatError);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
