/**
 * The link mode of an ECU and LinkControl (0x87, ISO 14229-1:2020 10.10) changing it: a verify step
 * (87 01 fixed mode / 87 02 specific baud rate) checks and remembers the requested baud rate, the
 * transition (87 03) switches to it after its response.
 *
 * The simulated links have no baud rate: the mode is state, visible in `SimulatedEcu.state.linkControl`
 * (and for a future CAN transport to honour).
 *
 * ISO 14229-1:2020 10.10.1 — the link returns to its default when the server returns to the default
 * session (S3 timeout included) and after a reset; {@link bindLinkControl} does it on the ECU's events.
 * A verified but not yet performed transition is forgotten on any session transition.
 */
import type { TypedEmitter } from '../core/events.js';
import type { LinkControlConfig } from './config-link-control.js';
import type { EcuConfig } from './config.js';
import type { EcuEvents } from './ecu-events.js';
import { SESSION } from './session-manager.js';

/** The link mode as part of the ECU's state snapshot. */
export interface LinkControlSnapshot {
  /** The baud rate in force (bit/s). */
  readonly baudrate: number;
  /** A verified baud rate waiting for 87 03 transitionMode, or null. */
  readonly pendingBaudrate: number | null;
}

/** The link mode state of one ECU. */
export class LinkControlState {
  private current: number;
  private pending: number | null = null;

  constructor(private readonly config: LinkControlConfig) {
    this.current = config.defaultBaudrate;
  }

  /** The baud rate in force. */
  get baudrate(): number {
    return this.current;
  }

  /** The verified baud rate waiting for 87 03, or null. */
  get pendingBaudrate(): number | null {
    return this.pending;
  }

  /** Whether the profile supports switching to `baud` (bit/s). */
  supports(baud: number): boolean {
    return this.config.supportedBaudrates.includes(baud);
  }

  /** The baud rate of 87 01 20 (ProgrammingSetup), undefined when the profile defines none. */
  get programmingSetupBaudrate(): number | undefined {
    return this.config.programmingSetupBaudrate;
  }

  /** Whether the verify and transition steps need the vehicle at standstill (else 0x22). */
  get requireStandstill(): boolean {
    return this.config.requireStandstill;
  }

  /** Remembers a verified baud rate (87 01 / 87 02); replaces an earlier one. */
  verify(baud: number): void {
    this.pending = baud;
  }

  /** Performs the verified transition (87 03, after its response); returns the new baud rate. */
  transition(): number {
    if (this.pending !== null) this.current = this.pending;
    this.pending = null;
    return this.current;
  }

  /** Forgets a verified transition. */
  clearPending(): void {
    this.pending = null;
  }

  /** Back to the default baud rate, nothing pending. */
  reset(): void {
    this.current = this.config.defaultBaudrate;
    this.pending = null;
  }

  /** The state for `EcuStateSnapshot`. */
  snapshot(): LinkControlSnapshot {
    return { baudrate: this.current, pendingBaudrate: this.pending };
  }
}

/** Applies the session side effects of ISO 14229-1:2020 10.10.1 to `link` (see the module comment). */
export function bindLinkControl(link: LinkControlState, events: TypedEmitter<EcuEvents>): void {
  events.on('session', ({ to }) => {
    if (to === SESSION.default) link.reset();
    else link.clearPending();
  });
  events.on('reset', () => link.reset());
}

/** Creates the link mode state of an ECU model bound to its events. */
export function linkControlFor(ecu: { readonly config: EcuConfig; readonly events: TypedEmitter<EcuEvents> }): LinkControlState {
  const link = new LinkControlState(ecu.config.linkControl);
  bindLinkControl(link, ecu.events);
  return link;
}
