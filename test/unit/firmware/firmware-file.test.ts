import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { FirmwareFormatError, ImageOverlapError } from '../../../src/firmware/errors.js';
import { outputTargetFor, parseInputFormat, readFirmware } from '../../../src/firmware/firmware-file.js';
import { writeFirmware, type AddressWidth } from '../../../src/firmware/firmware-write.js';
import { createImage, type FirmwareImage } from '../../../src/firmware/image.js';
import { VbfCompressionError } from '../../../src/firmware/vbf-errors.js';
import { defaultVbfHeader } from '../../../src/firmware/vbf-image.js';

const t = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const flat = (i: FirmwareImage): [number, number[]][] => i.segments.map((s) => [s.address, [...s.data]]);

describe('readFirmware: format from the content, not the name', () => {
  it('detects each format and names the file in errors', () => {
    // S1 record at 0x0000 holding 01 02 (checksum ~(05+00+00+01+02) = F7).
    const srec = readFirmware(t('S10500000102F7\n'), { file: 'a.hex' });
    expect(srec.format).toBe('srecord');
    expect(srec.detected).toBe(true);
    const hex = readFirmware(t(':020010000102EB\n:00000001FF\n'), { file: 'b.s19' });
    expect([hex.format, flat(hex.image)]).toEqual(['intel-hex', [[0x10, [1, 2]]]]);
    const bin = readFirmware(Uint8Array.of(0xde, 0xad), { base: 0x8000 });
    expect([bin.format, bin.base, flat(bin.image)]).toEqual(['binary', 0x8000, [[0x8000, [0xde, 0xad]]]]);
    expect(() => readFirmware(t(':020010000102EC\n'), { file: 'bad.hex' })).toThrow(/^bad\.hex:1:14: bad checksum: expected EB, found EC$/);
  });

  it('--input-format forces a format (text read as raw bytes)', () => {
    const f = readFirmware(t('S10500000102F7\n'), { format: 'binary' });
    expect([f.format, f.detected, f.image.segments[0]?.data.length]).toEqual(['binary', false, 15]);
    expect(() => readFirmware(Uint8Array.of(0, 1), { format: 'srecord', file: 'x' })).toThrow(FirmwareFormatError);
  });

  it('reads the start address srec_cat puts in an I8HEX end-of-file record', () => {
    expect(readFirmware(t(':0100000001FE\n:00123401B9\n')).image.startAddress).toBe(0x1234);
    expect(readFirmware(t(':0100000001FE\n:00000001FF\n')).image.startAddress).toBeUndefined();
    // A 05 record wins; a bad checksum on the end record is not taken as a start address.
    expect(readFirmware(t(':0400000500000010E7\n:00123401B9\n')).image.startAddress).toBe(0x10);
  });

  it('overlaps name both places', () => {
    expect(() => readFirmware(t(':020010000102EB\n:01001100FFEF\n:00000001FF\n'), { file: 'o.hex' })).toThrow(ImageOverlapError);
    expect(() => readFirmware(t(':020010000102EB\n:01001100FFEF\n:00000001FF\n'), { file: 'o.hex' })).toThrow(/o\.hex:2:10 writes over data from o\.hex:1:10/);
  });

  it('format names', () => {
    expect(['srec', 's37', 'MOT', 'hex', 'ihex', 'intel-hex', 'bin', 'vbf'].map(parseInputFormat)).toEqual([
      'srecord', 'srecord', 'srecord', 'intel-hex', 'intel-hex', 'intel-hex', 'binary', 'vbf',
    ]);
    expect(() => parseInputFormat('elf')).toThrow(/unknown input format "elf"; use one of: .*srec.*vbf/);
  });
});

describe('outputTargetFor: the format from the extension', () => {
  it('maps every extension, S-record width included', () => {
    const table: [string, unknown][] = [
      ['a.s19', { format: 'srecord', addressBytes: 2 }],
      ['a.S28', { format: 'srecord', addressBytes: 3 }],
      ['dir.x/a.s37', { format: 'srecord', addressBytes: 4 }],
      ['a.srec', { format: 'srecord' }],
      ['a.mot', { format: 'srecord' }],
      ['a.hex', { format: 'intel-hex' }],
      ['a.ihx', { format: 'intel-hex' }],
      ['a.bin', { format: 'binary' }],
      ['a.vbf', { format: 'vbf' }],
    ];
    for (const [name, target] of table) expect(outputTargetFor(name), name).toEqual(target);
  });

  it('an option names the format whatever the name; unknown names list the choices', () => {
    expect(outputTargetFor('out.dat', 's28')).toEqual({ format: 'srecord', addressBytes: 3 });
    expect(outputTargetFor('out.dat', 'intel-hex')).toEqual({ format: 'intel-hex' });
    expect(() => outputTargetFor('out.elf')).toThrow(InvalidArgumentError);
    expect(() => outputTargetFor('out.elf')).toThrow(/extension \.elf.*\.s19, \.s28, \.s37, \.srec, \.mot, \.hex, \.ihx, \.bin, \.vbf/);
    expect(() => outputTargetFor('noext')).toThrow(/no extension/);
    expect(() => outputTargetFor('a.hex', 'zip')).toThrow(/unknown output format "zip"; use one of: s19/);
  });
});

