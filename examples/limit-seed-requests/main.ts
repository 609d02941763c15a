/**
 * Replace a built-in service handler with your own: this ECU answers at most three requestSeed
 * (27 odd) per diagnostic session; the fourth gets NRC 0x22 conditionsNotCorrect until the next session
 * transition. Everything else (sendKey, the attempt counter, the delay) stays the built-in handler's.
 *
 *   npx tsx examples/limit-seed-requests/main.ts
 */
import { pathToFileURL } from 'node:url';
import { MemoryBus, NRC, NegativeResponseError, NrcError, SimulatedEcu, UdsClient } from '../../src/index.js';

/** Wraps the 0x27 handler of `ecu` so only `limit` seeds are handed out per session. */
export function limitSeedRequests(ecu: SimulatedEcu, limit = 3): void {
  const builtIn = ecu.handlerOf(0x27);
  if (!builtIn) throw new Error('the ECU has no SecurityAccess handler to wrap');
  let seedsThisSession = 0;
  // Every session transition (10 xx, S3 timeout, reset) starts a new count.
  ecu.events.on('session', () => (seedsThisSession = 0));
  ecu.registerService(0x27, (ctx) => {
    const isRequestSeed = ctx.subFunction !== undefined && ctx.subFunction % 2 === 1;
    if (isRequestSeed && ++seedsThisSession > limit) {
      // ctx.env is the ECU model: session, security, memory, DIDs ... are all reachable here.
      throw new NrcError(NRC.conditionsNotCorrect, `only ${limit} seeds per session (session 0x${ctx.env.sessions.session.toString(16)})`);
    }
    return builtIn(ctx);
  });
}

/** Runs the example; returns the NRCs seen for requests 1..5 (0 = positive). */
export async function main(log: (s: string) => void = console.log): Promise<number[]> {
  const bus = new MemoryBus();
  const ecu = new SimulatedEcu({ name: 'engine', address: 0x1010, security: [{ level: 0x01, algorithm: 'xor', secret: { hex: '11223344' } }] });
  limitSeedRequests(ecu);
  ecu.attach(bus.attach(0x1010));
  const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010 });
  const outcomes: number[] = [];
  try {
    await client.diagnosticSessionControl(0x03);
    for (let i = 1; i <= 4; i++) outcomes.push(await seedOutcome(client, i, log));
    await client.diagnosticSessionControl(0x03); // a new session: the count starts again
    outcomes.push(await seedOutcome(client, 5, log));
    return outcomes;
  } finally {
    await client.close();
    ecu.close();
  }
}

async function seedOutcome(client: UdsClient, i: number, log: (s: string) => void): Promise<number> {
  try {
    const seed = await client.securityAccessRequestSeed(0x01);
    log(`requestSeed ${i}: seed ${Buffer.from(seed).toString('hex')}`);
    return 0;
  } catch (e) {
    if (!(e instanceof NegativeResponseError)) throw e;
    log(`requestSeed ${i}: ${e.nrcName} (0x${e.nrc.toString(16)})`);
    return e.nrc;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().then((o) => (process.exitCode = o.join() === '0,0,0,34,0' ? 0 : 1));
}
