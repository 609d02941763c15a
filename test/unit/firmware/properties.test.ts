import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { readBinary, writeBinary } from '../../../src/firmware/binary.js';
import { detectFormat } from '../../../src/firmware/detect.js';
import { FirmwareFormatError, ImageOverlapError } from '../../../src/firmware/errors.js';
import { createImage, type FirmwareImage } from '../../../src/firmware/image.js';
import { fillGaps } from '../../../src/firmware/image-ops.js';
import { readIntelHex, writeIntelHex } from '../../../src/firmware/intel-hex.js';
import { readSRecord, writeSRecord } from '../../../src/firmware/srecord.js';

/** Random images whose data ends below `limit` (one per address width). */
const imageBelow = (limit: number): fc.Arbitrary<FirmwareImage> =>
  fc
    .record({
      base: fc.integer({ min: 0, max: limit - 0x1000 }),
      pieces: fc.array(fc.record({ off: fc.integer({ min: 0, max: 0xf00 }), data: fc.uint8Array({ minLength: 1, maxLength: 80 }) }), { maxLength: 8 }),
      start: fc.option(fc.integer({ min: 0, max: 0xffffffff }), { nil: undefined }),
    })
    .map(({ base, pieces, start }) => ({
      ...createImage(pieces.map((p) => ({ address: base + p.off, data: p.data })), {}, { overlap: 'last-wins' }),
      ...(start !== undefined ? { startAddress: start } : {}),
    }));

/** The start as one linear address: the start address, else CS * 16 + IP. */
const linear = (i: FirmwareImage): number | undefined => i.startAddress ?? (i.startSegment ? i.startSegment.cs * 16 + i.startSegment.ip : undefined);

const same = (a: FirmwareImage, b: FirmwareImage) => {
  expect(b.segments.map((s) => [s.address, [...s.data]])).toEqual(a.segments.map((s) => [s.address, [...s.data]]));
};

const WIDTHS: [string, number, 2 | 3 | 4][] = [
  ['16-bit', 0x10000, 2],
  ['24-bit', 0x1000000, 3],
  ['32-bit', 0x100000000, 4],
];

describe('round trips: random images written and read back are identical', () => {
  for (const [name, limit, width] of WIDTHS) {
    it(`S-record, ${name} (auto and forced record type, any line length)`, () => {
      fc.assert(
        fc.property(imageBelow(limit), fc.integer({ min: 1, max: 249 }), fc.boolean(), fc.uint8Array({ maxLength: 40 }), (img, per, force, header) => {
          const text = writeSRecord(img, { bytesPerRecord: per, header, ...(force ? { addressBytes: width } : {}) });
          const back = readSRecord(text, { strict: img.startAddress !== undefined });
          same(img, back);
          expect(back.startAddress).toBe(img.startAddress);
          expect([...(back.header ?? [])]).toEqual([...header]);
          expect(back.format).toBe('srecord');
        }),
      );
    });

    it(`Intel HEX, ${name} (every addressing that fits, any record size)`, () => {
      fc.assert(
        fc.property(imageBelow(limit), fc.integer({ min: 1, max: 255 }), fc.option(fc.record({ cs: fc.integer({ min: 0, max: 0xffff }), ip: fc.integer({ min: 0, max: 0xffff }) }), { nil: undefined }), (img0, per, seg) => {
          const img = seg ? { ...img0, startSegment: seg } : img0;
          const modes = limit <= 0x10000 ? (['linear', 'segment', 'none'] as const) : (['linear'] as const);
          const start = linear(img);
          for (const addressing of modes) {
            const write = () => writeIntelHex(img, { bytesPerRecord: per, addressing });
            if (addressing === 'linear') {
              const back = readIntelHex(write(), { strict: true });
              same(img, back);
              expect(back.startAddress).toBe(img.startAddress);
              expect(back.startSegment).toEqual(img.startSegment);
            } else if (addressing === 'segment') {
              // One 03 record: the start segment, else CS:IP of the start address (which must lie below 1 MiB).
              if (!img.startSegment && start !== undefined && start >= 0x100000) {
                expect(write).toThrow(InvalidArgumentError);
                continue;
              }
              const back = readIntelHex(write(), { strict: true });
              same(img, back);
              expect(back.startAddress).toBeUndefined();
              expect(linear(back)).toBe(img.startSegment ? linear({ segments: [], startSegment: img.startSegment }) : img.startAddress);
            } else {
              // No start record: the start (below 64 KiB) goes into the end-of-file record, 0 reads as none.
              if (start !== undefined && start >= 0x10000) {
                expect(write).toThrow(InvalidArgumentError);
                continue;
              }
              const back = readIntelHex(write(), { strict: true });
              same(img, back);
              expect(back.startSegment).toBeUndefined();
              expect(back.startAddress).toBe(start === 0 ? undefined : start);
            }
          }
        }),
      );
    });

    it(`binary, ${name}`, () => {
      fc.assert(
        fc.property(imageBelow(limit), fc.integer({ min: 0, max: 255 }), (img, fill) => {
          const lowest = img.segments[0]?.address ?? 0;
          same(fillGaps(img, fill), readBinary(writeBinary(img, { fill }), lowest));
        }),
      );
    });
  }

  it('Intel HEX segment addressing up to 1 MiB', () => {
    fc.assert(
      fc.property(imageBelow(0x100000), (img) => {
        const start = img.startAddress !== undefined ? img.startAddress % 0x100000 : undefined;
        const back = readIntelHex(writeIntelHex({ ...img, ...(start !== undefined ? { startAddress: start } : {}) }, { addressing: 'segment' }), { strict: true });
        same(img, back);
        expect(linear(back)).toBe(start);
      }),
    );
  });
});

describe('fuzzing: readers throw only typed errors', () => {
  const typed = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof FirmwareFormatError || e instanceof ImageOverlapError)) throw e;
    }
  };
  const alphabet = fc.constantFrom(...'S0123456789ABCDEFaf:\n\r \tx'.split(''));
  it('random text', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), (chars) => {
        const text = chars.join('');
        typed(() => readSRecord(text));
        typed(() => readIntelHex(text));
        detectFormat(Uint8Array.from(Buffer.from(text, 'latin1')));
      }),
    );
  });
  it('mutated valid files', () => {
    fc.assert(
      fc.property(imageBelow(0x1000000), fc.array(fc.tuple(fc.nat(), alphabet), { minLength: 1, maxLength: 4 }), (img, edits) => {
        for (const [write, read] of [
          [writeSRecord, readSRecord],
          [writeIntelHex, readIntelHex],
        ] as const) {
          const chars = write(img).split('');
          for (const [pos, ch] of edits) chars[pos % chars.length] = ch;
          typed(() => read(chars.join(''), { strict: true }));
        }
      }),
    );
  });
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        typed(() => readSRecord(bytes));
        typed(() => readIntelHex(bytes));
      }),
    );
  });
});
