import { describe, it, expect } from 'vitest';
import { FirmwareFormatError, ImageOverlapError } from '../../../src/firmware/errors.js';
import { createImage, type FirmwareImage } from '../../../src/firmware/image.js';
import { parseVbf, writeVbf } from '../../../src/firmware/vbf.js';
import { VbfCompressionError, VbfFormatError } from '../../../src/firmware/vbf-errors.js';
import {
  dataOutsideErase,
  defaultVbfHeader,
  eraseRangesOf,
  imageToVbf,
  readVbfImage,
  vbfFieldsOf,
  vbfHeaderForImage,
  vbfToImage,
} from '../../../src/firmware/vbf-image.js';

const b = (...v: number[]): Uint8Array => Uint8Array.from(v);
const img = (...segs: [number, number[]][]): FirmwareImage => createImage(segs.map(([address, d]) => ({ address, data: Uint8Array.from(d) })));
const flat = (i: FirmwareImage): [number, number[]][] => i.segments.map((s) => [s.address, [...s.data]]);

const VBF = writeVbf({
  version: '2.6',
  header: { sw_part_number: '31234567', sw_part_type: 'SBL', call: 0x1000, erase: [{ start: 0x1000, length: 0x100 }] },
  blocks: [
    { address: 0x1000, data: b(1, 2, 3) },
    { address: 0x1003, data: b(4) }, // adjacent: merges into one segment
    { address: 0x1080, data: b(9, 9) },
  ],
});

