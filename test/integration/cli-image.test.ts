/**
 * `udskit image info | convert | diff` run as a user runs them: the text and `--json` output, the
 * files written, and the exit codes (0 ok, 2 `diff` found differences, 1 usage errors and files that
 * cannot be read, with messages naming file, line and column).
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage } from '../../src/firmware/image.js';
import { writeIntelHex } from '../../src/firmware/intel-hex.js';
import { writeSRecord } from '../../src/firmware/srecord.js';
import { writeVbf } from '../../src/firmware/vbf.js';
import { jsonOf, runCli } from '../helpers/cli-process.js';

/** Each test runs a few CLI processes (about 1 s each on a busy machine). */
const TIMEOUT_MS = 60_000;

let dir: string;
const p = (name: string): string => join(dir, name);

const IMAGE = {
  ...createImage([
    { address: 0x08000000, data: Uint8Array.from({ length: 40 }, (_, i) => i) },
    { address: 0x08000100, data: Uint8Array.of(0xaa, 0xbb, 0xcc) },
  ]),
  header: Uint8Array.from(Buffer.from('app')),
  startAddress: 0x08000004,
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'udskit-image-'));
  await writeFile(p('app.s37'), writeSRecord(IMAGE, { addressBytes: 4 }));
  await writeFile(p('app.hex'), writeIntelHex(IMAGE));
  // Same data as app.hex except one byte, and named .txt: formats come from the content.
  const changed = createImage([...IMAGE.segments.slice(0, 1), { address: 0x08000100, data: Uint8Array.of(0xaa, 0x00, 0xcc) }], { startAddress: IMAGE.startAddress });
  await writeFile(p('changed.txt'), writeIntelHex(changed));
  await writeFile(p('nostart.hex'), writeIntelHex({ segments: IMAGE.segments }));
  await writeFile(p('raw.bin'), Uint8Array.of(1, 2, 3, 4));
  await writeFile(
    p('sbl.vbf'),
    writeVbf({
      version: '2.6',
      header: { sw_part_number: '31000000', sw_version: 'A', sw_part_type: 'SBL', ecu_address: 0x7a1, call: 0x20000000, erase: [{ start: 0x20000000, length: 0x100 }] },
      blocks: [{ address: 0x20000000, data: Uint8Array.of(0xde, 0xad, 0xbe, 0xef) }],
    }),
  );
  await writeFile(p('template.vbf'), 'vbf_version = 2.5;\nheader {\n  sw_part_number = "39999999";\n  sw_part_type = EXE;\n  network = CAN_HS;\n  frame_format = CAN_STANDARD;\n}');
  // Bad inputs: a line with an odd number of hex digits, a bad checksum, overlapping records, no end record.
  await writeFile(p('odd.s19'), 'S0030000FC\nS1050000010207F\n');
  await writeFile(p('badsum.hex'), ':0100000001FF\n:00000001FF\n');
  await writeFile(p('overlap.hex'), ':020010000102EB\n:01001100FFEF\n:00000001FF\n');
  await writeFile(p('noend.s19'), 'S10500000102F7\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('udskit image info', { timeout: TIMEOUT_MS }, () => {
  it("prints srec_info's facts first, then sizes, gaps and CRC32s; --json has the same", async () => {
    const [text, json] = await Promise.all([runCli(['image', 'info', p('app.s37')]), runCli(['image', 'info', p('app.hex'), '--json'])]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout.split('\n').slice(0, 6)).toEqual([
      'Format: Motorola S-record (detected from content)',
      'Header: "app"',
      'Execution Start Address: 08000004',
      expect.stringMatching(/^Data: {3}08000000 - 08000027 {2}40 bytes, CRC32 [0-9A-F]{8}$/),
      expect.stringMatching(/^ {8}08000100 - 08000102 {2}3 bytes, CRC32 [0-9A-F]{8}$/),
      'Gaps:   08000028 - 080000FF  216 bytes',
    ]);
    expect(json.code, json.stderr).toBe(0);
    expect(jsonOf(json)).toMatchObject({
      ok: true,
      format: 'intel-hex',
      startAddress: 0x08000004,
      lowest: 0x08000000,
      highest: 0x08000102,
      dataSize: 43,
      gapSize: 216,
      segments: [{ start: 0x08000000, end: 0x08000028, size: 40 }, { start: 0x08000100, end: 0x08000103, size: 3 }],
    });
  });

  it('VBF: every header field and the block CRC status; binary: the base', async () => {
    const [vbf, bin] = await Promise.all([runCli(['image', 'info', p('sbl.vbf')]), runCli(['image', 'info', p('raw.bin'), '--base', '0x1000', '--json'])]);
    expect(vbf.code, vbf.stderr).toBe(0);
    expect(vbf.stdout).toContain('Format: VBF 2.6 (detected from content)');
    expect(vbf.stdout).toContain('Execution Start Address: 20000000 (VBF call)');
    expect(vbf.stdout).toMatch(/ {2}sw_part_number += "31000000"/);
    expect(vbf.stdout).toMatch(/ {2}ecu_address += 0x7A1/);
    expect(vbf.stdout).toMatch(/ {2}erase += \{ \{ 0x20000000, 0x00000100 \} \} {2}\(256 bytes\)/);
    expect(vbf.stdout).toMatch(/ {2}file_checksum += 0x[0-9A-F]{8} {2}\(matches the CRC-32 of the binary part\)/);
    expect(vbf.stdout).toMatch(/#0 {2}0x20000000 {2}4 bytes {2}CRC-16 0x[0-9A-F]{4} ok/);
    expect(bin.code, bin.stderr).toBe(0);
    expect(jsonOf(bin)).toMatchObject({ format: 'binary', base: 0x1000, segments: [{ start: 0x1000, end: 0x1004 }] });
  });
});

