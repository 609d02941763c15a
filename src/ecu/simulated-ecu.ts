/**
 * A simulated UDS ECU: the ECU model ({@link EcuRuntime}) wired to a generic {@link UdsServer} with the
 * default service table and handlers, served on any number of links.
 *
 * ```ts
 * const { tester, ecu: ecuLink } = createMemoryLinkPair(0x0e00, 0x1010);
 * const ecu = new SimulatedEcu({ address: 0x1010 });
 * ecu.attach(ecuLink);
 * await tester.send({ target: 0x1010, data: Uint8Array.of(0x10, 0x03) }); // -> 50 03 00 32 01 F4
 * ```
 */
import { randomBytes } from 'node:crypto';
import { systemClock, type Clock } from '../core/clock.js';
import { TypedEmitter } from '../core/events.js';
import { hexNum } from '../core/hex.js';
import type { UdsLink, UdsMessage } from '../core/link.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { ServiceHandler } from '../uds/server/handler.js';
import type { ServiceRule } from '../uds/server/service-table.js';
import { UdsServer, type ReplyFn } from '../uds/server/uds-server.js';
import { parseEcuConfig, type EcuConfig, type EcuConfigInput, type VehicleState } from './config.js';
import type { DidDefinition } from './did-store.js';
import type { EcuEvents, EcuStateSnapshot } from './ecu-events.js';
import type { BootState } from './boot-manager.js';
import { EcuRuntime } from './ecu-runtime.js';
import { DEFAULT_HANDLERS } from './handlers/index.js';
import type { RoutineDefinition } from './routines/routine-registry.js';
import { profileServiceTable, type EcuMode } from './profile-service-table.js';
import type { SparseMemory } from './sparse-memory.js';
import { FileNvStore } from './persistence/file-nv-store.js';
import { ecuStateDirectory } from './state-dir.js';

/** Options of a {@link SimulatedEcu}. */
export interface SimulatedEcuOptions {
  /** Time source of every timer (S3, P2/0x78, security delay, reset, erase). Default `systemClock`. */
  readonly clock?: Clock;
  /** Default `silentLogger`. */
  readonly logger?: Logger;
  /** Source of random seed bytes. Default `crypto.randomBytes`. */
  readonly random?: (n: number) => Uint8Array;
  /**
   * State directory: what survives a restart lives in `<stateDir>/<address as 4 hex digits>/` (state-dir.ts):
   * `nvm.json` (flags, security counters, written DIDs), `flash/` (non-RAM memory), `files/` (0x38 file
   * area). A state that cannot be used throws a ConfigError here. Default: none, everything in memory.
   */
  readonly stateDir?: string;
}

/**
 * A hook in front of the server (fault injection, src/vehicle/fault-injector.ts): it sees every request
 * from an attached link or {@link SimulatedEcu.handle} and calls `next` to have one served (this one or
 * another in its place, with `reply` or a wrapper of it); not calling `next` drops the request.
 */
export type RequestInterceptor = (message: UdsMessage, reply: ReplyFn, next: (message: UdsMessage, reply: ReplyFn) => Promise<void>) => Promise<void>;

/** Tester addresses (spec/README.md; ISO 13400-2:2019 logical addresses: 0x0E00-0x0FFF are external test equipment). */
const TESTER_RANGE = { min: 0x0e00, max: 0x0fff } as const;

