/**
 * A running simulated vehicle: one DoIP entity (the gateway) and the simulated ECUs behind it.
 *
 * ```ts
 * const vehicle = await Vehicle.start(defaultVehicle, { port: 0 });
 * console.log(vehicle.tcpPort);
 * await vehicle.stop();
 * ```
 */
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import { DoipEntity } from '../doip/entity.js';
import { SimulatedEcu } from '../ecu/simulated-ecu.js';
import { lockStateDir, type StateDirLock } from '../ecu/persistence/state-dir-lock.js';
import type { VehicleConfig, VehicleConfigInput } from './config.js';
import { addressWarnings, parseVehicleConfig } from './config.js';
import { ControlServer } from './control-server.js';

/** Options that override the vehicle file when starting. */
export interface VehicleStartOptions {
  /** Address to listen on; default from the file (127.0.0.1). */
  host?: string;
  /** TCP port (0 = any free port); default from the file (13400). */
  port?: number;
  /** UDP port for vehicle identification (0 = any free port, null = no UDP); default: the TCP port, or any free port when `port` is 0. */
  udpPort?: number | null;
  clock?: Clock;
  logger?: Logger;
  /** Random bytes for seeds (tests inject a deterministic source). */
  random?: (n: number) => Uint8Array;
  /**
   * State directory: each ECU keeps what survives a restart (flash, NV flags / counters / DIDs, its 0x38
   * file area) in `<stateDir>/<address as 4 hex digits>/` (see `ecuStateDirectory`). Default: the file's
   * `stateDir`, else none: everything in memory.
   */
  stateDir?: string;
  /** Control API port (HTTP on loopback, docs/control-api.md; 0 = any free port); default the file's `control.port`, else off. */
  controlPort?: number;
  /** Control API address, 127.0.0.1 or ::1; default the file's `control.host` (127.0.0.1). */
  controlHost?: string;
}

/** A started vehicle. */
export class Vehicle {
  private controlServer: ControlServer | undefined;
  private stateDirectory: string | undefined;
  private stateLock: StateDirLock | undefined;

  private constructor(
    /** The validated configuration. */
    readonly config: VehicleConfig,
    /** The DoIP gateway. */
    readonly entity: DoipEntity,
    /** The ECUs, in file order. */
    readonly ecus: readonly SimulatedEcu[],
    /** Bound TCP port. */
    readonly tcpPort: number,
    /** Bound UDP port, or null without UDP. */
    readonly udpPort: number | null,
    /** Address the entity listens on. */
    readonly host: string,
    /** Address warnings (ISO 13400-2 ranges) found in the configuration. */
    readonly warnings: readonly string[],
  ) {}

  /** Validates `input`, builds the gateway and ECUs, and starts listening. */
  static async start(input: VehicleConfigInput | VehicleConfig, options: VehicleStartOptions = {}): Promise<Vehicle> {
    const config = parseVehicleConfig(input);
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    const stateDir = options.stateDir ?? config.stateDir;
    const host = options.host ?? config.doip.host;
    const port = options.port ?? config.doip.port;
    const udpPort = options.udpPort !== undefined ? options.udpPort : config.doip.udpPort !== undefined ? config.doip.udpPort : port;
    const ranges = config.doip.acceptedTesterAddresses;
    const entity = new DoipEntity({
      logicalAddress: config.doip.logicalAddress,
      vin: config.doip.vin,
      eid: config.doip.eid,
      gid: config.doip.gid,
      protocolVersion: config.doip.protocolVersion,
      host,
      tcpPort: port,
      udpPort,
      acceptedTesterAddresses: (a: number) => ranges.some((r) => a >= r.from && a <= r.to),
      functionalAddresses: [config.doip.functionalAddress],
      maxTcpSockets: config.doip.maxTcpSockets,
      initialInactivityMs: config.doip.initialInactivityMs,
      generalInactivityMs: config.doip.generalInactivityMs,
      aliveCheckTimeoutMs: config.doip.aliveCheckTimeoutMs,
      clock,
      logger,
    });
    // One simulator per state directory (persistence/state-dir-lock.ts); a killed one's stale lock is taken over.
    const lock = stateDir !== undefined ? lockStateDir(stateDir) : undefined;
    const ecus: SimulatedEcu[] = [];
    try {
      for (const ecuConfig of config.ecus) {
        const ecu = new SimulatedEcu(ecuConfig, {
          clock,
          logger,
          ...(options.random ? { random: options.random } : {}),
          // A state directory that cannot be used (or holds a corrupt state) throws a ConfigError here.
          ...(stateDir !== undefined ? { stateDir } : {}),
        });
        const link = entity.addNode(ecu.address, { isReachable: () => ecu.available });
        ecu.attach(link);
        ecus.push(ecu);
      }
    } catch (e) {
      for (const ecu of ecus) ecu.close();
      lock?.release();
      throw e;
    }
    let ports: { tcpPort: number; udpPort: number | null };
    try {
      // A state directory that cannot be used fails the start, not the first 0x38 request.
      for (const ecu of ecus) await ecu.model.fileTransfer.area.open();
      ports = await entity.start();
    } catch (e) {
      for (const ecu of ecus) ecu.close();
      lock?.release();
      throw e;
    }
    const vehicle = new Vehicle(config, entity, ecus, ports.tcpPort, ports.udpPort, host, addressWarnings(config));
    vehicle.stateDirectory = stateDir;
    vehicle.stateLock = lock;
    const controlPort = options.controlPort ?? config.control?.port;
    if (controlPort !== undefined) {
      try {
        vehicle.controlServer = await ControlServer.start(
          { name: config.name, ecus, dropTester: (_ecu, tester) => entity.closeTesterConnection(tester, 'dropped by a drop-connection fault (control API)') },
          { port: controlPort, host: options.controlHost ?? config.control?.host ?? '127.0.0.1', logger },
        );
      } catch (e) {
        await vehicle.stop();
        throw e;
      }
    }
    return vehicle;
  }

  /** The control API (its `url`, its `faults`), when started with a control port. */
  get control(): ControlServer | undefined {
    return this.controlServer;
  }

  /** The state directory in use (the start option, else the file's `stateDir`), or undefined: all in memory. */
  get stateDir(): string | undefined {
    return this.stateDirectory;
  }

  /** The ECU with logical address `address`, if any. */
  ecu(address: number): SimulatedEcu | undefined {
    return this.ecus.find((e) => e.address === address);
  }

  /** Stops the gateway and every ECU timer. Idempotent. */
  async stop(): Promise<void> {
    await this.controlServer?.close();
    await this.entity.stop();
    // Pending flash changes go to the state directory first (close() retries and logs a failure).
    await Promise.allSettled(this.ecus.map((ecu) => ecu.model.flushPersistence()));
    for (const ecu of this.ecus) ecu.close();
    this.stateLock?.release();
  }
}