describe('udskit image convert', { timeout: TIMEOUT_MS }, () => {
  it('converts by the output extension and prints a one-line summary (or JSON)', async () => {
    const [hex, bin] = await Promise.all([
      runCli(['image', 'convert', p('app.s37'), p('out.hex')]),
      runCli(['image', 'convert', p('app.hex'), p('out.bin'), '--crop', '0x08000000:0x08000004', '--json']),
    ]);
    expect(hex.code, hex.stderr).toBe(0);
    expect(hex.stdout).toMatch(/^.*app\.s37 \(Motorola S-record\) -> .*out\.hex \(Intel HEX, 32-bit linear \(04\) addressing\): 2 range\(s\), 43 data bytes, 0x08000000\.\.0x08000102, CRC32 [0-9A-F]{8}, start 0x08000004; \d+ bytes written\n$/);
    expect(await readFile(p('out.hex'), 'latin1')).toBe(writeIntelHex(IMAGE));
    expect(bin.code, bin.stderr).toBe(0);
    expect(jsonOf(bin)).toMatchObject({ ok: true, input: { format: 'intel-hex' }, output: { format: 'binary', bytes: 4 }, ranges: 1, dataSize: 4, lowest: 0x08000000 });
    expect([...(await readFile(p('out.bin')))]).toEqual([0, 1, 2, 3]);
  });

  it('binary output from the lowest address with 0xFF gaps; --fill, --offset, --address-width, --output-format', async () => {
    const [bin, srec] = await Promise.all([
      runCli(['image', 'convert', p('app.s37'), p('gaps.bin')]),
      runCli(['image', 'convert', p('raw.bin'), p('moved.dat'), '--output-format', 's28', '--base', '0x100', '--offset', '-0x80', '--fill', '0', '--header', 'x']),
    ]);
    expect(bin.code, bin.stderr).toBe(0);
    const bytes = await readFile(p('gaps.bin'));
    expect(bytes.length).toBe(0x103);
    expect([bytes[39], bytes[40], bytes[0xff], bytes[0x100]]).toEqual([39, 0xff, 0xff, 0xaa]);
    expect(srec.code, srec.stderr).toBe(0);
    expect((await readFile(p('moved.dat'), 'latin1')).split('\n')[1]).toBe('S208000080010203046D');
  });

  it('VBF output: header from --vbf-header or defaults, erase computed; VBF input converts back', async () => {
    const [withTemplate, plain, back] = await Promise.all([
      runCli(['image', 'convert', p('app.s37'), p('t.vbf'), '--vbf-header', p('template.vbf')]),
      runCli(['image', 'convert', p('app.hex'), p('plain.vbf'), '--json']),
      runCli(['image', 'convert', p('sbl.vbf'), p('sbl.s37')]),
    ]);
    expect(withTemplate.code, withTemplate.stderr).toBe(0);
    expect(withTemplate.stderr).toContain('udskit: note: erase ranges computed from the data (one per range)');
    expect(withTemplate.stderr).toContain('start address 0x08000004 not written');
    const info = jsonOf(await runCli(['image', 'info', p('t.vbf'), '--json'])) as { vbf: { version: string; header: Record<string, string> } };
    expect(info.vbf.version).toBe('2.5');
    expect(info.vbf.header).toMatchObject({ sw_part_number: '"39999999"', network: 'CAN_HS', erase: '{ { 0x08000000, 0x00000028 }, { 0x08000100, 0x00000003 } }' });
    expect(plain.code, plain.stderr).toBe(0);
    expect(jsonOf(plain)).toMatchObject({ output: { format: 'vbf', description: 'VBF 2.6' }, notes: [expect.stringMatching(/^start address 0x08000004 not written: a VBF holds one only as call/)] });
    expect(back.code, back.stderr).toBe(0);
    expect(await readFile(p('sbl.s37'), 'latin1')).toMatch(/^S00D000033313030303030302041[0-9A-F]{2}\nS30920000000DEADBEEF[0-9A-F]{2}\n/);
    expect(await readFile(p('sbl.s37'), 'latin1')).toContain('S7052000000');
  });

  it('usage errors exit 1 with a message naming the option and the choices', async () => {
    // Three at a time: the helper kills a run after 15 s, and the machine may be busy.
    const runs = [
      ...(await Promise.all([
        runCli(['image', 'convert', p('app.s37'), p('out.elf')]),
        runCli(['image', 'convert', p('app.s37'), p('x.bin'), '--record-size', '16']),
        runCli(['image', 'convert', p('app.s37'), p('x.hex'), '--base', '0x1000']),
      ])),
      ...(await Promise.all([
        runCli(['image', 'convert', p('app.s37'), p('x.s19')]),
        runCli(['image', 'convert', p('app.s37'), p('x.hex'), '--fill', '256', '--crop', '2:1']),
        runCli(['image', 'convert', p('app.s37'), p('x.hex'), '--address-width', '20']),
      ])),
    ];
    for (const r of runs) expect(r.code, r.stdout + r.stderr).toBe(1);
    const [ext, recordSize, base, s19, fill, width] = runs.map((r) => r.stderr);
    expect(ext).toMatch(/cannot tell the output format from ".*out\.elf" \(extension \.elf\); name the file \.s19, \.s28, \.s37, \.srec, \.mot, \.hex, \.ihx, \.bin, \.vbf or give --output-format/);
    expect(recordSize).toContain('--record-size applies to S-record and Intel HEX output, not binary');
    expect(base).toMatch(/--base applies to binary input only; .*app\.s37 is Motorola S-record .*use --offset/);
    expect(s19).toMatch(/S1 records \(16-bit addresses, \.s19\) cannot hold data at 0x08000102; write \.s28, \.s37 or \.srec/);
    expect(fill).toMatch(/--fill must be a byte 0\.\.255 \(0x00\.\.0xFF\), got 256/);
    expect(width).toMatch(/--address-width/);
  });
});

