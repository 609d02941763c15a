/**
 * The TesterPresent keep-alive: `3E 80` on the clock so the ECU(s) stay in a non-default session
 * (ISO 14229-1:2020 10.7; ISO 14229-2:2013 7.5 — S3client period, spec/uds.md "Sessions and timing").
 *
 * It writes to the link directly, outside the client's request queue, so it never waits for and never
 * delays a request, and it keeps running while a request waits through NRC 0x78. A beat is skipped only
 * when the previous keep-alive is still being sent (a slow transport). Failures are reported through
 * `onError`, never thrown.
 */
import type { Clock, TimerHandle } from '../../core/clock.js';
import { InvalidArgumentError, LinkError } from '../../core/errors.js';
import type { Addressing, UdsLink } from '../../core/link.js';
import type { Logger } from '../../core/logger.js';

/** Options of {@link TesterPresentKeepAlive.start}. */
export interface TesterPresentOptions {
  /** Period in ms; default the client's `testerPresentIntervalMs` (2000). */
  intervalMs?: number;
  /** Send to the functional address (default true) so every ECU in the session stays there. */
  functional?: boolean;
  /** Set SPRMIB: send `3E 80` (default true). With false, `3E 00` is sent and the `7E 00` answers are ignored. */
  suppress?: boolean;
}

/** What the keep-alive needs from its client. */
export interface KeepAliveHost {
  readonly link: UdsLink;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly target: number;
  readonly functionalTarget: number;
  readonly defaultIntervalMs: number;
  /** Called after each keep-alive the link accepted. */
  onSent(info: { target: number; addressing: Addressing }): void;
  /** Called when sending one failed. */
  onError(error: Error): void;
}

/** A periodic TesterPresent sender on one link. */
export class TesterPresentKeepAlive {
  private timer: TimerHandle | undefined;
  private inFlight = false;
  private generation = 0;
  private cfg: { intervalMs: number; target: number; addressing: Addressing; data: Uint8Array } | undefined;

  constructor(private readonly host: KeepAliveHost) {}

  /** True while started. */
  get running(): boolean {
    return this.cfg !== undefined;
  }

  /** Starts (or restarts with new options). The first `3E 80` goes out after one interval. */
  start(options: TesterPresentOptions = {}): void {
    const intervalMs = options.intervalMs ?? this.host.defaultIntervalMs;
    if (typeof intervalMs !== 'number' || !Number.isFinite(intervalMs) || intervalMs < 1) {
      throw new InvalidArgumentError(`startTesterPresent: intervalMs must be a number of ms >= 1, got ${String(intervalMs)}`, {
        field: 'intervalMs',
      });
    }
    const functional = options.functional ?? true;
    const suppress = options.suppress ?? true;
    this.stop();
    this.cfg = {
      intervalMs,
      target: functional ? this.host.functionalTarget : this.host.target,
      addressing: functional ? 'functional' : 'physical',
      // ISO 14229-1:2020 10.7.2 — zeroSubFunction 0x00, with SPRMIB 0x80.
      data: Uint8Array.of(0x3e, suppress ? 0x80 : 0x00),
    };
    this.schedule(this.generation);
  }

  /** Stops; a keep-alive already handed to the link is not recalled. */
  stop(): void {
    this.generation++;
    this.host.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.cfg = undefined;
  }

  private schedule(gen: number): void {
    const cfg = this.cfg;
    if (!cfg) return;
    this.timer = this.host.clock.setTimeout(() => this.beat(gen), cfg.intervalMs);
  }

  private beat(gen: number): void {
    const cfg = this.cfg;
    if (gen !== this.generation || !cfg) return;
    this.schedule(gen);
    if (this.inFlight) {
      this.host.logger.debug('TesterPresent keep-alive skipped: the previous one is still being sent');
      return;
    }
    if (this.host.link.closed) {
      this.host.onError(new LinkError('TesterPresent keep-alive stopped: the link is closed'));
      this.stop();
      return;
    }
    this.inFlight = true;
    this.host.link.send({ target: cfg.target, addressing: cfg.addressing, data: cfg.data }).then(
      () => {
        this.inFlight = false;
        this.host.onSent({ target: cfg.target, addressing: cfg.addressing });
      },
      (e: unknown) => {
        this.inFlight = false;
        this.host.onError(e instanceof Error ? e : new Error(String(e)));
      },
    );
  }
}
