/**
 * Crash test of the state directory (issue 4): `udskit sim --state-dir DIR` runs as a child process (the
 * built CLI, dist/cli/main.js when it is current, else the sources through tsx; UDSKIT_CLI_JS names another build); each round restarts it on the same DIR, checks
 * what it finds, flashes a new application completely over DoIP on 127.0.0.1 and reads it back, then starts
 * flashing another one and kills the child (SIGKILL, its pid only) at a moment drawn from a seeded PRNG:
 * during the erase, during the download (after a random number of bytes), or around 37 / checkMemory / FF01.
 *
 * After every restart: every file in DIR is whole (nvm.json parses, every flash chunk has its exact size,
 * no temporary file is left), and the ECU either runs the last application whose FF01 was confirmed (app
 * valid, application mode, flash content identical) or sits in its bootloader with the app invalid; when
 * the kill came before the erase was sent, it must still run the previous application. Bounded: ROUNDS rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/crc.js';
import { DoipClient } from '../../src/doip/client.js';
import { Tester } from '../../src/tester/tester.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { secretFromConfig } from '../../src/uds/security/algorithms.js';
import { staleBuild } from '../helpers/built-dist.js';
import { repoRoot } from '../helpers/sim-process.js';

/** Rounds of restart + check + full flash + interrupted flash. */
const ROUNDS = 30;
/** Seed of the PRNG that picks image sizes and kill moments (mulberry32). */
const SEED = 0x5eed_4004;
const ECU = 0x1010;
const SECTOR = 0x1_0000;
const CHUNK = 0x1_0000;
const FLASH_SIZE = 0x10_0000;
const UNLOCK = { algorithm: 'xor', secret: secretFromConfig({ hex: 'A5 5A C3 3C' }), keyLength: 4 };

/** One ECU with a bootloader (boot mode while the app is invalid), 1 MiB of flash in 64 KiB sectors, RAM. */
const VEHICLE = {
  name: 'crash-test',
  ecus: [
    {
      name: 'ecu',
      address: ECU,
      security: [{ level: 0x01, algorithm: 'xor', secret: { hex: 'A5 5A C3 3C' }, keyLength: 4, sessions: [0x02, 0x03] }],
      memory: [
        { name: 'app', kind: 'app', start: 0, size: FLASH_SIZE, sectorSize: SECTOR },
        { name: 'ram', kind: 'ram', start: 0x2000_0000, size: 0x1_0000 },
      ],
      transfer: { maxNumberOfBlockLength: 0x1002 },
      programming: { session: 0x02, securityLevel: 0x01 },
      bootloader: { supportedServices: [0x10, 0x11, 0x22, 0x27, 0x31, 0x34, 0x35, 0x36, 0x37, 0x3e], initialAppValid: false },
    },
  ],
};

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

function image(size: number, seed: number): Uint8Array {
  const r = mulberry32(seed);
  return Uint8Array.from({ length: size }, () => Math.floor(r() * 256));
}

interface Sim {
  child: ChildProcess;
  tcpPort: number;
  controlUrl: string;
  exited: Promise<void>;
}

const temps: string[] = [];
const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

/**
 * How the simulator is started: UDSKIT_CLI_JS (another build), else the repository's dist/ when it is a build
 * of the current sources (CI), else the sources through tsx — never a stale build.
 */
const SIM_CLI: readonly string[] = process.env['UDSKIT_CLI_JS']
  ? [process.env['UDSKIT_CLI_JS']]
  : staleBuild(repoRoot) === undefined
    ? [join(repoRoot, 'dist', 'cli', 'main.js')]
    : ['--import', pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(repoRoot, 'src', 'cli', 'main.ts')];

/** Starts the simulator on `stateDir` and waits for its "listening" line. */
function startSim(vehicleFile: string, stateDir: string): Promise<Sim> {
  const child = spawn(process.execPath, [...SIM_CLI, 'sim', '-c', vehicleFile, '--state-dir', stateDir, '--port', '0', '--no-udp', '--control-port', '0', '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', (line) => {
      const msg = JSON.parse(line) as { event?: string; tcpPort: number; controlUrl: string | null; stateDir: string | null };
      // The first line says where the state lives.
      if (msg.event !== 'listening' || msg.controlUrl === null || msg.stateDir !== stateDir) return reject(new Error(`unexpected first line: ${line} ${stderr}`));
      resolve({ child, tcpPort: msg.tcpPort, controlUrl: msg.controlUrl, exited });
    });
    void exited.then(() => reject(new Error(`udskit sim exited before listening: ${stderr}`)));
  });
}

/** The ECU as the control API reports it. */
async function ecuState(sim: Sim): Promise<{ mode: string; appValid: boolean }> {
  const res = await fetch(`${sim.controlUrl.replace(/\/$/, '')}/api/v1/ecus/0x${ECU.toString(16)}`);
  expect(res.status).toBe(200);
  return (await res.json()) as { mode: string; appValid: boolean };
}

