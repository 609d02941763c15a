/**
 * One ECU of a running job: its plan, its UDS client on the current connection (replaced after a
 * reconnection), its progress, identification and outcome, and recovery after a lost connection or a
 * lost ECU (spec/bootloader-and-flashing.md: "a lost connection is re-established and the job resumes
 * from the start of the interrupted segment").
 */
import type { Clock } from '../core/clock.js';
import { LinkError } from '../core/errors.js';
import type { TypedEmitter } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import { DiagnosticNackError } from '../doip/errors.js';
import { waitForEcu } from '../tester/wait-for-ecu.js';
import type { ConnectionSlot } from './connections.js';
import type { FlashStep } from './job-steps.js';
import type { FlashJob } from './job-schema.js';
import type { PlaceholderContext } from './placeholders.js';
import type { EcuPlan } from './plan.js';
import { ProgressTracker, type EcuActivity, type EcuProgress } from './progress.js';
import type { FlashClient } from './recording-client.js';
import type { FailureRecord, FlashPhase, StepRecord } from './report.js';
import type { StepRecorder } from './step-record.js';

/** Events of a {@link FlashEngine}. */
export type FlashEngineEvents = {
  /** An ECU's progress changed (activity, or a TransferData block was acknowledged). */
  progress: [progress: EcuProgress];
  /** A step starts (`ecu` undefined: functional, once for all). */
  stepStart: [info: { phase: FlashPhase; index: number; name: string; ecu?: number }];
  /** A step finished. */
  step: [record: StepRecord];
  /** A block is written again after a lost connection or ECU. */
  recovery: [info: { ecu: number; block: number; attempt: number; reason: string }];
};

/** What every part of a running job shares. */
export interface EngineContext {
  readonly job: FlashJob;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly signal: AbortSignal | undefined;
  /** The moment of the job, for `{date}` / `{time}`. */
  readonly date: Date;
  /** Clock time the job started (step times are relative to it). */
  readonly t0: number;
  readonly events: TypedEmitter<FlashEngineEvents>;
  /** Adds a finished step to the report. */
  record(step: StepRecord): void;
  /** Runs `step` for `runner` in `phase` (used for the resume steps). */
  runStep(phase: FlashPhase, index: number, step: FlashStep, runner: EcuRunner): Promise<void>;
}

/** The state of one ECU during a job. */
export class EcuRunner {
  readonly progress: ProgressTracker;
  /** Identification read by readDid steps (DID hex -> value). */
  readonly identification: Record<string, string> = {};
  /** Set when the ECU failed: the job stops for it. */
  failure: (FailureRecord & { phase: FlashPhase; step: string }) | undefined;
  /** Blocks written again after a loss. */
  recoveries = 0;
  /** Seconds the program step took (so far). */
  programSeconds = 0;
  /** The recorder of the step running now (moved to a new client after a reconnection). */
  recorder: StepRecorder | undefined;
  private current: FlashClient | undefined;
  private gen = -1;

  constructor(
    readonly plan: EcuPlan,
    readonly slot: ConnectionSlot,
    private readonly ctx: EngineContext,
  ) {
    this.progress = new ProgressTracker(ctx.clock, plan.address, plan.name, plan.totalBytes, plan.blocks.length);
  }

  /** The ECU's address. */
  get address(): number {
    return this.plan.address;
  }

  /** The client on the current connection (see {@link ensureClient}). */
  get client(): FlashClient {
    if (!this.current) throw new Error(`ECU 0x${this.address.toString(16)} has no client yet`);
    return this.current;
  }

  /** The placeholder values of this ECU. */
  placeholders(): PlaceholderContext {
    return { date: this.ctx.date, testerAddress: this.slot.target.testerAddress, ecuAddress: this.address, variables: this.plan.variables };
  }

  /** Sets what is being done and reports the progress. */
  activity(a: EcuActivity, block?: number): void {
    this.progress.activity(a, block);
    this.ctx.events.emit('progress', this.progress.snapshot());
  }

  /** Runs `fn` with requests recorded into `rec`. */
  async recording<T>(rec: StepRecorder, fn: () => Promise<T>): Promise<T> {
    const before = this.recorder;
    this.recorder = rec;
    if (this.current) this.current.sink = rec;
    try {
      return await fn();
    } finally {
      this.recorder = before;
      if (this.current) this.current.sink = before;
    }
  }

  /**
   * A client on the slot's current connection: opens the connection if needed, and replaces the client
   * when the connection was re-established (or lost) since it was made.
   */
  async ensureClient(): Promise<FlashClient> {
    if (this.current && this.gen === this.slot.generation && !this.current.link.closed) return this.current;
    // A connection that was lost is re-established (after timing.reconnectDelayMs); one never opened, or
    // already re-established by another ECU, is just opened / taken.
    if (this.slot.link?.closed === true) await this.slot.reconnect(this.gen);
    else await this.slot.open();
    await this.replaceClient();
    return this.client;
  }

  private async replaceClient(): Promise<void> {
    const old = this.current;
    this.current = this.slot.client(this.address);
    this.gen = this.slot.generation;
    this.current.sink = this.recorder;
    const tp = this.ctx.job.testerPresent;
    // ISO 14229-1:2020 10.7 — a physical keep-alive per ECU when the job does not send it functionally.
    if (tp !== false && !tp.functional) this.current.startTesterPresent({ functional: false, suppress: true, intervalMs: tp.intervalMs });
    if (old) await old.close();
  }

  /**
   * Gets the ECU back after `cause`: a new connection when it was lost, else (no answer, gateway NACK 06
   * "target unreachable": the ECU resets or lost power) waiting until it answers again. Then the resume
   * steps run (session, security, flash driver by default).
   */
  async recover(cause: unknown): Promise<void> {
    this.activity('recovering');
    const lostLink = (cause instanceof LinkError && !(cause instanceof DiagnosticNackError)) || this.current?.link.closed === true || this.slot.link?.closed !== false;
    if (lostLink) {
      await this.slot.reconnect(this.gen);
      await this.replaceClient();
    } else {
      await this.ensureClient();
      await waitForEcu(this.client, { timeoutMs: this.ctx.job.timing.resetWaitMs });
    }
    const steps = resumeSteps(this.ctx.job);
    for (let i = 0; i < steps.length; i++) await this.ctx.runStep('resume', i, steps[i] as FlashStep, this);
  }

  /** Closes the client. */
  async close(): Promise<void> {
    const c = this.current;
    this.current = undefined;
    if (c) await c.close();
  }
}

/** The steps run after a recovery: `resume:` of the job, else the programming steps before `program` that set up the ECU. */
export function resumeSteps(job: FlashJob): readonly FlashStep[] {
  if (job.resume) return job.resume;
  const end = job.programming.findIndex((s) => s.step === 'program');
  return job.programming.slice(0, end < 0 ? job.programming.length : end).filter((s) => s.step === 'session' || s.step === 'securityAccess' || s.step === 'flashDriver');
}
