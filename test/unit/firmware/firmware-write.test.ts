import { describe, it, expect } from 'vitest';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { linearStart, writeFirmware, writeFirmwareChunks } from '../../../src/firmware/firmware-write.js';
import { createImage, type FirmwareImage } from '../../../src/firmware/image.js';
import { readVbfImage, vbfFieldsOf } from '../../../src/firmware/vbf-image.js';

const img = (...segs: [number, number[]][]): FirmwareImage => createImage(segs.map(([address, d]) => ({ address, data: Uint8Array.from(d) })));
const text = (image: FirmwareImage, o: Parameters<typeof writeFirmware>[1]): string[] => Buffer.from(writeFirmware(image, o).bytes).toString('latin1').trimEnd().split('\n');

describe('writeFirmware: S-record widths', () => {
  const small = { ...img([0x1000, [0xaa]]), startAddress: 0x1000 };

  it('.s19/.s28/.s37 give S1/S2/S3 records and end records; no width gives the smallest', () => {
    expect(text(small, { target: { format: 'srecord', addressBytes: 2 }, header: '' })).toEqual([
      'S0030000FC',
      'S1041000AA41', // 04 10 00 AA: sum 0xBE, ~ = 0x41
      'S5030001FB',
      'S9031000EC',
    ]);
    expect(text(small, { target: { format: 'srecord', addressBytes: 3 }, header: '' }).slice(1)).toEqual(['S205001000AA40', 'S5030001FB', 'S804001000EB']);
    expect(text(small, { target: { format: 'srecord' }, addressWidth: 32, header: '' }).slice(1)).toEqual(['S30600001000AA3F', 'S5030001FB', 'S70500001000EA']);
  });

  it('refuses data or a start address the record type cannot hold, naming the way out', () => {
    const high = img([0x10000, [1]]);
    expect(() => writeFirmware(high, { target: { format: 'srecord', addressBytes: 2 }, file: 'o.s19' })).toThrow(InvalidArgumentError);
    expect(() => writeFirmware(high, { target: { format: 'srecord', addressBytes: 2 }, file: 'o.s19' })).toThrow(
      /^o\.s19: S1 records \(16-bit addresses, \.s19\) cannot hold data at 0x00010000; write \.s28, \.s37 or \.srec .* --address-width 24 or 32$/,
    );
    expect(() => writeFirmware({ ...img([0, [1]]), startAddress: 0x1000000 }, { target: { format: 'srecord', addressBytes: 3 } })).toThrow(/cannot hold the start address 0x01000000/);
    // .srec: each record as small as its address allows (S1 then S2), as srec_cat.
    expect(text(img([0xfffe, [1]], [0x10000, [2]]), { target: { format: 'srecord' }, header: '' }).map((l) => l.slice(0, 2))).toEqual(['S0', 'S1', 'S2', 'S5']);
  });

  it('the S0 header: the option, else the input\'s, else the VBF part number and version', () => {
    expect(text({ ...small, header: Uint8Array.of(0x41) }, { target: { format: 'srecord' } })[0]).toBe('S004000041BA');
    const vbf = readVbfImage(writeFirmware(small, { target: { format: 'vbf' }, vbf: { header: { sw_part_number: 'AB', sw_version: 'C' } } }).bytes);
    expect(text(vbf, { target: { format: 'srecord' } })[0]).toBe('S00700004142204312'); // 'AB C'
  });
});

describe('writeFirmware: Intel HEX addressing', () => {
  it('32: 04 records and 05 start; 24: 02 records and a 03 start with CS * 16 + IP = the start', () => {
    const image = { ...img([0x12340, [1]]), startAddress: 0x12345 };
    expect(text(image, { target: { format: 'intel-hex' } })).toEqual([':020000040001F9', ':01234000019B', ':04000005000123458E', ':00000001FF']);
    // 0x12345 = 0x1000 * 16 + 0x2345 (srec_cat 1.64 writes CS = 0x0001 here, which reads back as 0x2355).
    expect(text(image, { target: { format: 'intel-hex' }, addressWidth: 24 })).toEqual([':020000021000EC', ':01234000019B', ':040000031000234581', ':00000001FF']);
  });

  it('16: no extended records; a start address goes into the end-of-file record, as srec_cat', () => {
    expect(text({ ...img([0x10, [1]]), startAddress: 0x1234 }, { target: { format: 'intel-hex' }, addressWidth: 16 })).toEqual([':0100100001EE', ':00123401B9']);
    expect(text(img([0x10, [1]]), { target: { format: 'intel-hex' }, addressWidth: 16 })).toEqual([':0100100001EE', ':00000001FF']);
  });

  it('refuses data beyond the addressing', () => {
    expect(() => writeFirmware(img([0x10000, [1]]), { target: { format: 'intel-hex' }, addressWidth: 16 })).toThrow(/16-bit addressing reaches 0x0000FFFF but data ends at 0x00010000; give --address-width 24 or 32/);
    expect(() => writeFirmware(img([0x100000, [1]]), { target: { format: 'intel-hex' }, addressWidth: 24 })).toThrow(/give --address-width 32/);
    expect(() => writeFirmware({ ...img([0, [1]]), startAddress: 0x100000 }, { target: { format: 'intel-hex' }, addressWidth: 24 })).toThrow(/cannot hold the start address 0x00100000/);
  });

  it('24: a record crossing 64 KiB is split at the boundary and the record grid goes on (srec_cat)', () => {
    const data = Array.from({ length: 48 }, (_, i) => i);
    const lines = text(img([0xfff0, data]), { target: { format: 'intel-hex' }, addressWidth: 24, recordSize: 32 });
    expect(lines.map((l) => l.slice(0, 9))).toEqual([':02000002', ':10FFF000', ':02000002', ':10000000', ':10001000', ':00000001']);
  });
});

