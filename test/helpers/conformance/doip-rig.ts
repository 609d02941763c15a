/**
 * A conformance rig over real DoIP on 127.0.0.1: a {@link Vehicle} (gateway + the one ECU under test) on
 * an ephemeral port and a {@link DoipClient} tester. Integration tests only (real sockets, real time).
 */
import { toHex } from '../../../src/core/hex.js';
import { DoipClient } from '../../../src/doip/client.js';
import type { EcuConfig } from '../../../src/ecu/config.js';
import type { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { parseVehicleConfig, type VehicleConfig } from '../../../src/vehicle/config.js';
import { Vehicle } from '../../../src/vehicle/vehicle.js';
import { conformanceRandom } from './probes/types.js';
import { Rig, RIG_TESTER } from './rig.js';

/** The gateway's logical address, unless the ECU uses it. */
const GATEWAY = 0x1000;

/** A vehicle file holding only `config` behind a gateway that listens on its functional address. */
function vehicleOf(config: EcuConfig): VehicleConfig {
  const base = parseVehicleConfig({
    name: 'conformance',
    doip: {
      logicalAddress: config.address === GATEWAY ? 0x1001 : GATEWAY,
      host: '127.0.0.1',
      port: 0,
      functionalAddress: config.functionalAddresses[0] ?? 0xe400,
    },
    ecus: [{ address: config.address }],
  });
  return { ...base, ecus: [config] };
}

/** Options of a {@link DoipRig}. */
export interface DoipRigOptions {
  /** Longest wait (ms) for one exchange. Default 3000. */
  readonly timeoutMs?: number;
}

/** A rig over DoIP with the system clock. */
export class DoipRig extends Rig {
  readonly linkMax: number;
  protected readonly resetGraceMs = 1000;

  private constructor(
    private readonly vehicle: Vehicle,
    private readonly client: DoipClient,
    readonly ecu: SimulatedEcu,
    private readonly functionalAddress: number,
    private readonly options: DoipRigOptions,
  ) {
    super();
    // The ECU's side of the gateway carries up to 4 GiB - 1 minus the diagnostic message header.
    this.linkMax = 0xffffffff - 4;
    this.track(ecu);
    client.events.on('message', (m) => this.received.push(toHex(m.data)));
  }

  /** Starts a vehicle with `config` on 127.0.0.1 (any free port, no UDP) and connects a tester. */
  static async create(config: EcuConfig, options: DoipRigOptions = {}): Promise<DoipRig> {
    // The power-on security delay would run on the system clock here: the DoIP sample leaves it out.
    if (config.security.powerOnDelayMs > 0) throw new Error('DoipRig: set security.powerOnDelayMs to 0 (the in-memory rig covers it)');
    const vehicleConfig = vehicleOf(config);
    const vehicle = await Vehicle.start(vehicleConfig, { host: '127.0.0.1', port: 0, udpPort: null, random: conformanceRandom });
    const ecu = vehicle.ecus[0];
    if (!ecu) throw new Error('the vehicle has no ECU');
    try {
      const client = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress: RIG_TESTER });
      const rig = new DoipRig(vehicle, client, ecu, vehicleConfig.doip.functionalAddress, options);
      return rig;
    } catch (e) {
      await vehicle.stop();
      throw e;
    }
  }

  protected transmit(data: Uint8Array, functional: boolean): Promise<void> {
    return this.client.send(
      functional ? { target: this.functionalAddress, data, addressing: 'functional' } : { target: this.ecu.address, data, addressing: 'physical' },
    );
  }

  /** Resolves once `done()` holds, re-checked on every message the tester gets and every ECU response/reset. */
  protected settle(done: () => boolean, maxMs = this.options.timeoutMs ?? 3000): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const offs: (() => void)[] = [];
      const finish = (): void => {
        clearTimeout(timer);
        for (const off of offs) off();
        resolve();
      };
      const check = (): void => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, maxMs);
      offs.push(this.client.events.on('message', () => queueMicrotask(check)));
      offs.push(this.ecu.events.on('response', () => queueMicrotask(check)));
      offs.push(this.ecu.events.on('reset', () => queueMicrotask(check)));
    });
  }

  async close(): Promise<void> {
    await this.client.close();
    await this.vehicle.stop();
  }
}
