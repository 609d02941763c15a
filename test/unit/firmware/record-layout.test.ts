import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { writeFirmware } from '../../../src/firmware/firmware-write.js';
import { createImage, type FirmwareImage, type Segment } from '../../../src/firmware/image.js';
import { readIntelHex, writeIntelHex, type IntelHexWriteOptions } from '../../../src/firmware/intel-hex.js';
import { RecordCursor, SREC_CAT_CHUNK_SIZE } from '../../../src/firmware/record-layout.js';
import { readSRecord, writeSRecord, type SRecordWriteOptions } from '../../../src/firmware/srecord.js';

/**
 * The writers lay records out as srec_cat 1.64 does. Every expected text below is srec_cat's own output for
 * the command in the comment (Debian srecord 1.64).
 */

const lines = (...l: string[]): string => l.map((x) => `${x}\n`).join('');
/** `n` bytes of `pattern` repeated (srec_cat's -repeat-data / -repeat-string). */
const repeat = (pattern: number[], n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => pattern[i % pattern.length] as number);
const UDSKIT = [...Buffer.from('udskit')];

const SREC: [string, FirmwareImage, SRecordWriteOptions, string][] = [
  [
    // srec_cat -generate 0x6F0 0x720 -repeat-string udskit -o - -header H -obs=16
    'a record stops at 0x700 (a multiple of 1792) and the next run starts there',
    createImage([{ address: 0x6f0, data: repeat(UDSKIT, 0x30) }]),
    { header: 'H', bytesPerRecord: 16 },
    lines('S004000048B3', 'S11306F07564736B69747564736B69747564736B17', 'S113070069747564736B69747564736B6974756407', 'S1130710736B69747564736B69747564736B6974F2', 'S5030003F9'),
  ],
];

const HEX: [string, FirmwareImage, IntelHexWriteOptions, string][] = [
  [
    // srec_cat -generate 0xDF8 0xE14 -repeat-data 0xA5 0x5A -o - -intel -obs=16
    'a run cut at 0xE00 (2 * 1792): 8 bytes, then records from 0xE00',
    createImage([{ address: 0xdf8, data: repeat([0xa5, 0x5a], 0x1c) }]),
    { bytesPerRecord: 16 },
    lines(':020000040000FA', ':080DF800A55AA55AA55AA55AF7', ':100E0000A55AA55AA55AA55AA55AA55AA55AA55AEA', ':040E1000A55AA55AE0', ':00000001FF'),
  ],
  [
    // srec_cat -generate 0x6F0 0x720 -repeat-string udskit -o - -intel -obs=16 (the run is cut at 0x700 on the grid)
    'linear addressing, the same data as the S-record case',
    createImage([{ address: 0x6f0, data: repeat(UDSKIT, 0x30) }]),
    { bytesPerRecord: 16 },
    lines(':020000040000FA', ':1006F0007564736B69747564736B69747564736B1B', ':1007000069747564736B69747564736B697475640B', ':10071000736B69747564736B69747564736B6974F6', ':00000001FF'),
  ],
  [
    // srec_cat -generate 0xFFF8 0x10018 -repeat-data 1 2 3 -o - -intel -obs=16
    'linear (04) addressing: a record runs across 64 KiB',
    createImage([{ address: 0xfff8, data: repeat([1, 2, 3], 0x20) }]),
    { bytesPerRecord: 16 },
    lines(':020000040000FA', ':10FFF80001020301020301020301020301020301DA', ':020000040001F9', ':1000080002030102030102030102030102030102C8', ':00000001FF'),
  ],
  [
    // srec_cat -generate 0xFFF8 0x10018 -repeat-data 1 2 3 -execution-start-address 0x2345 -o - -intel -address-length=3 -obs=16
    'segment (02) addressing: the record across 64 KiB is cut at the boundary, the grid goes on at 0x10008',
    { ...createImage([{ address: 0xfff8, data: repeat([1, 2, 3], 0x20) }]), startAddress: 0x2345 },
    { bytesPerRecord: 16, addressing: 'segment' },
    lines(':020000020000FC', ':08FFF8000102030102030102F2', ':020000021000EC', ':080000000301020301020301E8', ':1000080002030102030102030102030102030102C8', ':040000030000234591', ':00000001FF'),
  ],
  [
    // srec_cat -generate 0x10 0x14 -repeat-data 0xEE -execution-start-address 0x1234 -o - -intel -address-length=2
    'no extended records (I8HEX): the start address in the end-of-file record',
    { ...createImage([{ address: 0x10, data: repeat([0xee], 4) }]), startAddress: 0x1234 },
    { addressing: 'none' },
    lines(':04001000EEEEEEEE34', ':00123401B9'),
  ],
];

