/**
 * `udskit profile list | validate | schema` and `udskit sim --profile`, run as child processes from the
 * TypeScript sources (node --import tsx); the simulator listens on 127.0.0.1 on a free port.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { DoipClient } from '../../src/doip/client.js';
import { ecuProfileJsonSchema } from '../../src/ecu/profile-json-schema.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import { vehicleJsonSchema } from '../../src/vehicle/json-schema.js';
import { repoRoot } from '../helpers/sim-process.js';

const CLI = ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts')];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function udskit(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c().catch(() => undefined);
});

// Each command starts node + tsx (a few seconds under load).
describe('udskit profile', { timeout: 60_000 }, () => {
  it('list prints the shipped profiles (text and --json)', async () => {
    const text = await udskit(['profile', 'list']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^generic-iso14229 +ECU +Seed 002/m);
    expect(text.stdout).toMatch(/^doipsimu +vehicle +/m);
    const json = await udskit(['profile', 'list', '--json']);
    const parsed = JSON.parse(json.stdout) as { ok: boolean; profiles: { name: string; kind: string }[] };
    expect(parsed.ok).toBe(true);
    expect(parsed.profiles.map((p) => p.name)).toEqual(['doipsimu', 'generic-iso14229', 'stm32f103-uds-boot']);
  });

  it('validate accepts a shipped profile by name and shows what it offers', async () => {
    const r = await udskit(['profile', 'validate', 'stm32f103-uds-boot']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('stm32f103-uds-boot.yaml: valid ECU profile');
    expect(r.stdout).toContain('services (boot): 0x10 DiagnosticSessionControl, 0x11 ECUReset, 0x22 ReadDataByIdentifier');
    expect(r.stdout).toContain('routines: 0x0201 checkProgrammingPreconditions, 0x0202 checkMemory, 0xFF00 eraseMemory, 0xFF01 checkProgrammingDependencies');
  });

  it('validate names the file, the field path and the allowed values, and exits 1 (text and --json)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'udskit-cli-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'address: 0x1010\nservices:\n  0x22: { sessions: [7] }\n  0x31: maybe\n');
    const r = await udskit(['profile', 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `udskit: ${file}: invalid ECU configuration:\n` +
        '  - services.0x31: must be true, false (not supported: 0x11), or { sessions, securityLevels, subFunctions } [UDSKIT_CONFIG]\n',
    );
    writeFileSync(file, 'address: 0x1010\nservices:\n  0x22: { sessions: [7] }\n');
    const j = await udskit(['profile', 'validate', '--json', file]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({
      ok: false,
      file,
      kind: 'ecu',
      errors: [
        {
          path: 'services.0x22.sessions[0]',
          message: "session 0x07 is not one of this profile's sessions (0x01 defaultSession, 0x02 programmingSession, 0x03 extendedDiagnosticSession)",
        },
      ],
    });
  });

  it('schema prints the JSON Schemas', async () => {
    const ecu = await udskit(['profile', 'schema']);
    expect(JSON.parse(ecu.stdout)).toEqual(ecuProfileJsonSchema());
    const vehicle = await udskit(['profile', 'schema', '--vehicle']);
    expect(JSON.parse(vehicle.stdout)).toEqual(vehicleJsonSchema());
  });
});

describe('udskit sim --profile', { timeout: 60_000 }, () => {
  it('runs one ECU from a shipped profile behind a default gateway', async () => {
    const child = spawn(process.execPath, [...CLI, 'sim', '--profile', 'stm32f103-uds-boot', '--port', '0', '--no-udp', '--json'], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          if (child.exitCode !== null) return r();
          child.once('exit', () => r());
          child.kill('SIGTERM');
        }),
    );
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`udskit sim exited with ${code}`)));
    });
    const listening = JSON.parse(line) as { tcpPort: number; vehicle: string; gateway: number; ecus: { name: string; address: number }[] };
    expect(listening).toMatchObject({ vehicle: 'stm32f103-uds-boot', gateway: 0x1000, ecus: [{ name: 'stm32f103-uds-boot', address: 0x0711 }] });
    const doip = await DoipClient.connect({ host: '127.0.0.1', port: listening.tcpPort, testerAddress: 0x0e00 });
    const client = new UdsClient(doip, { target: 0x0711 });
    cleanups.unshift(async () => {
      await client.close();
      await doip.close();
    });
    const [version] = await client.readDataByIdentifier(0xf1aa);
    expect(new TextDecoder().decode(version?.data)).toBe('V1.0.0');
  });

  it('refuses --config together with --profile', async () => {
    const r = await udskit(['sim', '--profile', 'generic-iso14229', '--config', 'profiles/doipsimu.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('give either --config (a vehicle file) or --profile (an ECU profile), not both');
  });
});
