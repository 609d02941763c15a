/**
 * Transfer benchmark (issue 2): tester and simulator in separate processes on 127.0.0.1. Downloads and
 * uploads 16 MiB with maxNumberOfBlockLength 4 KiB and 64 KiB over DoIP, next to a raw TCP
 * request/response loop moving the same block sizes in the same run. Prints MB/s and udskit/raw.
 *
 *   npm run bench            (table)
 *   npm run bench -- --json  (one JSON object)
 *   npm run bench -- --size 4M --rounds 5 --warmup 0
 *
 * Each case first moves `--warmup` bytes (default 4 MiB) untimed through both udskit and the raw loop, so
 * that neither is timed while V8 still compiles its hot paths, then runs `--rounds` (default 3) timed
 * rounds, udskit and raw interleaved, and reports the median of each. The figures of a 2-core VM swing
 * from run to run; interleaving exposes both sides to the same conditions.
 *
 * BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" passes extra Node options to the simulator and the raw
 * server (profiling).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { parseIntAuto } from '../src/core/hex.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run "npm run build" (npm ci does it) first');
// The tester runs from the built package, as users run it (like the simulator, which runs dist/cli/main.js),
// not from the TypeScript sources through tsx.
const { DoipClient, UdsClient, Tester, secretFromConfig } = (await import(pathToFileURL(join(root, 'dist', 'index.js')).href)) as typeof import('../src/index.js');
const { testFirmware } = (await import(pathToFileURL(join(root, 'dist', 'cli', 'demo-scenario.js')).href)) as typeof import('../src/cli/demo-scenario.js');
const json = process.argv.includes('--json');
const sizeArg = process.argv.indexOf('--size');
const SIZE = sizeArg > 0 ? parseIntAuto(process.argv[sizeArg + 1] ?? '', '--size') : 16 * 1024 * 1024;
const ROUNDS = numberOption('--rounds', 3);
const WARMUP = numberOption('--warmup', 4 * 1024 * 1024);

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at > 0 ? parseIntAuto(process.argv[at + 1] ?? '', name) : fallback;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
/** ECUs of bench/bench-vehicle.yaml: address -> maxNumberOfBlockLength. */
const CASES = [
  { label: '4 KiB', ecu: 0x1010, maxNumberOfBlockLength: 4096 },
  { label: '64 KiB', ecu: 0x1011, maxNumberOfBlockLength: 65536 },
];

