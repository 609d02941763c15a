/**
 * The everyday CLI commands run as a user runs them (`udskit session|reset|read-did|write-did|routine|send`)
 * against the default vehicle on 127.0.0.1: human output, the `--json` shape, and the exit codes
 * (0 success, 2 negative response, 1 usage or connection errors with a message that says what to do).
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { asTester, jsonOf, runCli } from '../helpers/cli-process.js';

/** Each test runs a few CLI processes (about 0.5 s each on an idle machine); this bounds a test on a busy one. */
const CLI_TEST_TIMEOUT_MS = 60_000;

let vehicle: Vehicle;
let env: Record<string, string>;
let dir: string;

/** Unlocks the engine ECU (0x1010) of the default vehicle in the extended session. */
const ENGINE_UNLOCK = ['--session', 'extended', '--unlock', '01', '--algorithm', 'shift-mul-xor', '--secret', '0x464C4147', '--key-length', '4'];

beforeAll(async () => {
  vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
  env = { UDSKIT_PORT: String(vehicle.tcpPort), UDSKIT_ECU: '0x1010' };
  dir = await mkdtemp(join(tmpdir(), 'udskit-cli-'));
});

afterAll(async () => {
  await vehicle.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('udskit session', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('enters the extended session and prints the P2/P2* the ECU reports', async () => {
    const r = await runCli(['session', 'extended'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('session 0x03 (extended): P2server_max 50 ms, P2*server_max 5000 ms\n');
    expect(r.stderr).toContain('S3');
    const j = jsonOf(await runCli(['session', '01', '--json'], env));
    expect(j).toEqual({ ok: true, sessionType: 1, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 });
  });

  it('exits 2 with the NRC for a session the ECU does not have, 1 for a usage error', async () => {
    const [r, text, usage] = await Promise.all([
      runCli(['session', '0x60', '--json'], asTester(env, 1)),
      runCli(['session', '0x60'], asTester(env, 2)),
      runCli(['session', 'turbo'], asTester(env, 3)),
    ]);
    expect(r.code).toBe(2);
    expect(jsonOf(r)).toMatchObject({ ok: false, nrc: { code: 'UDSKIT_NRC', sid: 0x10, nrc: 0x12, nrcName: 'subFunctionNotSupported' } });
    expect(text.code).toBe(2);
    expect(text.stderr).toMatch(/^udskit: 7F 10 12: DiagnosticSessionControl \(0x10\) refused by ECU 0x1010: subFunctionNotSupported/);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('session must be a hex byte such as 03 or 0x03 or a name: default, programming, extended, safety');
  });

  it('exits 1 and says what to do when nothing listens on the port', async () => {
    const [r, missing] = await Promise.all([
      runCli(['session', 'extended', '--port', '1'], asTester(env, 1)),
      runCli(['session', 'extended'], { UDSKIT_PORT: env['UDSKIT_PORT'] as string }),
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is the simulator running on that port?');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("required option '--ecu <address>' not specified");
  });
});

describe('udskit read-did / write-did', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('reads several DIDs with names, hex, ASCII and readable forms', async () => {
    const [r, json] = await Promise.all([
      runCli(['read-did', 'F190', 'activeDiagnosticSession', '0xF199'], asTester(env, 1)),
      runCli(['read-did', 'vin', 'F186', '--json'], asTester(env, 2)),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'F190 vin: 57 55 44 53 4B 49 54 30 30 30 30 30 30 30 30 30 31  "WUDSKIT0000000001"',
      'F186 activeDiagnosticSession: 01  default session',
      'F199 programmingDate: 20 24 01 01  2024-01-01',
      '',
    ]);
    expect(jsonOf(json)).toEqual({
      ok: true,
      records: [
        { did: 0xf190, name: 'vin', hex: '57 55 44 53 4B 49 54 30 30 30 30 30 30 30 30 30 31', ascii: 'WUDSKIT0000000001' },
        { did: 0xf186, name: 'activeDiagnosticSession', hex: '01' },
      ],
    });
  });

  it('an unsupported DID exits 2 with requestOutOfRange', async () => {
    const r = await runCli(['read-did', '1234', '--json'], env);
    expect(r.code).toBe(2);
    expect(jsonOf(r)).toMatchObject({ ok: false, nrc: { sid: 0x22, nrc: 0x31, nrcName: 'requestOutOfRange' } });
  });

  it('write-did needs the extended session and security, then writes the VIN read back by read-did', async () => {
    const refused = await runCli(['write-did', 'vin', '--text', 'WUDSKIT0000000002'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('serviceNotSupportedInActiveSession (0x7F)');
    const r = await runCli(['write-did', 'vin', '--text', 'WUDSKIT0000000002', ...ENGINE_UNLOCK, '--json'], env);
    expect(r.code).toBe(0);
    expect(jsonOf(r)).toEqual({
      ok: true,
      session: { sessionType: 3, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 },
      security: { level: 1, alreadyUnlocked: false },
      did: 0xf190,
      name: 'vin',
      hex: '57 55 44 53 4B 49 54 30 30 30 30 30 30 30 30 30 32',
    });
    const back = await runCli(['read-did', 'F190'], env);
    expect(back.stdout).toContain('"WUDSKIT0000000002"');
    const hex = await runCli(['write-did', 'F198', '41 42', ...ENGINE_UNLOCK], env);
    expect(hex.code).toBe(0);
    expect(hex.stdout).toBe('F198 repairShopCode: 2 byte(s) written (41 42)\n');
    expect(hex.stderr).toMatch(/session 0x03 \(extended\) entered \(P2 50 ms, P2\* 5000 ms\)\nsecurity level 0x01 unlocked \(seed [0-9A-F ]+, key [0-9A-F ]+\)/);
  });

  it('write-did usage errors exit 1 before connecting', async () => {
    // --port 1: nothing listens there, so a connection attempt would fail with another message.
    const [both, none, noUnlock, noSecret] = await Promise.all([
      runCli(['write-did', 'F198', '41', '--text', 'A', '--port', '1'], asTester(env, 1)),
      runCli(['write-did', 'F198', '--json', '--port', '1'], asTester(env, 2)),
      runCli(['write-did', 'F198', '41', '--algorithm', 'xor', '--port', '1'], asTester(env, 3)),
      runCli(['write-did', 'F198', '41', '--unlock', '01', '--algorithm', 'xor', '--port', '1'], asTester(env, 4)),
    ]);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('either as hex bytes or with --text, not both');
    expect(none.code).toBe(1);
    expect(jsonOf(none)).toMatchObject({ ok: false, error: { code: 'UDSKIT_INVALID_ARGUMENT' } });
    expect(noUnlock.code).toBe(1);
    expect(noUnlock.stderr).toContain('go with --unlock LEVEL');
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toContain('--unlock needs --secret VALUE');
  });

  it('unlocks with an algorithm loaded from a user module (--algorithm-module FILE#export)', async () => {
    const file = join(dir, 'xor-algorithm.mjs');
    await writeFile(file, 'export function myXor(seed, level, secret) { return seed.map((b, i) => b ^ secret[i % secret.length]); }\n');
    const args = ['write-did', 'F198', '43', '--ecu', '0x1020', '--session', '03', '--unlock', '01', '--secret', 'hex:A55AC33C'];
    const r = await runCli([...args, '--algorithm-module', `${file}#myXor`, '--json'], env);
    expect(r.code).toBe(0);
    expect(jsonOf(r)).toMatchObject({ ok: true, security: { level: 1, alreadyUnlocked: false }, did: 0xf198, hex: '43' });
    const noExport = await runCli([...args, '--algorithm-module', file], env);
    expect(noExport.code).toBe(1);
    expect(noExport.stderr).toContain('has no function export "default" (it exports: myXor)');
    expect(noExport.stderr).toContain('--algorithm-module FILE#exportName');
  });
});

describe('udskit routine / reset / send', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('routine start and results print routineInfo; an unknown routine exits 2', async () => {
    const r = await runCli(['routine', 'start', '0203', '--session', 'extended'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('routine 0203 start: routineInfo 0x00\n');
    const [results, unknown, usage] = await Promise.all([
      runCli(['routine', 'results', '0x0203', '--session', 'extended', '--json'], asTester(env, 1)),
      runCli(['routine', 'start', 'ABCD', '--session', 'extended', '--json'], asTester(env, 2)),
      runCli(['routine', 'go', '0203'], asTester(env, 3)),
    ]);
    expect(jsonOf(results)).toMatchObject({ ok: true, routineControlType: 3, routineId: 0x0203, statusRecord: '00', routineInfo: 0, routineStatusRecord: '' });
    expect(unknown.code).toBe(2);
    expect(jsonOf(unknown)).toMatchObject({ ok: false, nrc: { sid: 0x31, nrc: 0x31 } });
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain('routine control must be start, stop or results');
  });

  it('reset: hard by default, --wait until the ECU answers again, unsupported types exit 2', async () => {
    const r = await runCli(['reset'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('reset 0x01 (hard) accepted\n');
    const j = jsonOf(await runCli(['reset', 'soft', '--wait', '--json'], env));
    expect(j).toMatchObject({ ok: true, resetType: 3, name: 'soft' });
    expect(typeof j['backAfterMs']).toBe('number');
    const refused = await runCli(['reset', 'enable-rapid-power-shutdown'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('subFunctionNotSupported (0x12)');
  });

  it('send still prints the response and the NRC, through the shared connection options', async () => {
    const [r, nrc, functional] = await Promise.all([
      runCli(['send', '22 F1 90'], asTester(env, 1)),
      runCli(['send', '--json', '22 12 34'], asTester(env, 2)),
      runCli(['send', '--ecu', '0xE400', '--functional', '--json', '3E 00'], asTester(env, 3)),
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('62 F1 90');
    expect(nrc.code).toBe(2);
    expect(jsonOf(nrc)).toMatchObject({ ok: false, request: '22 12 34', response: '7F 22 31' });
    expect(functional.code).toBe(0);
    expect((jsonOf(functional)['responses'] as { ecu: number }[]).map((a) => a.ecu)).toEqual([0x1010, 0x1020]);
  });
});
