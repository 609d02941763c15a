/** Shared setup of the client and tester tests: a MemoryBus, a FakeClock, a scripted ECU, a client. */
import { FakeClock } from '../../../../src/core/clock.js';
import { MemoryBus, type MemoryLink } from '../../../../src/core/memory-link.js';
import { UdsClient } from '../../../../src/uds/client/uds-client.js';
import type { UdsClientOptions } from '../../../../src/uds/client/options.js';
import { ScriptedEcu } from './scripted-ecu.js';

/** Tester 0x0E00 and ECU 0x1010 (functional 0xE400) on one bus. */
export interface Setup {
  clock: FakeClock;
  bus: MemoryBus;
  testerLink: MemoryLink;
  ecu: ScriptedEcu;
  client: UdsClient;
}

/** Builds the standard setup; `options` override the client options. */
export function setup(options: Partial<UdsClientOptions> = {}): Setup {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const testerLink = bus.attach(0x0e00);
  const ecu = new ScriptedEcu(bus, 0x1010, clock);
  const client = new UdsClient(testerLink, { target: 0x1010, clock, ...options });
  return { clock, bus, testerLink, ecu, client };
}

/** Observes a promise without letting a rejection go unhandled. */
export function track<T>(p: Promise<T>): { readonly settled: boolean; readonly value: T | undefined; readonly error: unknown; done: Promise<void> } {
  const state = { settled: false, value: undefined as T | undefined, error: undefined as unknown, done: Promise.resolve() };
  state.done = p.then(
    (v) => {
      state.settled = true;
      state.value = v;
    },
    (e: unknown) => {
      state.settled = true;
      state.error = e;
    },
  );
  return state;
}