function startProcess(args: string[]): Promise<{ child: ChildProcess; first: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(process.env['BENCH_NODE_ARGS']?.split(' ').filter(Boolean) ?? []), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start within 20 s`)), 20_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      const first = JSON.parse(line) as Record<string, unknown>;
      if (first['ok'] === false) reject(new Error(`${args.join(' ')} failed: ${line}`));
      else resolve({ child, first });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await done;
}

async function udskitCase(port: number, ecu: number, data: Uint8Array): Promise<{ down: number; up: number }> {
  const doip = await DoipClient.connect({ host: '127.0.0.1', port, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target: ecu });
  const tester = new Tester(client);
  try {
    await tester.openSession(0x02);
    await tester.unlock(0x01, { algorithm: 'xor', secret: secretFromConfig({ hex: '11 22 33 44' }) });
    await tester.eraseMemory(0, data.length);
    const t0 = performance.now();
    await tester.download(0, data);
    const down = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const back = await tester.upload(0, data.length);
    const up = (performance.now() - t1) / 1000;
    if (back.length !== data.length || Buffer.compare(Buffer.from(back), Buffer.from(data)) !== 0) {
      throw new Error('read-back differs from the downloaded data');
    }
    await tester.closeSession();
    return { down, up };
  } finally {
    await client.close();
    await doip.close();
  }
}

/** Raw request/response loop: `blocks` round trips of `block` bytes each way that the direction needs. */
async function rawCase(port: number, block: number, total: number): Promise<{ down: number; up: number }> {
  const sock = net.connect(port, '127.0.0.1');
  sock.setNoDelay(true);
  await new Promise<void>((r, j) => sock.once('connect', () => r()).once('error', j));
  let pending: { need: number; got: Buffer[]; len: number; resolve: () => void } | undefined;
  let buf: Buffer = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
    while (pending && buf.length >= 4) {
      const len = buf.readUInt32BE(0);
      if (buf.length < 4 + len) break;
      buf = buf.subarray(4 + len);
      const p = pending;
      pending = undefined;
      p.resolve();
    }
  });
  const roundTrip = (frame: Buffer): Promise<void> =>
    new Promise((resolve) => {
      pending = { need: 0, got: [], len: 0, resolve };
      sock.write(frame);
    });
  const blocks = Math.ceil(total / block);
  const downFrame = Buffer.alloc(4 + block, 0xa5);
  downFrame.writeUInt32BE(block, 0);
  downFrame[4] = 0x01;
  const t0 = performance.now();
  for (let i = 0; i < blocks; i++) await roundTrip(downFrame);
  const down = (performance.now() - t0) / 1000;
  const upFrame = Buffer.alloc(4 + 5);
  upFrame.writeUInt32BE(5, 0);
  upFrame[4] = 0x02;
  upFrame.writeUInt32BE(block, 5);
  const t1 = performance.now();
  for (let i = 0; i < blocks; i++) await roundTrip(upFrame);
  const up = (performance.now() - t1) / 1000;
  sock.destroy();
  return { down, up };
}

async function main(): Promise<void> {
  const cli = join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error('dist/ is missing: run "npm run build" (npm ci does it) first');
  const sim = await startProcess([cli, 'sim', '--config', join(here, 'bench-vehicle.yaml'), '--port', '0', '--no-udp', '--json']);
  const raw = await startProcess(['--import', 'tsx', join(here, 'raw-tcp-server.ts')]);
  const simPort = Number(sim.first['tcpPort']);
  const rawPort = Number(raw.first['port']);
  const data = testFirmware(SIZE);
  const rows: Record<string, unknown>[] = [];
  try {
    for (const c of CASES) {
      const dataPerBlock = c.maxNumberOfBlockLength - 2;
      if (WARMUP > 0) {
        await udskitCase(simPort, c.ecu, testFirmware(WARMUP));
        await rawCase(rawPort, dataPerBlock, WARMUP);
      }
      const us: { down: number; up: number }[] = [];
      const rs: { down: number; up: number }[] = [];
      for (let round = 0; round < Math.max(1, ROUNDS); round++) {
        us.push(await udskitCase(simPort, c.ecu, data));
        rs.push(await rawCase(rawPort, dataPerBlock, SIZE));
      }
      const u = { down: median(us.map((x) => x.down)), up: median(us.map((x) => x.up)) };
      const r = { down: median(rs.map((x) => x.down)), up: median(rs.map((x) => x.up)) };
      const mb = SIZE / 1e6;
      rows.push({
        maxNumberOfBlockLength: c.maxNumberOfBlockLength,
        label: c.label,
        bytes: SIZE,
        rounds: us.length,
        warmupBytes: WARMUP,
        downloadMBps: +(mb / u.down).toFixed(2),
        rawDownloadMBps: +(mb / r.down).toFixed(2),
        downloadRatio: +(r.down / u.down).toFixed(3),
        uploadMBps: +(mb / u.up).toFixed(2),
        rawUploadMBps: +(mb / r.up).toFixed(2),
        uploadRatio: +(r.up / u.up).toFixed(3),
      });
    }
  } finally {
    await stopProcess(sim.child);
    await stopProcess(raw.child);
  }
  if (json) {
    process.stdout.write(JSON.stringify({ benchmark: 'transfer', node: process.version, goalRatio: 0.8, results: rows }) + '\n');
    return;
  }
  process.stdout.write(
    `transfer benchmark: ${SIZE} bytes over DoIP on 127.0.0.1, simulator in its own process; median of ${Math.max(1, ROUNDS)} round(s) after ${WARMUP} bytes of warm-up (goal: ratio >= 0.8)\n`,
  );
  process.stdout.write('block    | download MB/s (raw)  ratio | upload MB/s (raw)  ratio\n');
  for (const r of rows) {
    process.stdout.write(
      `${String(r['label']).padEnd(8)} | ${String(r['downloadMBps']).padStart(7)} (${String(r['rawDownloadMBps']).padStart(7)})  ${String(r['downloadRatio']).padStart(5)} | ${String(r['uploadMBps']).padStart(7)} (${String(r['rawUploadMBps']).padStart(7)})  ${String(r['uploadRatio']).padStart(5)}\n`,
    );
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
