/**
 * Firmware conversion benchmark (issue 5): a 64 MiB Intel HEX -> binary and a 64 MiB S37 -> Intel HEX
 * conversion by `udskit image convert` as users run it (`node dist/cli/main.js image convert IN OUT`), next to
 * `srec_cat` (Debian's srecord) on the same files in the same run: wall time, CPU time (user + system) and
 * peak RSS of each child process, and a check that every output is byte-identical to srec_cat's.
 *
 *   npm run build && node --import tsx bench/firmware.bench.ts     (a table)
 *   node --import tsx bench/firmware.bench.ts --json                 (one JSON object)
 *   node --import tsx bench/firmware.bench.ts --size 8M --rounds 1
 *
 * The CLI must be built (`npm run build`): the benchmark stops with a message when dist/ is missing or older
 * than a source file. An extra row, "library", runs bench/firmware-convert.ts on the same build (the
 * library's FirmwareReader and writeFirmwareChunks without the CLI around them).
 *
 * The inputs (`--size` bytes of seeded random data in 4 segments with gaps, an execution start address) are
 * written by udskit's writers, which match srec_cat's output byte for byte, into a temporary directory under
 * os.tmpdir() that is deleted at the end. Each round runs every tool once per case, one after the other, so
 * that all see the same machine load; the table shows the median of `--rounds` (default 3), peak RSS the
 * largest of the rounds. Each child is measured by a python3 wrapper (wall clock around subprocess.run,
 * resource.getrusage(RUSAGE_CHILDREN) for CPU time and ru_maxrss), else by /usr/bin/time, else wall time only.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { parseIntAuto } from '../src/core/hex.js';
import type { FirmwareImage, Segment } from '../src/firmware/image.js';
import { writeIntelHexChunks } from '../src/firmware/intel-hex.js';
import { SREC_CAT_DEFAULT_HEADER, writeSRecordChunks } from '../src/firmware/srecord.js';
import { staleBuild } from '../test/helpers/built-dist.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const args = process.argv.slice(2);
const json = args.includes('--json');
const SIZE = sizeOption('--size', 64 * 1024 * 1024);
const ROUNDS = sizeOption('--rounds', 3);
const BASE = 0x08000000;
const CLI = join(root, 'dist', 'cli', 'main.js');
const TIME = '/usr/bin/time';

function sizeOption(name: string, fallback: number): number {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const text = (args[at + 1] ?? '').trim();
  const m = /^(.*?)([KMG])$/i.exec(text);
  const unit = m ? 1024 ** ('KMG'.indexOf((m[2] as string).toUpperCase()) + 1) : 1;
  const value = parseIntAuto(m ? (m[1] as string) : text, name) * unit;
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive number, got '${text}'`);
  return value;
}

/** Why dist/ cannot be measured (missing, or older than a source file), or undefined when it is current. */
function staleCli(): string | undefined {
  return existsSync(CLI) ? staleBuild(root) : `${relative(root, CLI)} is missing`;
}

/** Shares of the data in each segment (unequal, so that no segment has a power-of-two size). */
const SHARES = [0.4, 0.3, 0.2, 0.1];

/** `SIZE` bytes of seeded random data in 4 segments separated by gaps of a few KiB, with a start address. */
function makeImage(): FirmwareImage {
  let x = 0x2545f491;
  const segments: Segment[] = [];
  let address = BASE;
  let left = SIZE;
  for (const [i, share] of SHARES.entries()) {
    const len = i < SHARES.length - 1 ? Math.floor(SIZE * share) : left;
    left -= len;
    const data = new Uint8Array(len);
    const words = new Uint32Array(data.buffer, 0, len >> 2);
    for (let k = 0; k < words.length; k++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      words[k] = x >>> 0;
    }
    for (let k = words.length * 4; k < len; k++) data[k] = k & 0xff;
    segments.push({ address, data });
    address += len + 0x1000 + i * 0x340;
  }
  return { segments, startAddress: BASE + 0x1c1, header: Uint8Array.from(Buffer.from(SREC_CAT_DEFAULT_HEADER, 'latin1')) };
}

