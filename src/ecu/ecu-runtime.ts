/**
 * The model of one simulated ECU that the service handlers work on (`ctx.env`): sessions, security,
 * DIDs, routines, memory, transfer, CommunicationControl / ControlDTCSetting state, vehicle state, and
 * the two transitions with side effects, session change and reset.
 */
import type { Clock, TimerHandle } from '../core/clock.js';
import type { TypedEmitter } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { AccessState } from '../uds/server/service-table.js';
import type { EcuConfig, VehicleState } from './config.js';
import { DidStore } from './did-store.js';
import type { CommunicationState, EcuEvents, EcuStateSnapshot, SessionChangeReason } from './ecu-events.js';
import { MemoryMap } from './memory-map.js';
import { MemoryNvStore, type NvStore } from './nv-store.js';
import { ProgrammingLog } from './programming-log.js';
import { applyProfileRoutines, builtInRoutines, RoutineRegistry } from './routines/index.js';
import { SecurityAccess } from './security-access.js';
import { SESSION, SessionManager } from './session-manager.js';
import { SparseMemory } from './sparse-memory.js';
import { TransferManager } from './transfer.js';
import { BootManager, type RestartCause } from './boot-manager.js';
import { timingValue } from './config-timing.js';
import { dynamicDidsFor, type DynamicDids } from './dynamic-dids.js';
import { ioControlFor, type IoControl } from './io-control.js';
import { fileTransferFor, type FileTransferService } from './file-transfer.js';
import { accessTimingFor, type AccessTiming } from './access-timing.js';
import { linkControlFor, type LinkControlState } from './link-control.js';
import { periodicSchedulerFor, type PeriodicScheduler } from './periodic-scheduler.js';
import { dtcStoreFor, responseOnEventFor, vehicleStateChanged } from './dtc-binding.js';
import type { DtcStore } from './dtc-store.js';
import type { ResponseOnEventManager } from './response-on-event.js';
import { closeFlashStore, flashStoreFor, flushFlashForUds, orderedNv } from './persistence/ecu-persistence.js';
import type { FlashStore } from './persistence/flash-store.js';

/** Everything communication is enabled (power-on state). */
const ALL_ENABLED: CommunicationState = { normal: { rx: true, tx: true }, networkManagement: { rx: true, tx: true } };

/** Dependencies of an {@link EcuRuntime}. */
export interface EcuRuntimeOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: (n: number) => Uint8Array;
  readonly events: TypedEmitter<EcuEvents>;
  /** State directory (state-dir.ts): the file area then lives in `<stateDir>/<address>/files/`; default in memory. */
  readonly stateDir?: string;
  /** Non-volatile key/value memory (flags, counters, DIDs); default a {@link MemoryNvStore}. */
  readonly nv?: NvStore;
}

/** The state and behaviour of one simulated ECU, independent of any link. */
export class EcuRuntime {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly random: (n: number) => Uint8Array;
  readonly events: TypedEmitter<EcuEvents>;
  readonly memoryMap: MemoryMap;
  readonly memory: SparseMemory;
  readonly programmingLog = new ProgrammingLog();
  /** Application / bootloader mode, app-valid flag, flash driver, dual bank (boot-manager.ts). */
  readonly boot: BootManager;
  /** Non-volatile memory for flags, counters and DIDs (nv-store.ts); file-backed with a state directory. */
  readonly nv: NvStore;
  /** With a state directory: the write-back store of the non-RAM memory regions (persistence/flash-store.ts). */
  readonly persistence: FlashStore | undefined;
  readonly sessions: SessionManager;
  readonly security: SecurityAccess;
  readonly transfer: TransferManager;
  readonly dids: DidStore;
  readonly routines = new RoutineRegistry();
  /** InputOutputControlByIdentifier (0x2F) controls in force; returned on the default session and on reset. */
  readonly ioControl: IoControl;
  /** DynamicallyDefineDataIdentifier (0x2C) definitions; cleared on the default session and on reset. */
  readonly dynamicDids: DynamicDids;
  /** ReadDataByPeriodicIdentifier (0x2A) schedule; stopped on return to the default session and on reset. */
  readonly periodic: PeriodicScheduler;
  /** P2/P2* server in force (0x83); back to the session's defaults on every session transition. */
  readonly timing: AccessTiming;
  /** LinkControl (0x87) link mode; back to the default on return to the default session and on reset. */
  readonly linkControl: LinkControlState;
  /** RequestFileTransfer (0x38) and the ECU's file area; suspended downloads survive session changes and resets. */
  readonly fileTransfer: FileTransferService;
  /** The DTC memory (0x14 / 0x19): status bits, snapshots, extended data, vehicle-state monitors. */
  readonly dtcs: DtcStore;
  /** ResponseOnEvent (0x86) events; SimulatedEcu sets its executor. */
  readonly roe: ResponseOnEventManager;
  /** The simulated vehicle conditions (31 0203, 10 02). */
  vehicle: VehicleState;
  /** CommunicationControl (0x28) state. */
  communication: CommunicationState = ALL_ENABLED;
  /** ControlDTCSetting (0x85): false after 85 02. */
  dtcSettingOn = true;
  private isAvailable = true;
  private resetTimer: TimerHandle | undefined;

