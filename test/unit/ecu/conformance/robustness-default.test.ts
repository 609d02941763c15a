/**
 * Robustness of the default vehicle's engine ECU: random bytes after every SID of its table, in every
 * session/security state (fast-check, seed printed on failure). See test/helpers/conformance/robustness.ts.
 */
import { robustnessSuite } from '../../../helpers/conformance/robustness.js';
import { defaultVehicleTargets } from '../../../helpers/conformance/targets.js';

robustnessSuite('robustness: default vehicle', defaultVehicleTargets().slice(0, 1), { numRuns: 100 });
