/**
 * Interop with a peer we did not write: Debian's python3-scapy (UDS_DoIPSocket) flashes and reads back
 * an ECU of `udskit sim` over DoIP on 127.0.0.1. `.ci/run` installs python3-scapy; locally the test is
 * skipped with a message when it is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, startSimProcess } from '../helpers/sim-process.js';
import type { SimProcess } from '../helpers/sim-process.js';

const PY = '/usr/bin/python3';

function hasScapy(): boolean {
  const r = spawnSync(PY, ['-c', 'import scapy.contrib.automotive.doip'], { stdio: 'ignore' });
  return r.status === 0;
}

const available = hasScapy();
if (!available) {
  const msg = 'python3-scapy is not installed for /usr/bin/python3 (apt-get install python3-scapy)';
  if (process.env['CI']) throw new Error(`interop: ${msg}`);
  console.warn(`skipping scapy interop: ${msg}`);
}

describe.skipIf(!available)('scapy UDS_DoIPSocket against udskit sim', () => {
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await startSimProcess(['--no-udp']);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('activates routing, unlocks, erases, downloads 64 KiB, reads it back identical', () => {
    const out = execFileSync(PY, [join(repoRoot, 'test/interop/scapy_flash.py'), '--port', String(sim.tcpPort), '--size', '65536'], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ok: boolean; verified: boolean; vin: string; steps: string[] };
    expect(result.ok).toBe(true);
    expect(result.verified).toBe(true);
    expect(result.vin).toBe('WUDSKIT0000000001');
    expect(result.steps).toContain('34/36/37 download 65536 bytes');
    expect(result.steps).toContain('34 after 10 02 -> 7F 34 33');
  });
});

describe.skipIf(!available)('the prototype (doipsimu) client flow against profiles/doipsimu.yaml', () => {
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await startSimProcess(['--no-udp', '--config', join(repoRoot, 'profiles/doipsimu.yaml')]);
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('tester 0x1010 flashes ECU 0x0E80 with 4096-byte data blocks and reads it back until NRC 0x31', () => {
    const out = execFileSync(PY, [join(repoRoot, 'test/interop/scapy_flash.py'), '--port', String(sim.tcpPort), '--profile', 'doipsimu'], {
      encoding: 'utf8',
      timeout: 90_000,
    });
    const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as { ok: boolean; verified: boolean; maxNumberOfBlockLength: number };
    expect(result).toMatchObject({ ok: true, verified: true, maxNumberOfBlockLength: 4096 });
  });
});
