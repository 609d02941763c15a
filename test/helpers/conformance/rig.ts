/**
 * A rig: one simulated ECU and a tester endpoint, over the in-memory bus with a FakeClock
 * ({@link MemoryRig}) or over DoIP on 127.0.0.1 (doip-rig.ts). `exchange()` sends one request and
 * returns exactly the responses it got: a `3E 00` marker follows the request, and once the ECU has
 * answered the marker, every earlier response belongs to the request (the ECU serves in order).
 */
import { FakeClock } from '../../../src/core/clock.js';
import { toHex } from '../../../src/core/hex.js';
import { MemoryBus, type MemoryLink } from '../../../src/core/memory-link.js';
import type { EcuConfig } from '../../../src/ecu/config.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import type { Expected, OracleState } from './oracle.js';
import { conformanceRandom } from './probes/types.js';

/** Tester address of every rig (ISO 13400-2 tester range). */
export const RIG_TESTER = 0x0e00;
/** The follow-up request that proves the ECU finished the one before (physical, always answered). */
export const MARKER = Uint8Array.of(0x3e, 0x00);

/** One request of a state's setup and what it must get. */
export interface SetupStep {
  readonly request: Uint8Array;
  readonly expected: Expected;
}

/** Compares observed responses (hex) with an expectation; returns a problem or undefined. */
export function mismatch(expected: Expected, sid: number, got: readonly string[]): string | undefined {
  if (expected.kind === 'silence') return got.length === 0 ? undefined : 'expected silence';
  const pending = `7F ${toHex([sid])} 78`;
  const followUps = expected.kind === 'positive' ? (expected.followUps ?? []).map((f) => toHex(f)) : [];
  const tail = got.slice(got.length - followUps.length);
  if (got.length < followUps.length || tail.some((t, i) => t !== followUps[i])) return `expected ${followUps.join(' | ')} after the response`;
  const head = got.slice(0, got.length - followUps.length);
  const finals = head.filter((r) => r !== pending);
  if (finals.length !== 1) return `expected one final response, got ${finals.length}`;
  if (head.at(-1) !== finals[0]) return 'the final response is not the last one';
  if (expected.pending !== head.length > 1) return expected.pending ? 'expected 0x78 before the final response' : 'unexpected 0x78';
  const final = finals[0] as string;
  if (expected.kind === 'nrc') {
    const want = `7F ${toHex([sid, expected.nrc])}`;
    return final === want ? undefined : `expected ${want}`;
  }
  const want = toHex(expected.response);
  if (expected.exact ? final !== want : !final.startsWith(want)) return `expected ${want}${expected.exact ? '' : ' ...'}`;
  return undefined;
}

/** What every rig offers. */
export abstract class Rig {
  /** The ECU under test. */
  abstract readonly ecu: SimulatedEcu;
  /** Largest message of the ECU's link (for 74/75 expectations). */
  abstract readonly linkMax: number;
  /** How long (ms) to wait for the answer to a request that may reset the ECU (no marker can follow it). */
  protected abstract readonly resetGraceMs: number;
  /** Faults the ECU reported (a handler threw something that is not an NRC). */
  readonly faults: unknown[] = [];
  /** Every response the tester received, as hex. */
  protected readonly received: string[] = [];
  private requests = 0;
  private responses = 0;
  private resetsStarted = 0;
  private markerRequest = -1;
  private markerAnswered = false;

  /** Call once `ecu` exists: counts the ECU's requests and responses. */
  protected track(ecu: SimulatedEcu): void {
    ecu.events.on('fault', (f) => this.faults.push(f.error));
    ecu.events.on('request', () => {
      this.requests++;
    });
    ecu.events.on('reset', () => {
      this.resetsStarted++;
    });
    ecu.events.on('response', () => {
      this.responses++;
      if (this.requests === this.markerRequest) this.markerAnswered = true;
    });
  }

  /** Sends `data` to the ECU (physical) or to its functional address. */
  protected abstract transmit(data: Uint8Array, functional: boolean): Promise<void>;
  /**
   * Lets the ECU work until `done()` holds, for at most `maxMs` (ms; the rig's bound when absent).
   * `maxMs` 0 only lets pending work run without letting time pass.
   */
  protected abstract settle(done: () => boolean, maxMs?: number): Promise<void>;

  /** The state the ECU reports (session, security level). */
  state(): OracleState {
    const s = this.ecu.state;
    return { session: s.session, securityLevel: s.securityLevel };
  }

