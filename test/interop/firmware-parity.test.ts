/**
 * `udskit image convert` and `udskit image info`, run as a user runs them, against Debian's srecord
 * (`srec_cat`, `srec_info`) and python3-intelhex on random images that `srec_cat -generate ... -random`
 * makes: several address widths, gaps, data across the 64 KiB and 16 MiB boundaries, in S19/S28/S37,
 * mixed S2/S3, Intel HEX with 04, 02 and no extended records, and binary. Every conversion must be
 * byte-identical to srec_cat's for the same conversion; `info` must report srec_info's ranges, start
 * address and header; Intel HEX files must read and write the same as python3-intelhex.
 *
 * srec_cat's random generator cannot be seeded (it seeds from the time and pid), so the inputs differ
 * from run to run: when a test fails, the directory with the generated inputs is kept and named.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hasSrecord, intelhexPython, intelhexRead, intelhexRewrite, srecCat, srecInfo } from '../helpers/srecord-tools.js';
import { cliLauncher, removeCliBundle, udskit } from '../helpers/udskit-runner.js';

if (!hasSrecord) console.warn('skipping firmware parity: srecord is not installed (apt-get install srecord)');
if (!intelhexPython) console.warn('skipping the python3-intelhex part of firmware parity: apt-get install python3-intelhex');

/** Random images: ranges `[start, end)` (srec_cat -generate), optional execution start address. */
const IMAGES: Record<string, { ranges: [number, number][]; start?: number }> = {
  // 16-bit, three ranges, the last one ends at 0xFFFF; the second crosses srec_cat's 1792-byte chunk boundary 0x700 off its record grid.
  i16: { ranges: [[0x0013, 0x0163], [0x0405, 0x0a21], [0xff00, 0x10000]], start: 0x0100 },
  // Below 1 MiB (so Intel HEX 02 segment addressing holds it), across 64 KiB boundaries.
  i20: { ranges: [[0xfff0, 0x10130], [0x2ff80, 0x30040], [0xefff0, 0xf0008]], start: 0x0400 },
  // Across the 16 MiB boundary (S2 below, S3 above in a .srec).
  i24: { ranges: [[0xffffc0, 0x1000050], [0x1230000, 0x1230101]], start: 0x1000000 },
  // 32-bit, up to the top of the address space.
  i32: { ranges: [[0x08000000, 0x08001000], [0x0800ffe0, 0x08010020], [0xffffff00, 0xfffffff0]], start: 0x08000101 },
  // No execution start address (no S7/S8/S9, no 05 record).
  nostart: { ranges: [[0x20000, 0x20100], [0x20180, 0x20181]] },
};

/** Input files: name, image, srec_cat output options, the srec tools' input options. */
const INPUTS: { file: string; image: string; make: string[]; read: string[] }[] = [
  { file: 'i16.s19', image: 'i16', make: [], read: [] },
  { file: 'i16.hex', image: 'i16', make: ['-intel'], read: ['-intel'] },
  { file: 'i16-seg.hex', image: 'i16', make: ['-intel', '-address-length=3'], read: ['-intel'] },
  { file: 'i16-i8.hex', image: 'i16', make: ['-intel', '-address-length=2'], read: ['-intel'] },
  { file: 'i20.s28', image: 'i20', make: ['-address-length=3'], read: [] },
  { file: 'i20.hex', image: 'i20', make: ['-intel'], read: ['-intel'] },
  { file: 'i20-seg.hex', image: 'i20', make: ['-intel', '-address-length=3'], read: ['-intel'] },
  { file: 'i24.srec', image: 'i24', make: [], read: [] },
  { file: 'i24.s37', image: 'i24', make: ['-address-length=4'], read: [] },
  { file: 'i24.hex', image: 'i24', make: ['-intel'], read: ['-intel'] },
  { file: 'i32.s37', image: 'i32', make: ['-address-length=4'], read: [] },
  { file: 'i32.hex', image: 'i32', make: ['-intel'], read: ['-intel'] },
  { file: 'nostart.s28', image: 'nostart', make: ['-address-length=3'], read: [] },
  { file: 'nostart.hex', image: 'nostart', make: ['-intel'], read: ['-intel'] },
];

/** Binary inputs: made from an S-record input (gaps filled with 0xFF, from its lowest address), read at `base`. */
const BINARIES: { file: string; from: string; base: number }[] = [
  { file: 'i16.bin', from: 'i16.s19', base: 0x0013 },
  { file: 'i20.bin', from: 'i20.s28', base: 0xfff0 },
];

/** srec_cat's output for a binary: `( IN -fill X -over IN ) -offset - -minimum-addr IN -binary`. */
function srecBinary(input: string[], fill: string, out: string): string[] {
  return ['(', ...input, '-fill', fill, '-over', '(', ...input, ')', ')', '-offset', '-', '-minimum-addr', '(', ...input, ')', '-o', out, '-binary'];
}