describe('udskit image convert streams its files', { timeout: TIMEOUT_MS }, () => {
  it('files larger than the 1 MiB read chunk convert exactly (text and binary input)', async () => {
    // 700 KiB in two ranges: about 1.5 MiB of Intel HEX, read in two chunks; the binary is 1.2 MiB.
    const big = {
      ...createImage([
        { address: 0x08000000, data: Uint8Array.from({ length: 500 * 1024 }, (_, i) => (i * 7 + (i >> 9)) & 0xff) },
        { address: 0x08100000, data: Uint8Array.from({ length: 200 * 1024 }, (_, i) => (i * 13) & 0xff) },
      ]),
      startAddress: 0x08000101,
    };
    await writeFile(p('big.hex'), writeIntelHex(big));
    const [toS37, toBin] = await Promise.all([runCli(['image', 'convert', p('big.hex'), p('big.s37')]), runCli(['image', 'convert', p('big.hex'), p('big.bin')])]);
    expect(toS37.code, toS37.stderr).toBe(0);
    expect(await readFile(p('big.s37'), 'latin1')).toBe(writeSRecord(big, { addressBytes: 4 }));
    expect(toBin.code, toBin.stderr).toBe(0);
    const back = await runCli(['image', 'convert', p('big.bin'), p('back.hex'), '--base', '0x08000000', '--json']);
    expect(back.code, back.stderr).toBe(0);
    expect(jsonOf(back)).toMatchObject({ input: { format: 'binary', base: 0x08000000 }, dataSize: 0x100000 + 200 * 1024 });
    const bin = await readFile(p('big.bin'));
    expect(bin.length).toBe(0x100000 + 200 * 1024);
    expect(bin.subarray(0, 500 * 1024).equals(Buffer.from(big.segments[0]?.data ?? []))).toBe(true);
    expect(bin[500 * 1024]).toBe(0xff);
  });

  it('a failed convert leaves OUT as it was and no temporary file behind', async () => {
    await writeFile(p('keep.s19'), 'old content\n');
    await mkdir(p('taken.hex'));
    const [tooWide, isDir] = await Promise.all([runCli(['image', 'convert', p('app.s37'), p('keep.s19')]), runCli(['image', 'convert', p('app.s37'), p('taken.hex')])]);
    expect(tooWide.code).toBe(1);
    expect(await readFile(p('keep.s19'), 'latin1')).toBe('old content\n');
    // Written in full to a temporary file, then the rename over a directory fails: the temporary file goes.
    expect(isDir.code).toBe(1);
    expect(isDir.stderr).toMatch(/udskit: cannot write .*taken\.hex: it is a directory \(EISDIR\); check the path \[UDSKIT_IMAGE_FILE\]/);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('udskit image diff', { timeout: TIMEOUT_MS }, () => {
  it('identical data in two formats exits 0; a changed byte exits 2 naming the range and bytes', async () => {
    const [same, diff, json] = await Promise.all([
      runCli(['image', 'diff', p('app.s37'), p('app.hex')]),
      runCli(['image', 'diff', p('app.s37'), p('changed.txt')]),
      runCli(['image', 'diff', p('app.hex'), p('changed.txt'), '--json']),
    ]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/identical: .*app\.s37 and .*app\.hex hold the same data and start address 0x08000004\n$/);
    expect(diff.code, diff.stderr).toBe(2);
    expect(diff.stdout).toContain('differ:    0x08000101..0x08000101 (1 bytes): A BB | B 00');
    expect(diff.stdout).toContain('different: 1 byte(s) differ in 1 range(s), 0 byte(s) only in A, 0 byte(s) only in B');
    expect(json.code).toBe(2);
    expect(jsonOf(json)).toMatchObject({ ok: true, identical: false, differingBytes: 1, differing: [{ start: 0x08000101, end: 0x08000102, a: 'BB', b: '00' }], onlyInA: [], onlyInB: [] });
  });

  it('ranges only in one file and start addresses; --ignore-start', async () => {
    const [r, start, ignore] = await Promise.all([
      runCli(['image', 'diff', p('raw.bin'), p('app.hex'), '--base', '0x08000000']),
      runCli(['image', 'diff', p('app.s37'), p('nostart.hex')]),
      runCli(['image', 'diff', p('app.s37'), p('nostart.hex'), '--ignore-start']),
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('differ:    0x08000000..0x08000003 (4 bytes): A 01 02 03 04 | B 00 01 02 03');
    expect(r.stdout).toContain('only in B: 0x08000004..0x08000027 (36 bytes)');
    expect(r.stdout).toContain('start:     A none | B 0x08000004');
    expect(start.code).toBe(2);
    expect(start.stdout).toContain('different: 0 byte(s) differ in 0 range(s), 0 byte(s) only in A, 0 byte(s) only in B, start addresses differ');
    expect(ignore.code, ignore.stdout).toBe(0);
  });
});

describe('bad input files', { timeout: TIMEOUT_MS }, () => {
  it('odd hex digits, bad checksums, overlaps and missing files exit 1 naming the place; a missing end record warns', async () => {
    const [odd, sum, overlap] = await Promise.all([
      runCli(['image', 'info', p('odd.s19')]),
      runCli(['image', 'convert', p('badsum.hex'), p('x.s19')]),
      runCli(['image', 'info', p('overlap.hex')]),
    ]);
    const [missing, noend, json, lastWins] = await Promise.all([
      runCli(['image', 'info', p('nope.s19')]),
      runCli(['image', 'info', p('noend.s19')]),
      runCli(['image', 'info', p('badsum.hex'), '--json']),
      runCli(['image', 'info', p('overlap.hex'), '--overlap', 'last-wins', '--json']),
    ]);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toMatch(/odd\.s19:2:15: odd number of hex digits: expected whole bytes \(an even number of digits\), found 13 digits \[UDSKIT_FIRMWARE_FORMAT\]/);
    expect(sum.code).toBe(1);
    expect(sum.stderr).toMatch(/badsum\.hex:1:12: bad checksum: expected FE, found FF/);
    expect(overlap.code).toBe(1);
    expect(overlap.stderr).toMatch(/overlapping data at 0x00000011: .*overlap\.hex:2:10 writes over data from .*overlap\.hex:1:10/);
    expect(overlap.stderr).toMatch(/--overlap last-wins/);
    // With --overlap last-wins the later record's byte (FF) replaces 02 at 0x11.
    expect(lastWins.code, lastWins.stderr).toBe(0);
    expect(lastWins.stdout).toMatch(/"dataSize":2,/);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/udskit: cannot read .*nope\.s19: no such file \(ENOENT\); check the path \[UDSKIT_IMAGE_FILE\]/);
    expect(noend.code, noend.stderr).toBe(0);
    expect(noend.stderr).toMatch(/udskit: warning: .*noend\.s19:\d+: no end record \(S7\/S8\/S9\)/);
    expect(json.code).toBe(1);
    expect(jsonOf(json)).toMatchObject({ ok: false, error: { code: 'UDSKIT_FIRMWARE_FORMAT', line: 1, column: 12, expected: 'FE', found: 'FF', problem: 'bad checksum' } });
  });
});
