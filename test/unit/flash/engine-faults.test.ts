/**
 * What goes wrong while flashing, on the in-memory bus with a FakeClock: 0x78 waits, a lost TransferData
 * response (repeated with the same counter), a lost connection (reconnect, resume steps, the block erased
 * and written again), power loss during erase, a CRC mismatch in the 77 response, NRC 0x72, failing
 * preconditions, a wrong key — each ends with a report that says what failed and what to do, the ECU never
 * marks a partly written application valid, and running the job again succeeds.
 */
import { describe, it, expect } from 'vitest';
import type { UdsMessage } from '../../../src/core/link.js';
import type { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { FlashEngine } from '../../../src/flash/engine.js';
import type { FlashPlan } from '../../../src/flash/plan.js';
import type { FlashReport } from '../../../src/flash/report.js';
import { drive, memoryVehicle, pattern, plan, srec, type MemoryVehicle } from './helpers.js';

const SECURITY = { algorithm: 'shift-mul-xor', secret: 0x464c4147, keyLength: 4 };
const CODE = pattern(0x9000, 3); // 36 KiB at 0x10000: 3 sectors of 16 KiB, ~9 TransferData blocks of 4 KiB

async function setup(extra: Record<string, unknown> = {}, profile: Record<string, unknown> = {}): Promise<{ v: MemoryVehicle; ecu: SimulatedEcu; p: FlashPlan }> {
  const v = memoryVehicle([{ profile: 'generic-iso14229', address: 0x1010, ...profile }]);
  const { plan: p } = await plan(
    {
      template: 'iso14229-generic',
      security: SECURITY,
      ecus: [{ address: 0x1010, profile: 'generic-iso14229', firmware: [{ file: 'app.s19' }], flashDriver: { file: 'driver.bin', baseAddress: 0x20000000 } }],
      ...extra,
    },
    { 'app.s19': srec([{ address: 0x10000, data: CODE }]), 'driver.bin': pattern(0x200, 9) },
  );
  return { v, ecu: v.ecus[0] as SimulatedEcu, p };
}

function run(v: MemoryVehicle, p: FlashPlan): Promise<FlashReport> {
  return drive(v.clock, new FlashEngine({ connector: v.connector, clock: v.clock }).run(p));
}

function flashed(ecu: SimulatedEcu): boolean {
  return Buffer.from(ecu.memory.read(0x10000, CODE.length)).equals(Buffer.from(CODE));
}

/** Serves the request with `reply` replaced (e.g. swallowing or changing the response). */
type Serve = (reply: (d: Uint8Array) => Promise<void>) => Promise<void>;

/**
 * Counts the requests starting with `prefix` the ECU receives; `act` may handle the nth one itself
 * (returns true) with the original reply or `serve` (the ECU processes it, answering through another reply).
 */
function counter(
  ecu: SimulatedEcu,
  prefix: number[],
  act?: (n: number, msg: UdsMessage, reply: (d: Uint8Array) => Promise<void>, serve: Serve) => Promise<boolean>,
): { count: () => number; seen: Uint8Array[] } {
  let n = 0;
  const seen: Uint8Array[] = [];
  ecu.requestInterceptor = async (msg, reply, next) => {
    if (prefix.every((b, i) => msg.data[i] === b)) {
      n++;
      seen.push(msg.data);
      if (act && (await act(n, msg, reply, (r) => next(msg, r)))) return;
    }
    return next(msg, reply);
  };
  return { count: () => n, seen };
}

describe('flash job faults', () => {
  it('waits through 0x78 while the ECU erases (erase time above P2)', async () => {
    // Realistic timing: 30 ms per sector erased, three sectors take 90 ms, above P2server (50 ms): 0x78 first;
    // 10 02 jumps into the bootloader in 50 ms.
    const { v, p } = await setup({}, { timingProfile: 'realistic' });
    const report = await run(v, p);
    expect(report.ok).toBe(true);
    const erase = report.steps.find((s) => s.step === 'program')?.exchanges.find((x) => x.request.startsWith('31 01 FF 00'));
    expect(erase?.pending).toBeGreaterThan(0);
    expect(erase?.ms).toBeGreaterThanOrEqual(90);
  });

  it('keeps the ECUs in their sessions with a functional 3E 80 for the whole job (a pause longer than S3)', async () => {
    const steps = ['session', 'securityAccess', 'fingerprint', 'flashDriver'].map((step) => (step === 'session' ? { step, session: 2 } : { step }));
    // 6 s without a request: longer than S3server (5 s) — only the keep-alive holds the programming session.
    const { v, ecu, p } = await setup({ programming: [...steps, { step: 'delay', ms: 6000 }, { step: 'program' }, { step: 'checkDependencies' }, { step: 'reset' }] });
    const keepAlive = counter(ecu, [0x3e, 0x80]);
    const report = await run(v, p);
    expect(report.ok, JSON.stringify(report.ecus[0]?.failure)).toBe(true);
    expect(keepAlive.count()).toBeGreaterThanOrEqual(3); // every 2 s
    expect(flashed(ecu)).toBe(true);
  });

  it('without the keep-alive the pause ends the session and the job fails (the test above can fail)', async () => {
    const steps = ['session', 'securityAccess', 'fingerprint', 'flashDriver'].map((step) => (step === 'session' ? { step, session: 2 } : { step }));
    const { v, p } = await setup({ testerPresent: false, timing: { attempts: 1 }, programming: [...steps, { step: 'delay', ms: 6000 }, { step: 'program' }] });
    const report = await run(v, p);
    expect(report.ok).toBe(false);
    expect(report.ecus[0]?.failure?.step).toBe('program');
  });

  it('repeats a TransferData block whose response was lost with the same counter', async () => {
    const { v, ecu, p } = await setup();
    const td = counter(ecu, [0x36], async (n, _msg, _reply, serve) => {
      if (n !== 3) return false;
      await serve(async () => {}); // processed, but the response never reaches the tester
      return true;
    });
    const report = await run(v, p);
    expect(report.ok).toBe(true);
    expect(flashed(ecu)).toBe(true);
    const counters = td.seen.map((d) => d[1]);
    // The driver's block (01), then the firmware's: its second block is sent twice with counter 02.
    expect(counters.slice(0, 5)).toEqual([0x01, 0x01, 0x02, 0x02, 0x03]);
    expect(report.ecus[0]?.recoveries).toBe(0);
  });

  it('re-establishes a lost connection and writes the interrupted block again from its erase', async () => {
    const { v, ecu, p } = await setup();
    const erases = counter(ecu, [0x31, 0x01, 0xff, 0x00]);
    const original = ecu.requestInterceptor!;
    let tds = 0;
    ecu.requestInterceptor = async (msg, reply, next) => {
      if (msg.data[0] === 0x36 && ++tds === 5) {
        await v.links.at(-1)!.close(); // the connection drops; this block never arrives
        return;
      }
      return original(msg, reply, next);
    };
    const recoveries: number[] = [];
    const engine = new FlashEngine({ connector: v.connector, clock: v.clock });
    engine.events.on('recovery', (r) => recoveries.push(r.block));
    const report = await drive(v.clock, engine.run(p));
    expect(report.ok).toBe(true);
    expect(flashed(ecu)).toBe(true);
    expect(v.links).toHaveLength(2);
    expect(recoveries).toEqual([1]);
    expect(erases.count()).toBe(2); // the block was erased again before being written again
    expect(report.ecus[0]).toMatchObject({ recoveries: 1, bytesWritten: CODE.length });
    expect(report.steps.filter((s) => s.phase === 'resume').map((s) => s.step)).toEqual(['session', 'session', 'securityAccess', 'flashDriver']);
    expect(report.steps.find((s) => s.step === 'program')?.detail).toMatch(/writing it again from its start \(try 2 of 3\)/);
  });

  it('gets the ECU back after a power loss during erase and finishes', async () => {
    const { v, ecu, p } = await setup();
    counter(ecu, [0x31, 0x01, 0xff, 0x00], async (n) => {
      if (n !== 1) return false;
      ecu.powerCycle(); // no answer; RAM (driver, session, security) is gone
      return true;
    });
    const report = await run(v, p);
    expect(report.ok).toBe(true);
    expect(flashed(ecu)).toBe(true);
    expect(report.ecus[0]?.recoveries).toBe(1);
    expect(ecu.bootState).toMatchObject({ mode: 'app', appValid: true });
  });

  it('fails on a CRC mismatch in the 77 response, never marks the application valid, and a second run succeeds', async () => {
    const { v, ecu, p } = await setup();
    counter(ecu, [0x37], async (n, _msg, reply, serve) => {
      if (n !== 2) return false; // the first 37 ends the driver's download
      await serve((d) => reply(d[0] === 0x77 ? Uint8Array.of(0x77, 0xde, 0xad, 0xbe, 0xef) : d));
      return true;
    });
    const report = await run(v, p);
    expect(report).toMatchObject({ ok: false, exitCode: 2 });
    expect(report.ecus[0]?.failure).toMatchObject({ phase: 'programming', step: 'program', kind: 'verification', code: 'UDSKIT_CRC_MISMATCH' });
    expect(report.ecus[0]?.failure?.advice).toMatch(/not marked valid|run the job again/);
    expect(report.steps.some((s) => s.step === 'checkDependencies')).toBe(false);
    expect(ecu.bootState.appValid).toBe(false);
    // Post-programming still restores the network (functional steps for everyone).
    expect(report.steps.filter((s) => s.phase === 'post' && s.ecu === undefined).length).toBe(4);

    ecu.requestInterceptor = undefined;
    const again = await run(v, p);
    expect(again.ok).toBe(true);
    expect(flashed(ecu)).toBe(true);
  });

  it('reports NRC 0x72 while programming with what to do; a second run succeeds', async () => {
    const { v, ecu, p } = await setup();
    counter(ecu, [0x36], async (n, msg, reply) => {
      if (n !== 2) return false;
      await reply(Uint8Array.of(0x7f, msg.data[0] as number, 0x72));
      return true;
    });
    const report = await run(v, p);
    expect(report).toMatchObject({ ok: false, exitCode: 2 });
    expect(report.ecus[0]?.failure).toMatchObject({ kind: 'refused', nrc: 0x72, step: 'program' });
    expect(report.ecus[0]?.failure?.advice).toMatch(/stays in its bootloader; run the job again/);
    expect(ecu.bootState.appValid).toBe(false);
    ecu.requestInterceptor = undefined;
    expect((await run(v, p)).ok).toBe(true);
  });

  it('stops before programming when the preconditions fail', async () => {
    const { v, ecu, p } = await setup();
    ecu.setVehicleState({ speedKmh: 30 });
    const report = await run(v, p);
    expect(report).toMatchObject({ ok: false, exitCode: 2 });
    expect(report.ecus[0]?.failure).toMatchObject({ phase: 'pre', step: 'routine', kind: 'verification' });
    expect(report.ecus[0]?.failure?.message).toMatch(/checkProgrammingPreconditions .* reported failure.*preconditions are not met/);
    expect(report.steps.some((s) => s.phase === 'programming')).toBe(false);
    ecu.setVehicleState({ speedKmh: 0 });
    expect((await run(v, p)).ok).toBe(true);
  });

  it('reports a wrong key (NRC 0x35) with the security advice', async () => {
    const { v, p } = await setup({ security: { ...SECURITY, secret: 0x12345678 } });
    const report = await run(v, p);
    expect(report).toMatchObject({ ok: false, exitCode: 2 });
    expect(report.ecus[0]?.failure).toMatchObject({ step: 'securityAccess', nrc: 0x35 });
    expect(report.ecus[0]?.failure?.advice).toMatch(/security.algorithm and security.secret/);
  });

  it('gives up after timing.attempts tries of a block when the connection keeps dropping', async () => {
    const { v, ecu, p } = await setup({ timing: { attempts: 2 } });
    ecu.requestInterceptor = async (msg, reply, next) => {
      if (msg.data[0] === 0x36 && msg.data[1] === 0x02) {
        await v.links.at(-1)!.close();
        return;
      }
      return next(msg, reply);
    };
    const report = await run(v, p);
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.ecus[0]?.failure).toMatchObject({ kind: 'communication', step: 'program' });
    expect(report.ecus[0]?.recoveries).toBe(1);
    expect(ecu.bootState.appValid).toBe(false);
  });
});

