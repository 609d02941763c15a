/**
 * Memory benchmark (issue 4, spec/bootloader-and-flashing.md "Memory is sparse"):
 *
 * 1. One simulator process (`udskit sim`, the built CLI in dist/) with 100 ECUs, each with one flash region
 *    covering the whole 32-bit address space (4 GiB): its resident memory (RSS) and peak RSS (VmHWM) once it
 *    listens, then after 16 MiB were erased and programmed into one ECU over DoIP on 127.0.0.1, read from
 *    /proc/<pid>/status (`ps -o rss=` where there is no /proc). Next to it, the same process with 1 such ECU.
 * 2. Erase + program throughput of the memory model alone (SparseMemory + MemoryMap in this process: discard
 *    the range as eraseMemory does, then per block the erased check and the write TransferData does), next to
 *    a baseline measured in the same run: a plain Buffer filled with 0xFF and the same blocks copied into it.
 *
 *   node --import tsx bench/memory.bench.ts            (a table)
 *   node --import tsx bench/memory.bench.ts --json     (one JSON object)
 *   options: --ecus 100  --size 16M (programmed bytes)  --rounds 5 (model, median)
 *
 * UDSKIT_CLI_JS names another build of the CLI (default dist/cli/main.js; run `npm run build` first).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseIntAuto } from '../src/core/hex.js';
import { DoipClient } from '../src/doip/client.js';
import { parseEcuConfig } from '../src/ecu/config.js';
import { MemoryMap } from '../src/ecu/memory-map.js';
import { SparseMemory } from '../src/ecu/sparse-memory.js';
import { Tester } from '../src/tester/tester.js';
import { UdsClient } from '../src/uds/client/uds-client.js';
import { secretFromConfig } from '../src/uds/security/algorithms.js';
import { testFirmware } from '../src/cli/demo-scenario.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const json = process.argv.includes('--json');
const ECUS = numberOption('--ecus', 100);
const SIZE = numberOption('--size', 16 * 1024 * 1024);
const ROUNDS = Math.max(1, numberOption('--rounds', 5));
const MIB = 1024 * 1024;
const FIRST_ECU = 0x1001;
const SECTOR = 0x1_0000;

function numberOption(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const text = process.argv[at + 1] ?? '';
  const m = /^(\d+)([kKmM]?)$/.exec(text);
  if (m?.[1] !== undefined) return Number(m[1]) * (m[2] === '' ? 1 : /k/i.test(m[2] ?? '') ? 1024 : MIB);
  return parseIntAuto(text, name);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A vehicle of `n` ECUs, each with one 4 GiB flash region (0..0xFFFFFFFF, 64 KiB sectors). */
function vehicle(n: number): unknown {
  return {
    name: 'memory-bench',
    ecus: Array.from({ length: n }, (_, i) => ({
      name: `ecu-${i + 1}`,
      address: FIRST_ECU + i,
      security: [{ level: 0x01, algorithm: 'xor', secret: { hex: '11 22 33 44' }, sessions: [0x02, 0x03] }],
      memory: [{ name: 'flash', kind: 'flash', start: 0, size: 0x1_0000_0000, sectorSize: SECTOR }],
      transfer: { maxNumberOfBlockLength: 0x4002 },
      programming: { session: 0x02, securityLevel: 0x01 },
    })),
  };
}

/** Current and peak resident memory of process `pid`, in bytes. */
function residentMemory(pid: number): { rss: number; peak: number | undefined } {
  const status = `/proc/${pid}/status`;
  if (existsSync(status)) {
    const text = readFileSync(status, 'utf8');
    const kib = (key: string): number | undefined => {
      const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
      return m?.[1] !== undefined ? Number(m[1]) * 1024 : undefined;
    };
    return { rss: kib('VmRSS') ?? 0, peak: kib('VmHWM') };
  }
  return { rss: Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024, peak: undefined };
}

interface Sim {
  child: ChildProcess;
  tcpPort: number;
}

function startSim(vehicleFile: string): Promise<Sim> {
  const cli = process.env['UDSKIT_CLI_JS'] ?? join(root, 'dist', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'sim', '-c', vehicleFile, '--port', '0', '--no-udp', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const timer = setTimeout(() => reject(new Error('udskit sim did not start within 60 s')), 60_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve({ child, tcpPort: Number((JSON.parse(line) as { tcpPort: number }).tcpPort) });
    });
    child.once('exit', (code) => reject(new Error(`udskit sim exited with ${code}`)));
  });
}

async function stopSim(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await done;
}

/**
 * Erases and programs `data` at 0 of ECU `ecu` over DoIP, calls `measure`, then checks the data by reading
 * it back (after the measurement, so that the upload's buffers do not count).
 */
async function program(port: number, ecu: number, data: Uint8Array, measure: () => void): Promise<void> {
  const doip = await DoipClient.connect({ host: '127.0.0.1', port, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target: ecu });
  const tester = new Tester(client);
  try {
    await tester.openSession(0x02);
    await tester.unlock(0x01, { algorithm: 'xor', secret: secretFromConfig({ hex: '11 22 33 44' }) });
    await tester.eraseMemory(0, Math.ceil(data.length / SECTOR) * SECTOR);
    await tester.download(0, data);
    measure();
    const back = await tester.upload(0, data.length);
    if (Buffer.compare(Buffer.from(back), Buffer.from(data)) !== 0) throw new Error('read-back differs from the programmed data');
    await tester.closeSession();
  } finally {
    await client.close();
    await doip.close();
  }
}

