/**
 * Progress of one ECU during a job: bytes and TransferData blocks done, rate and ETA, measured on the
 * engine's clock. A block written again after a lost connection takes its bytes back first.
 */
import type { Clock } from '../core/clock.js';

/** What the engine is doing for an ECU. */
export type EcuActivity = 'waiting' | 'pre' | 'driver' | 'erase' | 'download' | 'check' | 'recovering' | 'post' | 'done' | 'failed';

/** One progress event. */
export interface EcuProgress {
  readonly ecu: number;
  readonly name: string;
  readonly activity: EcuActivity;
  /** Firmware bytes acknowledged by the ECU. */
  readonly bytes: number;
  readonly totalBytes: number;
  /** 1-based erase block being written (0 before the first). */
  readonly block: number;
  readonly blocks: number;
  /** TransferData requests acknowledged so far (firmware and driver). */
  readonly transferBlocks: number;
  /** Firmware bytes per second since programming started (0 before). */
  readonly bytesPerSecond: number;
  /** Seconds left at that rate; undefined until there is a rate. */
  readonly etaSeconds: number | undefined;
}

/** Tracks one ECU's progress. */
export class ProgressTracker {
  private activityNow: EcuActivity = 'waiting';
  private bytesDone = 0;
  private blockNow = 0;
  private transfers = 0;
  private startedAt: number | undefined;
  private endedAt: number | undefined;

  constructor(
    private readonly clock: Clock,
    readonly ecu: number,
    readonly name: string,
    readonly totalBytes: number,
    readonly blocks: number,
  ) {}

  /** Firmware bytes done. */
  get bytes(): number {
    return this.bytesDone;
  }

  /** TransferData requests acknowledged. */
  get transferBlocks(): number {
    return this.transfers;
  }

  /** Sets what is being done; the first `erase`/`download` starts the rate clock. */
  activity(a: EcuActivity, block?: number): void {
    this.activityNow = a;
    if (block !== undefined) this.blockNow = block;
    if ((a === 'erase' || a === 'download') && this.startedAt === undefined) this.startedAt = this.clock.now();
  }

  /** One TransferData block of `firmwareBytes` (0 for the driver) was acknowledged. */
  transferred(firmwareBytes: number): void {
    this.transfers++;
    this.bytesDone += firmwareBytes;
  }

  /** A block is written again: its `bytes` are not done any more. */
  rewind(bytes: number): void {
    this.bytesDone = Math.max(0, this.bytesDone - bytes);
  }

  /** Programming is over: the rate and `seconds` stop moving. */
  finish(): void {
    if (this.startedAt !== undefined) this.endedAt ??= this.clock.now();
  }

  /** Seconds from the start of programming until now (or until {@link finish}). */
  get seconds(): number {
    return this.startedAt === undefined ? 0 : ((this.endedAt ?? this.clock.now()) - this.startedAt) / 1000;
  }

  /** The current state. */
  snapshot(): EcuProgress {
    const s = this.seconds;
    const rate = s > 0 ? this.bytesDone / s : 0;
    const left = this.totalBytes - this.bytesDone;
    return {
      ecu: this.ecu,
      name: this.name,
      activity: this.activityNow,
      bytes: this.bytesDone,
      totalBytes: this.totalBytes,
      block: this.blockNow,
      blocks: this.blocks,
      transferBlocks: this.transfers,
      bytesPerSecond: Math.round(rate),
      etaSeconds: rate > 0 ? left / rate : undefined,
    };
  }
}
