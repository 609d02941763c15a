/**
 * The conformance test over real DoIP on 127.0.0.1: a deterministic sample of the generated cases (spread
 * over every state, probe and addressing mode; cases whose answer comes after 0x78 are left out, as they
 * would wait real P2 time) runs through a Vehicle and a DoipClient, and must give the oracle's answer and
 * the same responses as over the in-memory link.
 */
import { describe, expect, it } from 'vitest';
import { DoipRig } from '../helpers/conformance/doip-rig.js';
import { outcomeLabel } from '../helpers/conformance/oracle.js';
import { planConformance, type ConformanceTarget } from '../helpers/conformance/plan.js';
import { MemoryRig } from '../helpers/conformance/rig.js';
import { describeFailure, runCases, sampleCases } from '../helpers/conformance/run.js';
import { defaultVehicleTargets, richFixtureTarget, shippedProfileTargets } from '../helpers/conformance/targets.js';

const firstPerFile = new Map<string, ConformanceTarget>();
for (const t of await shippedProfileTargets()) {
  const file = t.source.split(' ')[0] ?? t.source;
  if (!firstPerFile.has(file)) firstPerFile.set(file, t);
}
const targets: [ConformanceTarget, number][] = [
  ...defaultVehicleTargets()
    .slice(0, 1)
    .map((t): [ConformanceTarget, number] => [t, 200]),
  ...[...firstPerFile.values()].map((t): [ConformanceTarget, number] => [t, 60]),
];
// The rich fixture without its power-on delay, which real time would make every fresh vehicle wait.
const rich = richFixtureTarget();
targets.push([{ source: rich.source, config: { ...rich.config, security: { ...rich.config.security, powerOnDelayMs: 0 } } }, 80]);

describe('conformance over DoIP (127.0.0.1)', () => {
  it.each(targets.map(([t, n]) => [t.source, t, n] as const))('%s: a sample of the cases gives the same answers as in memory', async (_name, target, n) => {
    const plan = planConformance(target);
    const sample = sampleCases(plan.cases, n, (c) => c.expected.kind !== 'silence' && c.expected.pending);
    expect(sample.length).toBeGreaterThan(Math.min(n, plan.cases.length) / 2);
    const overDoip = await runCases(target.config, sample, (config) => DoipRig.create(config));
    const inMemory = await runCases(target.config, sample, (config) => MemoryRig.create(config));
    expect(overDoip.filter((r) => r.problem).map(describeFailure)).toEqual([]);
    expect(overDoip.map((r) => r.got)).toEqual(inMemory.map((r) => r.got));
    // Every kind of answer is in the sample, not only 0x11.
    const kinds = new Set(sample.map((c) => outcomeLabel(c.expected)));
    expect(kinds.has('positive') && kinds.has('silence') && kinds.size >= 4).toBe(true);
  });
});
