/**
 * The conformance suite of a list of targets, for vitest: one test per ECU profile that plans every case,
 * runs it over the in-memory link and reports the counts per expected outcome in its name.
 */
import { describe, expect, it } from 'vitest';
import { planConformance, type ConformanceTarget } from './plan.js';
import { MemoryRig } from './rig.js';
import { countOutcomes, describeFailure, runCases } from './run.js';

/** `positive 812, NRC 0x11 5400, silence 3100`. */
export function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

/** Registers one test per target. */
export function conformanceSuite(title: string, targets: readonly ConformanceTarget[]): void {
  describe(title, () => {
    it('has targets', () => {
      expect(targets.length).toBeGreaterThan(0);
    });
    for (const target of targets) {
      const plan = planConformance(target);
      const counts = countOutcomes(plan.cases);
      it(`${target.source}: ${plan.cases.length} cases in ${plan.states.length} states (${formatCounts(counts)})`, async () => {
        const results = await runCases(target.config, plan.cases, (config) => MemoryRig.create(config));
        expect(results).toHaveLength(plan.cases.length);
        const failures = results.filter((r) => r.problem !== undefined);
        expect({
          unprobedSids: plan.unprobed.map((s) => s.toString(16)),
          failures: failures.slice(0, 40).map(describeFailure),
          failureCount: failures.length,
        }).toEqual({ unprobedSids: [], failures: [], failureCount: 0 });
      });
    }
  });
}
