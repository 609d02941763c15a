/**
 * The server timing (P2server_max / P2*server_max) an ECU works with, and AccessTimingParameter (0x83,
 * ISO 14229-1:2013 9.7) changing it: the 0x78 schedule of the dispatcher and the values 0x83 03 reports
 * read {@link AccessTiming.active}.
 *
 * - The defaults are those of the active session (`sessionTiming`: the profile's `sessions` entry, else
 *   `p2ServerMs` / `p2StarServerMs`).
 * - 83 04 sets given values inside the profile's limits (`accessTiming`); 83 02 returns to the defaults.
 * - ISO 14229-1:2013 9.7.1 — server and client return to the default timing after every successful
 *   transition to another or the same session (DiagnosticSessionControl, ECUReset, S3 timeout):
 *   {@link bindAccessTiming} does it on the ECU's `session` and `reset` events.
 */
import type { TypedEmitter } from '../core/events.js';
import type { ServerTiming } from '../uds/server/response-pending.js';
import type { AccessTimingConfig } from './config-access-timing.js';
import type { EcuConfig } from './config.js';
import type { EcuEvents } from './ecu-events.js';
import { sessionTiming } from './profile-service-table.js';
import type { SessionManager } from './session-manager.js';

/** Inclusive bounds of the values 83 04 accepts. */
export interface TimingLimits {
  readonly min: ServerTiming;
  readonly max: ServerTiming;
}

/** The timing state of one ECU. */
export class AccessTiming {
  private override: ServerTiming | undefined;

  /**
   * `defaults()` gives the default timing of the active session; `limits` is the profile's
   * `accessTiming` section.
   */
  constructor(
    private readonly defaultsOf: () => ServerTiming,
    private readonly limitsConfig: AccessTimingConfig,
  ) {}

  /** The default timing of the active session. */
  get defaults(): ServerTiming {
    return this.defaultsOf();
  }

  /** The timing in force: values set by 83 04 until the next session transition, else the defaults. */
  get active(): ServerTiming {
    return this.override ?? this.defaultsOf();
  }

  /** True while values set by 83 04 are in force. */
  get modified(): boolean {
    return this.override !== undefined;
  }

  /** The extended timing parameter set (what 83 01 reports). */
  get extended(): ServerTiming {
    return { p2ServerMs: this.limitsConfig.extendedP2ServerMs, p2StarServerMs: this.limitsConfig.extendedP2StarServerMs };
  }

  /**
   * The range 83 04 accepts: from the profile's minimum to the extended set, widened to include the
   * session's defaults (a profile giving a session slower defaults than the extended set keeps them valid).
   */
  get limits(): TimingLimits {
    const c = this.limitsConfig;
    const d = this.defaultsOf();
    return {
      min: { p2ServerMs: Math.min(c.minP2ServerMs, d.p2ServerMs), p2StarServerMs: Math.min(c.minP2StarServerMs, d.p2StarServerMs) },
      max: { p2ServerMs: Math.max(c.extendedP2ServerMs, d.p2ServerMs), p2StarServerMs: Math.max(c.extendedP2StarServerMs, d.p2StarServerMs) },
    };
  }

  /** Why 83 04 must refuse `values` (NRC 0x31), or undefined when they are acceptable. */
  problem(values: ServerTiming): string | undefined {
    const { min, max } = this.limits;
    if (values.p2ServerMs < min.p2ServerMs || values.p2ServerMs > max.p2ServerMs) {
      return `P2server_max ${values.p2ServerMs} ms is outside ${min.p2ServerMs}..${max.p2ServerMs} ms`;
    }
    if (values.p2StarServerMs < min.p2StarServerMs || values.p2StarServerMs > max.p2StarServerMs) {
      return `P2*server_max ${values.p2StarServerMs} ms is outside ${min.p2StarServerMs}..${max.p2StarServerMs} ms`;
    }
    if (values.p2ServerMs > values.p2StarServerMs) {
      return `P2server_max ${values.p2ServerMs} ms exceeds P2*server_max ${values.p2StarServerMs} ms`;
    }
    return undefined;
  }

  /** Puts `values` in force (83 04, after its positive response). */
  set(values: ServerTiming): void {
    this.override = { p2ServerMs: values.p2ServerMs, p2StarServerMs: values.p2StarServerMs };
  }

  /** Back to the session's defaults (83 02, session transitions, reset). */
  reset(): void {
    this.override = undefined;
  }
}

/** Resets `timing` on every session transition and reset of the ECU (ISO 14229-1:2013 9.7.1). */
export function bindAccessTiming(timing: AccessTiming, events: TypedEmitter<EcuEvents>): void {
  events.on('session', () => timing.reset());
  events.on('reset', () => timing.reset());
}

/** Creates the timing state of an ECU model (defaults of its active session) bound to its events. */
export function accessTimingFor(ecu: {
  readonly config: EcuConfig;
  readonly sessions: SessionManager;
  readonly events: TypedEmitter<EcuEvents>;
}): AccessTiming {
  const timing = new AccessTiming(() => sessionTiming(ecu.config, ecu.sessions.session), ecu.config.accessTiming);
  bindAccessTiming(timing, ecu.events);
  return timing;
}
