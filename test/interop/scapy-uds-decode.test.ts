/**
 * Interop: Debian's python3-scapy (2.5.0) decodes every message the simulated ECU sends during a service
 * sweep over DoIP on 127.0.0.1 (test/helpers/interop-sweep.ts): every positive response of every service
 * of the table, the negative responses and the unsolicited messages. test/interop/scapy_uds_decode.py
 * gives one verdict per message; what scapy's UDS layer itself does not model is "not-decodable" (with the
 * reason) and is listed, never counted as a pass. `.ci/run` installs python3-scapy; locally the test is
 * skipped with a message when it is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSweep, type SweepResult } from '../../src/scan/service-sweep.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { decodeCases, missingCoverage, runInteropSweep, sweepVehicle } from '../helpers/interop-sweep.js';
import { repoRoot } from '../helpers/sim-process.js';

const PY = '/usr/bin/python3';

function hasScapy(): boolean {
  return spawnSync(PY, ['-c', 'import scapy.contrib.automotive.uds'], { stdio: 'ignore' }).status === 0;
}

const available = hasScapy();
if (!available) {
  const msg = 'python3-scapy is not installed for /usr/bin/python3 (apt-get install python3-scapy)';
  if (process.env['CI']) throw new Error(`interop: ${msg}`);
  console.warn(`skipping scapy UDS decode interop: ${msg}`);
}

interface Verdict {
  label: string;
  kind: 'response' | 'pending' | 'unsolicited';
  response: string;
  verdict: 'pass' | 'fail' | 'not-decodable';
  layer?: string;
  reason?: string;
}

function decodeWithScapy(cases: unknown[]): Verdict[] {
  const out = execFileSync(PY, [join(repoRoot, 'test/interop/scapy_uds_decode.py')], {
    input: JSON.stringify(cases),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return (JSON.parse(out) as { verdicts: Verdict[] }).verdicts;
}

describe.skipIf(!available)('scapy_uds_decode.py', () => {
  it('fails a response that does not answer its request or that scapy reads differently, and lists what scapy lacks', () => {
    const c = (label: string, request: string, response: string) => ({ label, request, response, kind: 'response' });
    const v = decodeWithScapy([
      c('good', '22f190', '62f19041'),
      c('answers another DID', '22f190', '62f19141'),
      c('answers another service', '2701', '5003003201f4'),
      c('too short for its layer', '2c03', '6c0301'),
      c('pending is not an answer', '3101ff00', '7f3178'),
      c('unknown SID', 'a501', 'e501'),
      c('clear all DDDIDs', '2c03', '6c03'),
    ]);
    expect(v.map((x) => [x.label, x.verdict])).toEqual([
      ['good', 'pass'],
      ['answers another DID', 'fail'],
      ['answers another service', 'fail'],
      ['too short for its layer', 'fail'],
      ['pending is not an answer', 'fail'],
      ['unknown SID', 'not-decodable'],
      ['clear all DDDIDs', 'not-decodable'],
    ]);
    expect(v[1]?.reason).toMatch(/answers\(\)/);
    expect(v[5]?.reason).toMatch(/does not list SID 0xE5/);
  });
});

describe.skipIf(!available)('scapy UDS layer decodes a service sweep of udskit', () => {
  let vehicle: Vehicle | undefined;
  let result: SweepResult;
  let verdicts: Verdict[] = [];

  beforeAll(async () => {
    vehicle = await Vehicle.start(sweepVehicle, { host: '127.0.0.1', port: 0, udpPort: null });
    result = await runInteropSweep(vehicle);
    verdicts = decodeWithScapy(decodeCases(result));
  });
  afterAll(async () => {
    await vehicle?.stop();
  });

  it('the sweep got the expected answer at every step', () => {
    expect(result.stoppedEarly).toBeUndefined();
    expect(result.problems.map((p) => `${p.label}: ${p.problem ?? ''}`), formatSweep(result.exchanges)).toEqual([]);
  });

  it('covers every service of the table (and every 0x19 sub-function) with a positive response', () => {
    if (!vehicle) throw new Error('no vehicle');
    expect(missingCoverage(vehicle, result)).toEqual([]);
  });

  it('scapy decodes every message with the fields udskit sent (no failure)', () => {
    expect(verdicts.length).toBe(decodeCases(result).length);
    const failed = verdicts.filter((v) => v.verdict === 'fail').map((v) => `${v.label} [${v.kind}] ${v.response}: ${v.reason ?? ''}`);
    expect(failed).toEqual([]);
    expect(verdicts.filter((v) => v.verdict === 'pass').length).toBeGreaterThan(0);
  });

  it('every positive response and every negative response is decoded by scapy or listed with its reason', () => {
    for (const v of verdicts) {
      if (v.verdict === 'not-decodable') expect(v.reason, `${v.label}`).toMatch(/scapy|UDS_/);
    }
    const notDecodable = verdicts.filter((v) => v.verdict === 'not-decodable');
    if (notDecodable.length > 0) console.info(`not decodable by scapy 2.5.0:\n${notDecodable.map((v) => `${v.label}: ${v.reason ?? ''}`).join('\n')}`);
    // What scapy 2.5.0's UDS layer does not model (see scapy_gap in the script); a new entry needs a look.
    expect(notDecodable.map((v) => v.label).sort()).toEqual(['38 06 resume file', '83 01 read extended', '86 04 report activated']);
    // Each positive response SID of the sweep is among the messages scapy decoded or listed.
    const sids = new Set(result.exchanges.filter((x) => x.outcome === 'positive').map((x) => x.response?.[0]));
    const seen = new Set(verdicts.map((v) => Number.parseInt(v.response.slice(0, 2), 16)));
    for (const sid of sids) expect(seen.has(sid ?? -1)).toBe(true);
  });
});