/** A simulated ECU serving UDS requests on links. */
export class SimulatedEcu {
  /** Logical address (physical requests to it are served). */
  readonly address: number;
  /** Name from the profile. */
  readonly name: string;
  /** The parsed profile. */
  readonly config: EcuConfig;
  /** request, response, session, security, reset, ready, transfer, fault. */
  readonly events = new TypedEmitter<EcuEvents>();
  /** The ECU's memory (sparse 4 GiB address space). */
  readonly memory: SparseMemory;
  /** The ECU model the handlers work on (for custom handlers and routines). */
  readonly model: EcuRuntime;
  /** Optional hook that sees each request before the server (fault injection); undefined = none. */
  requestInterceptor: RequestInterceptor | undefined;
  private readonly server: UdsServer<EcuRuntime>;
  private readonly detachers = new Set<() => void>();
  private readonly table: Map<number, ServiceRule>;
  /** Services added with registerService (and their rule), re-applied when the mode changes the table. */
  private readonly registered = new Map<number, ServiceRule | undefined>();
  /** Requests the ECU runs for itself (ResponseOnEvent): they do not restart S3. */
  private readonly internal = new WeakSet<UdsMessage>();

  constructor(config: EcuConfigInput | EcuConfig, options: SimulatedEcuOptions = {}) {
    this.config = parseEcuConfig(config);
    this.address = this.config.address;
    this.name = this.config.name;
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    if (this.address >= TESTER_RANGE.min && this.address <= TESTER_RANGE.max) {
      logger.warn(`ECU "${this.name}" uses ${hexNum(this.address)}, an address of the tester range 0x0E00-0x0FFF`);
    }
    this.model = new EcuRuntime(this.config, {
      clock,
      logger,
      random: options.random ?? ((n) => new Uint8Array(randomBytes(n))),
      events: this.events,
      // With a state directory: NV (flags, counters, DIDs) in <stateDir>/<address>/nvm.json, flash beside it.
      ...(options.stateDir !== undefined ? { stateDir: options.stateDir, nv: FileNvStore.open(ecuStateDirectory(options.stateDir, this.address)) } : {}),
    });
    this.memory = this.model.memory;
    const functional = new Set(this.config.functionalAddresses);
    // The service set of the program running: the bootloader's in boot mode (boot-manager.ts).
    this.table = profileServiceTable(this.config, this.model.boot.mode);
    this.events.on('mode', (m) => this.applyMode(m.to));
    this.server = new UdsServer<EcuRuntime>({
      env: this.model,
      table: this.table,
      state: () => this.model.access(),
      // The P2/P2* in force: the session's defaults, or values set by 0x83 (AccessTiming).
      timing: () => this.model.timing.active,
      clock,
      logger,
      maxResponseLength: this.config.maxResponseLength,
      accepts: (m) => (m.addressing === 'functional' ? functional.has(m.target) : m.target === this.address),
      available: () => this.model.available,
      onRequestStart: (m) => {
        if (!this.internal.has(m)) this.model.sessions.requestStarted();
      },
      onRequestEnd: (m) => {
        if (!this.internal.has(m)) this.model.sessions.requestEnded();
      },
    });
    for (const [sid, handler] of DEFAULT_HANDLERS) this.server.register(sid, handler);
    this.server.events.on('request', (m) => this.events.emit('request', m));
    this.server.events.on('response', (r) => this.events.emit('response', r));
    this.server.events.on('fault', (f) => this.events.emit('fault', f));
    this.model.roe.setExecutor((request, requester) => this.executeInternal(request, requester));
  }

  /** False while a reset is in progress (requests are then dropped, as a powered-off ECU would). */
  get available(): boolean {
    return this.model.available;
  }

  /** Session, security, transfer, CommunicationControl, DTC setting and vehicle state now. */
  get state(): EcuStateSnapshot {
    return this.model.snapshot();
  }

  /**
   * Serves every request arriving on `link` that is addressed physically to this ECU or to one of its
   * functional addresses; answers on the same link. Several links may be attached. Returns detach.
   */
  attach(link: UdsLink): () => void {
    const limits = { maxResponseLength: link.maxMessageSize, maxRequestLength: link.maxMessageSize };
    const off = link.events.on('message', (m) => void this.handle(m, (data) => link.send({ target: m.source, data, addressing: 'physical' }), limits));
    const detach = (): void => {
      off();
      this.detachers.delete(detach);
    };
    this.detachers.add(detach);
    return detach;
  }

