/**
 * Fault injection for a simulated vehicle (fault-spec.ts, docs/control-api.md "Faults"): a
 * {@link FaultInjector} installs a request interceptor on every ECU (`SimulatedEcu.requestInterceptor`)
 * and, for each request, lets the faults of that ECU look at it in the order they were added:
 *
 * - a fault counts the requests it matches; it fires on the Nth and the `count - 1` following ones;
 * - `drop-connection`, `nrc` and `power-loss` take the request (it is not processed) and faults added
 *   after them do not see it; `delay` only delays its responses and lets the request go on;
 * - only physical requests to an available ECU are looked at, and never the keep-alive `3E 80`
 *   (a tester sends it on its own schedule, so counting it would make N depend on timing).
 *
 * Fired faults are logged (info) and reported as `fired` events; spent faults stay listed until removed.
 *
 * ```ts
 * const faults = new FaultInjector({ ecus: vehicle.ecus, dropTester: (_ecu, t) => vehicle.entity.closeTesterConnection(t) });
 * faults.add({ type: 'nrc', ecu: 0x1010, sid: 0x36, nth: 3, nrc: 0x72 });
 * ```
 */
import { sleep } from '../core/clock.js';
import { TypedEmitter } from '../core/events.js';
import { hexNum, toHex } from '../core/hex.js';
import type { UdsMessage } from '../core/link.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { SimulatedEcu } from '../ecu/simulated-ecu.js';
import { encodeNegativeResponse } from '../uds/codec/negative-response.js';
import type { ReplyFn } from '../uds/server/uds-server.js';
import { resolveEcu } from './control-errors.js';
import type { FaultView } from './control-types.js';
import { eraseRequestRange, isTransferDataToFlash, powerCycleEcu, tornEraseRequest, tornProgrammingRequest } from './fault-power-loss.js';
import { describeFault, faultCount, faultStart, parseFaultSpec, type FaultSpec, type FaultSpecInput } from './fault-spec.js';

/** What a {@link FaultInjector} works on. */
export interface FaultTarget {
  /** The ECUs faults may name. */
  readonly ecus: readonly SimulatedEcu[];
  /** Closes the connection of tester `testerAddress` talking to `ecu` (the gateway's side); false when there is none. */
  dropTester(ecu: SimulatedEcu, testerAddress: number): boolean;
}

/** A fault fired. */
export interface FaultFiredEvent {
  readonly id: string;
  readonly type: FaultSpec['type'];
  /** Address of the ECU. */
  readonly ecu: number;
  /** The request it fired on, as hex (the first 16 bytes). */
  readonly request: string;
  /** Times it fired so far (this one included). */
  readonly fired: number;
  readonly description: string;
}

/** Events of a {@link FaultInjector}. */
export type FaultInjectorEvents = {
  /** A fault fired on a request. */
  fired: [FaultFiredEvent];
};

/** Options of a {@link FaultInjector}. */
export interface FaultInjectorOptions {
  /** Where fired faults are logged (info). Default `silentLogger`. */
  readonly logger?: Logger;
}

interface ActiveFault {
  readonly id: string;
  readonly spec: FaultSpec;
  readonly ecu: SimulatedEcu;
  readonly description: string;
  seen: number;
  fired: number;
}

type Next = (message: UdsMessage, reply: ReplyFn) => Promise<void>;

/** ISO 14229-1:2020 10.7 — TesterPresent with the suppress-positive-response bit: a tester's keep-alive. */
function isKeepAlive(data: Uint8Array): boolean {
  return data[0] === 0x3e && data[1] === 0x80;
}

/** Injects faults into the requests of a vehicle's ECUs. */
export class FaultInjector {
  /** `fired` when a fault fires. */
  readonly events = new TypedEmitter<FaultInjectorEvents>();
  private readonly faults: ActiveFault[] = [];
  private readonly logger: Logger;
  private nextId = 1;
  private disposed = false;

  /** Installs the interceptor on every ECU of `target` (replacing any other interceptor). */
  constructor(
    private readonly target: FaultTarget,
    options: FaultInjectorOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    for (const ecu of target.ecus) {
      ecu.requestInterceptor = (message, reply, next) => this.intercept(ecu, message, reply, next);
    }
  }

  /** Validates and adds a fault; throws `InvalidArgumentError` (bad field) or `UnknownEcuError`. */
  add(input: FaultSpecInput | FaultSpec): FaultView {
    const spec = parseFaultSpec(input);
    const ecu = resolveEcu(this.target.ecus, spec.ecu);
    const fault: ActiveFault = {
      id: `f${this.nextId++}`,
      spec,
      ecu,
      description: describeFault(spec, `${hexNum(ecu.address)} ${ecu.name}`),
      seen: 0,
      fired: 0,
    };
    this.faults.push(fault);
    this.logger.info('fault added', { id: fault.id, fault: fault.description });
    return view(fault);
  }

