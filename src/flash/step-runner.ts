/**
 * One physical step for one ECU (spec/bootloader-and-flashing.md "The flashing sequence"): the service
 * calls of each step kind, with the step's SPRMIB, P2 override and checks of what the ECU answered.
 * `flashDriver` and `program` live in program-step.ts.
 */
import { sleep } from '../core/clock.js';
import { hexNum, toHex } from '../core/hex.js';
import { checkDependencies, checkRoutineStatus } from '../tester/routines.js';
import { unlockLevel } from '../tester/security.js';
import { waitForEcu } from '../tester/wait-for-ecu.js';
import { RoutineControlType } from '../uds/codec/0x31-routine-control.js';
import { FlashVerificationError } from './errors.js';
import type { EcuRunner, EngineContext } from './ecu-runner.js';
import type { FlashStep } from './job-steps.js';
import { expandBytes, fitLength, type BytesTemplate } from './placeholders.js';
import { downloadDriver, runProgram } from './program-step.js';
import type { StepRecorder } from './step-record.js';

/** `routine` control names -> routineControlType (ISO 14229-1:2020 14.2.2). */
export const ROUTINE_CONTROL = { start: RoutineControlType.startRoutine, stop: RoutineControlType.stopRoutine, results: RoutineControlType.requestRoutineResults } as const;

/** `on` / `off` / a byte -> DTCSettingType (ISO 14229-1:2020 10.8.2: 01 on, 02 off). */
export function dtcSettingType(setting: 'on' | 'off' | number): number {
  return setting === 'on' ? 0x01 : setting === 'off' ? 0x02 : setting;
}

/** A value as text when it is printable ASCII, else as hex. */
export function showValue(b: Uint8Array): string {
  return b.length > 0 && b.every((x) => x >= 0x20 && x <= 0x7e) ? String.fromCharCode(...b) : toHex(b);
}

function startsWith(b: Uint8Array, prefix: Uint8Array): boolean {
  return b.length >= prefix.length && prefix.every((x, i) => b[i] === x);
}

/** Checks a routine's status record against the step's `expectStatus` (default: empty or 00). */
export function checkStatus(step: Extract<FlashStep, { step: 'routine' }>, target: number, status: Uint8Array): void {
  if (step.expectStatus === 'any') return;
  const name = step.name ?? `routine ${hexNum(step.routineId)}`;
  const hint = step.hint ?? 'see the ECU documentation for the status code';
  if (step.expectStatus === undefined) {
    checkRoutineStatus(name, step.routineId, target, status, hint);
    return;
  }
  if (!startsWith(status, step.expectStatus)) {
    throw new FlashVerificationError(`${name} on ECU ${hexNum(target)} reported status ${toHex(status) || '(none)'}, expected ${toHex(step.expectStatus)}...; ${hint}`, {
      routineId: step.routineId,
      status: toHex(status),
    });
  }
}

