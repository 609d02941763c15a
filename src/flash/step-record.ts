/**
 * Recording one step for the report: its label, the requests the clients made while it ran (through
 * {@link ExchangeSink}), what it found, and its outcome with the failure classified.
 */
import { UdskitError } from '../core/errors.js';
import { hexByte, hexNum, toHex } from '../core/hex.js';
import type { FlashStep } from './job-steps.js';
import { adviceFor, failureKind, negativeResponseOf } from './errors.js';
import type { ExchangeSink } from './recording-client.js';
import type { ExchangeRecord, FailureRecord, FlashPhase, StepRecord } from './report.js';

/** Requests listed per step; more are only counted. */
export const MAX_EXCHANGES_PER_STEP = 100;

/** The label of `step` in the report: its `name`, or the kind with its identifiers. */
export function stepLabel(step: FlashStep): string {
  if (step.name) return step.name;
  const f = step.addressing === 'functional' ? ' (functional)' : '';
  const spr = step.suppress ? ' +SPRMIB' : '';
  switch (step.step) {
    case 'session':
      return `session ${hexByte(step.session)}${f}${spr}`;
    case 'securityAccess':
      return `securityAccess${step.level !== undefined ? ` ${hexByte(step.level)}` : ''}`;
    case 'readDid':
      return `readDid ${step.dids.map((d) => hexNum(d).slice(2)).join(' ')}${f}`;
    case 'writeDid':
      return `writeDid ${hexNum(step.did).slice(2)}`;
    case 'routine':
      return `routine ${step.control} ${hexNum(step.routineId).slice(2)}${f}${spr}`;
    case 'dtcSetting':
      return `dtcSetting ${typeof step.setting === 'string' ? step.setting : hexByte(step.setting)}${f}${spr}`;
    case 'communicationControl':
      return `communicationControl ${hexByte(step.controlType)} ${hexByte(step.communicationType)}${f}${spr}`;
    case 'clearDtc':
      return `clearDtc ${hexNum(step.group, 6).slice(2)}${f}`;
    case 'reset':
      return `reset ${hexByte(step.resetType)}${f}${spr}`;
    case 'request':
      return `request ${toHex(step.data.subarray(0, 8))}${step.data.length > 8 ? ' ...' : ''}${f}${spr}`;
    case 'delay':
      return `delay ${step.ms} ms`;
    case 'checkDependencies':
      return `checkDependencies${step.routineId !== undefined ? ` ${hexNum(step.routineId).slice(2)}` : ''}`;
    default:
      return step.step;
  }
}

/** A failure as the report holds it. */
export function failureRecord(e: unknown, step: string): FailureRecord {
  const kind = failureKind(e);
  const nrc = negativeResponseOf(e);
  return {
    kind,
    code: e instanceof UdskitError ? e.code : 'UDSKIT_INTERNAL',
    message: e instanceof Error ? e.message : String(e),
    advice: adviceFor(kind, step, e),
    ...(nrc ? { nrc: nrc.nrc } : {}),
  };
}

/** Collects what one step did. */
export class StepRecorder implements ExchangeSink {
  private readonly exchanges: ExchangeRecord[] = [];
  private omitted = 0;
  private tdRequests = 0;
  private tdBytes = 0;
  private notes: string[] = [];
  private valueMap: Record<string, string> | undefined;
  /** Every ECU's answer (functional steps). */
  answers: StepRecord['answers'];

  exchange(record: ExchangeRecord): void {
    if (this.exchanges.length < MAX_EXCHANGES_PER_STEP) this.exchanges.push(record);
    else this.omitted++;
  }

  transfer(dataBytes: number): void {
    this.tdRequests++;
    this.tdBytes += dataBytes;
  }

  /** Adds a line to the step's detail. */
  note(line: string): void {
    this.notes.push(line);
  }

  /** Records a value found (e.g. an identification DID). */
  value(key: string, v: string): void {
    (this.valueMap ??= {})[key] = v;
  }

  /** The finished record. */
  finish(init: {
    phase: FlashPhase;
    index: number;
    step: FlashStep;
    ecu: number | undefined;
    startMs: number;
    durationMs: number;
    error?: unknown;
    skipped?: string;
  }): StepRecord {
    const { step } = init;
    const detail = [...(init.skipped !== undefined ? [init.skipped] : []), ...this.notes].join('; ');
    return {
      phase: init.phase,
      index: init.index,
      step: step.step,
      name: stepLabel(step),
      ...(init.ecu !== undefined ? { ecu: init.ecu } : {}),
      addressing: step.addressing,
      startMs: init.startMs,
      durationMs: init.durationMs,
      outcome: init.error !== undefined ? 'failed' : init.skipped !== undefined ? 'skipped' : 'ok',
      ...(detail !== '' ? { detail } : {}),
      exchanges: this.exchanges,
      omittedExchanges: this.omitted,
      ...(this.tdRequests > 0 ? { transferData: { requests: this.tdRequests, bytes: this.tdBytes } } : {}),
      ...(this.answers ? { answers: this.answers } : {}),
      ...(this.valueMap ? { values: this.valueMap } : {}),
      ...(init.error !== undefined ? { failure: failureRecord(init.error, step.step) } : {}),
      ...(step.optional ? { optional: true } : {}),
    };
  }
}
