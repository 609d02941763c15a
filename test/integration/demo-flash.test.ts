/**
 * `udskit demo`: a real flash job (iso14229-generic) with the bundled sample firmware against the default
 * vehicle on 127.0.0.1, then a dump and a byte-for-byte comparison; `--size` flashes a generated image;
 * `--json` keeps the fields of issue 2 (bytes, downloadSeconds, uploadSeconds, verified).
 */
import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/cli/commands/demo.js';
import { jsonOf, runCli } from '../helpers/cli-process.js';

const TEST_TIMEOUT_MS = 60_000;

describe('udskit demo', () => {
  it(
    'flashes the sample firmware (three segments) with the full sequence and verifies it',
    async () => {
      const s = await runDemo({ ecu: 0x1010, tester: 0x0e00, json: true });
      expect(s).toMatchObject({ ecu: 'engine', segments: 3, bytes: 0x200 + 0x18000 + 0x800, verified: true });
      expect(s.report.ok).toBe(true);
      expect(s.report.steps.map((x) => x.phase)).toEqual(expect.arrayContaining(['pre', 'programming', 'post']));
      expect(s.report.steps.find((x) => x.step === 'program')?.exchanges.filter((x) => x.request.startsWith('34')).length).toBe(3);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'flashes a generated image of --size bytes into the body ECU (--json)',
    async () => {
      const r = await runCli(['demo', '--json', '--size', '64K', '--ecu', '0x1020']);
      expect(r.code, r.stderr).toBe(0);
      const j = jsonOf(r);
      expect(j).toMatchObject({ ok: true, ecu: 'body', bytes: 65536, verified: true, job: { ok: true, exitCode: 0 } });
      expect(typeof j['downloadSeconds']).toBe('number');
      expect(typeof j['uploadSeconds']).toBe('number');
    },
    TEST_TIMEOUT_MS,
  );
});