/** Random images below `limit` with an optional start address below `limit`. */
const imageBelow = (limit: number): fc.Arbitrary<FirmwareImage> =>
  fc
    .record({
      base: fc.integer({ min: 0, max: limit - 0x2000 }),
      pieces: fc.array(fc.record({ off: fc.integer({ min: 0, max: 0x1f00 }), data: fc.uint8Array({ minLength: 1, maxLength: 300 }) }), { minLength: 1, maxLength: 6 }),
      start: fc.option(fc.integer({ min: 1, max: limit - 1 }), { nil: undefined }),
    })
    .map(({ base, pieces, start }) => ({
      ...createImage(pieces.map((p) => ({ address: base + p.off, data: p.data })), {}, { overlap: 'last-wins' }),
      ...(start !== undefined ? { startAddress: start } : {}),
    }));

describe('round trip through writeFirmware and readFirmware (property)', () => {
  const cases: [string, number, { format: 'srecord' | 'intel-hex'; addressBytes?: 2 | 3 | 4 }, AddressWidth | undefined][] = [
    ['S19', 0x10000, { format: 'srecord', addressBytes: 2 }, undefined],
    ['S28', 0x1000000, { format: 'srecord', addressBytes: 3 }, undefined],
    ['S37', 0x100000000, { format: 'srecord', addressBytes: 4 }, undefined],
    ['.srec', 0x100000000, { format: 'srecord' }, undefined],
    ['Intel HEX 16-bit', 0x10000, { format: 'intel-hex' }, 16],
    ['Intel HEX 02 segment', 0x100000, { format: 'intel-hex' }, 24],
    ['Intel HEX 04 linear', 0x100000000, { format: 'intel-hex' }, 32],
  ];
  for (const [name, limit, target, width] of cases) {
    it(`${name}: same data and start address`, () => {
      fc.assert(
        fc.property(imageBelow(limit), fc.integer({ min: 1, max: 64 }), (img, per) => {
          const w = writeFirmware(img, { target, recordSize: per, ...(width !== undefined ? { addressWidth: width } : {}) });
          const back = readFirmware(w.bytes).image;
          expect(flat(back)).toEqual(flat(img));
          expect(back.startAddress ?? (back.startSegment ? back.startSegment.cs * 16 + back.startSegment.ip : undefined)).toBe(img.startAddress);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('binary (from the lowest address, gaps filled) and VBF', () => {
    fc.assert(
      fc.property(imageBelow(0x100000000), fc.integer({ min: 0, max: 255 }), (img, fill) => {
        const bin = readFirmware(writeFirmware(img, { target: { format: 'binary' }, fill }).bytes, { base: img.segments[0]?.address ?? 0 }).image;
        const first = img.segments[0];
        const last = img.segments[img.segments.length - 1];
        if (first && last) expect(bin.segments[0]?.data.length).toBe(last.address + last.data.length - first.address);
        for (const s of img.segments) expect([...(bin.segments[0]?.data.subarray(s.address - (first?.address ?? 0), s.address - (first?.address ?? 0) + s.data.length) ?? [])]).toEqual([...s.data]);
        const vbf = readFirmware(writeFirmware(img, { target: { format: 'vbf' }, vbf: { header: defaultVbfHeader(img, 'P') } }).bytes).image;
        expect(flat(vbf)).toEqual(flat(img));
      }),
      { numRuns: 30 },
    );
  });

  it('random bytes never throw anything but the documented errors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), fc.string({ maxLength: 200 }).map((s) => t(`S1${s}`)), fc.string({ maxLength: 200 }).map((s) => t(`:${s}`)), fc.string({ maxLength: 200 }).map((s) => t(`vbf_version = 2.6; header { ${s}`))), (bytes) => {
        try {
          readFirmware(bytes, { file: 'r' });
        } catch (e) {
          if (!(e instanceof FirmwareFormatError || e instanceof ImageOverlapError || e instanceof VbfCompressionError || e instanceof InvalidArgumentError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('readFirmware: binary base', () => {
  it('names the file when the base puts data past 32 bits', () => {
    expect(() => readFirmware(Uint8Array.of(1, 2), { base: 0xffffffff, file: 'big.bin' })).toThrow(/^big\.bin: 2 bytes loaded at base 0xFFFFFFFF run past 0xFFFFFFFF; give a lower base address$/);
    expect(readFirmware(Uint8Array.of(1), { base: 0xffffffff }).image.segments[0]?.address).toBe(0xffffffff);
  });
});
