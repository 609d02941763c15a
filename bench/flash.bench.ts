/**
 * Flash job benchmark (issue 6): the tester (flash engine) in this process, the simulator in a child
 * process (bench/flash-vehicle.yaml: eight ECUs, 16 KiB TransferData blocks), DoIP on 127.0.0.1.
 *
 * 1. A 4 MiB image flashed into one ECU with the iso14229-generic sequence: the time of each phase (pre,
 *    programming with its erase / download / check parts, post) and the download rate.
 * 2. Eight ECUs with 1 MiB each: one job flashing them in parallel over one DoIP connection, against the
 *    same eight flashed one job after the other. The aggregate throughput (bytes of all ECUs per second of
 *    the programming phase, and per second of the whole job) and the parallel / sequential ratio.
 *
 *   node --import tsx bench/flash.bench.ts              (table)
 *   node --import tsx bench/flash.bench.ts --json       (one JSON object)
 *   node --import tsx bench/flash.bench.ts --size 8M --ecus 4 --ecu-size 2M
 *
 * A 1 MiB job runs untimed first so that neither side is timed while V8 still compiles its hot paths.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseIntAuto } from '../src/core/hex.js';
import { testFirmware } from '../src/cli/demo-scenario.js';
import { FlashEngine } from '../src/flash/engine.js';
import { resolveFlashJob } from '../src/flash/job-files.js';
import { planFlashJob } from '../src/flash/plan.js';
import type { FlashReport, StepRecord } from '../src/flash/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const json = process.argv.includes('--json');
const SIZE = numberOption('--size', 4 * 1024 * 1024);
const ECUS = Math.min(8, numberOption('--ecus', 8));
const ECU_SIZE = numberOption('--ecu-size', 1024 * 1024);
const FIRST_ECU = 0x1010;

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? parseIntAuto(process.argv[at + 1] ?? '', name) : fallback;
}

function startSimulator(): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts'), 'sim', '--config', join(here, 'flash-vehicle.yaml'), '--port', '0', '--no-udp', '--json'];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error('the simulator did not start within 20 s')), 20_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, port: (JSON.parse(line) as { tcpPort: number }).tcpPort });
    });
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
  });
}

async function stopSimulator(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await done;
}

/** Runs one job flashing `size` bytes into each of `ecus`. */
async function flash(port: number, ecus: number[], size: number): Promise<FlashReport> {
  const job = resolveFlashJob({
    template: 'iso14229-generic',
    name: 'bench',
    connection: { port },
    security: { algorithm: 'xor', secret: { hex: '11 22 33 44' } },
    ecus: ecus.map((address) => ({ address, memory: [{ start: 0, size: 0x1000000, sectorSize: 0x10000 }], firmware: [{ file: `gen-${address}` }] })),
  });
  const plan = await planFlashJob(job, {
    loadFirmware: async (s) => ({ file: s.file, format: 'binary', image: { segments: [{ address: 0, data: testFirmware(size, parseInt(s.file.slice(s.file.lastIndexOf('-') + 1), 10)) }] } }),
  });
  const report = await new FlashEngine().run(plan);
  if (!report.ok) throw new Error(`the bench job failed: ${JSON.stringify(report.ecus.map((e) => e.failure?.message))}`);
  return report;
}

/** Seconds from the first start to the last end of `steps`. */
function span(steps: readonly StepRecord[]): number {
  if (steps.length === 0) return 0;
  const start = Math.min(...steps.map((s) => s.startMs));
  const end = Math.max(...steps.map((s) => s.startMs + s.durationMs));
  return (end - start) / 1000;
}

function exchangeSeconds(s: StepRecord | undefined, prefix: string): number {
  return (s?.exchanges.filter((x) => x.request.startsWith(prefix)).reduce((n, x) => n + x.ms, 0) ?? 0) / 1000;
}