/** A conversion: udskit's arguments and srec_cat's for the same result. */
interface Case {
  name: string;
  out: string;
  udskit: string[];
  srecCat: string[];
}

const readOf = (file: string): string[] => {
  const i = INPUTS.find((x) => x.file === file);
  if (i) return [file, ...i.read];
  const b = BINARIES.find((x) => x.file === file);
  if (b) return [file, '-binary', '-offset', `0x${b.base.toString(16)}`];
  throw new Error(`no input ${file}`);
};

const CASES: Case[] = [
  // Every text input to the other text format (S-record -> Intel HEX 04, Intel HEX -> .srec smallest width).
  ...INPUTS.map((i): Case => {
    const toHex = !i.file.endsWith('.hex');
    const out = `u-${i.file.replace('.', '_')}.${toHex ? 'hex' : 'srec'}`;
    return toHex
      ? { name: `${i.file} -> Intel HEX`, out, udskit: [i.file, out], srecCat: [...readOf(i.file), '-o', `ref-${out}`, '-intel'] }
      : { name: `${i.file} -> S-record`, out, udskit: [i.file, out, '--header', 'udskit'], srecCat: [...readOf(i.file), '-o', `ref-${out}`, '-header', 'udskit'] };
  }),
  // Address widths and record sizes.
  { name: 'i16.s19 -> I8HEX (--address-width 16)', out: 'w16.hex', udskit: ['i16.s19', 'w16.hex', '--address-width', '16'], srecCat: ['i16.s19', '-o', 'ref-w16.hex', '-intel', '-address-length=2'] },
  { name: 'i20.s28 -> I16HEX 02 (--address-width 24)', out: 'w24.hex', udskit: ['i20.s28', 'w24.hex', '--address-width', '24'], srecCat: ['i20.s28', '-o', 'ref-w24.hex', '-intel', '-address-length=3'] },
  { name: 'i20.s28 -> I16HEX, 7 bytes per record', out: 'w24r7.hex', udskit: ['i20.s28', 'w24r7.hex', '--address-width', '24', '--record-size', '7'], srecCat: ['i20.s28', '-o', 'ref-w24r7.hex', '-intel', '-address-length=3', '-obs=7'] },
  { name: 'i16-seg.hex -> .s19', out: 'seg.s19', udskit: ['i16-seg.hex', 'seg.s19', '--header', 'H'], srecCat: ['i16-seg.hex', '-intel', '-o', 'ref-seg.s19', '-header', 'H'] },
  { name: 'i16.s19 -> .s28, 16 bytes per record', out: 'r16.s28', udskit: ['i16.s19', 'r16.s28', '--record-size', '16'], srecCat: ['i16.s19', '-o', 'ref-r16.s28', '-address-length=3', '-obs=16'] },
  { name: 'i20.hex -> .s37 (S3 everywhere)', out: 'all3.s37', udskit: ['i20.hex', 'all3.s37', '--header', 'H'], srecCat: ['i20.hex', '-intel', '-o', 'ref-all3.s37', '-address-length=4', '-header', 'H'] },
  { name: 'i24.srec -> .srec, 64 bytes per record', out: 'r64.srec', udskit: ['i24.srec', 'r64.srec', '--record-size', '64'], srecCat: ['i24.srec', '-o', 'ref-r64.srec', '-obs=64'] },
  { name: 'i16.s19 -> .s37 with --exec-start', out: 'x.s37', udskit: ['i16.s19', 'x.s37', '--exec-start', '0x1234'], srecCat: ['i16.s19', '-o', 'ref-x.s37', '-address-length=4', '-execution-start-address', '0x1234'] },
  // Crop [A, B) (the start address is dropped when outside), offset (moves the start address), both with fill.
  { name: 'crop i32.s37 -> hex', out: 'c1.hex', udskit: ['i32.s37', 'c1.hex', '--crop', '0x08000100:0x08010010'], srecCat: ['i32.s37', '-crop', '0x08000100', '0x08010010', '-o', 'ref-c1.hex', '-intel'] },
  { name: 'crop without the start address', out: 'c2.s37', udskit: ['i32.hex', 'c2.s37', '--crop', '0x0800FFF0:0x08010010', '--header', 'H'], srecCat: ['i32.hex', '-intel', '-crop', '0x0800FFF0', '0x08010010', '-o', 'ref-c2.s37', '-address-length=4', '-header', 'H'] },
  { name: 'crop i20.hex below 64 KiB -> .s19', out: 'c3.s19', udskit: ['i20.hex', 'c3.s19', '--crop', '0:0x10000', '--header', 'H'], srecCat: ['i20.hex', '-intel', '-crop', '0', '0x10000', '-o', 'ref-c3.s19', '-header', 'H'] },
  { name: 'negative offset i24.s37 -> .s28', out: 'o1.s28', udskit: ['i24.s37', 'o1.s28', '--offset', '-0xFF0000'], srecCat: ['i24.s37', '-offset', '-0xFF0000', '-o', 'ref-o1.s28', '-address-length=3'] },
  { name: 'offset i16.hex to 32 bits', out: 'o2.hex', udskit: ['i16.hex', 'o2.hex', '--offset', '0x08000000'], srecCat: ['i16.hex', '-intel', '-offset', '0x08000000', '-o', 'ref-o2.hex', '-intel'] },
  {
    name: 'crop, fill and offset i32.s37 -> .s19',
    out: 'cfo.s19',
    udskit: ['i32.s37', 'cfo.s19', '--crop', '0x08000000:0x08010000', '--fill', '0xFF', '--offset', '-0x08000000'],
    srecCat: ['(', 'i32.s37', '-crop', '0x08000000', '0x08010000', '-fill', '0xFF', '-over', '(', 'i32.s37', '-crop', '0x08000000', '0x08010000', ')', ')', '-offset', '-0x08000000', '-o', 'ref-cfo.s19'],
  },
  // Binary output (from the lowest address, gaps 0xFF unless --fill) and binary input (--base).
  { name: 'i16.s19 -> .bin --fill 0x00', out: 'b1.bin', udskit: ['i16.s19', 'b1.bin', '--fill', '0x00'], srecCat: srecBinary(['i16.s19'], '0x00', 'ref-b1.bin') },
  { name: 'i20-seg.hex -> .bin (0xFF gaps)', out: 'b2.bin', udskit: ['i20-seg.hex', 'b2.bin'], srecCat: srecBinary(['i20-seg.hex', '-intel'], '0xFF', 'ref-b2.bin') },
  { name: 'nostart.s28 -> .bin --fill 0xA5', out: 'b3.bin', udskit: ['nostart.s28', 'b3.bin', '--fill', '0xA5'], srecCat: srecBinary(['nostart.s28'], '0xA5', 'ref-b3.bin') },
  { name: 'i16.bin --base 0x13 -> .s37', out: 'fb1.s37', udskit: ['i16.bin', 'fb1.s37', '--base', '0x13', '--header', 'H'], srecCat: [...readOf('i16.bin'), '-o', 'ref-fb1.s37', '-address-length=4', '-header', 'H'] },
  { name: 'i20.bin --base 0xFFF0 -> .hex', out: 'fb2.hex', udskit: ['i20.bin', 'fb2.hex', '--base', '0xFFF0'], srecCat: [...readOf('i20.bin'), '-o', 'ref-fb2.hex', '-intel'] },
];

