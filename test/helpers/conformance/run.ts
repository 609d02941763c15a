/**
 * Runs conformance cases on rigs: per state one shared ECU for the cases that do not change it, and a
 * fresh ECU for each case that does. Returns every case's observation and the problems found.
 */
import { toHex } from '../../../src/core/hex.js';
import type { EcuConfig } from '../../../src/ecu/config.js';
import { outcomeLabel } from './oracle.js';
import type { ConformanceCase, PlannedState } from './plan.js';
import { mismatch, type Rig } from './rig.js';

/** A case and what the ECU answered. */
export interface CaseResult {
  readonly case: ConformanceCase;
  /** The responses (hex), in order. */
  readonly got: readonly string[];
  /** What is wrong, or undefined. */
  readonly problem: string | undefined;
}

/** Makes a rig for `config` (fresh ECU, past its power-on delay). */
export type RigFactory = (config: EcuConfig) => Promise<Rig>;

/** A readable line about a failed case. */
export function describeFailure(r: CaseResult): string {
  const c = r.case;
  return `[${c.state.label}] ${c.probe} ${c.addressing}: sent ${toHex(c.request)}, ${r.problem}; got [${r.got.join(' | ')}] (oracle step ${c.step})`;
}

/** Counts of the expected outcomes, e.g. `{ positive: 812, 'NRC 0x11': 5400, silence: 3100 }`. */
export function countOutcomes(cases: readonly ConformanceCase[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of cases) {
    const k = outcomeLabel(c.expected) + (c.expected.kind !== 'silence' && c.expected.pending ? ' after 0x78' : '');
    out[k] = (out[k] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function sameState(rig: Rig, state: PlannedState): string | undefined {
  const s = rig.state();
  const mode = rig.ecu.bootState.mode;
  if (mode !== state.mode) return `ECU runs its ${mode === 'boot' ? 'bootloader' : 'application'}, expected ${state.mode} mode`;
  if (s.session === state.state.session && s.securityLevel === state.state.securityLevel) return undefined;
  return `ECU is in session ${toHex([s.session])} level ${s.securityLevel ?? 'locked'}, expected ${toHex([state.state.session])} level ${state.state.securityLevel ?? 'locked'}`;
}

async function runOne(rig: Rig, c: ConformanceCase): Promise<CaseResult> {
  const faults = rig.faults.length;
  let got: string[];
  try {
    got = await rig.exchange(c.request, c.addressing === 'functional', c.resets);
  } catch (e) {
    return { case: c, got: [], problem: (e as Error).message };
  }
  let problem = mismatch(c.expected, c.request[0] as number, got);
  if (!problem && rig.faults.length > faults) problem = `the ECU reported a fault: ${String(rig.faults[faults])}`;
  return { case: c, got, problem };
}

/** Runs `cases` (of one target) with rigs from `makeRig`. */
export async function runCases(config: EcuConfig, cases: readonly ConformanceCase[], makeRig: RigFactory): Promise<CaseResult[]> {
  const byState = new Map<PlannedState, ConformanceCase[]>();
  for (const c of cases) byState.set(c.state, [...(byState.get(c.state) ?? []), c]);
  const results: CaseResult[] = [];
  for (const [state, list] of byState) {
    const shared = await makeRig(config);
    try {
      await shared.enter(state.steps);
      const wrong = sameState(shared, state);
      if (wrong) throw new Error(`setup of "${state.label}": ${wrong}`);
      for (const c of list) {
        if (!c.fresh) {
          results.push(await runOne(shared, c));
          continue;
        }
        const rig = await makeRig(config);
        try {
          await rig.enter(state.steps);
          results.push(await runOne(rig, c));
        } finally {
          await rig.close();
        }
      }
      // The cases run on the shared ECU must not have changed its session or security state.
      const drift = sameState(shared, state);
      const last = list.filter((c) => !c.fresh).at(-1);
      if (drift && last) results.push({ case: last, got: [], problem: `after the shared cases: ${drift}` });
    } finally {
      await shared.close();
    }
  }
  return results;
}

/** Picks about `n` cases spread evenly over `cases` (deterministic), skipping the ones `skip` rejects. */
export function sampleCases(cases: readonly ConformanceCase[], n: number, skip: (c: ConformanceCase) => boolean = () => false): ConformanceCase[] {
  const eligible = cases.filter((c) => !skip(c));
  if (eligible.length <= n) return eligible;
  // Prefer the interesting ones (not 0x11 for an unsupported SID): half the sample from them.
  const interesting = eligible.filter((c) => c.step !== 1);
  const rest = eligible.filter((c) => c.step === 1);
  const pick = <T>(list: readonly T[], k: number): T[] => {
    if (list.length <= k) return [...list];
    const stride = list.length / k;
    return Array.from({ length: k }, (_, i) => list[Math.floor(i * stride)] as T);
  };
  const a = pick(interesting, Math.min(interesting.length, Math.ceil((n * 3) / 4)));
  return [...a, ...pick(rest, n - a.length)];
}