  constructor(readonly config: EcuConfig, options: EcuRuntimeOptions) {
    this.clock = options.clock;
    this.logger = options.logger;
    this.random = options.random;
    this.events = options.events;
    this.persistence = flashStoreFor(config, options.stateDir);
    this.nv = orderedNv(options.nv ?? new MemoryNvStore(), this.persistence);
    this.vehicle = { ...config.vehicleState };
    this.memoryMap = new MemoryMap(config.memory);
    this.memory = new SparseMemory({
      fill: (address, out) => this.memoryMap.fill(address, out),
      ...(this.persistence ? { onChange: (address: number, length: number, unwritten: boolean) => this.persistence?.markDirty(address, length, unwritten) } : {}),
    });
    this.persistence?.load(this.memory);
    this.boot = new BootManager(this);
    this.sessions = new SessionManager({
      clock: this.clock,
      s3ServerMs: config.s3ServerMs,
      onTimeout: () => this.changeSession(SESSION.default, 's3-timeout'),
    });
    this.security = new SecurityAccess(config.security.levels, {
      clock: this.clock,
      random: this.random,
      attemptsSurviveReset: config.security.attemptsSurviveReset,
      powerOnDelayMs: config.security.powerOnDelayMs,
      onChange: (level) => this.events.emit('security', { level }),
      nv: this.nv,
    });
    this.transfer = new TransferManager({
      config: config.transfer,
      memory: this.memory,
      map: this.memoryMap,
      log: this.programmingLog,
      clock: this.clock,
      boot: this.boot,
      timingProfile: config.timingProfile,
      onProgress: (p) => this.events.emit('transfer', p),
      wantsProgress: () => this.events.listenerCount('transfer') > 0,
    });
    this.dids = new DidStore(config, () => this.sessions.session, this.nv);
    for (const r of builtInRoutines(config.programming)) this.routines.define(r);
    this.ioControl = ioControlFor(this);
    this.dynamicDids = dynamicDidsFor(this);
    applyProfileRoutines(this.routines, config.routines);
    this.periodic = periodicSchedulerFor(this);
    this.timing = accessTimingFor(this);
    this.linkControl = linkControlFor(this);
    this.fileTransfer = fileTransferFor(this, options.stateDir);
    this.dtcs = dtcStoreFor(this);
    this.roe = responseOnEventFor(this);
  }

  /** False while a reset is in progress. */
  get available(): boolean {
    return this.isAvailable;
  }

  /** Changes the simulated vehicle conditions; the DTC monitors and ResponseOnEvent react (dtc-binding.ts). */
  setVehicleState(patch: Partial<VehicleState>): void {
    const before = this.vehicle;
    this.vehicle = { ...before, ...patch };
    vehicleStateChanged(this, before);
  }

  /** Session and unlocked level, as the dispatcher reads them. */
  access(): AccessState {
    return { session: this.sessions.session, securityLevel: this.security.level };
  }

  /**
   * Makes `to` the active session with the side effects of ISO 14229-1:2020 10.2.1: any transition
   * (to the same session too) relocks security and ends an active transfer; going to the default session
   * also re-enables communication (0x28) and DTC setting (0x85).
   */
  changeSession(to: number, reason: SessionChangeReason): void {
    const from = this.sessions.session;
    this.security.lock();
    this.transfer.abort();
    if (to === SESSION.default) {
      this.communication = ALL_ENABLED;
      this.dtcSettingOn = true;
    }
    this.sessions.set(to);
    this.logger.debug('session change', { from, to, reason });
    this.events.emit('session', { from, to, reason });
  }