function round(v: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

async function main(): Promise<void> {
  const sim = await startSimulator();
  try {
    await flash(sim.port, [FIRST_ECU], 1024 * 1024); // warm-up, untimed

    const single = await flash(sim.port, [FIRST_ECU], SIZE);
    const program = single.steps.find((s) => s.step === 'program');
    const programSeconds = (program?.durationMs ?? 0) / 1000;
    const erase = exchangeSeconds(program, '31 01 FF 00');
    const check = exchangeSeconds(program, '31 01 02 02');
    const download = programSeconds - erase - check;
    const phases = {
      pre: round(span(single.steps.filter((s) => s.phase === 'pre'))),
      programming: round(span(single.steps.filter((s) => s.phase === 'programming'))),
      program: round(programSeconds),
      erase: round(erase),
      download: round(download),
      check: round(check),
      post: round(span(single.steps.filter((s) => s.phase === 'post'))),
      total: single.durationSeconds,
    };

    const addresses = Array.from({ length: ECUS }, (_, i) => FIRST_ECU + i);
    const t0 = performance.now();
    const par = await flash(sim.port, addresses, ECU_SIZE);
    const parWall = (performance.now() - t0) / 1000;
    const parProgram = span(par.steps.filter((s) => s.step === 'program'));
    let seqWall = 0;
    let seqProgram = 0;
    for (const a of addresses) {
      const t1 = performance.now();
      const r = await flash(sim.port, [a], ECU_SIZE);
      seqWall += (performance.now() - t1) / 1000;
      seqProgram += (r.steps.find((s) => s.step === 'program')?.durationMs ?? 0) / 1000;
    }
    const total = ECUS * ECU_SIZE;
    const mbps = (s: number): number => round(s > 0 ? total / 1e6 / s : 0, 2);
    const result = {
      name: 'flash',
      node: process.version,
      single: { bytes: SIZE, seconds: phases, downloadMBps: round(download > 0 ? SIZE / 1e6 / download : 0, 2) },
      parallel: {
        ecus: ECUS,
        bytesPerEcu: ECU_SIZE,
        parallel: { wallSeconds: round(parWall), programSeconds: round(parProgram), programMBps: mbps(parProgram), jobMBps: mbps(parWall) },
        sequential: { wallSeconds: round(seqWall), programSeconds: round(seqProgram), programMBps: mbps(seqProgram), jobMBps: mbps(seqWall) },
        ratio: { program: round(seqProgram / parProgram, 2), job: round(seqWall / parWall, 2) },
      },
    };
    if (json) {
      process.stdout.write(JSON.stringify(result) + '\n');
      return;
    }
    const p = result.parallel;
    const lines = [
      `flash benchmark (Node ${process.version}; flash engine in this process, simulator in a child process, DoIP on 127.0.0.1)`,
      '',
      `${(SIZE / 1048576).toFixed(1)} MiB into one ECU (iso14229-generic; 16 KiB TransferData blocks):`,
      `  pre-programming      ${phases.pre.toFixed(3)} s`,
      `  programming          ${phases.programming.toFixed(3)} s   program step ${phases.program.toFixed(3)} s: erase ${phases.erase.toFixed(3)} s, download ${phases.download.toFixed(3)} s (${result.single.downloadMBps} MB/s), checkMemory ${phases.check.toFixed(3)} s`,
      `  post-programming     ${phases.post.toFixed(3)} s`,
      `  whole job            ${phases.total.toFixed(3)} s`,
      '',
      `${ECUS} ECUs x ${(ECU_SIZE / 1048576).toFixed(1)} MiB:      programming phase              whole job`,
      `  parallel (one job, one DoIP connection)   ${p.parallel.programSeconds.toFixed(3)} s  ${p.parallel.programMBps.toFixed(2)} MB/s   ${p.parallel.wallSeconds.toFixed(3)} s  ${p.parallel.jobMBps.toFixed(2)} MB/s`,
      `  sequential (${ECUS} jobs, one after the other)  ${p.sequential.programSeconds.toFixed(3)} s  ${p.sequential.programMBps.toFixed(2)} MB/s   ${p.sequential.wallSeconds.toFixed(3)} s  ${p.sequential.jobMBps.toFixed(2)} MB/s`,
      `  aggregate throughput parallel / sequential: ${p.ratio.program.toFixed(2)}x (programming phase), ${p.ratio.job.toFixed(2)}x (whole job)`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await stopSimulator(sim.child);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