describe('VbfFormatError', () => {
  it('is a FirmwareFormatError with its own code and the place fields', () => {
    const e = VbfFormatError.at({ file: 'f.vbf', offset: 42, problem: 'bad block CRC-16', expected: 'CRC-16 0x1234', found: 'CRC-16 0x4321' }, { block: 1 });
    expect(e).toBeInstanceOf(FirmwareFormatError);
    expect(e.code).toBe('UDSKIT_VBF_FORMAT');
    expect(e.place).toEqual({ file: 'f.vbf', offset: 42 });
    expect(e.message).toBe('f.vbf at byte offset 42 (0x2A): expected CRC-16 0x1234, found CRC-16 0x4321');
    expect(e.details).toMatchObject({ file: 'f.vbf', offset: 42, problem: 'bad block CRC-16', expected: 'CRC-16 0x1234', found: 'CRC-16 0x4321', block: 1 });
    const h = VbfFormatError.at({ file: 'f.vbf', line: 3, column: 7, offset: 30, expected: "';'", found: "'}'" });
    expect(h.message).toBe("f.vbf:3:7: expected ';', found '}'");
    expect(h.details).toMatchObject({ line: 3, column: 7, offset: 30, problem: 'malformed VBF' });
  });

  it('the reader names the problem of a bad block CRC', () => {
    const bad = VBF.slice();
    bad[bad.length - 1] = (bad[bad.length - 1] as number) ^ 0xff; // last CRC byte: file_checksum is checked after the blocks
    try {
      parseVbf(bad, { fileName: 'x.vbf' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FirmwareFormatError);
      expect((e as VbfFormatError).details).toMatchObject({ file: 'x.vbf', problem: 'bad block CRC-16', block: 2 });
    }
  });
});

describe('VBF <-> image', () => {
  it('blocks become segments, call the start address, the header the metadata', () => {
    const image = readVbfImage(VBF, { file: 'sbl.vbf' });
    expect(flat(image)).toEqual([
      [0x1000, [1, 2, 3, 4]],
      [0x1080, [9, 9]],
    ]);
    expect(image.format).toBe('vbf');
    expect(image.startAddress).toBe(0x1000);
    expect(Buffer.from(image.header ?? []).toString('latin1')).toMatch(/^vbf_version = 2\.6;[\s\S]*}$/);
    const f = vbfFieldsOf(image);
    expect(f?.header.sw_part_number).toBe('31234567');
    expect(f?.blocks.map((x) => [x.address, x.length, x.crcChecked])).toEqual([
      [0x1000, 3, true],
      [0x1003, 1, true],
      [0x1080, 2, true],
    ]);
    expect(vbfFieldsOf(img([0, [1]]))).toBeUndefined();
  });

  it('overlapping blocks name both byte offsets', () => {
    const v = writeVbf({ version: '2.6', header: {}, blocks: [{ address: 0x10, data: b(1, 2) }, { address: 0x11, data: b(3) }] });
    const e = (() => {
      try {
        readVbfImage(v, { file: 'o.vbf' });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(ImageOverlapError);
    expect((e as Error).message).toMatch(/o\.vbf@0x[0-9A-F]+ writes over data from o\.vbf@0x[0-9A-F]+/);
    expect(flat(readVbfImage(v, { overlap: 'last-wins' }))).toEqual([[0x10, [1, 3]]]);
  });

  it('undecodable compression: an error naming the method, or the blocks left out', () => {
    const parsed = parseVbf(VBF);
    const lzma = { ...parsed, header: { ...parsed.header, data_format_identifier: 0x20 }, blocks: parsed.blocks.map((x) => ({ ...x, data: undefined, crcChecked: false })) };
    expect(() => vbfToImage(lzma, { file: 'z.vbf' })).toThrow(VbfCompressionError);
    expect(() => vbfToImage(lzma, { file: 'z.vbf' })).toThrow(/z\.vbf: blocks are compressed with LZMA/);
    const omitted = vbfToImage(lzma, { undecodable: 'omit' });
    expect(omitted.segments).toEqual([]);
    expect(vbfFieldsOf(omitted)?.undecodedBlocks).toBe(3);
  });

  it('imageToVbf writes one block per segment and reads back the same', () => {
    const image = img([0x100, [1, 2, 3]], [0x200, [4]]);
    const bytes = imageToVbf(image, { header: defaultVbfHeader(image, 'P1') });
    const back = readVbfImage(bytes);
    expect(flat(back)).toEqual(flat(image));
    expect(vbfFieldsOf(back)?.header).toMatchObject({ sw_part_number: 'P1', sw_version: '1', sw_part_type: 'EXE', erase: [{ start: 0x100, length: 3 }, { start: 0x200, length: 1 }] });
  });
});

describe('vbfHeaderForImage', () => {
  const image = img([0x1000, [1, 2]], [0x2000, [3]]);

  it('finds data outside the erase ranges', () => {
    expect(dataOutsideErase(image, [{ start: 0x1000, length: 0x1001 }])).toBeUndefined();
    expect(dataOutsideErase(image, [{ start: 0x1000, length: 1 }])).toEqual({ start: 0x1001, end: 0x1002 });
    expect(dataOutsideErase(image, [{ start: 0x2000, length: 1 }, { start: 0x1000, length: 2 }])).toBeUndefined();
    expect(eraseRangesOf(image)).toEqual([{ start: 0x1000, length: 2 }, { start: 0x2000, length: 1 }]);
  });

  it('keeps a covering erase list, recomputes the input\'s when it no longer covers, refuses a header file\'s', () => {
    const erase = [{ start: 0x1000, length: 0x1001 }];
    const keep = vbfHeaderForImage(image, { version: '2.6', header: { erase, file_checksum: 1 }, source: 'input' });
    expect(keep.header.erase).toEqual(erase);
    expect(keep.header.file_checksum).toBeUndefined();
    const moved = vbfHeaderForImage(image, { version: '2.6', header: { erase: [{ start: 0, length: 1 }] }, source: 'input' });
    expect(moved.header.erase).toEqual(eraseRangesOf(image));
    expect(moved.notes.join()).toMatch(/do not cover 0x00001000\.\.0x00001001/);
    expect(() => vbfHeaderForImage(image, { version: '2.6', header: { erase: [{ start: 0, length: 1 }] }, source: 'header-file', file: 'h.vbf' })).toThrow(
      /erase ranges of h\.vbf do not cover the data at 0x00001000\.\.0x00001001/,
    );
    expect(vbfHeaderForImage(image, { version: '2.6', header: {}, source: 'default' }).notes).toEqual(['erase ranges computed from the data (one per range)']);
  });

  it('writes call for an SBL, a template with call, or an explicit start address; else says it is dropped', () => {
    const started = { ...image, startAddress: 0x1001 };
    expect(vbfHeaderForImage(started, { version: '2.6', header: { sw_part_type: 'SBL' }, source: 'default' }).header.call).toBe(0x1001);
    expect(vbfHeaderForImage(started, { version: '2.6', header: { call: 5 }, source: 'input' }).header.call).toBe(0x1001);
    expect(vbfHeaderForImage(started, { version: '2.6', header: {}, source: 'default' }, { startAddressGiven: true }).header.call).toBe(0x1001);
    const exe = vbfHeaderForImage(started, { version: '2.6', header: { sw_part_type: 'EXE' }, source: 'default' });
    expect(exe.header.call).toBeUndefined();
    expect(exe.notes.join()).toMatch(/start address 0x00001001 not written/);
  });
});