async function connect(sim: Sim): Promise<{ tester: Tester; close: () => Promise<void> }> {
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: sim.tcpPort, testerAddress: 0x0e00 });
  const client = new UdsClient(doip, { target: ECU });
  return {
    tester: new Tester(client),
    close: async () => {
      await client.close().catch(() => undefined);
      await doip.close().catch(() => undefined);
    },
  };
}

/** Every file under `dir`, relative, with its size. */
async function walk(dir: string, base = ''): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const d of await readdir(join(dir, base), { withFileTypes: true })) {
    const rel = base ? `${base}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...(await walk(dir, rel)));
    else out.push({ path: rel, size: (await stat(join(dir, rel))).size });
  }
  return out;
}

/** Checks that every file is whole; returns the flash content of `[0, length)` rebuilt from the chunk files. */
async function checkFiles(stateDir: string, length: number): Promise<Uint8Array> {
  const flash = new Uint8Array(length).fill(0xff);
  for (const f of await walk(stateDir)) {
    expect(f.path, 'no temporary file survives a start').not.toMatch(/(^|\/)\.tmp-/);
    if (f.path === 'udskit.lock') continue; // the running simulator's lock (persistence/state-dir-lock.ts)
    const chunk = /^1010\/flash\/([0-9a-f]{8})\.bin$/.exec(f.path);
    if (f.path === '1010/nvm.json') {
      const doc = JSON.parse(await readFile(join(stateDir, f.path), 'utf8')) as { format: string };
      expect(doc.format).toBe('udskit-nvm');
    } else if (chunk?.[1]) {
      expect(f.size, f.path).toBe(CHUNK);
      const address = parseInt(chunk[1], 16);
      if (address < length) flash.set((await readFile(join(stateDir, f.path))).subarray(0, Math.min(CHUNK, length - address)), address);
    } else {
      throw new Error(`unexpected file in the state directory: ${f.path}`);
    }
  }
  return flash;
}

/** Erase, download, checkMemory, FF01 of `data` at 0 (in the programming session, unlocked). */
async function flash(
  tester: Tester,
  data: Uint8Array,
  hooks: { onErase?: () => void; onErased?: () => void; onBytes?: (n: number) => void; onFf01?: () => void } = {},
): Promise<void> {
  await tester.openSession(0x02);
  await tester.unlock(0x01, UNLOCK);
  hooks.onErase?.();
  await tester.eraseMemory(0, Math.ceil(data.length / SECTOR) * SECTOR);
  hooks.onErased?.();
  await tester.download(0, data, { onProgress: (p) => hooks.onBytes?.(p.bytesSent) });
  await tester.checkMemory(crc32(data));
  hooks.onFf01?.();
  await tester.checkDependencies();
}

describe('state directory under SIGKILL while flashing', () => {
  it(`after ${ROUNDS} kills the ECU runs the last confirmed application or sits in its bootloader, and its files are whole`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'udskit-crash-'));
    temps.push(dir);
    const vehicleFile = join(dir, 'vehicle.json');
    await writeFile(vehicleFile, JSON.stringify(VEHICLE));
    const stateDir = join(dir, 'state');
    const rand = mulberry32(SEED);
    const maxLength = 4 * SECTOR;
    /** The application whose FF01 was confirmed last (undefined: none yet). */
    let committed: Uint8Array | undefined;
    /** What the interrupted flashing of the last round got to before the kill. */
    let cut: { eraseSent: boolean; eraseDone: boolean; ff01Sent: boolean; data: Uint8Array } = { eraseSent: false, eraseDone: false, ff01Sent: false, data: new Uint8Array(0) };
    const outcomes = { valid: 0, invalid: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      const sim = await startSim(vehicleFile, stateDir);
      const content = await checkFiles(stateDir, maxLength);
      const state = await ecuState(sim);
      if (state.appValid) {
        outcomes.valid++;
        expect(state.mode, `round ${round}`).toBe('app');
        // Valid after a confirmed erase: only through the new application's FF01; before it: the previous one.
        const app = cut.eraseDone ? (cut.ff01Sent ? cut.data : undefined) : committed;
        expect(app, `round ${round}: app valid, so there is an application it vouches for`).toBeDefined();
        const expected = app ?? new Uint8Array(0);
        expect(Buffer.from(content.subarray(0, expected.length)).equals(Buffer.from(expected)), `round ${round}: flash holds the valid application`).toBe(true);
        committed = expected;
      } else {
        outcomes.invalid++;
        expect(state.mode, `round ${round}`).toBe('boot');
        // Invalid only once an erase was sent (or before anything was programmed).
        expect(cut.eraseSent || committed === undefined, `round ${round}: app invalid although no erase was sent`).toBe(true);
      }

      // A complete flashing succeeds and reads back identical.
      const full = image(SECTOR + Math.floor(rand() * 2 * SECTOR), SEED + round * 2);
      const a = await connect(sim);
      if (state.appValid && committed) {
        await a.tester.openSession(0x02);
        await a.tester.unlock(0x01, UNLOCK);
        expect(Buffer.from(await a.tester.upload(0, committed.length)).equals(Buffer.from(committed)), `round ${round}: upload of the running app`).toBe(true);
      }
      await flash(a.tester, full);
      expect(Buffer.from(await a.tester.upload(0, full.length)).equals(Buffer.from(full))).toBe(true);
      committed = full;
      expect(await ecuState(sim)).toMatchObject({ appValid: true });

      // Another one, killed at a random moment.
      const next = image(SECTOR + Math.floor(rand() * 3 * SECTOR), SEED + round * 2 + 1);
      const phase = rand();
      const killAtBytes = Math.floor(rand() * next.length);
      const delayMs = Math.floor(rand() * 4);
      cut = { eraseSent: false, eraseDone: false, ff01Sent: false, data: next };
      const kill = (): void => {
        if (sim.child.exitCode === null && sim.child.signalCode === null) sim.child.kill('SIGKILL');
      };
      const later = (): void => void setTimeout(kill, delayMs);
      const interrupted = flash(a.tester, next, {
        onErase: () => {
          cut.eraseSent = true;
          if (phase < 0.25) later();
        },
        onErased: () => {
          cut.eraseDone = true;
        },
        onBytes: (n) => {
          if (phase >= 0.25 && phase < 0.75 && n >= killAtBytes) kill();
        },
        onFf01: () => {
          cut.ff01Sent = true;
          if (phase >= 0.75) later();
        },
      });
      await interrupted.catch(() => undefined);
      kill();
      await sim.exited;
      await a.close();
    }
    // Both outcomes happened: the kills hit before and after the flag was cleared.
    expect(outcomes.invalid).toBeGreaterThan(0);
    expect(outcomes.valid).toBeGreaterThan(0);
  }, 120_000);
});

/** Power-loss rounds through the control API (each ends with a kill and a restart on the same DIR). */
const POWER_LOSS_ROUNDS = 8;

/** Waits (bounded) until the control API reports the ECU available again after its power cycle. */
async function waitAvailable(sim: Sim): Promise<{ mode: string; appValid: boolean }> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${sim.controlUrl.replace(/\/$/, '')}/api/v1/ecus/0x${ECU.toString(16)}`);
    const s = (await res.json()) as { mode: string; appValid: boolean; available: boolean };
    if (s.available) return s;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the ECU did not come back within 2 s of its power loss');
}

