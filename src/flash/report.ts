/**
 * The report of a flash job run: every step (per ECU, or once for all for a functional step) with its
 * requests and responses, timing and outcome; per ECU what was written and how it ended; the job's
 * outcome and exit code. Plain data, written as JSON by `udskit flash --json`; {@link summarizeReport}
 * turns it into readable text.
 */
import { hexNum } from '../core/hex.js';
import type { FailureKind } from './errors.js';

/** The phases of a job (`resume`: steps run after a lost connection or ECU). */
export type FlashPhase = 'pre' | 'programming' | 'post' | 'resume';

/** One request and what came back. */
export interface ExchangeRecord {
  /** Request bytes as hex (the first 64 bytes of a long one). */
  readonly request: string;
  readonly addressing: 'physical' | 'functional';
  /** Positive response as hex (the first 64 bytes), absent when suppressed or failed. */
  readonly response?: string;
  /** `7F SID NRC` answer. */
  readonly nrc?: { readonly code: number; readonly name: string };
  /** NRC 0x78 answers before the final one. */
  readonly pending: number;
  /** Time from the request to its outcome. */
  readonly ms: number;
  /** Failure other than a negative response (timeout, lost link). */
  readonly error?: string;
}

/** A failure, as the report holds it. */
export interface FailureRecord {
  readonly kind: FailureKind;
  /** The error's stable code (UDSKIT_NRC, UDSKIT_CRC_MISMATCH, ...). */
  readonly code: string;
  readonly message: string;
  /** What to do. */
  readonly advice: string;
  /** The NRC when the ECU refused. */
  readonly nrc?: number;
}

/** What one step did. */
export interface StepRecord {
  readonly phase: FlashPhase;
  /** Position of the step in its phase list. */
  readonly index: number;
  /** The kind (`session`, `program`, ...). */
  readonly step: string;
  /** Its label. */
  readonly name: string;
  /** The ECU, or undefined for a functional step sent once for all. */
  readonly ecu?: number;
  readonly addressing: 'physical' | 'functional';
  /** Start, in ms since the job started. */
  readonly startMs: number;
  readonly durationMs: number;
  readonly outcome: 'ok' | 'failed' | 'skipped';
  /** Why it was skipped, or what it found (e.g. identification values). */
  readonly detail?: string;
  /** The requests (TransferData blocks are only counted, in `transferData`). */
  readonly exchanges: readonly ExchangeRecord[];
  /** Requests not listed because the step made too many. */
  readonly omittedExchanges: number;
  /** TransferData requests and their data bytes. */
  readonly transferData?: { readonly requests: number; readonly bytes: number };
  /** Every ECU's answer to a functional step. */
  readonly answers?: readonly { readonly ecu: number; readonly response?: string; readonly nrc?: number; readonly nrcName?: string }[];
  /** Values found (identification DIDs as text or hex). */
  readonly values?: Readonly<Record<string, string>>;
  readonly failure?: FailureRecord;
  /** A failed optional step does not fail the ECU. */
  readonly optional?: boolean;
}

/** How one ECU ended. */
export interface EcuReport {
  readonly address: number;
  readonly name: string;
  readonly outcome: 'ok' | 'failed';
  /** Data bytes the job programs / programmed. */
  readonly totalBytes: number;
  readonly bytesWritten: number;
  /** Erase blocks of the plan. */
  readonly blocks: number;
  /** TransferData requests sent (firmware and driver, repeats included). */
  readonly transferRequests: number;
  /** Blocks written again after a lost connection or ECU. */
  readonly recoveries: number;
  /** Seconds of the program step. */
  readonly programSeconds: number;
  readonly files: readonly { readonly file: string; readonly format: string; readonly bytes: number; readonly crc32: string }[];
  /** Identification read by readDid steps. */
  readonly identification: Readonly<Record<string, string>>;
  /** Where and why it failed. */
  readonly failure?: FailureRecord & { readonly phase: FlashPhase; readonly step: string };
}

/** The report of one run. */
export interface FlashReport {
  readonly ok: boolean;
  /** 0 success, 2 an ECU refused or a verification failed, 1 anything else. */
  readonly exitCode: 0 | 1 | 2;
  readonly job: { readonly name?: string; readonly template?: string };
  /** ISO time the run started. */
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly ecus: readonly EcuReport[];
  readonly steps: readonly StepRecord[];
  /** A failure of the whole job (no connection, ...). */
  readonly failure?: FailureRecord;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function stepLine(s: StepRecord): string {
  const who = s.ecu === undefined ? 'all ECUs' : hexNum(s.ecu);
  const mark = s.outcome === 'ok' ? 'ok  ' : s.outcome === 'skipped' ? 'skip' : s.optional ? 'warn' : 'FAIL';
  const extra = s.failure ? ` — ${s.failure.message}` : s.detail ? ` — ${s.detail}` : '';
  return `  ${mark} ${pad(s.phase, 11)} ${pad(who, 8)} ${pad(s.name, 34)} ${String(Math.round(s.durationMs)).padStart(6)} ms${extra}`;
}

/** The report as readable text: one line per step, then each ECU's result and the advice on failure. */
export function summarizeReport(r: FlashReport, options: { steps?: boolean } = {}): string {
  const lines: string[] = [];
  lines.push(`flash job ${r.job.name ?? '(unnamed)'}${r.job.template ? ` (template ${r.job.template})` : ''}: ${r.ok ? 'OK' : 'FAILED'} in ${r.durationSeconds.toFixed(2)} s`);
  if (options.steps ?? true) {
    lines.push('');
    for (const s of r.steps) lines.push(stepLine(s));
  }
  lines.push('');
  for (const e of r.ecus) {
    const rate = e.programSeconds > 0 ? ` (${(e.bytesWritten / 1024 / e.programSeconds).toFixed(1)} KiB/s)` : '';
    lines.push(`${hexNum(e.address)} ${e.name}: ${e.outcome === 'ok' ? 'programmed' : 'FAILED'}, ${e.bytesWritten}/${e.totalBytes} bytes in ${e.blocks} block(s), ${e.programSeconds.toFixed(2)} s${rate}${e.recoveries > 0 ? `, ${e.recoveries} block(s) written again after a lost connection` : ''}`);
    for (const f of e.files) lines.push(`    ${f.file}: ${f.format}, ${f.bytes} bytes, CRC32 ${f.crc32}`);
    if (e.failure) {
      lines.push(`    failed in ${e.failure.phase} step ${e.failure.step}: ${e.failure.message}`);
      lines.push(`    what to do: ${e.failure.advice}`);
    }
  }
  if (r.failure) {
    lines.push(`job failed: ${r.failure.message}`);
    lines.push(`what to do: ${r.failure.advice}`);
  }
  return lines.join('\n');
}