/** Runs physical `step` on `r`'s ECU; throws the service's error, which the caller records. */
export async function runPhysicalStep(step: FlashStep, r: EcuRunner, rec: StepRecorder, ctx: EngineContext): Promise<void> {
  const client = await r.ensureClient();
  const job = ctx.job;
  const opts = { ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) };
  const sub = { ...opts, suppress: step.suppress };
  switch (step.step) {
    case 'session': {
      const res = await client.diagnosticSessionControl(step.session, sub);
      if (res) rec.note(`P2 ${res.p2ServerMaxMs} ms, P2* ${res.p2StarServerMaxMs} ms`);
      return;
    }
    case 'securityAccess': {
      const sec = r.plan.security;
      if (!sec) throw new FlashVerificationError('securityAccess: no security settings for this ECU (security.algorithm / security.secret)');
      const u = await unlockLevel(client, step.level ?? sec.level, { algorithm: sec.algorithm, secret: sec.secret, ...(sec.keyLength !== undefined ? { keyLength: sec.keyLength } : {}) });
      rec.note(u.alreadyUnlocked ? `level ${hexNum(u.level, 2)} already unlocked` : `level ${hexNum(u.level, 2)} unlocked`);
      return;
    }
    case 'readDid':
      for (const did of step.dids) {
        const [record] = await client.readDataByIdentifier(did, opts);
        const value = record?.data ?? new Uint8Array(0);
        const key = hexNum(did).slice(2);
        rec.value(key, showValue(value));
        r.identification[key] = showValue(value);
        for (const x of step.expect?.filter((e) => e.did === did) ?? []) checkDid(did, value, x, r, client.target);
      }
      return;
    case 'writeDid':
      await client.writeDataByIdentifier(step.did, fitLength(expandBytes(step.data, r.placeholders()), step.length, step.padByte), opts);
      return;
    case 'fingerprint':
      if (job.fingerprint.length === 0) rec.note('the job has no fingerprint entries');
      for (const f of job.fingerprint) {
        const data = fitLength(expandBytes(f.data, r.placeholders()), f.length, f.padByte);
        await client.writeDataByIdentifier(f.did, data, opts);
        rec.note(`${hexNum(f.did).slice(2)} = ${showValue(data)}`);
      }
      return;
    case 'routine': {
      const option = step.option ? expandBytes(step.option, r.placeholders()) : undefined;
      const res = await client.routineControl(ROUTINE_CONTROL[step.control], step.routineId, option, sub);
      if (res) checkStatus(step, client.target, res.statusRecord);
      return;
    }
    case 'dtcSetting':
      await client.controlDtcSetting(dtcSettingType(step.setting), undefined, sub);
      return;
    case 'communicationControl':
      await client.communicationControl(step.controlType, step.communicationType, step.nodeId, sub);
      return;
    case 'clearDtc':
      await client.clearDiagnosticInformation(step.group, undefined, opts);
      return;
    case 'reset':
      await client.ecuReset(step.resetType, sub);
      if (step.wait) {
        const failed = await waitForEcu(client, { timeoutMs: job.timing.resetWaitMs });
        rec.note(`the ECU answered again after ${failed} unanswered attempt(s)`);
      }
      return;
    case 'request': {
      const data = step.suppress && step.data.length > 1 ? Uint8Array.from(step.data, (b, i) => (i === 1 ? b | 0x80 : b)) : step.data;
      const res = await client.request(data, { ...opts, suppressPositiveResponse: step.suppress });
      if (step.expect && res && !startsWith(res, step.expect)) {
        throw new FlashVerificationError(`request ${toHex(step.data)}: ECU ${hexNum(client.target)} answered ${toHex(res.subarray(0, 32))}, expected ${toHex(step.expect)}...`, { response: toHex(res) });
      }
      return;
    }
    case 'delay':
      await sleep(ctx.clock, step.ms, ctx.signal);
      return;
    case 'flashDriver':
      await downloadDriver(r, rec, ctx);
      return;
    case 'program':
      await runProgram(r, rec, ctx);
      return;
    case 'checkDependencies':
      await checkDependencies(client, step.routineId ?? job.verification.checkDependencies.routineId);
      return;
  }
}

function checkDid(did: number, value: Uint8Array, x: { equals?: BytesTemplate | undefined; pattern?: string | undefined }, r: EcuRunner, target: number): void {
  const key = hexNum(did);
  if (x.equals) {
    const want = expandBytes(x.equals, r.placeholders());
    if (want.length !== value.length || want.some((b, i) => b !== value[i])) {
      throw new FlashVerificationError(`DID ${key} of ECU ${hexNum(target)} is ${showValue(value)}, expected ${showValue(want)}: these files are not for this ECU (check the job's ecus)`, { did, value: toHex(value) });
    }
  }
  if (x.pattern !== undefined && !new RegExp(x.pattern).test(String.fromCharCode(...value))) {
    throw new FlashVerificationError(`DID ${key} of ECU ${hexNum(target)} is ${showValue(value)}, which does not match /${x.pattern}/: these files are not for this ECU (check the job's ecus)`, { did, value: toHex(value) });
  }
}
