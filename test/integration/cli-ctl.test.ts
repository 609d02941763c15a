/**
 * `udskit ctl` as a user runs it, against a `udskit sim --control-port 0` child process: the readable
 * state table, vehicle conditions, power cycle, faults (add, list, clear) with the fired fault reported
 * by the simulator, `--json` shapes, and exit 1 with a message that says what to do when nothing listens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jsonOf, runCli } from '../helpers/cli-process.js';
import { repoRoot } from '../helpers/sim-process.js';

/** Each test runs up to 11 CLI processes (about 0.5 s each on an idle machine); this bounds a test on a busy one. */
const CLI_TEST_TIMEOUT_MS = 120_000;

let sim: ChildProcess;
/** JSON lines the simulator printed after its "listening" line. */
const simEvents: Record<string, unknown>[] = [];
let env: Record<string, string>;
let doipPort: number;

beforeAll(async () => {
  sim = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'sim', '--port', '0', '--no-udp', '--control-port', '0', '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = createInterface({ input: sim.stdout as NodeJS.ReadableStream });
  const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
    lines.once('line', (l) => resolve(JSON.parse(l) as Record<string, unknown>));
    sim.once('exit', (code) => reject(new Error(`udskit sim exited with ${code}`)));
  });
  lines.on('line', (l) => simEvents.push(JSON.parse(l) as Record<string, unknown>));
  expect(first).toMatchObject({ event: 'listening', controlUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
  env = { UDSKIT_CONTROL_URL: first['controlUrl'] as string };
  doipPort = first['tcpPort'] as number;
}, CLI_TEST_TIMEOUT_MS);

afterAll(async () => {
  if (sim.exitCode !== null || sim.pid === undefined) return;
  const exited = new Promise<void>((resolve) => sim.once('exit', () => resolve()));
  process.kill(sim.pid, 'SIGTERM');
  await exited;
});

describe('udskit ctl', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('state prints mode, session, security, app valid, vehicle and sectors per ECU', async () => {
    const r = await runCli(['ctl', 'state', '--ecu', 'body'], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'ECU 0x1020 body: application mode, default session 0x01, locked, app valid: yes',
      '  security: 0 failed attempt(s)',
      '  vehicle: 12.5 V, ignition on, 0 km/h, engine off',
      '  app-flash (flash) 0x08000000-0x080FFFFF: 512 erased',
      '',
    ]);
    const j = jsonOf(await runCli(['ctl', 'state', '--json'], env));
    expect(j).toMatchObject({ ok: true, ecus: [{ address: 0x1010, name: 'engine' }, { address: 0x1020, mode: 'app' }] });
  });

  it('vehicle changes the conditions; 31 01 0203 then reports them; power-cycle restarts an ECU', async () => {
    const [patch, show] = [await runCli(['ctl', 'vehicle', '--voltage', '8.5', '--engine', 'on'], env), await runCli(['ctl', 'vehicle', '--json'], env)];
    expect(patch.code).toBe(0);
    expect(patch.stdout).toBe('vehicle udskit-default: 8.5 V, ignition on, 0 km/h, engine running\n');
    expect(jsonOf(show)).toMatchObject({ ok: true, vehicle: { state: { voltage: 8.5, engineRunning: true }, consistent: true } });
    const routine = await runCli(['routine', 'start', '0203', '--session', 'extended'], { UDSKIT_PORT: String(doipPort), UDSKIT_ECU: '0x1010', UDSKIT_TESTER: '0x0E05' });
    expect(routine.stdout).toContain('status record 93 83');
    await runCli(['ctl', 'vehicle', '--voltage', '12.5', '--engine', 'off'], env);
    const pc = await runCli(['ctl', 'power-cycle', '--ecu', '0x1010'], env);
    expect(pc.code).toBe(0);
    expect(pc.stdout).toMatch(/^ECU 0x1010 engine: power cycled/);
  });

  it('fault add / list / clear, and the simulator reports a fired fault', async () => {
    const add = await runCli(['ctl', 'fault', 'add', 'nrc', '--ecu', 'engine', '--sid', '22', '--nrc', '0x31'], env);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/^fault f\d+ added: answer the 1st request 0x22 to 0x1010 engine with 7F 22 31\n$/);
    const others = await Promise.all([
      runCli(['ctl', 'fault', 'add', 'drop-connection', '--ecu', 'body', '--at', '3', '--json'], env),
      runCli(['ctl', 'fault', 'add', 'delay', '--ecu', 'body', '--ms', '20', '--count', '2'], env),
      runCli(['ctl', 'fault', 'add', 'power-loss', '--ecu', 'body', '--during', 'erase', '--nth', '2'], env),
    ]);
    expect(others.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(jsonOf(others[0] as never)).toMatchObject({ ok: true, fault: { type: 'drop-connection', atTransferData: 3, remaining: 1 } });

    const read = await runCli(['read-did', 'F190'], { UDSKIT_PORT: String(doipPort), UDSKIT_ECU: '0x1010', UDSKIT_TESTER: '0x0E06' });
    expect(read.code).toBe(2);
    expect(read.stderr).toContain('7F 22 31');
    await vi.waitFor(() => expect(simEvents).toContainEqual(expect.objectContaining({ event: 'fault', type: 'nrc', ecu: 0x1010, request: '22 F1 90', fired: 1 })));

    const list = await runCli(['ctl', 'fault', 'list'], env);
    const lines = list.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^f\d+ {2}nrc {2}fired 1, 0 left, 1 matching request\(s\) seen: /);
    const id = (lines[1] as string).split(' ')[0] as string;
    expect(await runCli(['ctl', 'fault', 'clear', id], env)).toMatchObject({ code: 0, stdout: `fault ${id} removed\n` });
    expect(jsonOf(await runCli(['ctl', 'fault', 'clear', '--json'], env))).toEqual({ ok: true, removed: 3 });
    expect((await runCli(['ctl', 'fault', 'list'], env)).stdout).toBe('no faults\n');
  });

  it('exits 1 with what to do: no URL, nothing listening, an unknown ECU, a bad option', async () => {
    const [none, closed, unknown, bad] = await Promise.all([
      runCli(['ctl', 'state'], {}),
      runCli(['ctl', 'state', '--port', '1']),
      runCli(['ctl', 'power-cycle', '--ecu', 'gearbox'], env),
      runCli(['ctl', 'fault', 'add', 'power-loss', '--ecu', 'body', '--during', 'boot'], env),
    ]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('give --url http://127.0.0.1:N or --port N');
    expect(closed.code).toBe(1);
    expect(closed.stderr).toContain('start it with "udskit sim --control-port N"');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no ECU "gearbox" in this vehicle; its ECUs are 0x1010 engine, 0x1020 body');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("argument 'boot' is invalid. Allowed choices are erase, programming");
  });
});