  /**
   * Performs a reset (ISO 14229-1:2020 10.3.1, after the 0x51 response went out): the ECU is unavailable
   * for `resetDurationMs`, then in the default session, locked, with no transfer and RAM cleared, running
   * the program its bootloader chooses (boot-manager.ts).
   */
  reset(resetType: number): void {
    this.logger.info('reset', { resetType });
    this.events.emit('reset', { resetType });
    this.restart('reset', this.config.resetDurationMs);
  }

  /**
   * Power off and on: like a hardReset (ISO 14229-1:2020 10.3.2: it simulates the power-on sequence),
   * and the RAM that survives a reset is lost too (programming request, flash driver). Flash and NV stay.
   * Work in progress (an erase, a block being programmed) stops where it is and is not answered.
   */
  powerCycle(): void {
    this.boot.powerLost();
    this.logger.info('power cycle');
    this.events.emit('reset', { resetType: 0x01 });
    this.restart('power-on', this.config.resetDurationMs);
  }

  /**
   * 10 02 in the application of an ECU with a bootloader: sets the programming request and resets into
   * the bootloader, which runs after `bootloader.jumpTimeMs` (unavailable meanwhile). Resolves once it
   * runs; rejects (NrcError) if power was lost first.
   */
  jumpToBootloader(): Promise<void> {
    const ms = timingValue(this.config.timingProfile, this.config.bootloader?.jumpTimeMs, 'jumpTimeMs');
    return this.boot.jump(() => this.restart('jump', ms));
  }

  /** Clears what a reset clears, stays unavailable for `unavailableMs`, then lets the bootloader start. */
  private restart(cause: RestartCause, unavailableMs: number): void {
    this.isAvailable = false;
    const from = this.sessions.session;
    this.transfer.abort();
    this.security.onReset();
    this.communication = ALL_ENABLED;
    this.dtcSettingOn = true;
    this.routines.clearState();
    this.programmingLog.clear();
    this.boot.stopped();
    for (const r of this.memoryMap.regionsOfKind('ram')) this.memory.discard(r.start, r.size);
    this.sessions.set(SESSION.default);
    if (from !== SESSION.default) this.events.emit('session', { from, to: SESSION.default, reason: 'reset' });
    const ready = (): void => {
      this.resetTimer = undefined;
      this.boot.start(cause);
      this.isAvailable = true;
      this.events.emit('ready');
    };
    this.clock.clearTimeout(this.resetTimer);
    if (unavailableMs > 0) this.resetTimer = this.clock.setTimeout(ready, unavailableMs);
    else ready();
  }

  /** A snapshot of the observable state. */
  snapshot(): EcuStateSnapshot {
    const sec = this.security.snapshot();
    const transfer = this.transfer.progress;
    return {
      session: this.sessions.session,
      securityLevel: sec.level,
      securityFailedAttempts: sec.failedAttempts,
      securityDelayRemainingMs: sec.delayRemainingMs,
      available: this.isAvailable,
      ...(transfer ? { transfer } : {}),
      communicationControl: this.communication,
      dtcSettingOn: this.dtcSettingOn,
      vehicle: { ...this.vehicle },
      memoryUsedBytes: this.memory.usedBytes,
      periodic: this.periodic.list(),
      timing: this.timing.active,
      linkControl: this.linkControl.snapshot(),
      mode: this.boot.mode,
      appValid: this.boot.appValid,
    };
  }

  /**
   * Makes every change of the non-RAM memory durable in the state directory (no-op without one); a failed
   * write is NRC 0x72. Awaited before the 37 response, after RoutineControl (erase) and by Vehicle.stop.
   */
  flushPersistence(): Promise<void> {
    return flushFlashForUds(this.persistence);
  }

  /** Stops every timer (and writes back pending flash changes to the state directory). */
  close(): void {
    closeFlashStore(this.persistence, this.logger);
    this.sessions.stop();
    this.periodic.close();
    this.roe.close();
    this.clock.clearTimeout(this.resetTimer);
    this.resetTimer = undefined;
  }
}
