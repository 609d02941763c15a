import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { writeBinary, writeBinaryChunks } from '../../../src/firmware/binary.js';
import { FirmwareFormatError, ImageOverlapError, type FirmwareWarning, type ReadOptions } from '../../../src/firmware/errors.js';
import { FirmwareReader, readFirmware, type FirmwareFile, type ReadFirmwareOptions } from '../../../src/firmware/firmware-file.js';
import { writeFirmware } from '../../../src/firmware/firmware-write.js';
import { createImage, type FirmwareFormat, type FirmwareImage } from '../../../src/firmware/image.js';
import { IntelHexReader, readIntelHex, writeIntelHex, writeIntelHexBytes, writeIntelHexChunks } from '../../../src/firmware/intel-hex.js';
import { readSRecord, SRecordReader, writeSRecord, writeSRecordBytes, writeSRecordChunks } from '../../../src/firmware/srecord.js';

/** The incremental readers fed in chunks, and the byte / chunked writers, against the whole-text API. */

const FORMATS: Readonly<Record<'srec' | 'hex' | 'bin' | 'vbf', FirmwareFormat>> = { srec: 'srecord', hex: 'intel-hex', bin: 'binary', vbf: 'vbf' };

const bytes = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const concat = (chunks: Iterable<Uint8Array>): string => Buffer.concat([...chunks].map((c) => Buffer.from(c))).toString('latin1');

/** What reading gives, in a comparable form: the image and warnings, or the error class and message. */
function outcome(read: () => FirmwareImage, warnings: FirmwareWarning[]): unknown {
  try {
    const img = read();
    return {
      segments: img.segments.map((s) => [s.address, Buffer.from(s.data).toString('hex')]),
      start: img.startAddress,
      startSegment: img.startSegment,
      header: img.header && Buffer.from(img.header).toString('hex'),
      warnings: [...warnings],
    };
  } catch (e) {
    if (e instanceof FirmwareFormatError || e instanceof ImageOverlapError) return { error: e.constructor.name, message: e.message, details: e.details };
    throw e;
  }
}

type Incremental = new (options?: ReadOptions, inputBytes?: number) => { push(chunk: Uint8Array): void; end(): FirmwareImage };

/**
 * Reads `text` whole and in chunks cut at `cuts`; both outcomes. The size hint of the incremental reader is
 * the cut list's length mapped to none, the right size or a wrong one (it must never change the outcome).
 */
function bothWays(whole: (t: Uint8Array, o: ReadOptions) => FirmwareImage, Reader: Incremental, text: Uint8Array, cuts: number[], options: ReadOptions = {}): [unknown, unknown] {
  const hint = [undefined, text.length, 3, text.length * 1000][cuts.length % 4];
  const w1: FirmwareWarning[] = [];
  const w2: FirmwareWarning[] = [];
  const a = outcome(() => whole(text, { ...options, file: 'f', onWarning: (w) => w1.push(w) }), w1);
  const b = outcome(() => {
    const r = new Reader({ ...options, file: 'f', onWarning: (w) => w2.push(w) }, hint);
    const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((x, y) => x - y);
    let from = 0;
    for (const p of [...points, text.length]) {
      r.push(text.subarray(from, p));
      from = p;
    }
    return r.end();
  }, w2);
  return [a, b];
}

const READERS = [
  ['S-record', readSRecord, SRecordReader, (img: FirmwareImage) => writeSRecord(img)],
  ['Intel HEX', readIntelHex, IntelHexReader, (img: FirmwareImage) => writeIntelHex(img)],
] as const;

const image = fc
  .record({
    base: fc.integer({ min: 0, max: 0xfffff000 }),
    pieces: fc.array(fc.record({ off: fc.integer({ min: 0, max: 0xf00 }), data: fc.uint8Array({ minLength: 1, maxLength: 80 }) }), { maxLength: 6 }),
    start: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
  })
  .map(({ base, pieces, start }) => ({
    ...createImage(pieces.map((p) => ({ address: base + p.off, data: p.data })), {}, { overlap: 'last-wins' }),
    ...(start !== undefined ? { startAddress: start } : {}),
  }));