describe('srec_cat chunks', () => {
  it('records restart at multiples of 1792 (the writers\' layout)', () => {
    const lines = text(img([0x6f0, Array.from({ length: 0x30 }, () => 0)]), { target: { format: 'srecord' }, header: '' });
    expect(lines.map((l) => l.slice(0, 8))).toEqual(['S0030000', 'S11306F0', 'S1230700', 'S5030002']);
  });
});

describe('writeFirmwareChunks', () => {
  const image = { ...img([0x6f0, Array.from({ length: 0x900 }, (_, i) => i & 0xff)], [0x2000, [1, 2, 3]]), startAddress: 0x6f4 };
  const targets: Parameters<typeof writeFirmware>[1][] = [
    { target: { format: 'srecord' }, header: 'x' },
    { target: { format: 'srecord', addressBytes: 4 }, recordSize: 7 },
    { target: { format: 'intel-hex' } },
    { target: { format: 'intel-hex' }, addressWidth: 24, recordSize: 16 },
    { target: { format: 'intel-hex' }, addressWidth: 16 },
    { target: { format: 'binary' }, fill: 0x5a },
    { target: { format: 'vbf' }, vbf: { header: { sw_part_number: 'P' } } },
  ];

  it.each(targets)('concatenated, the chunks are writeFirmware\'s bytes (%o)', (o) => {
    const whole = writeFirmware(image, o);
    for (const chunk of [1024, Buffer.alloc(1024)]) {
      const out = writeFirmwareChunks(image, o, chunk);
      expect(out.description).toBe(whole.description);
      const parts: Buffer[] = [];
      // Each chunk copied as it comes: a reused buffer changes with the next chunk.
      for (const c of out.chunks) parts.push(Buffer.from(c));
      expect(Buffer.concat(parts).equals(Buffer.from(whole.bytes))).toBe(true);
    }
  });

  it('checks at the call, with writeFirmware\'s errors', () => {
    expect(() => writeFirmwareChunks(img([0x10000, [1]]), { target: { format: 'intel-hex' }, addressWidth: 16 })).toThrow(/16-bit addressing reaches 0x0000FFFF/);
  });
});

describe('writeFirmware: binary and VBF', () => {
  it('binary starts at the lowest address and fills gaps', () => {
    const w = writeFirmware(img([0x10, [1]], [0x13, [2]]), { target: { format: 'binary' }, fill: 0 });
    expect([...w.bytes]).toEqual([1, 0, 0, 2]);
    expect(w.description).toBe('binary from 0x00000010, gaps filled with 0x00');
  });

  it('VBF with the given header', () => {
    const w = writeFirmware(img([0x10, [1, 2]]), { target: { format: 'vbf' }, vbf: { version: '2.4', header: { sw_part_number: 'X' } } });
    const back = readVbfImage(w.bytes);
    expect([vbfFieldsOf(back)?.version, vbfFieldsOf(back)?.header.sw_part_number, w.description]).toEqual(['2.4', 'X', 'VBF 2.4']);
  });

  it('linearStart: the start address, or CS * 16 + IP', () => {
    expect(linearStart(img())).toBeUndefined();
    expect(linearStart({ ...img(), startSegment: { cs: 0x1000, ip: 0x10 } })).toBe(0x10010);
    expect(linearStart({ ...img(), startAddress: 5, startSegment: { cs: 1, ip: 1 } })).toBe(5);
  });
});