describe('state directory under the power-loss fault of the control API', () => {
  it(`after ${POWER_LOSS_ROUNDS} power losses during erase or programming the ECU sits in its bootloader with the app invalid, survives a kill, and flashes again`, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'udskit-power-loss-'));
    temps.push(dir);
    const vehicleFile = join(dir, 'vehicle.json');
    await writeFile(vehicleFile, JSON.stringify(VEHICLE));
    const stateDir = join(dir, 'state');
    const rand = mulberry32(SEED ^ 0x0bad_f00d);
    let sim = await startSim(vehicleFile, stateDir);
    for (let round = 0; round < POWER_LOSS_ROUNDS; round++) {
      // A confirmed application first.
      const good = image(SECTOR + Math.floor(rand() * SECTOR), SEED + 100 + round);
      const a = await connect(sim);
      await flash(a.tester, good);
      expect(await ecuState(sim), `round ${round}: confirmed`).toMatchObject({ appValid: true });

      // Then an update during which power fails: during the erase, or at the Nth block written to flash.
      const next = image(SECTOR + Math.floor(rand() * 2 * SECTOR), SEED + 200 + round);
      const during = rand() < 0.5 ? 'erase' : 'programming';
      const nth = during === 'erase' ? 1 : 1 + Math.floor(rand() * Math.ceil(next.length / 0x1000));
      const res = await fetch(`${sim.controlUrl.replace(/\/$/, '')}/api/v1/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'power-loss', ecu: ECU, during, nth }),
      });
      expect(res.status, `round ${round}: fault accepted`).toBe(201);
      await expect(flash(a.tester, next), `round ${round}: the tester sees the power loss (${during}, nth ${nth})`).rejects.toThrow();
      await a.close();
      const after = await waitAvailable(sim);
      expect(after, `round ${round}: power loss ${during} #${nth}`).toMatchObject({ mode: 'boot', appValid: false });

      // Kill the simulator as well: the state it left on disk is whole and says the same.
      sim.child.kill('SIGKILL');
      await sim.exited;
      sim = await startSim(vehicleFile, stateDir);
      await checkFiles(stateDir, 4 * SECTOR);
      expect(await ecuState(sim), `round ${round}: after the restart`).toMatchObject({ mode: 'boot', appValid: false });

      // A fresh flash succeeds and reads back identical; the ECU then runs it.
      const b = await connect(sim);
      await flash(b.tester, next);
      expect(Buffer.from(await b.tester.upload(0, next.length)).equals(Buffer.from(next)), `round ${round}: read back`).toBe(true);
      expect(await ecuState(sim)).toMatchObject({ appValid: true });
      await b.close();
    }
    sim.child.kill('SIGKILL');
    await sim.exited;
  }, 120_000);
});
