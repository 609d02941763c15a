/**
 * `udskit dtc read|clear`, `udskit io-control` and `udskit read-memory` run as a user runs them against a
 * vehicle on 127.0.0.1 whose engine ECU sees a low supply voltage (P0562-16 fails) and has a fan DID under
 * IO control: human output, the `--json` shape, and the exit codes (0 / 2 on NRC / 1 on usage errors).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../../src/core/crc.js';
import type { VehicleConfigInput } from '../../src/vehicle/config.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { asTester, jsonOf, runCli } from '../helpers/cli-process.js';

/** Each test runs a few CLI processes (about 0.5 s each on an idle machine); this bounds a test on a busy one. */
const CLI_TEST_TIMEOUT_MS = 60_000;

const FLASH = 0x08000000;

const vehicleConfig: VehicleConfigInput = {
  name: 'cli-test',
  doip: { logicalAddress: 0x1000 },
  ecus: [
    {
      name: 'engine',
      address: 0x1010,
      security: { levels: [{ level: 1, algorithm: 'xor', secret: { hex: 'A5 5A C3 3C' }, sessions: [2, 3] }] },
      memory: [{ name: 'app-flash', kind: 'flash', start: FLASH, size: 0x40000, sectorSize: 0x800, download: true, upload: true }],
      // 8.5 V: the voltage monitor fails P0562-16 at power-on (default DTCs of an ECU profile).
      vehicleState: { voltage: 8.5 },
      dids: [
        {
          id: 0x9b00,
          name: 'fanDuty',
          codec: 'uint',
          length: 1,
          value: 0,
          ioControl: { parameters: [0, 1, 2, 3], default: 0, sessions: [3], securityLevels: [1] },
        },
      ],
    },
  ],
};

const UNLOCK = ['--session', 'extended', '--unlock', '01', '--algorithm', 'xor', '--secret', 'hex:A55AC33C'];

let vehicle: Vehicle;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  vehicle = await Vehicle.start(vehicleConfig, { port: 0, udpPort: null });
  env = { UDSKIT_PORT: String(vehicle.tcpPort), UDSKIT_ECU: '0x1010' };
  dir = await mkdtemp(join(tmpdir(), 'udskit-cli-'));
  // Something recognisable in flash to read back.
  vehicle.ecu(0x1010)?.memory.write(FLASH, Uint8Array.from('udskit flash!', (c) => c.charCodeAt(0)));
});

