/**
 * SecurityAccess (0x27) state machine of one ECU: seeds, keys, the failed-attempt counter and the
 * lockout delay (spec/uds.md "Security access", ISO 14229-1:2020 10.4).
 *
 * States: locked (no seed), seed pending (level L, seed S), unlocked (level L); orthogonal to them a
 * failed-attempt counter and a delay deadline, both per ECU (shared by every level).
 *
 * With an NV store (option `nv`) the counter and whether a lockout delay is running are written to it
 * (key `security`) before the response that changes them goes out, and restored at construction: with a
 * state directory, killing the simulator does not reset the attempt counter, and a delay that was running
 * runs again in full after the restart (ISO 14229-1:2020 10.4: the delay applies after power-on too).
 */
import type { Clock } from '../core/clock.js';
import { NRC } from '../uds/codec/nrc.js';
import { getSecurityAlgorithm } from '../uds/security/algorithms.js';
import { NrcError } from '../uds/server/nrc-error.js';
import { hexByte } from '../core/hex.js';
import { bytesEqual } from '../core/bytes.js';
import type { SecurityLevelConfig } from './config.js';
import type { NvStore } from './nv-store.js';

/** NV key of the security state: `{ failedAttempts, delayMs }` (delayMs > 0: a lockout delay of that length runs). */
export const SECURITY_NV_KEY = 'security';

/** Options of a {@link SecurityAccess}. */
export interface SecurityAccessOptions {
  readonly clock: Clock;
  /** Source of seed bytes. */
  readonly random: (n: number) => Uint8Array;
  /** Counter and running delay survive an ECU reset (default true; false makes a "vulnerable" range). */
  readonly attemptsSurviveReset: boolean;
  /** Required time delay after power-on / reset before requestSeed is accepted (ms). */
  readonly powerOnDelayMs: number;
  /** Called when the unlocked level changes. */
  readonly onChange?: (level: number | null) => void;
  /**
   * Non-volatile memory: the counter and a running delay are stored in it and restored from it (only
   * when `attemptsSurviveReset`; otherwise a power cycle clears them, like a reset does).
   */
  readonly nv?: NvStore;
}

/** A snapshot of the security state. */
export interface SecuritySnapshot {
  /** The unlocked level, or null. */
  readonly level: number | null;
  /** Failed sendKey attempts counted so far. */
  readonly failedAttempts: number;
  /** Milliseconds left of the lockout (or power-on) delay; 0 when none runs. */
  readonly delayRemainingMs: number;
  /** Level whose seed was sent and awaits a key. */
  readonly pendingSeedLevel: number | null;
}

/** The seed/key state machine. */
export class SecurityAccess {
  private unlocked: number | null = null;
  private pending: { level: number; seed: Uint8Array } | null = null;
  private failed = 0;
  private delayUntil: number | undefined;
  /** Length of the running lockout delay (ms), stored in NV so a restart runs it again. */
  private delayMs = 0;
  private powerOnUntil: number | undefined;
  private readonly levels: ReadonlyMap<number, SecurityLevelConfig>;
  /** What NV holds now (to write only changes). */
  private stored = { failedAttempts: 0, delayMs: 0 };

  constructor(levels: readonly SecurityLevelConfig[], private readonly options: SecurityAccessOptions) {
    this.levels = new Map(levels.map((l) => [l.level, l]));
    this.restore();
    this.startPowerOnDelay();
  }

  /** The unlocked level (odd requestSeed value), or null when locked. */
  get level(): number | null {
    return this.unlocked;
  }

  /** Configuration of `level`, if defined. */
  levelConfig(level: number): SecurityLevelConfig | undefined {
    return this.levels.get(level);
  }

  /** The current state, for `SimulatedEcu.state`. */
  snapshot(): SecuritySnapshot {
    const now = this.options.clock.now();
    const until = Math.max(this.delayUntil ?? 0, this.powerOnUntil ?? 0);
    return {
      level: this.unlocked,
      failedAttempts: this.failed,
      delayRemainingMs: Math.max(0, until - now),
      pendingSeedLevel: this.pending?.level ?? null,
    };
  }

