/**
 * The conformance machinery checked on its own: the oracle's order of checks, SPRMIB and functional
 * suppression on a hand-made table, the response comparison, and proof that the suite fails when an ECU
 * answers wrongly (a broken handler, a wrong service table, a handler that throws).
 */
import { describe, expect, it } from 'vitest';
import { fromHex } from '../../../../src/core/hex.js';
import type { SimulatedEcu } from '../../../../src/ecu/simulated-ecu.js';
import { NrcError } from '../../../../src/uds/server/nrc-error.js';
import type { ServiceTable } from '../../../../src/uds/server/service-table.js';
import { deliver, generalChecks, predict, type CaseAddressing } from '../../../helpers/conformance/oracle.js';
import { planConformance, type ConformanceTarget } from '../../../helpers/conformance/plan.js';
import { MemoryRig, mismatch } from '../../../helpers/conformance/rig.js';
import { runCases } from '../../../helpers/conformance/run.js';
import { defaultVehicleTargets } from '../../../helpers/conformance/targets.js';

/** A small table: 10 everywhere (01/03), 22 in 01/03, 2E in 03 behind level 1, 31 with 01 in 03 and 02 behind level 1. */
const TABLE: ServiceTable = new Map([
  [0x10, { subFunctions: new Map([[0x01, {}], [0x03, {}]]) }],
  [0x22, { sessions: [0x01, 0x03], minLength: 3 }],
  [0x2e, { sessions: [0x03], securityLevels: [0x01], minLength: 4 }],
  [
    0x31,
    {
      sessions: [0x03],
      minLength: 4,
      subFunctions: new Map([
        [0x01, { sessions: [0x03] }],
        [0x02, { securityLevels: [0x01] }],
        [0x03, { sessions: [0x01] }],
      ]),
    },
  ],
]);
const SUPPORTED = new Set([0x10, 0x22, 0x2e, 0x31]);

describe('oracle: order of checks (spec/uds.md steps 1-7)', () => {
  const cases: [string, number, number | null, string, number | 'ok'][] = [
    // request, session, level, hex, expected NRC or ok
    ['unknown SID', 0x01, null, '19 02 FF', 0x11],
    ['step 1 before step 4 (short)', 0x01, null, '19', 0x11],
    ['wrong session', 0x01, null, '2E F1 90 00', 0x7f],
    ['session before length', 0x01, null, '2E', 0x7f],
    ['security before length', 0x03, null, '2E', 0x33],
    ['length once session and security pass', 0x03, 0x01, '2E F1', 0x13],
    ['write passes the general checks', 0x03, 0x01, '2E F1 90 00', 'ok'],
    ['session of the service before the sub-function', 0x01, null, '31 7F', 0x7f],
    ['unknown sub-function', 0x03, null, '31 7F 00 00', 0x12],
    ['sub-function length checked first', 0x03, null, '31 7F', 0x13],
    ['sub-function not in this session', 0x03, null, '31 03 00 00', 0x7e],
    ['sub-function needs security', 0x03, null, '31 02 00 00', 0x33],
    ['sub-function with security unlocked', 0x03, 0x01, '31 82 00 00', 'ok'],
    ['sub-function value without SPRMIB', 0x03, null, '10 81', 'ok'],
  ];
  it.each(cases)('%s', (_name, session, securityLevel, hex, want) => {
    const r = generalChecks(TABLE, SUPPORTED, { session, securityLevel }, fromHex(hex));
    expect(r.ok ? 'ok' : r.nrc).toBe(want);
  });

  it('a table row without a handler is not supported', () => {
    expect(generalChecks(TABLE, new Set([0x10]), { session: 1, securityLevel: null }, fromHex('22 F1 90'))).toMatchObject({ ok: false, nrc: 0x11 });
  });
});

describe('oracle: delivery (SPRMIB, functional suppression)', () => {
  const positive = { kind: 'positive' as const, response: Uint8Array.of(0x50, 0x01), exact: true };
  const cases: [string, Parameters<typeof deliver>[0], CaseAddressing, boolean, string][] = [
    ['positive, physical', positive, 'physical', false, 'positive'],
    ['positive, SPRMIB: nothing', positive, 'sprmib', true, 'silence'],
    ['positive after 0x78, SPRMIB: sent anyway', { ...positive, pending: true }, 'sprmib', true, 'positive'],
    ['NRC with SPRMIB: sent', { kind: 'nrc', nrc: 0x22 }, 'sprmib', true, 'nrc'],
    ['functional 0x11 suppressed', { kind: 'nrc', nrc: 0x11 }, 'functional', false, 'silence'],
    ['functional 0x12 suppressed', { kind: 'nrc', nrc: 0x12 }, 'functional', false, 'silence'],
    ['functional 0x31 suppressed', { kind: 'nrc', nrc: 0x31 }, 'functional', false, 'silence'],
    ['functional 0x7E suppressed', { kind: 'nrc', nrc: 0x7e }, 'functional', false, 'silence'],
    ['functional 0x7F suppressed', { kind: 'nrc', nrc: 0x7f }, 'functional', false, 'silence'],
    ['functional 0x31 after 0x78: sent', { kind: 'nrc', nrc: 0x31, pending: true }, 'functional', false, 'nrc'],
    ['functional 0x13 sent', { kind: 'nrc', nrc: 0x13 }, 'functional', false, 'nrc'],
    ['functional 0x33 sent', { kind: 'nrc', nrc: 0x33 }, 'functional', false, 'nrc'],
    ['functional positive sent', positive, 'functional', false, 'positive'],
  ];
  it.each(cases)('%s', (_name, outcome, addressing, sprmib, want) => {
    expect(deliver(outcome, addressing, sprmib).kind).toBe(want);
  });

  it('predict only asks the service once the general checks pass', () => {
    let asked = 0;
    const service = () => {
      asked++;
      return { kind: 'nrc' as const, nrc: 0x31 };
    };
    expect(predict(TABLE, SUPPORTED, { session: 1, securityLevel: null }, fromHex('2E F1 90 00'), 'physical', service).step).toBe(2);
    expect(asked).toBe(0);
    expect(predict(TABLE, SUPPORTED, { session: 3, securityLevel: 1 }, fromHex('2E F1 90 00'), 'functional', service)).toEqual({ expected: { kind: 'silence' }, step: 0 });
    expect(asked).toBe(1);
  });
});