describe("srec_cat's record layout", () => {
  it.each(SREC)('S-record: %s', (_name, image, options, expected) => {
    expect(writeSRecord(image, options)).toBe(expected);
    expect(readSRecord(expected).segments).toEqual(image.segments.map((s) => ({ address: s.address, data: s.data })));
  });

  it.each(HEX)('Intel HEX: %s', (_name, image, options, expected) => {
    expect(writeIntelHex(image, options)).toBe(expected);
    const back = readIntelHex(expected, { strict: true });
    expect(back.segments).toEqual(image.segments.map((s) => ({ address: s.address, data: s.data })));
    expect(back.startAddress ?? (back.startSegment ? back.startSegment.cs * 16 + back.startSegment.ip : undefined)).toBe(image.startAddress);
  });

  it('writeFirmware gives the writers\' layout (no cutting of its own)', () => {
    const [, image, , expected] = HEX[0] as (typeof HEX)[number];
    expect(Buffer.from(writeFirmware(image, { target: { format: 'intel-hex' }, recordSize: 16 }).bytes).toString('latin1')).toBe(expected);
    // srec_cat 1.64 writes CS = upper 16 bits of a start above 64 KiB (0x12345 as 0001:2345); udskit writes CS * 16 + IP = start.
    const high = { ...image, startAddress: 0x12345 };
    expect(writeIntelHex(high, { addressing: 'segment' }).split('\n')).toContain(':040000031000234581');
  });
});

describe('RecordCursor', () => {
  const walk = (segments: Segment[], per: number, split = false): [number, number][] => {
    const c = new RecordCursor(segments, per, split);
    const out: [number, number][] = [];
    while (c.next()) out.push([c.address, c.to - c.from]);
    return out;
  };

  it('starts a run at each segment and at each multiple of 1792', () => {
    expect(SREC_CAT_CHUNK_SIZE).toBe(1792);
    const segs = [{ address: 0x13, data: new Uint8Array(0x1000) }];
    const records = walk(segs, 0x100);
    // 0x13.. cut at 0x700 and 0xE00, then on the grid of each run.
    expect(records.filter(([a]) => a % 0x100 !== 0x13).map(([a]) => a)).toEqual([0x700, 0x800, 0x900, 0xa00, 0xb00, 0xc00, 0xd00, 0xe00, 0xf00, 0x1000]);
    expect(records.find(([a]) => a === 0x613)).toEqual([0x613, 0xed]);
    expect(records.reduce((n, [, len]) => n + len, 0)).toBe(0x1000);
  });

  it('joins touching segments into one run, as srec_cat sees bytes, not segments', () => {
    const whole = repeat([1, 2, 3, 4, 5], 100);
    const touching: FirmwareImage = { segments: [{ address: 0x6f0, data: whole.subarray(0, 7) }, { address: 0x6f7, data: whole.subarray(7, 8) }, { address: 0x6f8, data: whole.subarray(8) }] };
    const merged = createImage([{ address: 0x6f0, data: whole }]);
    expect(writeSRecord(touching, { bytesPerRecord: 5 })).toBe(writeSRecord(merged, { bytesPerRecord: 5 }));
    expect(writeIntelHex(touching, { addressing: 'segment' })).toBe(writeIntelHex(merged, { addressing: 'segment' }));
  });

  it('skips empty segments', () => {
    expect(walk([{ address: 5, data: new Uint8Array(0) }, { address: 9, data: new Uint8Array(3) }, { address: 20, data: new Uint8Array(0) }], 2)).toEqual([
      [9, 2],
      [11, 1],
    ]);
  });

  it('property: records cover the data in order, never cross 1792 (nor 64 KiB when splitting), at most `per` bytes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x3ffff }),
        fc.array(fc.record({ gap: fc.integer({ min: 0, max: 3000 }), len: fc.integer({ min: 0, max: 5000 }) }), { maxLength: 5 }),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (base, parts, per, split) => {
          const segments: Segment[] = [];
          let a = base;
          for (const p of parts) {
            a += p.gap;
            segments.push({ address: a, data: Uint8Array.from({ length: p.len }, (_, i) => (a + i) & 0xff) });
            a += p.len;
          }
          const c = new RecordCursor(segments, per, split);
          const expected = segments.flatMap((s) => Array.from(s.data, (_, i) => s.address + i));
          let k = 0;
          // Bounded by the data: each record holds at least one byte.
          while (c.next()) {
            const n = c.to - c.from;
            expect(n).toBeGreaterThan(0);
            expect(n).toBeLessThanOrEqual(per);
            expect(Math.floor(c.address / 1792)).toBe(Math.floor((c.address + n - 1) / 1792));
            if (split) expect(Math.floor(c.address / 0x10000)).toBe(Math.floor((c.address + n - 1) / 0x10000));
            let bytesOk = true;
            for (let i = 0; i < n; i++) bytesOk &&= c.data[c.from + i] === ((c.address + i) & 0xff);
            expect(bytesOk).toBe(true);
            // The next n addresses of the data, in order.
            expect([expected[k], expected[k + n - 1]]).toEqual([c.address, c.address + n - 1]);
            k += n;
          }
          expect(k).toBe(expected.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