  /** requestSeed for `level` (odd). Returns the seed; throws `NrcError` 0x12 / 0x37. */
  requestSeed(level: number): Uint8Array {
    const cfg = this.levels.get(level);
    if (!cfg) throw new NrcError(NRC.subFunctionNotSupported, `security level 0x${hexByte(level)} is not configured`);
    const now = this.options.clock.now();
    // ISO 14229-1:2020 10.4.4 NRC 0x37 — the power-on delay after a reset is running.
    if (this.powerOnUntil !== undefined) {
      if (now < this.powerOnUntil) throw new NrcError(NRC.requiredTimeDelayNotExpired, 'power-on delay is running');
      this.powerOnUntil = undefined;
    }
    if (this.delayUntil !== undefined) {
      // ISO 14229-1:2020 10.4.4 NRC 0x37 — requestSeed while the lockout delay runs.
      if (now < this.delayUntil) throw new NrcError(NRC.requiredTimeDelayNotExpired, `${Math.ceil(this.delayUntil - now)} ms left`);
      // spec/uds.md — after the delay one more attempt is allowed before the next delay.
      this.delayUntil = undefined;
      this.failed = Math.max(0, cfg.maxAttempts - 1);
      this.persist();
    }
    // ISO 14229-1:2020 10.4.1 — a level already unlocked answers an all-zero seed.
    if (this.unlocked === level) {
      this.pending = null;
      return new Uint8Array(cfg.seedLength);
    }
    const seed = this.options.random(cfg.seedLength).slice(0, cfg.seedLength);
    // A random all-zero seed would read as "already unlocked"; make it non-zero.
    if (seed.every((b) => b === 0)) seed[seed.length - 1] = 1;
    this.pending = { level, seed };
    return seed;
  }

  /** sendKey with sub-function `keySubFunction` (even, level + 1). Unlocks or throws `NrcError` 0x24 / 0x35 / 0x36. */
  sendKey(keySubFunction: number, key: Uint8Array): void {
    const level = keySubFunction - 1;
    const cfg = this.levels.get(level);
    if (!cfg) throw new NrcError(NRC.subFunctionNotSupported, `security level 0x${hexByte(level)} is not configured`);
    // ISO 14229-1:2020 10.4.4 NRC 0x24 — sendKey without a requestSeed of the same level.
    const pending = this.pending;
    if (!pending || pending.level !== level) {
      throw new NrcError(NRC.requestSequenceError, `no seed of level 0x${hexByte(level)} was requested`);
    }
    // One key per seed: a new attempt needs a new seed.
    this.pending = null;
    const expected = getSecurityAlgorithm(cfg.algorithm)(pending.seed, level, cfg.secret, { keyLength: cfg.keyLength });
    if (bytesEqual(expected, key)) {
      this.failed = 0;
      this.persist();
      this.setUnlocked(level);
      return;
    }
    this.failed++;
    if (this.failed >= cfg.maxAttempts) {
      // ISO 14229-1:2020 10.4.4 NRC 0x36 — the limit is reached and the delay starts.
      this.delayUntil = this.options.clock.now() + cfg.delayMs;
      this.delayMs = cfg.delayMs;
      // Durable before the response: a restart right after it must not forget the attempt.
      this.persist();
      throw new NrcError(NRC.exceededNumberOfAttempts, `${this.failed} failed attempts; ${cfg.delayMs} ms delay started`);
    }
    this.persist();
    // ISO 14229-1:2020 10.4.4 NRC 0x35 — wrong key, the counter goes up.
    throw new NrcError(NRC.invalidKey, `attempt ${this.failed} of ${cfg.maxAttempts}`);
  }

  /** Relocks (any session transition, ISO 14229-1:2020 10.2.1) and forgets a pending seed. */
  lock(): void {
    this.pending = null;
    this.setUnlocked(null);
  }

  /** An ECU reset: relock, restart the power-on delay, and forget counter and delay unless they survive resets. */
  onReset(): void {
    this.lock();
    if (!this.options.attemptsSurviveReset) {
      this.failed = 0;
      this.delayUntil = undefined;
    }
    this.startPowerOnDelay();
  }

  /** Takes the counter and a running delay from NV (a restart of the simulator is a power-on). */
  private restore(): void {
    const nv = this.options.nv;
    if (!nv || !this.options.attemptsSurviveReset) return;
    const v = nv.get(SECURITY_NV_KEY);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
    const o = v as Record<string, unknown>;
    const count = (x: unknown): number => (typeof x === 'number' && Number.isSafeInteger(x) && x > 0 ? x : 0);
    this.failed = count(o['failedAttempts']);
    this.delayMs = count(o['delayMs']);
    this.stored = { failedAttempts: this.failed, delayMs: this.delayMs };
    // ISO 14229-1:2020 10.4 — a lockout delay that was running when the power went is started again.
    if (this.delayMs > 0) this.delayUntil = this.options.clock.now() + this.delayMs;
  }

  /** Writes the counter and the running delay to NV when they changed (synchronously durable). */
  private persist(): void {
    const nv = this.options.nv;
    if (!nv || !this.options.attemptsSurviveReset) return;
    const next = { failedAttempts: this.failed, delayMs: this.delayUntil !== undefined ? this.delayMs : 0 };
    if (next.failedAttempts === this.stored.failedAttempts && next.delayMs === this.stored.delayMs) return;
    nv.set(SECURITY_NV_KEY, next);
    this.stored = next;
  }

  private startPowerOnDelay(): void {
    this.powerOnUntil = this.options.powerOnDelayMs > 0 ? this.options.clock.now() + this.options.powerOnDelayMs : undefined;
  }

  private setUnlocked(level: number | null): void {
    if (this.unlocked === level) return;
    this.unlocked = level;
    this.options.onChange?.(level);
  }
}
