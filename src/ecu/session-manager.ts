/**
 * The active diagnostic session and the S3server timer (spec/uds.md "Sessions and timing";
 * ISO 14229-1:2020 10.2 and the S3server session timer of ISO 14229-2:2013).
 *
 * In a non-default session, S3 runs while no request is being served: it stops when a request
 * arrives and restarts when its response has gone out, so any request (TesterPresent included)
 * keeps the session. When S3 expires the owner is told to return to the default session.
 */
import type { Clock, TimerHandle } from '../core/clock.js';

/** The sessions of the default ECU profile. */
export const SESSION = {
  /** 0x01 defaultSession. */
  default: 0x01,
  /** 0x02 programmingSession. */
  programming: 0x02,
  /** 0x03 extendedDiagnosticSession. */
  extended: 0x03,
} as const;

/** Options of a {@link SessionManager}. */
export interface SessionManagerOptions {
  readonly clock: Clock;
  /** S3server in ms. */
  readonly s3ServerMs: number;
  /** Called when S3 expires in a non-default session (the owner performs the transition). */
  readonly onTimeout: () => void;
}

/**
 * Holds the active session and runs S3. S3 is a deadline (`expiresAt`) moved by every response; one
 * clock timer checks it when it falls due and re-arms itself for what is left, so a request costs no
 * timer operations while the session is kept alive.
 */
export class SessionManager {
  private current: number = SESSION.default;
  private timer: TimerHandle | undefined;
  private running = false;
  private expiresAt = 0;
  private serving = 0;
  private stopped = false;
  private readonly check = (): void => this.onTimer();

  constructor(private readonly options: SessionManagerOptions) {}

  /** The active session. */
  get session(): number {
    return this.current;
  }

  /** True while the S3 timer runs. */
  get s3Running(): boolean {
    return this.running;
  }

  /** Makes `session` active (side effects are the owner's job) and re-arms S3. */
  set(session: number): void {
    this.current = session;
    this.arm();
  }

  /** A request starts being served: S3 stops (ISO 14229-2:2013 S3server — it restarts after the response). */
  requestStarted(): void {
    this.serving++;
    // The timer may stay scheduled: when it falls due it sees that S3 is not running.
    this.running = false;
  }

  /** A request has been answered: S3 restarts in a non-default session. */
  requestEnded(): void {
    this.serving = Math.max(0, this.serving - 1);
    this.arm();
  }

  /** Stops the timer for good (ECU closed). */
  stop(): void {
    this.stopped = true;
    this.running = false;
    this.clearTimer();
  }

  private arm(): void {
    if (this.stopped || this.current === SESSION.default || this.serving > 0) {
      this.running = false;
      // In the default session no timer is left behind (nothing to expire).
      if (this.serving === 0) this.clearTimer();
      return;
    }
    this.running = true;
    this.expiresAt = this.options.clock.now() + this.options.s3ServerMs;
    this.timer ??= this.options.clock.setTimeout(this.check, this.options.s3ServerMs);
  }

  private onTimer(): void {
    this.timer = undefined;
    if (!this.running) return;
    const left = this.expiresAt - this.options.clock.now();
    if (left > 0) {
      this.timer = this.options.clock.setTimeout(this.check, left);
      return;
    }
    this.running = false;
    // spec/uds.md — no request for S3 in a non-default session: back to the default session.
    if (this.current !== SESSION.default) this.options.onTimeout();
  }

  private clearTimer(): void {
    if (this.timer) {
      this.options.clock.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
