/**
 * The flash engine: runs a planned job over any connector (DoIP by default) — pre-programming with its
 * functional steps sent once for all ECUs and its physical steps per ECU in parallel, programming per ECU
 * in parallel (several ECUs over one DoIP connection are multiplexed by target address), post-programming
 * (functional steps always, to restore the network; physical steps for the ECUs that were programmed) —
 * and returns the report. TesterPresent runs for the whole job; 0x78 is waited through by the clients.
 *
 * ```ts
 * const plan = await planFlashJob(loadFlashJob('engine.yaml'));
 * const engine = new FlashEngine();
 * engine.events.on('progress', (p) => console.log(p.ecu, p.bytes, p.totalBytes));
 * const report = await engine.run(plan);
 * console.log(summarizeReport(report));
 * process.exitCode = report.exitCode;
 * ```
 */
import { systemClock, type Clock } from '../core/clock.js';
import { TypedEmitter } from '../core/events.js';
import { silentLogger, type Logger } from '../core/logger.js';
import { ConnectionSlot, doipConnector, type Connector } from './connections.js';
import { EcuRunner, type EngineContext, type FlashEngineEvents } from './ecu-runner.js';
import { failureKind } from './errors.js';
import { runFunctionalStep } from './functional-step.js';
import type { FlashStep } from './job-steps.js';
import type { FlashPlan } from './plan.js';
import type { EcuReport, FlashPhase, FlashReport, StepRecord } from './report.js';
import { failureRecord, stepLabel, StepRecorder } from './step-record.js';
import { runPhysicalStep } from './step-runner.js';

export type { FlashEngineEvents } from './ecu-runner.js';

/** Options of a {@link FlashEngine}. */
export interface FlashEngineOptions {
  /** Opens the link to each DoIP entity (default: DoIP over TCP with the job's connection settings). */
  connector?: Connector;
  /** Time source of every timer (default the system clock). */
  clock?: Clock;
  logger?: Logger;
  /** Stops the job between and during requests. */
  signal?: AbortSignal;
  /** The moment `{date}` / `{time}` use (default now). */
  now?: () => Date;
}

/** Runs flash jobs; see the module comment. */
export class FlashEngine {
  /** Progress, steps and recoveries as they happen. */
  readonly events = new TypedEmitter<FlashEngineEvents>();

  constructor(private readonly options: FlashEngineOptions = {}) {}

  /** Runs `plan` and returns its report (never throws for an ECU's failure: the report says it). */
  async run(plan: FlashPlan): Promise<FlashReport> {
    const job = plan.job;
    const clock = this.options.clock ?? systemClock;
    const logger = this.options.logger ?? silentLogger;
    const date = (this.options.now ?? (() => new Date()))();
    const steps: StepRecord[] = [];
    const ctx: EngineContext = {
      job,
      clock,
      logger,
      signal: this.options.signal,
      date,
      t0: clock.now(),
      events: this.events,
      record: (s) => {
        steps.push(s);
        this.events.emit('step', s);
      },
      runStep: async (phase, index, step, r) => {
        const err = await this.runEcuStep(ctx, phase, index, step, r);
        if (err !== undefined && !step.optional) throw err;
      },
    };
    const tp = job.testerPresent;
    const connector = this.options.connector ?? doipConnector({ connectTimeoutMs: job.connection.connectTimeoutMs, clock, logger });
    const slots = new Map<string, ConnectionSlot>();
    const perEntity = new Map<string, number>();
    const runners = plan.ecus.map((ecu) => {
      const entity = `${ecu.host}:${ecu.port}`;
      const key = `${entity}${job.connection.mode === 'per-ecu' ? `#${ecu.address.toString(16)}` : ''}`;
      let slot = slots.get(key);
      if (!slot) {
        // ISO 13400-2:2019, routing activation handler — an entity routes one socket per tester address: a second connection to the
        // same entity (connection.mode per-ecu) uses the next tester address.
        const n = perEntity.get(entity) ?? 0;
        perEntity.set(entity, n + 1);
        slot = new ConnectionSlot(key, { host: ecu.host, port: ecu.port, testerAddress: (job.connection.testerAddress + n) & 0xffff }, {
          connector,
          clock,
          logger,
          functionalAddress: job.connection.functionalAddress,
          reconnectDelayMs: job.timing.reconnectDelayMs,
          keepAlive: tp !== false && tp.functional ? { intervalMs: tp.intervalMs } : undefined,
          clientTiming: {
            ...(job.timing.p2ClientMs !== undefined ? { p2ClientMs: job.timing.p2ClientMs } : {}),
            ...(job.timing.p2StarClientMs !== undefined ? { p2StarClientMs: job.timing.p2StarClientMs } : {}),
          },
        });
        slots.set(key, slot);
      }
      return new EcuRunner(ecu, slot, ctx);
    });
    try {
      await Promise.all(
        runners.map(async (r) => {
          try {
            await r.ensureClient();
          } catch (e) {
            this.fail(r, 'pre', 'connect', e);
          }
        }),
      );
      await this.phase(ctx, 'pre', job.pre, runners, [...slots.values()]);
      await Promise.all(runners.map((r) => this.programming(ctx, r)));
      await this.phase(ctx, 'post', job.post, runners, [...slots.values()]);
    } finally {
      for (const r of runners) {
        r.activity(r.failure ? 'failed' : 'done');
        await r.close();
      }
      for (const s of slots.values()) await s.close();
    }
    return report(plan, runners, steps, date, (clock.now() - ctx.t0) / 1000);
  }