/** Line ends and white space a file may use instead of the writers' LF. */
const restyle = fc.constantFrom(
  (t: string) => t,
  (t: string) => t.replace(/\n/g, '\r\n'),
  (t: string) => t.replace(/\n/g, '\r'),
  (t: string) => t.replace(/\n/g, ' \t\n\n'),
  (t: string) => t.replace(/\n$/, ''),
  (t: string) => t.toLowerCase().replace(/^s/gm, 'S'),
);

describe('incremental readers: any chunking reads the same as the whole text', () => {
  for (const [name, whole, Reader, write] of READERS) {
    it(`${name}: valid files in any line-end style, cut anywhere`, () => {
      fc.assert(
        fc.property(image, restyle, fc.array(fc.nat(), { maxLength: 12 }), (img, style, cuts) => {
          const [a, b] = bothWays(whole, Reader, bytes(style(write(img))), cuts);
          expect(b).toEqual(a);
        }),
      );
    });

    it(`${name}: mutated files (same error at the same place, or the same image)`, () => {
      const alphabet = fc.constantFrom(...'S0123456789ABCDEFaf:\n\r \tx'.split(''));
      fc.assert(
        fc.property(image, restyle, fc.array(fc.tuple(fc.nat(), alphabet), { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 40 }), fc.boolean(), (img, style, edits, cuts, strict) => {
          const chars = style(write(img)).split('');
          for (const [pos, ch] of edits) chars[pos % chars.length] = ch;
          const [a, b] = bothWays(whole, Reader, bytes(chars.join('')), cuts, { strict, overlap: strict ? 'error' : 'last-wins' });
          expect(b).toEqual(a);
        }),
      );
    });

    it(`${name}: random bytes, one byte per chunk`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 120 }), (data) => {
          const [a, b] = bothWays(whole, Reader, data, Array.from({ length: data.length }, (_, i) => i));
          expect(b).toEqual(a);
        }),
      );
    });
  }

  it('a CR at the end of one chunk and the LF at the start of the next are one line end', () => {
    const r = new SRecordReader({ file: 'f', strict: true });
    r.push(bytes('S1051000AAAA96\r'));
    r.push(bytes('\nS9030000FC\r'));
    r.push(bytes('\n'));
    expect(r.end().segments.map((s) => s.address)).toEqual([0x1000]);
    // Line numbers count across chunks: the fault is on line 3.
    const bad = new IntelHexReader({ file: 'f' });
    bad.push(bytes(':0100000011EE\r'));
    bad.push(bytes('\n\n:01000'));
    expect(() => {
      bad.push(bytes('10022DD\n'));
      bad.end();
    }).toThrow('f:3:12: bad checksum: expected DC, found DD');
  });

  it('Intel HEX: chunks after the EOF record are ignored', () => {
    const r = new IntelHexReader();
    r.push(bytes(':0100000011EE\n:00000001FF\n'));
    r.push(bytes('rubbish'));
    expect(r.end().segments.length).toBe(1);
  });
});