  /** Serves one request delivered by other means (e.g. a gateway); `reply` sends one response. */
  handle(message: UdsMessage, reply: ReplyFn, limits?: { maxResponseLength?: number; maxRequestLength?: number }): Promise<void> {
    // A request the ECU received before a power loss is never answered after it (powerCycle).
    const generation = this.model.boot.powerGeneration;
    const live: ReplyFn = (data) => (this.model.boot.powerGeneration === generation ? reply(data) : Promise.resolve());
    const intercept = this.requestInterceptor;
    if (intercept) return intercept(message, live, (m, r) => this.server.handle(m, r, limits));
    return this.server.handle(message, live, limits);
  }

  /**
   * Power off and on: RAM, session, security, transfer, programming request and flash driver are lost,
   * flash and NV memory stay; unavailable for `resetDurationMs`, then the bootloader decides the mode
   * again. Work in progress stops (an erase leaves the sectors erased so far) and is not answered.
   */
  powerCycle(): void {
    this.model.powerCycle();
  }

  /** The bootloader's state: mode, app-valid flag, programming request, flash driver, active bank. */
  get bootState(): BootState {
    return this.model.boot.state();
  }

  /** Changes the simulated vehicle conditions (voltage, ignition, speed, engine). */
  setVehicleState(patch: Partial<VehicleState>): void {
    this.model.setVehicleState(patch);
  }

  /**
   * Runs `request` through the dispatcher (order of checks, handler) as if the tester of `requester` had
   * sent it, and resolves with the final response (ResponseOnEvent serviceToRespondTo, ISO 14229-1:2020
   * 10.9.1). Undefined when nothing was answered (ECU unavailable, SPRMIB).
   */
  private async executeInternal(request: Uint8Array, requester: UdsMessage): Promise<Uint8Array | undefined> {
    const message: UdsMessage = { source: requester.source, target: this.address, addressing: 'physical', data: request };
    this.internal.add(message);
    let final: Uint8Array | undefined;
    await this.server.handle(message, (data) => {
      // 7F SID 78 (response pending) is not the answer; the final response follows it.
      if (!(data[0] === 0x7f && data[2] === 0x78)) final = data;
      return Promise.resolve();
    });
    return final;
  }

  /**
   * Adds or replaces the handler of `sid`. `rule` (sessions, security, sub-functions, minimum length)
   * enters the service table; without it an existing rule is kept, or the SID is allowed everywhere.
   */
  registerService(sid: number, handler: ServiceHandler<EcuRuntime>, rule?: ServiceRule): void {
    this.table.set(sid, rule ?? this.table.get(sid) ?? {});
    this.registered.set(sid, rule);
    this.server.register(sid, handler);
  }

  /**
   * The handler serving `sid` now (built-in or registered), e.g. to wrap it:
   * `const builtIn = ecu.handlerOf(0x27)!; ecu.registerService(0x27, (ctx) => { ...; return builtIn(ctx); })`.
   */
  handlerOf(sid: number): ServiceHandler<EcuRuntime> | undefined {
    return this.server.handlerOf(sid);
  }

  /** Adds or replaces a RoutineControl (0x31) routine. */
  registerRoutine(def: RoutineDefinition): void {
    this.model.routines.define(def);
  }

  /** Adds or replaces a DID (0x22 / 0x2E). */
  defineDid(def: DidDefinition): void {
    this.model.dids.define(def);
  }

  /** Serves the service set of `mode` (the content of the table the server reads), with the registered services. */
  private applyMode(mode: EcuMode): void {
    this.table.clear();
    for (const [sid, rule] of profileServiceTable(this.config, mode)) this.table.set(sid, rule);
    for (const [sid, rule] of this.registered) this.table.set(sid, rule ?? this.table.get(sid) ?? {});
  }

  /** Stops every timer and stops serving. */
  close(): void {
    for (const detach of [...this.detachers]) detach();
    this.server.close();
    this.model.close();
  }
}
