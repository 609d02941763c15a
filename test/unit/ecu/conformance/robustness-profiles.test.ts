/**
 * Robustness of the shipped profiles (the first ECU of each file in profiles/) and of
 * test/fixtures/conformance-rich.yaml: random bytes after every SID of the table, in every
 * session/security state (fast-check, seed printed on failure).
 */
import { robustnessSuite } from '../../../helpers/conformance/robustness.js';
import type { ConformanceTarget } from '../../../helpers/conformance/plan.js';
import { richFixtureTarget, shippedProfileTargets } from '../../../helpers/conformance/targets.js';

const firstPerFile = new Map<string, ConformanceTarget>();
for (const t of await shippedProfileTargets()) {
  const file = t.source.split(' ')[0] ?? t.source;
  if (!firstPerFile.has(file)) firstPerFile.set(file, t);
}

robustnessSuite('robustness: shipped profiles and the rich fixture', [...firstPerFile.values(), richFixtureTarget()], { numRuns: 40 });
