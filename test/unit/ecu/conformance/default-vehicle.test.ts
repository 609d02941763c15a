/**
 * Conformance of the default vehicle's ECUs: every SID 00..FF x session x security state x addressing
 * over the in-memory link, checked against the oracle (test/helpers/conformance).
 */
import { conformanceSuite } from '../../../helpers/conformance/suite.js';
import { defaultVehicleTargets } from '../../../helpers/conformance/targets.js';

conformanceSuite('conformance: default vehicle', defaultVehicleTargets());
