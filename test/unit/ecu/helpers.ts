/**
 * Test harness: a SimulatedEcu on an in-memory bus with a tester endpoint, a FakeClock and a
 * deterministic seed source. `req('10 03')` sends a request and returns every response (hex) that
 * arrived before the (fake) time stopped.
 */
import { FakeClock } from '../../../src/core/clock.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import type { Logger } from '../../../src/core/logger.js';
import { MemoryBus, type MemoryLink } from '../../../src/core/memory-link.js';
import type { EcuConfigInput } from '../../../src/ecu/config.js';
import { SimulatedEcu } from '../../../src/ecu/simulated-ecu.js';
import { getSecurityAlgorithm } from '../../../src/uds/security/algorithms.js';

/** Tester address used by every test. */
export const TESTER = 0x0e00;
/** ECU address used by every test. */
export const ECU = 0x1010;
/** Functional address. */
export const FUNCTIONAL = 0xe400;

/** A deterministic seed source: 11 22 33 44, then 12 23 34 45 ... */
export function countingRandom(): (n: number) => Uint8Array {
  let k = 0;
  return (n) => {
    const out = Uint8Array.from({ length: n }, (_, i) => (0x11 * (i + 1) + k) & 0xff);
    k++;
    return out;
  };
}

/** The harness. */
export interface Harness {
  clock: FakeClock;
  ecu: SimulatedEcu;
  tester: MemoryLink;
  /** Every response the tester received, as hex. */
  received: string[];
  /** Sends `hex` (physical unless `functional`), lets the ECU run (advancing `advanceMs`), returns the new responses. */
  req(hex: string, opts?: { functional?: boolean; advanceMs?: number }): Promise<string[]>;
  /** Moves fake time forward and returns the responses that arrived meanwhile. */
  advance(ms: number): Promise<string[]>;
  /** Unlocks `level` with the configured algorithm; throws unless it worked. */
  unlock(level?: number, secret?: Uint8Array, algorithm?: string, keyLength?: number): Promise<void>;
}

/** Builds a harness around an ECU with `config` (address defaults to 0x1010). */
export function harness(config: Partial<EcuConfigInput> = {}, options: { logger?: Logger } = {}): Harness {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const tester = bus.attach(TESTER);
  const link = bus.attach(ECU, { functionalAddresses: [FUNCTIONAL] });
  const ecu = new SimulatedEcu({ address: ECU, ...config }, { clock, random: countingRandom(), logger: options.logger });
  ecu.attach(link);
  const received: string[] = [];
  tester.events.on('message', (m) => received.push(toHex(m.data)));

  const advance = async (ms: number): Promise<string[]> => {
    const start = received.length;
    await clock.advance(ms);
    return received.slice(start);
  };
  const req = async (hex: string, opts: { functional?: boolean; advanceMs?: number } = {}): Promise<string[]> => {
    const start = received.length;
    await tester.send({
      target: opts.functional ? FUNCTIONAL : ECU,
      data: fromHex(hex),
      addressing: opts.functional ? 'functional' : 'physical',
    });
    await clock.advance(opts.advanceMs ?? 0);
    return received.slice(start);
  };
  const unlock = async (level = 0x01, secret?: Uint8Array, algorithm?: string, keyLength?: number): Promise<void> => {
    const cfg = ecu.config.security.levels.find((l) => l.level === level);
    if (!cfg) throw new Error(`level ${level} not configured`);
    const [seedRsp] = await req(toHex([0x27, level]));
    if (!seedRsp?.startsWith(`67 ${toHex([level])}`)) throw new Error(`requestSeed failed: ${seedRsp}`);
    const seed = fromHex(seedRsp).slice(2);
    const key = getSecurityAlgorithm(algorithm ?? cfg.algorithm)(seed, level, secret ?? cfg.secret, {
      keyLength: keyLength ?? cfg.keyLength,
    });
    const [keyRsp] = await req(toHex([0x27, level + 1, ...key]));
    if (keyRsp !== toHex([0x67, level + 1])) throw new Error(`sendKey failed: ${keyRsp}`);
  };
  return { clock, ecu, tester, received, req, advance, unlock };
}

/** Enters the programming session and unlocks level 1. */
export async function programmingUnlocked(h: Harness): Promise<void> {
  const [rsp] = await h.req('10 02');
  if (!rsp?.startsWith('50 02')) throw new Error(`10 02 failed: ${rsp}`);
  await h.unlock(0x01);
}

/** A hex string of a big-endian u32. */
export function u32(v: number): string {
  return toHex([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]);
}
