/**
 * `udskit flash` and `udskit dump` run as a user runs them, against vehicles on 127.0.0.1: the short form
 * with a profile, a job file flashing two ECUs over one connection, the exit codes (0 / 2 refused / 1 usage),
 * and dumps with 35 and with the 23 fallback, written as Intel HEX and S-record.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIntelHex } from '../../src/firmware/intel-hex.js';
import { readSRecord } from '../../src/firmware/srecord.js';
import { writeSRecord } from '../../src/firmware/srecord.js';
import { parseVehicleConfig } from '../../src/vehicle/config.js';
import { defaultVehicle } from '../../src/vehicle/default-vehicle.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { asTester, jsonOf, runCli } from '../helpers/cli-process.js';

const CLI_TEST_TIMEOUT_MS = 60_000;

function data(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 29 + seed * 11 + (i >> 7)) & 0xff);
}

const A = data(0x9000, 1);
const B = data(0x5000, 2);
const SECURITY = ['--algorithm', 'shift-mul-xor', '--secret', '0x464C4147', '--key-length', '4'];

let generic: Vehicle;
let defaults: Vehicle;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  generic = await Vehicle.start(
    parseVehicleConfig({
      name: 'cli-flash',
      doip: { logicalAddress: 0x1000 },
      ecus: [
        { profile: 'generic-iso14229', address: 0x1010, name: 'gen-a' },
        { profile: 'generic-iso14229', address: 0x1011, name: 'gen-b' },
        { profile: 'generic-iso14229', address: 0x1012, name: 'gen-c' },
      ],
    }),
    { port: 0, udpPort: null },
  );
  defaults = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
  dir = await mkdtemp(join(tmpdir(), 'udskit-flash-'));
  await writeFile(join(dir, 'a.s19'), writeSRecord({ segments: [{ address: 0x10000, data: A }] }, { addressBytes: 4 }));
  await writeFile(join(dir, 'b.s19'), writeSRecord({ segments: [{ address: 0x10000, data: B }] }, { addressBytes: 4 }));
  await writeFile(join(dir, 'boot.s19'), writeSRecord({ segments: [{ address: 0x100, data: B }] }, { addressBytes: 4 }));
  await writeFile(join(dir, 'driver.bin'), data(0x400, 3));
  env = { UDSKIT_PORT: String(generic.tcpPort) };
});

afterAll(async () => {
  await generic.stop();
  await defaults.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('udskit flash', () => {
  it(
    'short form: --ecu FILE --profile, the default template, exit 0, a JSON report',
    async () => {
      const r = await runCli(['flash', '--ecu', '0x1010', join(dir, 'a.s19'), '--profile', 'generic-iso14229', '--driver', join(dir, 'driver.bin'), '--driver-address', '0x20000000', '--json'], asTester(env, 0));
      expect(r.code, r.stderr).toBe(0);
      const report = jsonOf(r);
      expect(report).toMatchObject({ ok: true, exitCode: 0, job: { template: 'iso14229-generic' } });
      expect((report['ecus'] as { outcome: string; bytesWritten: number }[])[0]).toMatchObject({ outcome: 'ok', bytesWritten: A.length });
      expect(Buffer.from(generic.ecu(0x1010)!.memory.read(0x10000, A.length)).equals(Buffer.from(A))).toBe(true);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    '--job: two ECUs in parallel over one connection, a readable summary',
    async () => {
      const job = [
        'template: iso14229-generic',
        'name: two-ecus',
        'security: { algorithm: shift-mul-xor, secret: 0x464C4147, keyLength: 4 }',
        'flashDriver: { file: driver.bin, baseAddress: 0x20000000 }',
        'ecus:',
        '  - { address: 0x1011, profile: generic-iso14229, firmware: [{ file: b.s19 }] }',
        '  - { address: 0x1012, profile: generic-iso14229, firmware: [{ file: a.s19 }] }',
      ].join('\n');
      await writeFile(join(dir, 'job.yaml'), job);
      const r = await runCli(['flash', '--job', join(dir, 'job.yaml'), '--report', join(dir, 'report.json')], asTester(env, 1));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/flash job two-ecus \(template iso14229-generic\): OK/);
      expect(r.stdout).toMatch(/0x1011 generic-iso14229: programmed, 20480\/20480 bytes/);
      expect(r.stdout).toMatch(/0x1012 generic-iso14229: programmed, 36864\/36864 bytes/);
      const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { steps: { ecu?: number }[] };
      expect(report.steps.filter((s) => s.ecu === undefined)).toHaveLength(7); // functional steps once for both
      expect(Buffer.from(generic.ecu(0x1011)!.memory.read(0x10000, B.length)).equals(Buffer.from(B))).toBe(true);
      expect(Buffer.from(generic.ecu(0x1012)!.memory.read(0x10000, A.length)).equals(Buffer.from(A))).toBe(true);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    'exit 2 when the ECU refuses the key, exit 1 when the file does not fit the memory map',
    async () => {
      const refused = await runCli(['flash', '--ecu', '0x1012', join(dir, 'b.s19'), '--profile', 'generic-iso14229', '--driver', join(dir, 'driver.bin'), '--driver-address', '0x20000000', '--secret', '0x1', '--json'], asTester(env, 2));
      expect(refused.code).toBe(2);
      const failure = (jsonOf(refused)['ecus'] as { failure: { nrc: number; advice: string } }[])[0]?.failure;
      expect(failure).toMatchObject({ nrc: 0x35 });
      const boot = await runCli(['flash', '--ecu', '0x1012', join(dir, 'boot.s19'), '--profile', 'generic-iso14229', '--driver', join(dir, 'driver.bin')], asTester(env, 2));
      expect(boot.code).toBe(1);
      expect(boot.stderr).toMatch(/data at 0x00000100 lies in the boot region "boot"; firmware can only be programmed into flash regions/);
    },
    CLI_TEST_TIMEOUT_MS,
  );

  it(
    '--dry-run prints the plan and sends nothing; a job without ECUs is a usage error',
    async () => {
      const r = await runCli(['flash', '--ecu', '0x1010', join(dir, 'a.s19'), '--profile', 'generic-iso14229', '--driver', join(dir, 'driver.bin'), '--driver-address', '0x20000000', '--dry-run'], asTester(env, 3));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/block 1: erase 0x00010000\.\.0x0001BFFF; write 0x00010000\.\.0x00018FFF/);
      await writeFile(join(dir, 'empty.yaml'), 'template: iso14229-generic\n');
      const empty = await runCli(['flash', '--job', join(dir, 'empty.yaml'), '--json'], asTester(env, 3));
      expect(empty.code).toBe(1);
      expect(jsonOf(empty)).toMatchObject({ ok: false, error: { code: 'UDSKIT_FLASH_PLAN' } });
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

describe('udskit dump', () => {
  it(
    'reads with 35 in the programming session into Intel HEX, and falls back to 23 in the extended session into S-record',
    async () => {
      const fw = data(0x3000, 7);
      defaults.ecu(0x1010)!.memory.write(0x20000, fw);
      const denv = { UDSKIT_PORT: String(defaults.tcpPort), UDSKIT_ECU: '0x1010' };
      const unlock = ['--unlock', '01', ...SECURITY];
      const hex = join(dir, 'dump.hex');
      const up = await runCli(['dump', '--range', '0x20000:0x22FFF', '-o', hex, '--session', 'programming', ...unlock, '--json'], asTester(denv, 4));
      expect(up.code, up.stderr).toBe(0);
      expect(jsonOf(up)).toMatchObject({ ok: true, method: 'upload', size: 0x3000 });
      const img = readIntelHex(await readFile(hex));
      expect(img.segments).toHaveLength(1);
      expect(img.segments[0]?.address).toBe(0x20000);
      expect(Buffer.from(img.segments[0]!.data).equals(Buffer.from(fw))).toBe(true);

      const srec = join(dir, 'dump.s37');
      const rm23 = await runCli(['dump', '--range', '0x20000+0x3000', '-o', srec, '--session', 'extended', ...unlock], asTester(denv, 4));
      expect(rm23.code, rm23.stderr).toBe(0);
      expect(rm23.stderr).toMatch(/RequestUpload \(0x35\) refused with serviceNotSupportedInActiveSession \(0x7F\): read with ReadMemoryByAddress \(0x23\) instead/);
      expect(rm23.stdout).toMatch(/read with ReadMemoryByAddress \(0x23\) in 6 request\(s\)/);
      const back = readSRecord(await readFile(srec));
      expect(Buffer.from(back.segments[0]!.data).equals(Buffer.from(fw))).toBe(true);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});