  /** Every fault, spent ones included, in the order added. */
  list(): FaultView[] {
    return this.faults.map(view);
  }

  /** The fault with `id`, if any. */
  get(id: string): FaultView | undefined {
    const f = this.faults.find((x) => x.id === id);
    return f ? view(f) : undefined;
  }

  /** Removes the fault `id`; returns it, or undefined when there was none. */
  remove(id: string): FaultView | undefined {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i < 0) return undefined;
    const [f] = this.faults.splice(i, 1);
    return f ? view(f) : undefined;
  }

  /** Removes every fault; returns how many there were. */
  clear(): number {
    return this.faults.splice(0).length;
  }

  /** Removes every fault and the interceptors this injector installed. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clear();
    for (const ecu of this.target.ecus) ecu.requestInterceptor = undefined;
  }

  private intercept(ecu: SimulatedEcu, message: UdsMessage, reply: ReplyFn, next: Next): Promise<void> {
    if (this.faults.length === 0 || message.addressing !== 'physical' || !ecu.available || isKeepAlive(message.data)) {
      return next(message, reply);
    }
    let answer = reply;
    for (const f of this.faults) {
      if (f.ecu !== ecu || !matches(f.spec, ecu, message.data)) continue;
      f.seen++;
      const limit = faultCount(f.spec);
      const start = faultStart(f.spec);
      if (f.seen < start || (limit !== null && f.fired >= limit)) continue;
      this.fire(f, message);
      const spec = f.spec;
      switch (spec.type) {
        case 'delay':
          answer = delayed(answer, ecu, spec.ms);
          break;
        case 'drop-connection':
          if (!this.target.dropTester(ecu, message.source)) {
            this.logger.warn('fault: no connection to drop for the tester', { id: f.id, tester: hexNum(message.source) });
          }
          return Promise.resolve();
        case 'nrc':
          // ISO 14229-1:2020 8.3 — a negative response is 7F, the request's SID, the NRC.
          return reply(encodeNegativeResponse(message.data[0] as number, spec.nrc)).catch((e: unknown) =>
            this.logger.warn('fault: could not send the injected NRC', { id: f.id, error: String(e) }),
          );
        case 'power-loss':
          return this.losePower(ecu, message, next, spec.during);
      }
    }
    return next(message, answer);
  }

  /** Does the part of the request done before the power failed, answers nothing, and powers the ECU up again. */
  private async losePower(ecu: SimulatedEcu, message: UdsMessage, next: Next, during: 'erase' | 'programming'): Promise<void> {
    const torn = during === 'erase' ? tornEraseRequest(ecu, message.data) : tornProgrammingRequest(ecu, message.data);
    // No answer: the ECU lost power before it could send one (0x78 included).
    if (torn) await next({ ...message, data: torn }, () => Promise.resolve());
    powerCycleEcu(ecu);
  }

  private fire(f: ActiveFault, message: UdsMessage): void {
    f.fired++;
    const event: FaultFiredEvent = {
      id: f.id,
      type: f.spec.type,
      ecu: f.ecu.address,
      request: toHex(message.data.subarray(0, 16)) + (message.data.length > 16 ? ' ...' : ''),
      fired: f.fired,
      description: f.description,
    };
    this.logger.info('fault fired', { id: f.id, fault: f.description, request: event.request });
    this.events.emit('fired', event);
  }
}

/** Whether `spec` counts request `data` to `ecu`. */
function matches(spec: FaultSpec, ecu: SimulatedEcu, data: Uint8Array): boolean {
  switch (spec.type) {
    case 'drop-connection':
      return data[0] === 0x36;
    case 'nrc':
      return spec.sid === undefined || data[0] === spec.sid;
    case 'delay':
      return true;
    case 'power-loss':
      return spec.during === 'erase' ? eraseRequestRange(ecu, data) !== undefined : isTransferDataToFlash(ecu, data);
  }
}

/** `reply`, sending each response `ms` later on the ECU's clock. */
function delayed(reply: ReplyFn, ecu: SimulatedEcu, ms: number): ReplyFn {
  return async (data) => {
    await sleep(ecu.model.clock, ms);
    await reply(data);
  };
}

function view(f: ActiveFault): FaultView {
  const limit = faultCount(f.spec);
  return {
    ...f.spec,
    id: f.id,
    ecuAddress: f.ecu.address,
    seen: f.seen,
    fired: f.fired,
    remaining: limit === null ? null : Math.max(0, limit - f.fired),
    description: f.description,
  };
}