  /** Runs `step` for `r`, records it, and returns its error (undefined when it succeeded). */
  private async runEcuStep(ctx: EngineContext, phase: FlashPhase, index: number, step: FlashStep, r: EcuRunner): Promise<unknown> {
    const rec = new StepRecorder();
    const start = ctx.clock.now();
    this.events.emit('stepStart', { phase, index, name: stepLabel(step), ecu: r.address });
    let error: unknown;
    try {
      await r.recording(rec, () => runPhysicalStep(step, r, rec, ctx));
    } catch (e) {
      error = e;
    }
    ctx.record(rec.finish({ phase, index, step, ecu: r.address, startMs: start - ctx.t0, durationMs: ctx.clock.now() - start, ...(error !== undefined ? { error } : {}) }));
    return error;
  }

  private fail(r: EcuRunner, phase: FlashPhase, step: string, e: unknown): void {
    r.failure ??= { ...failureRecord(e, step), phase, step };
  }

  /** The programming steps of one ECU; a lost connection or ECU in a step other than `program` is recovered and the step repeated. */
  private async programming(ctx: EngineContext, r: EcuRunner): Promise<void> {
    const steps = ctx.job.programming;
    for (let i = 0; i < steps.length && !r.failure; i++) {
      const step = steps[i] as FlashStep;
      // Bounded: at most timing.attempts tries of the step.
      for (let attempt = 1; ; attempt++) {
        const err = await this.runEcuStep(ctx, 'programming', i, step, r);
        if (err === undefined || step.optional) break;
        if (step.step === 'program' || failureKind(err) !== 'communication' || attempt >= ctx.job.timing.attempts) {
          this.fail(r, 'programming', step.step, err);
          break;
        }
        try {
          await r.recover(err);
        } catch (e) {
          this.fail(r, 'resume', step.step, e);
          break;
        }
      }
    }
  }

  /** A pre / post phase: functional steps once per connection, physical ones per ECU in parallel. */
  private async phase(ctx: EngineContext, phase: 'pre' | 'post', steps: readonly FlashStep[], runners: readonly EcuRunner[], slots: readonly ConnectionSlot[]): Promise<void> {
    for (const r of runners) if (!r.failure) r.activity(phase);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as FlashStep;
      if (step.addressing === 'physical') {
        await Promise.all(
          runners
            .filter((r) => !r.failure)
            .map(async (r) => {
              const err = await this.runEcuStep(ctx, phase, i, step, r);
              if (err !== undefined && !step.optional) this.fail(r, phase, step.step, err);
            }),
        );
        continue;
      }
      // Post-programming restores the network even for ECUs that failed (28 80 03, 85 81 for everyone).
      await Promise.all(slots.map((slot) => this.functional(ctx, phase, i, step, slot, runners.filter((r) => r.slot === slot && (phase === 'post' || !r.failure)))));
    }
  }

  private async functional(ctx: EngineContext, phase: FlashPhase, index: number, step: FlashStep, slot: ConnectionSlot, runners: readonly EcuRunner[]): Promise<void> {
    if (runners.length === 0) return;
    const rec = new StepRecorder();
    const start = ctx.clock.now();
    this.events.emit('stepStart', { phase, index, name: stepLabel(step) });
    let error: unknown;
    try {
      const outcome = await runFunctionalStep(step, slot, runners.map((r) => r.address), rec, ctx);
      for (const r of runners) {
        const e = outcome.get(r.address);
        if (e === undefined) continue;
        rec.note(`ECU 0x${r.address.toString(16).toUpperCase()}: ${e.message}`);
        if (!step.optional && !r.failure) this.fail(r, phase, step.step, e);
        error ??= e;
      }
    } catch (e) {
      error = e;
      if (!step.optional) for (const r of runners) this.fail(r, phase, step.step, e);
    }
    ctx.record(rec.finish({ phase, index, step, ecu: undefined, startMs: start - ctx.t0, durationMs: ctx.clock.now() - start, ...(error !== undefined ? { error } : {}) }));
  }
}

function report(plan: FlashPlan, runners: readonly EcuRunner[], steps: StepRecord[], date: Date, seconds: number): FlashReport {
  const ecus: EcuReport[] = runners.map((r) => ({
    address: r.address,
    name: r.plan.name,
    outcome: r.failure ? 'failed' : 'ok',
    totalBytes: r.plan.totalBytes,
    bytesWritten: r.progress.bytes,
    blocks: r.plan.blocks.length,
    transferRequests: r.progress.transferBlocks,
    recoveries: r.recoveries,
    programSeconds: Math.round(r.programSeconds * 1000) / 1000,
    files: r.plan.files.map((f) => ({ file: f.file, format: f.format, bytes: f.bytes, crc32: f.crc32.toString(16).toUpperCase().padStart(8, '0') })),
    identification: r.identification,
    ...(r.failure ? { failure: r.failure } : {}),
  }));
  const failures = runners.flatMap((r) => (r.failure ? [r.failure.kind] : []));
  // 1 when anything failed for another reason than the ECU's answer (I/O, usage); else 2 (refused / verification).
  const exitCode: 0 | 1 | 2 = failures.length === 0 ? 0 : failures.every((k) => k === 'refused' || k === 'verification') ? 2 : 1;
  return {
    ok: failures.length === 0,
    exitCode,
    job: { ...(plan.job.name !== undefined ? { name: plan.job.name } : {}), ...(plan.job.template !== undefined ? { template: plan.job.template } : {}) },
    startedAt: date.toISOString(),
    durationSeconds: Math.round(seconds * 1000) / 1000,
    ecus,
    steps: [...steps].sort((a, b) => a.startMs - b.startMs),
  };
}
