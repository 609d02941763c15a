/**
 * Conformance of test/fixtures/conformance-rich.yaml, a profile with the features the shipped profiles
 * leave out (a `like` session, per-session timing, three levels, slow work after 0x78, data routines,
 * scaling / IO control / periodic DIDs, memory by address, DTC clear conditions).
 */
import { conformanceSuite } from '../../../helpers/conformance/suite.js';
import { richFixtureTarget } from '../../../helpers/conformance/targets.js';

conformanceSuite('conformance: rich fixture profile', [richFixtureTarget()]);