describe('byte and chunked writers give the bytes of the text writers', () => {
  const chunkChoice = fc.oneof(fc.integer({ min: 1024, max: 5000 }), fc.integer({ min: 1024, max: 3000 }).map((n) => new Uint8Array(n)));
  it('S-record and Intel HEX, any options, any chunk size, fresh or reused buffers', () => {
    fc.assert(
      fc.property(image, fc.integer({ min: 1, max: 64 }), fc.constantFrom(2, 3, 4), fc.constantFrom('\n', '\r\n'), chunkChoice, (img, per, width, eol, chunk) => {
        const sOpts = { bytesPerRecord: per, addressBytes: width as 2 | 3 | 4, lineEnding: eol as '\n' | '\r\n' };
        const s = writeSRecord(img, sOpts);
        expect(Buffer.from(writeSRecordBytes(img, sOpts)).toString('latin1')).toBe(s);
        const sChunks: string[] = [];
        for (const c of writeSRecordChunks(img, sOpts, chunk)) {
          expect(c.length).toBeLessThanOrEqual(typeof chunk === 'number' ? chunk : chunk.length);
          sChunks.push(Buffer.from(c).toString('latin1')); // copied now: a reused buffer changes with the next chunk
        }
        expect(sChunks.join('')).toBe(s);
        // Every chunk holds whole records.
        for (const c of sChunks) expect(c.endsWith('\n')).toBe(true);

        const iOpts = { bytesPerRecord: per, lineEnding: eol as '\n' | '\r\n' };
        const h = writeIntelHex(img, iOpts);
        expect(Buffer.from(writeIntelHexBytes(img, iOpts)).toString('latin1')).toBe(h);
        const hChunks: string[] = [];
        for (const c of writeIntelHexChunks(img, iOpts, chunk)) hChunks.push(Buffer.from(c).toString('latin1'));
        expect(hChunks.join('')).toBe(h);
      }),
    );
  });

  it('fresh chunks stay valid after the next one is made', () => {
    const img = createImage([{ address: 0, data: new Uint8Array(5000).fill(0x5a) }]);
    expect(concat([...writeIntelHexChunks(img, {}, 1024)])).toBe(writeIntelHex(img));
    expect(concat([...writeSRecordChunks(img, {}, 1024)])).toBe(writeSRecord(img));
  });

  it('checks options and the chunk size at the call, not at the first chunk', () => {
    const img = createImage([{ address: 0x10000, data: Uint8Array.of(1) }]);
    expect(() => writeSRecordChunks(img, { bytesPerRecord: 252 })).toThrow(/bytesPerRecord must be 1..251/);
    expect(() => writeIntelHexChunks(img, { addressing: 'none' })).toThrow(/addressing 'none'/);
    expect(() => writeSRecordChunks(img, {}, 1023)).toThrow(InvalidArgumentError);
    expect(() => writeIntelHexChunks(img, {}, new Uint8Array(100))).toThrow('chunk must be a size or a buffer of at least 1024 bytes, got a buffer of 100 bytes');
    expect(() => writeIntelHexChunks(img, {}, 2048.5)).toThrow(InvalidArgumentError);
  });

  it('an empty image: S0 and nothing else, or the Intel HEX EOF record', () => {
    expect(concat(writeSRecordChunks(createImage([]), { header: false, countRecord: true }))).toBe('S5030000FC\n');
    expect(concat(writeIntelHexChunks(createImage([])))).toBe(':00000001FF\n');
  });
});

describe('writeBinaryChunks', () => {
  it('concatenated, equals writeBinary for any image, fill and chunk size', () => {
    fc.assert(
      fc.property(image, fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 300 }), (img, fill, chunkBytes) => {
        const chunks = [...writeBinaryChunks(img, { fill }, chunkBytes)];
        expect(Buffer.concat(chunks.map((c) => Buffer.from(c))).equals(Buffer.from(writeBinary(img, { fill })))).toBe(true);
        for (const c of chunks) expect(c.length).toBeGreaterThan(0);
      }),
    );
  });

  it('yields the segments themselves (no copy) and gap chunks of at most chunkBytes', () => {
    const a = new Uint8Array([1, 2]);
    const b = new Uint8Array([3]);
    const chunks = [...writeBinaryChunks({ segments: [{ address: 0, data: a }, { address: 12, data: b }] }, { fill: 0 }, 4)];
    expect(chunks[0]).toBe(a);
    expect(chunks.slice(1, -1).map((c) => [...c])).toEqual([[0, 0, 0, 0], [0, 0, 0, 0], [0, 0]]);
    expect(chunks[chunks.length - 1]).toBe(b);
    expect(() => writeBinaryChunks(createImage([]), { fill: 256 })).toThrow(/fill must be a byte/);
    expect(() => writeBinaryChunks(createImage([]), {}, 0)).toThrow(/chunkBytes/);
  });
});