describe('mismatch: comparing responses with an expectation', () => {
  const nrc31 = { kind: 'nrc' as const, nrc: 0x31, pending: false };
  const pos = { kind: 'positive' as const, response: fromHex('62 F1 90'), exact: false, pending: false };
  it.each([
    ['silence ok', { kind: 'silence' as const }, [], undefined],
    ['silence broken', { kind: 'silence' as const }, ['7F 22 31'], 'expected silence'],
    ['NRC ok', nrc31, ['7F 22 31'], undefined],
    ['wrong NRC', nrc31, ['7F 22 13'], 'expected 7F 22 31'],
    ['NRC missing', nrc31, [], 'expected one final response, got 0'],
    ['two answers', nrc31, ['7F 22 31', '7F 22 31'], 'expected one final response, got 2'],
    ['unexpected 0x78', nrc31, ['7F 22 78', '7F 22 31'], 'unexpected 0x78'],
    ['prefix ok', pos, ['62 F1 90 41 42'], undefined],
    ['prefix wrong', pos, ['62 F1 91 41'], 'expected 62 F1 90 ...'],
    ['0x78 expected', { ...pos, pending: true }, ['62 F1 90'], 'expected 0x78 before the final response'],
    ['0x78 then positive', { ...pos, pending: true }, ['7F 22 78', '7F 22 78', '62 F1 90'], undefined],
    ['follow-up ok', { ...pos, followUps: [fromHex('6A 01 02')] }, ['62 F1 90', '6A 01 02'], undefined],
    ['follow-up missing', { ...pos, followUps: [fromHex('6A 01 02')] }, ['62 F1 90'], 'expected 6A 01 02 after the response'],
  ])('%s', (_name, expected, got, want) => {
    expect(mismatch(expected, 0x22, got)).toBe(want);
  });
});

describe('the suite notices a wrong ECU', () => {
  const engine = defaultVehicleTargets()[0] as ConformanceTarget;
  const plan = planConformance(engine);

  async function failuresWith(sids: number[], customize: (ecu: SimulatedEcu) => void): Promise<{ total: number; failed: number; sample: string[] }> {
    const cases = plan.cases.filter((c) => sids.includes(c.request[0] as number));
    const ok = await runCases(engine.config, cases, (config) => MemoryRig.create(config));
    expect(ok.filter((r) => r.problem)).toEqual([]);
    const results = await runCases(engine.config, cases, (config) => MemoryRig.create(config, { customize }));
    const failed = results.filter((r) => r.problem);
    return { total: results.length, failed: failed.length, sample: failed.slice(0, 3).map((r) => r.case.probe) };
  }

  it('a 0x22 handler that answers a wrong VIN', async () => {
    const r = await failuresWith([0x22], (ecu) => {
      const builtIn = ecu.handlerOf(0x22);
      ecu.registerService(0x22, async (ctx) => {
        const rsp = await (builtIn as NonNullable<typeof builtIn>)(ctx);
        if (rsp.length > 4) rsp[rsp.length - 1] = (rsp[rsp.length - 1] as number) ^ 0x01;
        return rsp;
      });
    });
    expect(r.failed).toBeGreaterThan(0);
    expect(r.sample.some((p) => p.startsWith('22 F1 90'))).toBe(true);
  });

  it('a service table that drops 3E from the non-default sessions', async () => {
    const r = await failuresWith([0x3e], (ecu) => {
      const builtIn = ecu.handlerOf(0x3e);
      if (builtIn) ecu.registerService(0x3e, builtIn, { sessions: [0x01], minLength: 2, subFunctions: new Map([[0x00, {}]]) });
    });
    expect(r.failed).toBeGreaterThan(0);
  });

  it('a handler that refuses with an NRC the oracle does not expect (visible physically, hidden functionally)', async () => {
    const r = await failuresWith([0x85], (ecu) =>
      ecu.registerService(0x85, () => {
        throw new NrcError(0x31, 'broken on purpose');
      }),
    );
    expect(r.failed).toBeGreaterThan(0);
  });

  it('a handler that throws (0x10 and a fault)', async () => {
    const r = await failuresWith([0x28], (ecu) =>
      ecu.registerService(0x28, () => {
        throw new Error('bug on purpose');
      }),
    );
    expect(r.failed).toBeGreaterThan(0);
  });
});