function writeChunks(path: string, chunks: Iterable<Uint8Array>): void {
  const fd = openSync(path, 'w');
  try {
    for (const c of chunks) for (let off = 0; off < c.length; ) off += writeSync(fd, c, off);
  } finally {
    closeSync(fd);
  }
}

function sameFiles(a: string, b: string): boolean {
  if (statSync(a).size !== statSync(b).size) return false;
  const fa = openSync(a, 'r');
  const fb = openSync(b, 'r');
  try {
    const ba = Buffer.allocUnsafe(1 << 20);
    const bb = Buffer.allocUnsafe(1 << 20);
    // Bounded by the file size.
    for (;;) {
      const na = readSync(fa, ba, 0, ba.length, null);
      const nb = readSync(fb, bb, 0, bb.length, null);
      if (na !== nb || !ba.subarray(0, na).equals(bb.subarray(0, nb))) return false;
      if (na === 0) return true;
    }
  } finally {
    closeSync(fa);
    closeSync(fb);
  }
}

interface Measure {
  /** Seconds. */
  wall: number;
  /** User + system seconds of the child. */
  cpu?: number;
  /** Peak resident set of the child, MiB. */
  rssMB?: number;
}

/**
 * Runs `sys.argv[1:]` and prints `wall user+sys maxrss_kib` of that child: RUSAGE_CHILDREN covers only the
 * processes this wrapper waited for, i.e. the one child (Linux reports ru_maxrss in KiB).
 */
const PY_MEASURE = `
import resource, subprocess, sys, time
t = time.perf_counter()
r = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(r.stderr.decode('latin-1')[-2000:])
print(wall, u.ru_utime + u.ru_stime, u.ru_maxrss)
sys.exit(r.returncode)
`;

type Meter = 'python3' | 'time' | 'wall';

function pickMeter(): Meter {
  if (spawnSync('python3', ['-c', 'import resource, subprocess'], { stdio: 'ignore' }).status === 0) return 'python3';
  return existsSync(TIME) ? 'time' : 'wall';
}

/** Runs a command once, measured with `meter`; throws with its stderr when it fails. */
function measure(meter: Meter, cmd: string, cmdArgs: string[], timeFile: string): Measure {
  const started = performance.now();
  const r =
    meter === 'python3'
      ? spawnSync('python3', ['-c', PY_MEASURE, cmd, ...cmdArgs], { cwd: root, encoding: 'latin1' })
      : meter === 'time'
        ? spawnSync(TIME, ['-f', '%e %U %S %M', '-o', timeFile, cmd, ...cmdArgs], { cwd: root, encoding: 'latin1' })
        : spawnSync(cmd, cmdArgs, { cwd: root, encoding: 'latin1' });
  const wall = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}): ${(r.stderr ?? '').slice(0, 500)}`);
  if (meter === 'python3') {
    const [w, cpu, kib] = r.stdout.trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    return { wall: w ?? wall, cpu: cpu ?? 0, rssMB: (kib ?? 0) / 1024 };
  }
  if (meter === 'time') {
    const [e, u, s, m] = readFileSync(timeFile, 'latin1').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    return { wall: e ?? wall, cpu: (u ?? 0) + (s ?? 0), rssMB: (m ?? 0) / 1024 };
  }
  return { wall };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function srecCatVersion(): string | undefined {
  const r = spawnSync('srec_cat', ['-VERSion'], { encoding: 'latin1' });
  if (r.error || r.status !== 0) return undefined;
  return /version\s+(\S+)/i.exec(r.stdout)?.[1] ?? r.stdout.split('\n')[0];
}

/**
 * bench/firmware-convert.ts as an ES module of the built library: transpiled, its `../src/*.js` imports
 * pointing at dist/ (so it runs on plain node, like the CLI).
 */
