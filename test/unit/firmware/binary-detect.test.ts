import { describe, it, expect } from 'vitest';
import { readBinary, writeBinary } from '../../../src/firmware/binary.js';
import { detectFormat } from '../../../src/firmware/detect.js';
import { createImage } from '../../../src/firmware/image.js';

const t = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

describe('binary', () => {
  it('reads at a base address', () => {
    const img = readBinary(Uint8Array.of(1, 2, 3), 0x8000);
    expect(img.segments.map((s) => [s.address, [...s.data]])).toEqual([[0x8000, [1, 2, 3]]]);
    expect(readBinary(new Uint8Array(0)).segments).toEqual([]);
    expect(() => readBinary(Uint8Array.of(1, 2), 0xffffffff)).toThrow(/outside/);
  });
  it('writes from the lowest address, gaps filled with 0xFF or the fill byte', () => {
    const img = createImage([
      { address: 0x10, data: Uint8Array.of(1) },
      { address: 0x13, data: Uint8Array.of(2) },
    ]);
    expect([...writeBinary(img)]).toEqual([1, 0xff, 0xff, 2]);
    expect([...writeBinary(img, { fill: 0 })]).toEqual([1, 0, 0, 2]);
    expect(writeBinary(createImage([])).length).toBe(0);
    expect(() => writeBinary(img, { fill: -1 })).toThrow(/fill must be a byte/);
  });
});

describe('detectFormat (from content, not extension)', () => {
  const table: [string, Uint8Array, string][] = [
    ['S-record', t('S0030000FC\n'), 'srecord'],
    ['S-record after blank lines', t('\r\n\n  S1131000AA'), 'srecord'],
    ['Intel HEX', t(':020000040000FA\n'), 'intel-hex'],
    ['Intel HEX with BOM', Uint8Array.of(0xef, 0xbb, 0xbf, ...t(':00000001FF')), 'intel-hex'],
    ['VBF', t('vbf_version = 2.6;\nheader {'), 'vbf'],
    ['binary that starts with S', t('Sx'), 'binary'],
    ['binary that starts with :', t(':Z0'), 'binary'],
    ['random binary', Uint8Array.of(0x7f, 0x45, 0x4c, 0x46), 'binary'],
    ['empty', new Uint8Array(0), 'binary'],
  ];
  for (const [name, bytes, want] of table) it(name, () => expect(detectFormat(bytes)).toBe(want));
});
