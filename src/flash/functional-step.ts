/**
 * Functional steps of the pre- and post-programming phases (spec/bootloader-and-flashing.md steps 1, 4,
 * 5 and 13: `10 83`, `85 82`, `28 83 03`, `28 80 03`, `85 81`, `10 81`): sent once per connection to the
 * functional address, every ECU's answer collected (ISO 14229-2:2013 7.2), and an ECU of the job that
 * refused (or, without SPRMIB, did not answer) marked as failed.
 */
import { uintToBytes } from '../core/bytes.js';
import { TimeoutError } from '../core/errors.js';
import { hexNum, toHex } from '../core/hex.js';
import type { FunctionalAnswer } from '../uds/client/functional-exchange.js';
import { FlashVerificationError } from './errors.js';
import type { ConnectionSlot } from './connections.js';
import type { EngineContext } from './ecu-runner.js';
import type { FlashStep } from './job-steps.js';
import { expandBytes, type PlaceholderContext } from './placeholders.js';
import { RECORDED_BYTES } from './recording-client.js';
import { dtcSettingType, ROUTINE_CONTROL } from './step-runner.js';
import type { StepRecorder } from './step-record.js';

/** SPRMIB (ISO 14229-1:2020 8.2.2). */
const SPRMIB = 0x80;

/** The request bytes of a functional `step`. Throws for kinds that cannot be functional (the schema prevents them). */
export function functionalRequest(step: FlashStep, ph: PlaceholderContext): Uint8Array[] {
  const spr = step.suppress ? SPRMIB : 0;
  switch (step.step) {
    case 'session':
      return [Uint8Array.of(0x10, step.session | spr)];
    case 'routine': {
      const option = step.option ? expandBytes(step.option, ph) : new Uint8Array(0);
      return [Uint8Array.of(0x31, ROUTINE_CONTROL[step.control] | spr, step.routineId >> 8, step.routineId & 0xff, ...option)];
    }
    case 'dtcSetting':
      return [Uint8Array.of(0x85, dtcSettingType(step.setting) | spr)];
    case 'communicationControl': {
      // ISO 14229-1:2020 10.5.2 — controlType 04/05 carry a nodeIdentificationNumber.
      const node = step.nodeId !== undefined ? uintToBytes(step.nodeId, 2) : new Uint8Array(0);
      return [Uint8Array.of(0x28, step.controlType | spr, step.communicationType, ...node)];
    }
    case 'clearDtc':
      return [Uint8Array.of(0x14, ...uintToBytes(step.group, 3))];
    case 'reset':
      return [Uint8Array.of(0x11, step.resetType | spr)];
    case 'readDid':
      return step.dids.map((d) => Uint8Array.of(0x22, d >> 8, d & 0xff));
    case 'request':
      return [step.suppress && step.data.length > 1 ? Uint8Array.from(step.data, (b, i) => (i === 1 ? b | spr : b)) : step.data];
    default:
      throw new Error(`${step.step} cannot be sent functionally`);
  }
}

/** What a functional step did to each ECU of the slot: undefined = fine, else the error. */
export type FunctionalOutcome = Map<number, Error>;

/**
 * Sends functional `step` once on `slot` and collects the answers into `rec`. Returns, per ECU of
 * `ecus` (the job's ECUs on this slot), the error that fails it.
 */
export async function runFunctionalStep(step: FlashStep, slot: ConnectionSlot, ecus: readonly number[], rec: StepRecorder, ctx: EngineContext): Promise<FunctionalOutcome> {
  await slot.open();
  const client = slot.functionalClient;
  if (!client) throw new Error(`connection ${slot.key} has no functional client`);
  const ph: PlaceholderContext = { date: ctx.date, testerAddress: slot.target.testerAddress, ecuAddress: slot.target.testerAddress, variables: ctx.job.variables };
  const out: FunctionalOutcome = new Map();
  const answers: NonNullable<StepRecorder['answers']>[number][] = [];
  for (const req of functionalRequest(step, ph)) {
    const t0 = ctx.clock.now();
    const got: FunctionalAnswer[] = await client.requestFunctional(req, { ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}), ...(ctx.signal ? { signal: ctx.signal } : {}) });
    rec.exchange({ request: toHex(req), addressing: 'functional', pending: 0, ms: ctx.clock.now() - t0, response: `${got.length} answer(s)` });
    for (const a of got) {
      answers.push({
        ecu: a.source,
        ...(a.response ? { response: toHex(a.response.subarray(0, RECORDED_BYTES)) } : {}),
        ...(a.error ? { nrc: a.error.nrc, nrcName: a.error.nrcName } : {}),
      });
      if (!ecus.includes(a.source) || out.has(a.source)) continue;
      if (a.error) out.set(a.source, a.error);
      else if (a.timeout) out.set(a.source, a.timeout);
    }
    // Without SPRMIB every ECU answers positively (ISO 14229-1:2020 8.2.2): silence is a failure.
    if (!step.suppress) {
      for (const ecu of ecus) {
        if (!out.has(ecu) && !got.some((a) => a.source === ecu)) {
          out.set(ecu, new TimeoutError(`ECU ${hexNum(ecu)} did not answer the functional request ${toHex(req)} within P2client; check that it listens on the functional address ${hexNum(client.functionalTarget)}`, { ecu }));
        }
      }
    }
    if (step.step === 'request' && step.expect) {
      for (const a of got) {
        if (a.response && ecus.includes(a.source) && !out.has(a.source) && !step.expect.every((b, i) => a.response?.[i] === b)) {
          out.set(a.source, new FlashVerificationError(`request ${toHex(req)}: ECU ${hexNum(a.source)} answered ${toHex(a.response.subarray(0, 32))}, expected ${toHex(step.expect)}...`));
        }
      }
    }
  }
  rec.answers = answers;
  return out;
}