let dir = '';
let keep = false;

beforeAll(() => {
  if (!hasSrecord) return;
  dir = mkdtempSync(join(tmpdir(), 'udskit-parity-'));
  for (const i of INPUTS) {
    const img = IMAGES[i.image];
    if (!img) throw new Error(`no image ${i.image}`);
    const gen = img.ranges.flatMap(([a, b]) => ['-generate', `0x${a.toString(16)}`, `0x${b.toString(16)}`, '-random']);
    const start = img.start !== undefined ? ['-execution-start-address', `0x${img.start.toString(16)}`] : [];
    // One random image per name: the first file of an image is generated, the others converted from it.
    const first = INPUTS.find((x) => x.image === i.image);
    if (first === i) srecCat([...gen, ...start, '-o', i.file, ...i.make], dir);
    else srecCat([...readOf((first as { file: string }).file), '-o', i.file, ...i.make], dir);
  }
  for (const b of BINARIES) srecCat(srecBinary(readOf(b.from), '0xFF', b.file), dir);
});

afterEach((ctx) => {
  if (ctx.task.result?.state === 'fail') keep = true;
});

afterAll(() => {
  removeCliBundle();
  if (!dir) return;
  if (keep) console.warn(`firmware parity: the generated inputs are kept in ${dir} (udskit run from ${cliLauncher.how})`);
  else rmSync(dir, { recursive: true, force: true });
});

/** The first line where two files differ, for a readable failure. */
function firstDifference(actual: Buffer, expected: Buffer): string | undefined {
  if (actual.equals(expected)) return undefined;
  const a = actual.toString('latin1').split('\n');
  const e = expected.toString('latin1').split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) return `line ${i + 1}: udskit ${JSON.stringify(a[i]?.slice(0, 80))}, srec_cat ${JSON.stringify(e[i]?.slice(0, 80))}`;
  }
  return `sizes ${actual.length} / ${expected.length}`;
}