/** RSS figures of a simulator with `ecus` ECUs, before and (when `data` is given) after programming it into the first. */
async function simulatorCase(ecus: number, data: Uint8Array | undefined): Promise<Record<string, number | null>> {
  const dir = await mkdtemp(join(tmpdir(), 'udskit-memory-bench-'));
  try {
    const file = join(dir, 'vehicle.json');
    await writeFile(file, JSON.stringify(vehicle(ecus)));
    const sim = await startSim(file);
    try {
      const pid = sim.child.pid ?? 0;
      const started = residentMemory(pid);
      const out: Record<string, number | null> = {
        ecus,
        rssMiB: round2(started.rss / MIB),
        peakRssMiB: started.peak !== undefined ? round2(started.peak / MIB) : null,
      };
      if (data) {
        let after = started;
        await program(sim.tcpPort, FIRST_ECU, data, () => (after = residentMemory(pid)));
        out['programmedMiB'] = round2(data.length / MIB);
        out['rssAfterProgramMiB'] = round2(after.rss / MIB);
        out['peakRssAfterProgramMiB'] = after.peak !== undefined ? round2(after.peak / MIB) : null;
      }
      return out;
    } finally {
      await stopSim(sim.child);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Seconds to erase `data.length` bytes and program `data` in `block`-byte blocks, in the memory model. */
function modelRound(memory: SparseMemory, map: MemoryMap, data: Uint8Array, block: number): number {
  const t0 = performance.now();
  memory.discard(0, data.length);
  for (let at = 0; at < data.length; at += block) {
    const chunk = data.subarray(at, Math.min(at + block, data.length));
    const region = map.regionFor(at, chunk.length);
    if (!region || !memory.isErased(at, chunk.length, region.erasedValue)) throw new Error(`0x${at.toString(16)} is not erased`);
    memory.write(at, chunk);
  }
  return (performance.now() - t0) / 1000;
}

/** Seconds for the same work on a plain Buffer: fill with 0xFF, copy the blocks in. */
function bufferRound(target: Buffer, data: Uint8Array, block: number): number {
  const t0 = performance.now();
  target.fill(0xff);
  for (let at = 0; at < data.length; at += block) target.set(data.subarray(at, Math.min(at + block, data.length)), at);
  return (performance.now() - t0) / 1000;
}

function modelCase(data: Uint8Array, block: number): Record<string, number> {
  const config = parseEcuConfig({ address: FIRST_ECU, memory: [{ name: 'flash', kind: 'flash', start: 0, size: 0x1_0000_0000, sectorSize: SECTOR }] });
  const map = new MemoryMap(config.memory);
  const memory = new SparseMemory({ fill: (a, out) => map.fill(a, out) });
  const target = Buffer.allocUnsafe(data.length);
  // Warm-up (untimed), then interleaved rounds.
  modelRound(memory, map, data, block);
  bufferRound(target, data, block);
  const model: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    model.push(modelRound(memory, map, data, block));
    plain.push(bufferRound(target, data, block));
  }
  if (Buffer.compare(Buffer.from(memory.read(0, data.length)), Buffer.from(data)) !== 0) throw new Error('the memory model holds other bytes than programmed');
  const mb = data.length / 1e6;
  const m = median(model);
  const p = median(plain);
  return { blockBytes: block, bytes: data.length, rounds: ROUNDS, eraseProgramMBps: round2(mb / m), bufferCopyMBps: round2(mb / p), ratio: Math.round((p / m) * 1000) / 1000 };
}

async function main(): Promise<void> {
  const data = testFirmware(SIZE);
  const one = await simulatorCase(1, undefined);
  const many = await simulatorCase(ECUS, data);
  const perEcuKiB = ECUS > 1 ? Math.round((((many['rssMiB'] ?? 0) - (one['rssMiB'] ?? 0)) * 1024) / (ECUS - 1)) : null;
  const model = [modelCase(data, 4096), modelCase(data, 65536)];
  const result = {
    benchmark: 'memory',
    node: process.version,
    addressSpacePerEcuBytes: 0x1_0000_0000,
    simulator: { ...many, perEcuKiB, baselineOneEcu: one },
    model,
  };
  if (json) {
    process.stdout.write(JSON.stringify(result) + '\n');
    return;
  }
  const w = (s: string): boolean => process.stdout.write(s + '\n');
  w(`memory benchmark: one udskit sim process, ECUs with one 4 GiB flash region each (RSS from ${existsSync('/proc/self/status') ? '/proc/<pid>/status' : 'ps'})`);
  w(`  1 ECU:          RSS ${one['rssMiB']} MiB (peak ${one['peakRssMiB'] ?? 'n/a'} MiB)`);
  w(`  ${ECUS} ECUs:       RSS ${many['rssMiB']} MiB (peak ${many['peakRssMiB'] ?? 'n/a'} MiB), about ${perEcuKiB ?? 'n/a'} KiB per ECU`);
  w(`  after ${many['programmedMiB']} MiB programmed into one: RSS ${many['rssAfterProgramMiB']} MiB (peak ${many['peakRssAfterProgramMiB'] ?? 'n/a'} MiB)`);
  w(`memory model alone (SparseMemory + MemoryMap): erase + program ${SIZE} bytes, median of ${ROUNDS} round(s), baseline: Buffer fill + copy`);
  w('block    | erase+program MB/s | Buffer copy MB/s | ratio');
  for (const r of model) {
    w(`${`${(r['blockBytes'] ?? 0) / 1024} KiB`.padEnd(8)} | ${String(r['eraseProgramMBps']).padStart(18)} | ${String(r['bufferCopyMBps']).padStart(16)} | ${String(r['ratio']).padStart(5)}`);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`memory benchmark failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