afterAll(async () => {
  await vehicle.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('udskit dtc', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('read lists the DTCs by status mask in SAE form with the status bits named', async () => {
    const [text, json, count] = await Promise.all([
      runCli(['dtc', 'read'], asTester(env, 1)),
      runCli(['dtc', 'read', '--mask', '0x01', '--json'], asTester(env, 2)),
      runCli(['dtc', 'read', '--count', '--json'], asTester(env, 3)),
    ]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toBe('status availability mask 0xFF');
    expect(lines).toContain('P0562-16  status 0x2F  testFailed, testFailedThisOperationCycle, pendingDTC, confirmedDTC, testFailedSinceLastClear');
    expect(lines.some((l) => l.startsWith('U0100-87  status 0x'))).toBe(true);
    expect(lines.at(-1)).toBe('2 DTC(s) match mask 0xFF');
    expect(jsonOf(json)).toEqual({
      ok: true,
      statusMask: 0x01,
      statusAvailabilityMask: 0xff,
      dtcs: [
        {
          dtc: 0x056216,
          code: 'P0562-16',
          status: 0x2f,
          statusBits: ['testFailed', 'testFailedThisOperationCycle', 'pendingDTC', 'confirmedDTC', 'testFailedSinceLastClear'],
        },
      ],
    });
    expect(jsonOf(count)).toEqual({ ok: true, statusMask: 0xff, count: 2, statusAvailabilityMask: 0xff, formatIdentifier: 0x01 });
  });

  it('read --supported, --snapshot (OBD DID lengths known) and --extended', async () => {
    const [supported, snapshot, extended, split] = await Promise.all([
      runCli(['dtc', 'read', '--supported', '--json'], asTester(env, 1)),
      runCli(['dtc', 'read', '--snapshot', 'P0562-16'], asTester(env, 2)),
      runCli(['dtc', 'read', '--extended', 'U0100-87', '--record', '01', '--json'], asTester(env, 3)),
      runCli(['dtc', 'read', '--extended', 'C10087', '--lengths', '01=1,02=1', '--json'], asTester(env, 4)),
    ]);
    expect((jsonOf(supported)['dtcs'] as { code: string }[]).map((d) => d.code)).toEqual(['P0562-16', 'P0563-17', 'U0100-87']);
    expect(snapshot.code).toBe(0);
    const lines = snapshot.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^P0562-16 {2}status 0x2F/);
    expect(lines[1]).toBe('snapshot record 0x01:');
    // F442 = 8500 mV (ISO 15031-5 PID 0x42, 0.001 V per bit), F40D = 0 km/h.
    expect(lines.slice(2)).toEqual(['  F442 controlModuleVoltage: 21 34', '  F40D vehicleSpeed: 00']);
    expect(jsonOf(extended)).toMatchObject({ ok: true, dtc: 0xc10087, code: 'U0100-87', records: [{ recordNumber: 1, hex: expect.stringMatching(/^[0-9A-F]{2}$/) }] });
    expect(jsonOf(split)).toMatchObject({ records: [{ recordNumber: 1 }, { recordNumber: 2 }] });
  });

  it('an unknown DTC exits 2; bad DTC text and conflicting modes exit 1', async () => {
    const [unknown, bad, both] = await Promise.all([
      runCli(['dtc', 'read', '--extended', 'P0000-00', '--json'], asTester(env, 1)),
      runCli(['dtc', 'read', '--snapshot', 'X123'], asTester(env, 2)),
      runCli(['dtc', 'read', '--count', '--supported', '--port', '1'], asTester(env, 3)),
    ]);
    expect(unknown.code).toBe(2);
    expect(jsonOf(unknown)).toMatchObject({ ok: false, nrc: { sid: 0x19, nrc: 0x31 } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('is not a DTC');
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('give at most one of --count, --supported, --snapshot and --extended');
  });

  it('clear resets the status; the still-failing voltage test sets P0562-16 again', async () => {
    const clear = await runCli(['dtc', 'clear', '--json'], env);
    expect(clear.code).toBe(0);
    expect(jsonOf(clear)).toEqual({ ok: true, group: 0xffffff });
    const after = jsonOf(await runCli(['dtc', 'read', '--supported', '--json'], env));
    const byCode = new Map((after['dtcs'] as { code: string; statusBits: string[] }[]).map((d) => [d.code, d.statusBits]));
    // U0100-87 had confirmedDTC from an earlier cycle: cleared, it is untested since the clear.
    expect(byCode.get('U0100-87')).toContain('testNotCompletedSinceLastClear');
    expect(byCode.get('U0100-87')).not.toContain('confirmedDTC');
    expect(byCode.get('P0562-16')).toContain('testFailed');
    const text = await runCli(['dtc', 'clear', '--group', 'FFFFFF'], env);
    expect(text.stdout).toBe('DTCs of group FFFFFF (all groups) cleared\n');
  });
});

describe('udskit io-control', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('adjust, freeze and return control; the adjusted value reads back with read-did', async () => {
    const adjust = await runCli(['io-control', '9B00', 'adjust', '40', ...UNLOCK], env);
    expect(adjust.code).toBe(0);
    expect(adjust.stdout).toBe('9B00 adjust: controlState 40\n');
    expect((await runCli(['read-did', '9B00'], env)).stdout).toBe('9B00: 40  "@"\n');
    const ret = await runCli(['io-control', '9B00', 'return', '--json'], env);
    expect(ret.code).toBe(0);
    expect(jsonOf(ret)).toEqual({ ok: true, did: 0x9b00, inputOutputControlParameter: 0, controlState: '00' });
  });

  it('refuses without security (exit 2) and bad arguments (exit 1)', async () => {
    const [locked, noState, stray, badControl] = await Promise.all([
      // A new session relocks security (ISO 14229-1:2020 10.2): 0x33.
      runCli(['io-control', '9B00', 'freeze', '--session', 'extended', '--json'], asTester(env, 1)),
      runCli(['io-control', '9B00', 'adjust', '--port', '1'], asTester(env, 2)),
      runCli(['io-control', '9B00', 'freeze', '01', '--port', '1'], asTester(env, 3)),
      runCli(['io-control', '9B00', 'toggle'], asTester(env, 4)),
    ]);
    expect(locked.code).toBe(2);
    expect(jsonOf(locked)).toMatchObject({ ok: false, nrc: { sid: 0x2f, nrc: 0x33, nrcName: 'securityAccessDenied' } });
    expect(noState.code).toBe(1);
    expect(noState.stderr).toContain('io-control adjust needs the state as hex bytes');
    expect(stray.code).toBe(1);
    expect(stray.stderr).toContain('only io-control adjust takes a state');
    expect(badControl.code).toBe(1);
    expect(badControl.stderr).toContain('the control must be return, reset, freeze or adjust');
  });
});

describe('udskit read-memory', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('prints a hex dump, and with --json the address, size, CRC32 and hex', async () => {
    const dump = await runCli(['read-memory', '0x08000000', '20', ...UNLOCK], env);
    expect(dump.code).toBe(0);
    expect(dump.stdout).toBe(
      '08000000  75 64 73 6B 69 74 20 66  6C 61 73 68 21 FF FF FF  |udskit flash!...|\n' +
        '08000010  FF FF FF FF                                       |....|\n',
    );
    expect(dump.stderr).toContain('20 byte(s) read at 0x08000000 in 1 request(s), CRC32 ');
    const j = jsonOf(await runCli(['read-memory', '0x08000000', '13', '--json', ...UNLOCK], env));
    const expected = Uint8Array.from('udskit flash!', (c) => c.charCodeAt(0));
    expect(j).toMatchObject({ ok: true, address: FLASH, size: 13, hex: '75 64 73 6B 69 74 20 66 6C 61 73 68 21' });
    expect(j['crc32']).toBe(crc32(expected).toString(16).toUpperCase().padStart(8, '0'));
  });

  it('reads in blocks of --block bytes into a file (-o)', async () => {
    const file = join(dir, 'flash.bin');
    const r = await runCli(['read-memory', '0x08000000', '64K', '--block', '0x1000', '-o', file, '--json', ...UNLOCK], env);
    expect(r.code).toBe(0);
    const written = new Uint8Array(await readFile(file));
    expect(written.length).toBe(0x10000);
    expect(Buffer.from(written.subarray(0, 13)).toString('latin1')).toBe('udskit flash!');
    expect(jsonOf(r)).toMatchObject({ ok: true, address: FLASH, size: 0x10000, file, crc32: crc32(written).toString(16).toUpperCase().padStart(8, '0') });
    expect(jsonOf(r)['hex']).toBeUndefined();
    const text = await runCli(['read-memory', '0x08000000', '0x3000', '--block', '0x1000', '-o', file, ...UNLOCK], env);
    expect(text.stdout).toMatch(/^12288 byte\(s\) read at 0x08000000 in 3 request\(s\), CRC32 [0-9A-F]{8}, written to /);
  });

  it('outside the memory map exits 2; a range that does not fit the address length exits 1', async () => {
    const [outside, tooLong] = await Promise.all([
      runCli(['read-memory', '0x00000000', '16', '--json', ...UNLOCK], asTester(env, 1)),
      runCli(['read-memory', '0x1FFFFFF', '2', '--address-length', '3', '--port', '1'], asTester(env, 2)),
    ]);
    expect(outside.code).toBe(2);
    expect(jsonOf(outside)).toMatchObject({ ok: false, nrc: { sid: 0x23, nrc: 0x31 } });
    expect(tooLong.code).toBe(1);
    expect(tooLong.stderr).toContain('does not fit in 3 address byte(s); raise --address-length');
  });
});