function libraryConverter(dir: string): string {
  const source = readFileSync(join(here, 'firmware-convert.ts'), 'utf8');
  const js = ts
    .transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } })
    .outputText.replace(/(['"])\.\.\/src\/([^'"]+)\1/g, (_m, q: string, path: string) => `${q}${pathToFileURL(join(root, 'dist', path)).href}${q}`);
  const out = join(dir, 'firmware-convert.mjs');
  writeFileSync(out, js);
  return out;
}

interface Tool {
  readonly name: string;
  /** Command and arguments converting `input` to `output` for the case. */
  readonly command: (c: Case, input: string, output: string) => [string, string[]];
}

interface Case {
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly srecCatArgs: (input: string, output: string) => string[];
}

interface Row {
  readonly tool: string;
  readonly wall: number;
  readonly cpu?: number;
  readonly rssMB?: number;
  readonly walls: number[];
  /** srec_cat's median wall time / this tool's (udskit rows, when srec_cat ran). */
  readonly speedup?: number;
  /** srec_cat's peak RSS / this tool's. */
  readonly memoryRatio?: number;
  /** Output byte-identical to srec_cat's in every round (udskit rows, when srec_cat ran). */
  readonly identical?: boolean;
}

function summary(tool: string, ms: Measure[]): Row {
  const cpus = ms.flatMap((m) => (m.cpu !== undefined ? [m.cpu] : []));
  const rss = ms.flatMap((m) => (m.rssMB !== undefined ? [m.rssMB] : []));
  return {
    tool,
    wall: median(ms.map((m) => m.wall)),
    ...(cpus.length > 0 ? { cpu: median(cpus) } : {}),
    ...(rss.length > 0 ? { rssMB: Math.max(...rss) } : {}),
    walls: ms.map((m) => m.wall),
  };
}

function main(): void {
  const stale = staleCli();
  if (stale !== undefined) {
    process.stderr.write(`bench/firmware.bench.ts measures the built CLI (node dist/cli/main.js), but ${stale}: run \`npm run build\` first.\n`);
    process.exit(1);
  }
  const version = srecCatVersion();
  const meter = pickMeter();
  const dir = mkdtempSync(join(tmpdir(), 'udskit-fw-bench-'));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  try {
    mkdirSync(join(dir, 'js'));
    const converter = libraryConverter(join(dir, 'js'));
    const tools: Tool[] = [
      { name: 'udskit image convert', command: (_c, i, o) => [process.execPath, [CLI, 'image', 'convert', i, o]] },
      { name: 'udskit library', command: (_c, i, o) => [process.execPath, [converter, i, o]] },
    ];
    if (version !== undefined) tools.push({ name: `srec_cat ${version}`, command: (c, i, o) => ['srec_cat', c.srecCatArgs(i, o)] });
    const srecCatIndex = version !== undefined ? tools.length - 1 : -1;

    const image = makeImage();
    const first = image.segments[0] as Segment;
    const last = image.segments[image.segments.length - 1] as Segment;
    const low = first.address;
    const high = last.address + last.data.length;
    const hex = (v: number) => `0x${v.toString(16).toUpperCase()}`;
    const cases: Case[] = [
      // srec_cat writes binary at file offset = address: fill the gaps and move the data to offset 0, as udskit does.
      { name: 'Intel HEX -> binary', input: 'in.hex', output: 'bin', srecCatArgs: (i, o) => [i, '-intel', '-fill', '0xFF', hex(low), hex(high), '-offset', `-${hex(low)}`, '-o', o, '-binary'] },
      { name: 'S37 -> Intel HEX', input: 'in.s37', output: 'hex', srecCatArgs: (i, o) => [i, '-o', o, '-intel'] },
    ];
    writeChunks(join(dir, 'in.hex'), writeIntelHexChunks(image));
    writeChunks(join(dir, 'in.s37'), writeSRecordChunks(image, { addressBytes: 4 }));
    const timeFile = join(dir, 'time.txt');
    const startup = measure(meter, process.execPath, ['-e', '0'], timeFile);
    const cliStartup = measure(meter, process.execPath, [CLI, 'image', 'convert', '--help'], timeFile);

    const runs = cases.map(() => tools.map(() => [] as Measure[]));
    const identical = cases.map(() => tools.map(() => true));
    for (let round = 0; round < ROUNDS; round++) {
      cases.forEach((c, ci) => {
        const input = join(dir, c.input);
        const outputs = tools.map((_t, ti) => join(dir, `out-${ti}.${c.output}`));
        tools.forEach((t, ti) => {
          const [cmd, cmdArgs] = t.command(c, input, outputs[ti] as string);
          (runs[ci] as Measure[][])[ti]?.push(measure(meter, cmd, cmdArgs, timeFile));
        });
        if (srecCatIndex >= 0) {
          tools.forEach((_t, ti) => {
            if (ti !== srecCatIndex && !sameFiles(outputs[ti] as string, outputs[srecCatIndex] as string)) (identical[ci] as boolean[])[ti] = false;
          });
        }
        for (const o of outputs) rmSync(o, { force: true });
      });
    }
    const results = cases.map((c, ci) => {
      const rows = tools.map((t, ti) => summary(t.name, (runs[ci] as Measure[][])[ti] as Measure[]));
      const ref = srecCatIndex >= 0 ? rows[srecCatIndex] : undefined;
      return {
        case: c.name,
        inputMB: statSync(join(dir, c.input)).size / 2 ** 20,
        rows: rows.map((r, ti): Row => {
          if (!ref || ti === srecCatIndex) return r;
          const mem = ref.rssMB !== undefined && r.rssMB !== undefined ? { memoryRatio: ref.rssMB / r.rssMB } : {};
          return { ...r, speedup: ref.wall / r.wall, ...mem, identical: (identical[ci] as boolean[])[ti] as boolean };
        }),
      };
    });
    report(results, version, meter, startup, cliStartup);
    if (results.some((r) => r.rows.some((row) => row.identical === false))) process.exitCode = 1;
  } finally {
    cleanup();
  }
}

function report(results: { case: string; inputMB: number; rows: Row[] }[], version: string | undefined, meter: Meter, startup: Measure, cliStartup: Measure): void {
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ benchmark: 'firmware', dataBytes: SIZE, rounds: ROUNDS, meter, srecCatVersion: version ?? null, nodeStartup: startup, cliStartup, cases: results })}\n`,
    );
    return;
  }
  const mb = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(0));
  const s2 = (v: number | undefined) => (v === undefined ? 'n/a' : v.toFixed(2));
  const meterText = meter === 'python3' ? 'python3 getrusage wrapper' : meter === 'time' ? TIME : 'wall clock only (no python3, no /usr/bin/time)';
  console.log(`Firmware conversion, ${(SIZE / 2 ** 20).toFixed(0)} MiB of data in 4 segments; median of ${ROUNDS} round(s), peak RSS = max of the rounds (${meterText})`);
  console.log(version === undefined ? 'srec_cat not found (install Debian package srecord): udskit only' : `reference: srec_cat ${version}; udskit = node dist/cli/main.js image convert IN OUT`);
  console.log(`Start-up alone: node -e 0 ${s2(startup.wall)} s, ${mb(startup.rssMB)} MB; udskit image convert --help ${s2(cliStartup.wall)} s, ${mb(cliStartup.rssMB)} MB`);
  for (const r of results) {
    console.log('');
    console.log(`${r.case} (${r.inputMB.toFixed(0)} MB input)`);
    console.log(`  ${'tool'.padEnd(22)}${'wall s'.padStart(8)}${'cpu s'.padStart(8)}${'peak MB'.padStart(9)}  ${'vs srec_cat'.padEnd(36)}runs (wall s)`);
    for (const row of r.rows) {
      const speed = row.speedup === undefined ? '' : row.speedup >= 1 ? `${row.speedup.toFixed(2)}x faster` : `${(1 / row.speedup).toFixed(2)}x slower`;
      const mem = row.memoryRatio === undefined ? '' : `, ${(1 / row.memoryRatio).toFixed(2)}x memory`;
      const vs = row.speedup === undefined ? '' : `${speed}${mem}${row.identical ? ', same' : ', DIFFERS'}`;
      console.log(`  ${row.tool.padEnd(22)}${s2(row.wall).padStart(8)}${s2(row.cpu).padStart(8)}${mb(row.rssMB).padStart(9)}  ${vs.padEnd(36)}${row.walls.map((w) => w.toFixed(2)).join(' ')}`);
    }
  }
}

main();
