/**
 * Robustness properties (fast-check): for every SID of an ECU's service table, requests of that SID with
 * random bytes after it (0..64 bytes), physical or functional, sent in any session/security state to a
 * fresh simulated ECU over the memory link, always get a positive response or `7F SID NRC` (0x78 only
 * before a final answer; silence only where SPRMIB or a functional request allows it), never make the ECU
 * report a fault (a handler threw something that is not an NRC), and the ECU answers `3E 00` afterwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { profileServiceTable } from '../../../src/ecu/profile-service-table.js';
import { carriesSubFunction } from './oracle.js';
import { planStates, SUPPORTED_SIDS, type ConformanceTarget } from './plan.js';
import { MemoryRig } from './rig.js';

/** SIDs whose server may send messages of its own after the response (2A periodic data, 86 events). */
const SENDS_FOLLOW_UPS = new Set([0x2a, 0x86]);

/** Why the responses to `request` break the property, or undefined. */
export function responseProblem(request: Uint8Array, functional: boolean, withSub: boolean, got: readonly string[]): string | undefined {
  const sid = request[0] as number;
  const pending = `7F ${toHex([sid])} 78`;
  const positiveSid = toHex([(sid + 0x40) & 0xff]);
  let finals = got.filter((r) => r !== pending);
  if (SENDS_FOLLOW_UPS.has(sid) && finals.length > 1) finals = finals.filter((r, i) => i === 0 || !r.startsWith(positiveSid));
  if (finals.length === 0) {
    // ISO 14229-1:2020 8.2.2 / 7.5 — silence only for SPRMIB (positive suppressed) or functional NRC suppression.
    const sprmib = withSub && request.length >= 2 && ((request[1] as number) & 0x80) !== 0;
    if (got.length > 0) return 'only 0x78, no final answer';
    return functional || sprmib ? undefined : 'no answer to a physical request without SPRMIB';
  }
  if (finals.length > 1) return `${finals.length} final answers`;
  const final = finals[0] as string;
  if (final.startsWith('7F ')) {
    const bytes = final.split(' ');
    if (bytes.length !== 3 || bytes[1] !== toHex([sid])) return `malformed negative response ${final}`;
    return undefined;
  }
  return final.startsWith(positiveSid) ? undefined : `answer ${final} is neither ${positiveSid} ... nor 7F ${toHex([sid])} NRC`;
}

/** Options of {@link robustnessSuite}. */
export interface RobustnessOptions {
  /** fast-check runs per SID (each a fresh ECU and 1..3 requests). */
  readonly numRuns: number;
}

/** Registers one property per SID of each target's table. */
export function robustnessSuite(title: string, targets: readonly ConformanceTarget[], options: RobustnessOptions): void {
  describe(title, () => {
    it('has targets', () => {
      expect(targets.length).toBeGreaterThan(0);
    });
    for (const target of targets) {
      const config = target.config;
      const table = profileServiceTable(config);
      const states = planStates(config, table);
      const sids = [...table.keys()].filter((s) => SUPPORTED_SIDS.has(s)).sort((a, b) => a - b);
      it.each(sids.map((s) => [toHex([s]), s] as const))(`${target.source}: SID %s with random bytes in ${states.length} states`, async (_hex, sid) => {
        const withSub = carriesSubFunction(table, sid);
        const request = fc.record({ tail: fc.uint8Array({ minLength: 0, maxLength: 64 }), functional: fc.boolean() });
        const stateIndex = fc.integer({ min: 0, max: states.length - 1 });
        await fc.assert(
          fc.asyncProperty(stateIndex, fc.array(request, { minLength: 1, maxLength: 3 }), async (si, requests) => {
            const state = states[si];
            if (!state) throw new Error(`no state ${si}`);
            const rig = await MemoryRig.create(config, { maxFakeMs: 30_000 });
            try {
              await rig.enter(state.steps);
              for (const r of requests) {
                const data = Uint8Array.of(sid, ...r.tail);
                const got = await rig.exchange(data, r.functional, sid === 0x11);
                const problem = responseProblem(data, r.functional, withSub, got);
                if (problem) throw new Error(`[${state.label}] ${toHex(data)}${r.functional ? ' (functional)' : ''}: ${problem}; got [${got.join(' | ')}]`);
                // A reset (11 xx) makes the ECU unavailable for resetDurationMs.
                if (!rig.ecu.available) await rig.clock.advance(config.resetDurationMs + 1);
                const alive = await rig.exchange(Uint8Array.of(0x3e, 0x00), false);
                if (alive.length !== 1 || !(alive[0] === '7E 00' || alive[0]?.startsWith('7F 3E'))) {
                  throw new Error(`[${state.label}] after ${toHex(data)}: 3E 00 got [${alive.join(' | ')}]`);
                }
              }
              if (rig.faults.length > 0) throw new Error(`[${state.label}] the ECU reported a fault: ${String(rig.faults[0])}`);
            } finally {
              await rig.close();
            }
          }),
          { numRuns: options.numRuns, examples: states.map((_, i) => [i, [{ tail: new Uint8Array(0), functional: false }]]) },
        );
      });
    }
  });
}
