/**
 * Conformance of every ECU of every shipped profile in profiles/ (ECU profiles and vehicle files):
 * every SID 00..FF x session x security state x addressing over the in-memory link, against the oracle.
 */
import { conformanceSuite } from '../../../helpers/conformance/suite.js';
import { shippedProfileTargets } from '../../../helpers/conformance/targets.js';

conformanceSuite('conformance: shipped profiles', await shippedProfileTargets());
