/** Events of a simulated ECU and the snapshot of its state. */
import type { UdsMessage } from '../core/link.js';
import type { TransferProgress } from './transfer.js';
import type { VehicleState } from './config.js';
import type { DtcStatusChange } from './dtc-store.js';
import type { ServerTiming } from '../uds/server/response-pending.js';
import type { LinkControlSnapshot } from './link-control.js';
import type { ScheduledPeriodicDid } from './periodic-scheduler.js';
import type { EcuMode } from './profile-service-table.js';
import type { ModeChangeReason } from './boot-manager.js';

/** Why the session changed. */
export type SessionChangeReason = 'request' | 's3-timeout' | 'reset';

/** Receive/transmit state of one communication type (service 0x28). */
export interface RxTxState {
  /** Reception enabled. */
  readonly rx: boolean;
  /** Transmission enabled. */
  readonly tx: boolean;
}

/** CommunicationControl (0x28) state per communication type. */
export interface CommunicationState {
  /** Normal communication messages (communicationType bit 0). */
  readonly normal: RxTxState;
  /** Network management messages (communicationType bit 1). */
  readonly networkManagement: RxTxState;
}

/** Everything observable about an ECU at one moment. */
export interface EcuStateSnapshot {
  /** Active diagnostic session. */
  readonly session: number;
  /** Unlocked security level, or null. */
  readonly securityLevel: number | null;
  /** Failed security attempts counted. */
  readonly securityFailedAttempts: number;
  /** Milliseconds left of the security delay (0 when none). */
  readonly securityDelayRemainingMs: number;
  /** False while a reset is in progress. */
  readonly available: boolean;
  /** The active transfer, if any. */
  readonly transfer?: TransferProgress;
  /** CommunicationControl state. */
  readonly communicationControl: CommunicationState;
  /** False after 85 02 (DTC setting off). */
  readonly dtcSettingOn: boolean;
  /** The simulated vehicle conditions. */
  readonly vehicle: VehicleState;
  /** Bytes of memory pages in use. */
  readonly memoryUsedBytes: number;
  /** Periodic DIDs scheduled by 0x2A (pDID, rate, period). */
  readonly periodic: readonly ScheduledPeriodicDid[];
  /** P2server / P2*server in force (0x83 may change them until the next session transition). */
  readonly timing: ServerTiming;
  /** LinkControl (0x87): the baud rate in force and a verified one waiting for 87 03. */
  readonly linkControl: LinkControlSnapshot;
  /** The program running: `app` or `boot` (only ECUs with a `bootloader:` section have boot mode; boot-manager.ts). */
  readonly mode: EcuMode;
  /** The app-valid flag (NV): cleared by an erase of application flash, set by a successful 31 01 FF01. */
  readonly appValid: boolean;
}

/** Events of a `SimulatedEcu`. */
export type EcuEvents = {
  /** A request starts being served. */
  request: [UdsMessage];
  /** Bytes were sent in answer to `request` (0x78, final positive or negative). */
  response: [{ request: UdsMessage; data: Uint8Array }];
  /** The active session changed (including a transition to the same session). */
  session: [{ from: number; to: number; reason: SessionChangeReason }];
  /** The unlocked security level changed (null = locked). */
  security: [{ level: number | null }];
  /** A reset started (after its response went out); the ECU is unavailable until `ready`. */
  reset: [{ resetType: number }];
  /** The ECU finished a reset (or the jump into its bootloader) and serves requests again. */
  ready: [];
  /** The ECU now runs its other program (boot-manager.ts): after a reset, a power cycle or the jump on 10 02. */
  mode: [{ from: EcuMode; to: EcuMode; reason: ModeChangeReason }];
  /** A transfer started, progressed or ended. */
  transfer: [TransferProgress];
  /** A handler failed unexpectedly (answered 0x10) or a response could not be sent. */
  fault: [{ request: UdsMessage; error: unknown }];
  /** A DTC's status changed (test result, operation cycle, ClearDiagnosticInformation). */
  dtc: [DtcStatusChange];
};