describe.skipIf(!hasSrecord)(`udskit image convert is byte-identical to srec_cat (udskit from ${cliLauncher.how})`, () => {
  it.concurrent.each(CASES)('$name', async (c) => {
    const r = await udskit(['image', 'convert', ...c.udskit], dir);
    expect(r.stderr.replace(/^udskit: (warning|note): .*\n/gm, ''), c.name).toBe('');
    expect(r.code, r.stderr).toBe(0);
    srecCat(c.srecCat, dir);
    const ref = readFileSync(join(dir, `ref-${c.out}`));
    expect(firstDifference(readFileSync(join(dir, c.out)), ref), `${c.name} (inputs in ${dir})`).toBeUndefined();
  });
});

/** udskit info --json, parsed. */
interface InfoJson {
  format: string;
  header?: { text: string };
  startAddress?: number;
  startSegment?: { cs: number; ip: number };
  segments: { start: number; end: number }[];
}

const infoOf = async (file: string, extra: string[] = []): Promise<InfoJson> => {
  const r = await udskit(['image', 'info', file, '--json', ...extra], dir);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as InfoJson;
};
const startOf = (j: InfoJson): number | undefined => j.startAddress ?? (j.startSegment ? j.startSegment.cs * 16 + j.startSegment.ip : undefined);

describe.skipIf(!hasSrecord)('udskit image info reports what srec_info reports', () => {
  const files = [...INPUTS.map((i) => ({ file: i.file, extra: [] as string[] })), ...BINARIES.map((b) => ({ file: b.file, extra: ['--base', `0x${b.base.toString(16)}`] }))];
  it.concurrent.each(files)('$file', async ({ file, extra }) => {
    const [j, ref] = [await infoOf(file, extra), srecInfo(file, readOf(file).slice(1), dir)];
    expect(j.segments.map((s) => ({ start: s.start, end: s.end })), `${file} ranges (inputs in ${dir})`).toEqual(ref.ranges);
    expect(startOf(j), `${file} start address`).toBe(ref.startAddress);
    if (j.format === 'srecord') expect(j.header?.text, `${file} header`).toBe(ref.header);
  });
});

describe.skipIf(!hasSrecord || !intelhexPython)('Intel HEX against python3-intelhex', () => {
  const hexInputs = INPUTS.filter((i) => i.file.endsWith('.hex')).map((i) => i.file);
  const py = intelhexPython as string;

  it('IntelHex().loadhex reads the same segments and start address as udskit', async () => {
    const views = intelhexRead(py, hexInputs, dir);
    for (const f of hexInputs) {
      const j = await infoOf(f);
      const view = views[f];
      expect(view, f).toBeDefined();
      expect(j.segments.map((s) => [s.start, s.end]), `${f} (inputs in ${dir})`).toEqual(view?.segments);
      // I8HEX has no start record: srec_cat (and udskit) keep the start in the end-of-file record, intelhex ignores it.
      if (!f.endsWith('-i8.hex')) expect(startOf(j), `${f} start`).toBe(view?.start);
    }
  });

  it('udskit reads what IntelHex.tofile writes: the same data and start address', async () => {
    const pairs = hexInputs.map((f): [string, string] => [f, `py-${f}`]);
    intelhexRewrite(py, pairs, dir);
    const runs = await Promise.all(pairs.map(([f, p]) => udskit(['image', 'diff', f, p, ...(f.endsWith('-i8.hex') ? ['--ignore-start'] : [])], dir)));
    runs.forEach((r, i) => expect(r.code, `${pairs[i]?.join(' vs ')}: ${r.stdout}${r.stderr}`).toBe(0));
  });

  it('IntelHex().loadhex reads what udskit writes with 04, 02 and no extended records', async () => {
    const outs: [string, string[]][] = [
      ['py32.hex', ['i24.s37', 'py32.hex']],
      ['py24.hex', ['i20.s28', 'py24.hex', '--address-width', '24', '--record-size', '16']],
      ['py16.hex', ['i16.s19', 'py16.hex', '--address-width', '16', '--exec-start', '0']],
    ];
    const runs = await Promise.all(outs.map(([, args]) => udskit(['image', 'convert', ...args], dir)));
    runs.forEach((r) => expect(r.code, r.stderr).toBe(0));
    const views = intelhexRead(py, outs.map(([f]) => f), dir);
    for (const [out, args] of outs) {
      const src = await infoOf(args[0] as string);
      expect(views[out]?.segments, out).toEqual(src.segments.map((s) => [s.start, s.end]));
      if (out !== 'py16.hex') expect(views[out]?.start, `${out} start`).toBe(startOf(src));
    }
  });
});
