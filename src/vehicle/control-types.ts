/**
 * The JSON shapes of the control API (docs/control-api.md), shared by the server (control-routes.ts)
 * and the client (control-client.ts). Addresses are numbers; `range` strings are for people.
 */
import type { VehicleState } from '../ecu/config.js';
import type { EcuMode } from '../ecu/profile-service-table.js';
import type { TransferProgress } from '../ecu/transfer.js';
import type { FaultSpec } from './fault-spec.js';

/** Version prefix of every route. */
export const CONTROL_API_PREFIX = '/api/v1';

/** State of one flash sector, from the memory content. */
export type SectorState = 'erased' | 'programmed' | 'partial';

/** Consecutive sectors of one size in one state. */
export interface SectorRun {
  /** First address. */
  readonly start: number;
  /** Last address (inclusive). */
  readonly end: number;
  /** Number of sectors in the run. */
  readonly count: number;
  /** Size of each sector. */
  readonly sectorSize: number;
  readonly state: SectorState;
}

/** One memory region of an ECU with the state of its sectors. */
export interface RegionView {
  readonly name: string;
  /** `flash`, `ram`, `boot` (and the kinds the profile schema adds). */
  readonly kind: string;
  readonly start: number;
  /** Last address (inclusive). */
  readonly end: number;
  readonly size: number;
  /** `0x08008000-0x0803FFFF`. */
  readonly range: string;
  readonly erasedValue: number;
  /** Sectors per state. */
  readonly summary: Readonly<Record<SectorState, number>>;
  /** Runs of consecutive sectors of the same size and state, in address order. */
  readonly sectors: readonly SectorRun[];
}

/** `app` (the application runs) or `boot` (the bootloader runs). */
export type { EcuMode } from '../ecu/profile-service-table.js';

/** What `GET /api/v1/ecus/{address}` returns. */
export interface EcuView {
  readonly address: number;
  /** `0x1010`. */
  readonly addressHex: string;
  readonly name: string;
  readonly mode: EcuMode;
  /** Active diagnostic session (0x01 default, 0x02 programming, 0x03 extended, ...). */
  readonly session: number;
  /** Unlocked security level, or null. */
  readonly securityLevel: number | null;
  /** Failed security attempts counted. */
  readonly failedAttempts: number;
  /** Milliseconds left of the security delay. */
  readonly securityDelayRemainingMs: number;
  /** The application-valid flag (cleared by an erase of application flash, set by a successful 31 01 FF01). */
  readonly appValid: boolean;
  /** False while the ECU resets (the gateway answers NACK 06 meanwhile). */
  readonly available: boolean;
  /** The active transfer (34/35/36/37 or 38), or null. */
  readonly transfer: TransferProgress | null;
  /** The simulated vehicle conditions this ECU reads. */
  readonly vehicle: VehicleState;
  /** Bytes of memory pages in use. */
  readonly memoryUsedBytes: number;
  readonly memory: readonly RegionView[];
}

/** What `GET /api/v1/ecus` returns. */
export interface EcuListView {
  readonly ecus: readonly EcuView[];
}

/** What `GET` and `PATCH /api/v1/vehicle` return. */
export interface VehicleView {
  /** Vehicle name from the vehicle file. */
  readonly name: string;
  /** The conditions of the first ECU (after a PATCH, every ECU reads the same). */
  readonly state: VehicleState;
  /** False when ECUs read different conditions (their profiles start from different `vehicleState`). */
  readonly consistent: boolean;
  readonly ecus: readonly { readonly address: number; readonly name: string; readonly state: VehicleState }[];
}

/** One fault as `GET /api/v1/faults` lists it. */
export type FaultView = FaultSpec & {
  readonly id: string;
  /** Address of the ECU it applies to. */
  readonly ecuAddress: number;
  /** Matching requests seen so far. */
  readonly seen: number;
  /** Times it fired. */
  readonly fired: number;
  /** Times it will still fire; null = until removed. */
  readonly remaining: number | null;
  /** One line saying what it does. */
  readonly description: string;
};

/** What `GET /api/v1/faults` returns. */
export interface FaultListView {
  readonly faults: readonly FaultView[];
}

/** Body of every error answer (4xx / 5xx). */
export interface ControlErrorBody {
  readonly error: string;
  /** What to do about it. */
  readonly hint: string;
}