  /**
   * Sends `request` and returns its responses (hex). With `resets` the request may reset the ECU, so
   * no marker follows: the ECU is given a moment and whatever arrived is returned.
   */
  async exchange(request: Uint8Array, functional: boolean, resets = false): Promise<string[]> {
    const rx0 = this.received.length;
    const sent0 = this.responses;
    const req0 = this.requests;
    const resets0 = this.resetsStarted;
    await this.transmit(request, functional);
    if (resets) {
      // Done once the ECU answered or started its reset (a suppressed positive response), and the tester has it all.
      await this.settle(
        () => (this.responses > sent0 || this.resetsStarted > resets0) && this.received.length - rx0 >= this.responses - sent0,
        this.resetGraceMs,
      );
      return this.received.slice(rx0);
    }
    this.markerRequest = req0 + 2;
    this.markerAnswered = false;
    await this.transmit(MARKER, false);
    await this.settle(() => this.markerAnswered && this.received.length - rx0 >= this.responses - sent0);
    this.markerRequest = -1;
    if (!this.markerAnswered) throw new Error(`no answer to the 3E 00 marker after ${toHex(request)}: the ECU stopped serving`);
    return this.received.slice(rx0, this.received.length - 1);
  }

  /** Runs the setup steps of a state; throws with the details when one is not answered as expected. */
  async enter(steps: readonly SetupStep[], mismatchOf: typeof mismatch = mismatch): Promise<void> {
    for (const step of steps) {
      const got = await this.exchange(step.request, false);
      const problem = mismatchOf(step.expected, step.request[0] as number, got);
      if (problem) throw new Error(`setup ${toHex(step.request)}: ${problem}, got [${got.join(' | ')}]`);
    }
  }

  /** Stops the ECU (and the transport). */
  abstract close(): Promise<void>;
}

/** Options of a {@link MemoryRig}. */
export interface MemoryRigOptions {
  /** Bound of fake time one exchange may take (ms). Default 120000. */
  readonly maxFakeMs?: number;
  /** Changes the ECU before it serves (e.g. a broken handler, to prove the suite notices). */
  readonly customize?: (ecu: SimulatedEcu) => void;
}

/** A rig on the in-memory bus with a FakeClock: nothing sleeps, fake time moves only for slow handlers. */
export class MemoryRig extends Rig {
  readonly clock = new FakeClock();
  readonly ecu: SimulatedEcu;
  readonly linkMax: number;
  protected readonly resetGraceMs = 0;
  private readonly tester: MemoryLink;
  private readonly functionalAddress: number;

  constructor(
    config: EcuConfig,
    private readonly options: MemoryRigOptions = {},
  ) {
    super();
    const bus = new MemoryBus();
    this.tester = bus.attach(RIG_TESTER);
    this.functionalAddress = config.functionalAddresses[0] ?? 0xe400;
    const link = bus.attach(config.address, { functionalAddresses: config.functionalAddresses });
    this.linkMax = link.maxMessageSize;
    this.ecu = new SimulatedEcu(config, { clock: this.clock, random: conformanceRandom });
    options.customize?.(this.ecu);
    this.ecu.attach(link);
    this.track(this.ecu);
    this.tester.events.on('message', (m) => this.received.push(toHex(m.data)));
  }

  /** A rig whose ECU is past its power-on security delay (requestSeed is accepted at once). */
  static async create(config: EcuConfig, options: MemoryRigOptions = {}): Promise<MemoryRig> {
    const rig = new MemoryRig(config, options);
    if (config.security.powerOnDelayMs > 0) await rig.clock.advance(config.security.powerOnDelayMs);
    return rig;
  }

  protected transmit(data: Uint8Array, functional: boolean): Promise<void> {
    return this.tester.send(
      functional ? { target: this.functionalAddress, data, addressing: 'functional' } : { target: this.ecu.address, data, addressing: 'physical' },
    );
  }

  protected async settle(done: () => boolean, maxMs = this.options.maxFakeMs ?? 120_000): Promise<void> {
    // Most requests are served within a few hundred microtask turns: cheaper than a clock flush.
    for (let i = 0; i < 400; i++) {
      await Promise.resolve();
      if (done()) return;
    }
    // Three flushes without moving time serve every request that needs no timer.
    for (let i = 0; i < 3; i++) {
      await this.clock.advance(0);
      if (done()) return;
    }
    // A handler that sleeps (erase, data routines with durationMs): 5 ms steps first, then 100 ms.
    const start = this.clock.now();
    while (!done() && this.clock.now() - start < maxMs) {
      await this.clock.advance(this.clock.now() - start < 2000 ? 5 : 100);
    }
  }

  async close(): Promise<void> {
    this.ecu.close();
    await this.tester.close();
  }
}