describe('FirmwareReader: any format, any chunking, the same as readFirmware', () => {
  /** The file in a comparable form, or the error class and message. */
  const fileOutcome = (read: () => FirmwareFile): unknown => {
    try {
      const f = read();
      return { format: f.format, detected: f.detected, base: f.base, image: outcome(() => f.image, []) };
    } catch (e) {
      if (e instanceof Error) return { error: e.constructor.name, message: e.message };
      throw e;
    }
  };
  const inChunks = (bytes: Uint8Array, cuts: number[], options: ReadFirmwareOptions, hint: number | undefined): FirmwareFile => {
    const r = new FirmwareReader(options, hint);
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((x, y) => x - y);
    let from = 0;
    for (const p of [...points, bytes.length]) {
      // A reused buffer: the reader must copy what it keeps.
      const reused = Buffer.from(bytes.subarray(from, p));
      r.push(reused);
      reused.fill(0x3f);
      from = p;
    }
    return r.end();
  };
  const formats = fc.constantFrom('srec', 'hex', 'bin', 'vbf', 'noise');
  const prefix = fc.constantFrom('', '\n\n', ' \t\r\n'.repeat(40), '\uFEFF', '\n\uFEFF  ');

  it('valid and mutated files of every format, with blank prefixes, cut anywhere', () => {
    fc.assert(
      fc.property(image, formats, prefix, fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { maxLength: 2 }), fc.array(fc.nat(), { maxLength: 12 }), fc.boolean(), (img, format, pre, edits, cuts, forced) => {
        let body: Uint8Array;
        if (format === 'srec') body = bytes(writeSRecord(img));
        else if (format === 'hex') body = bytes(writeIntelHex(img));
        else if (format === 'vbf') body = writeFirmware(img, { target: { format: 'vbf' }, vbf: { header: { sw_part_number: 'P' } } }).bytes;
        else if (format === 'bin') body = writeBinary(img);
        else body = Uint8Array.from(cuts, (c) => c & 0xff);
        const file = Uint8Array.from([...Buffer.from(pre, 'utf8'), ...body]);
        for (const [pos, v] of edits) if (file.length > 0) file[pos % file.length] = v;
        const options: ReadFirmwareOptions = { file: 'f', overlap: 'last-wins', base: 0x100, ...(forced && format !== 'noise' ? { format: FORMATS[format] } : {}) };
        const whole = fileOutcome(() => readFirmware(file, options));
        for (const hint of [undefined, file.length, 7]) expect(fileOutcome(() => inChunks(file, cuts, options, hint))).toEqual(whole);
      }),
      { numRuns: 150 },
    );
  });

  it('binary input becomes one buffer of the announced size: the image holds it, no second copy', () => {
    const data = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const r = new FirmwareReader({ base: 0x8000 }, data.length);
    for (let at = 0; at < data.length; at += 1024) r.push(data.subarray(at, at + 1024));
    const f = r.end();
    const seg = f.image.segments[0];
    expect([f.format, f.base, seg?.address, seg?.data.length, seg?.data.buffer.byteLength]).toEqual(['binary', 0x8000, 0x8000, 5000, 5000]);
    expect(Buffer.from(seg?.data ?? []).equals(Buffer.from(data))).toBe(true);
  });

  it('an empty input is an empty binary image; blank-only text stays undetected until the end', () => {
    expect(new FirmwareReader().end()).toMatchObject({ format: 'binary', detected: true, image: { segments: [] } });
    const r = new FirmwareReader();
    r.push(bytes('\n'.repeat(100)));
    r.push(bytes('S10500000102F7\n'));
    expect(r.end()).toMatchObject({ format: 'srecord', image: { segments: [{ address: 0 }] } });
  });
});
