import { describe, it, expect, vi } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { DecodeError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { sleep } from '../../../../src/core/clock.js';
import type { Logger } from '../../../../src/core/logger.js';
import { MemoryBus } from '../../../../src/core/memory-link.js';
import { RequestFormatError } from '../../../../src/uds/codec/service-codec.js';
import { NrcError } from '../../../../src/uds/server/nrc-error.js';
import type { ServiceRule } from '../../../../src/uds/server/service-table.js';
import { UdsServer, type UdsServerOptions } from '../../../../src/uds/server/uds-server.js';

interface Env {
  session: number;
  level: number | null;
}

const TESTER = 0x0e00;
const SERVER = 0x1010;
const FUNC = 0xe400;

/** A small table that exercises each check. */
function table(): Map<number, ServiceRule> {
  return new Map<number, ServiceRule>([
    [0x10, { subFunctions: new Map([[0x01, {}], [0x03, {}]]) }],
    [0x22, { sessions: [1, 3], minLength: 3 }],
    [0x2e, { sessions: [3], securityLevels: [1], minLength: 4 }],
    [0x19, { subFunctions: new Map([[0x01, { sessions: [1] }], [0x02, { sessions: [3] }]]) }],
    [0x31, { sessions: [1, 3], minLength: 4, subFunctions: new Map([[0x01, {}], [0x02, { securityLevels: [1] }]]) }],
    [0x3e, { subFunctions: new Map([[0x00, {}]]) }],
    [0x85, { subFunctions: new Map([[0x01, {}]]) }],
  ]);
}

function setup(opts: Partial<UdsServerOptions<Env>> = {}) {
  const clock = new FakeClock();
  const bus = new MemoryBus();
  const tester = bus.attach(TESTER);
  const link = bus.attach(SERVER, { functionalAddresses: [FUNC] });
  const env: Env = { session: 1, level: null };
  const server = new UdsServer<Env>({
    env,
    table: table(),
    state: () => ({ session: env.session, securityLevel: env.level }),
    clock,
    accepts: (m) => (m.addressing === 'functional' ? m.target === FUNC : m.target === SERVER),
    ...opts,
  });
  // Echo-style handlers: positive response = SID+0x40 and the request's second byte (if any).
  for (const sid of [0x10, 0x22, 0x2e, 0x19, 0x31, 0x3e, 0x85]) {
    server.register(sid, (ctx) => Uint8Array.of(sid + 0x40, ...(ctx.subFunction !== undefined ? [ctx.subFunction] : [])));
  }
  server.attach(link);
  const received: string[] = [];
  tester.events.on('message', (m) => received.push(toHex(m.data)));
  const req = async (hex: string, functional = false, advanceMs = 0): Promise<string[]> => {
    const start = received.length;
    await tester.send({ target: functional ? FUNC : SERVER, data: fromHex(hex), addressing: functional ? 'functional' : 'physical' });
    await clock.advance(advanceMs);
    return received.slice(start);
  };
  const advance = async (ms: number): Promise<string[]> => {
    const start = received.length;
    await clock.advance(ms);
    return received.slice(start);
  };
  return { clock, env, server, tester, received, req, advance };
}

describe('UdsServer: order of checks (spec/uds.md steps 1-7)', () => {
  it('answers each failing check with its NRC, first failing check wins', async () => {
    const t = setup();
    // 1: unknown SID -> 0x11
    expect(await t.req('23 44 00 00 00 00 00 00 00 10')).toEqual(['7F 23 11']);
    // 2: 0x2E not in session 01 -> 0x7F (before security and length)
    expect(await t.req('2E')).toEqual(['7F 2E 7F']);
    t.env.session = 3;
    // 3: 0x2E needs security -> 0x33 (before length)
    expect(await t.req('2E')).toEqual(['7F 2E 33']);
    t.env.level = 1;
    // 4: too short -> 0x13
    expect(await t.req('2E F1')).toEqual(['7F 2E 13']);
    expect(await t.req('2E F1 90 01')).toEqual(['6E']);
    // 4 for a sub-function service: no sub-function byte -> 0x13
    expect(await t.req('10')).toEqual(['7F 10 13']);
    // 5: unsupported sub-function -> 0x12
    expect(await t.req('10 02')).toEqual(['7F 10 12']);
    // 6: sub-function 19 01 exists only in session 01 -> 0x7E
    expect(await t.req('19 01')).toEqual(['7F 19 7E']);
    expect(await t.req('19 02')).toEqual(['59 02']);
    // 7: sub-function 31 02 needs security
    t.env.level = null;
    expect(await t.req('31 02 FF 00')).toEqual(['7F 31 33']);
    expect(await t.req('31 01 FF 00')).toEqual(['71 01']);
  });

  it('treats a SID in the table without a handler as unsupported (0x11)', async () => {
    const t = setup();
    t.server.unregister(0x85);
    expect(await t.req('85 01')).toEqual(['7F 85 11']);
  });
});

describe('UdsServer: functional addressing and SPRMIB', () => {
  it('suppresses 0x11, 0x12, 0x31, 0x7E, 0x7F on functional requests but sends the others', async () => {
    const t = setup();
    t.server.register(0x22, () => {
      throw new NrcError(0x31);
    });
    expect(await t.req('23 00', true)).toEqual([]); // 0x11
    expect(await t.req('10 02', true)).toEqual([]); // 0x12
    expect(await t.req('22 F1 90', true)).toEqual([]); // 0x31
    expect(await t.req('19 02', true)).toEqual([]); // 0x7E
    expect(await t.req('2E F1 90 00', true)).toEqual([]); // 0x7F
    // The same requests physically are answered.
    expect(await t.req('10 02')).toEqual(['7F 10 12']);
    expect(await t.req('22 F1 90')).toEqual(['7F 22 31']);
    // 0x13 is not suppressed.
    expect(await t.req('22 F1', true)).toEqual(['7F 22 13']);
    // Positive responses are sent functionally.
    expect(await t.req('10 03', true)).toEqual(['50 03']);
  });

  it('SPRMIB suppresses the positive response only', async () => {
    const t = setup();
    expect(await t.req('3E 80')).toEqual([]);
    expect(await t.req('3E 80', true)).toEqual([]);
    expect(await t.req('10 82')).toEqual(['7F 10 12']);
    expect(await t.req('3E 00')).toEqual(['7E 00']);
  });

  it('sends the final positive response despite SPRMIB once 0x78 was sent', async () => {
    const t = setup();
    t.server.register(0x10, async (ctx) => {
      await sleep(t.clock, 200);
      return Uint8Array.of(0x50, ctx.subFunction ?? 0);
    });
    expect(await t.req('10 83', false, 39)).toEqual([]);
    expect(await t.advance(1)).toEqual(['7F 10 78']);
    expect(await t.advance(160)).toEqual(['50 03']);
    // A fast SPRMIB request stays silent.
    t.server.register(0x10, (ctx) => Uint8Array.of(0x50, ctx.subFunction ?? 0));
    expect(await t.req('10 83', false, 100)).toEqual([]);
  });
});

describe('UdsServer: response pending (0x78)', () => {
  it('sends 7F SID 78 before P2 and repeats it before P2* runs out', async () => {
    const t = setup({ timing: () => ({ p2ServerMs: 50, p2StarServerMs: 5000 }) });
    t.server.register(0x31, async () => {
      await sleep(t.clock, 12_000);
      return fromHex('71 01 FF 00 00');
    });
    expect(await t.req('31 01 FF 00', false, 39)).toEqual([]);
    expect(await t.advance(1)).toEqual(['7F 31 78']); // t = 40 = P2 - 10
    expect(await t.advance(4499)).toEqual([]);
    expect(await t.advance(1)).toEqual(['7F 31 78']); // t = 4540 (P2* - 500)
    expect(await t.advance(4500)).toEqual(['7F 31 78']); // t = 9040
    expect(await t.advance(2960)).toEqual(['71 01 FF 00 00']); // t = 12000
    expect(t.clock.pendingTimers).toBe(0);
  });

  it('a 0x78 also precedes a final negative response, which is then sent even when functional', async () => {
    const t = setup();
    t.server.register(0x22, async () => {
      await sleep(t.clock, 100);
      throw new NrcError(0x31);
    });
    expect(await t.req('22 F1 90', true, 100)).toEqual(['7F 22 78', '7F 22 31']);
  });

  it('gives up with 0x10 after maxResponsePending', async () => {
    const t = setup({ maxResponsePending: 2 });
    t.server.register(0x22, () => new Promise<Uint8Array>(() => undefined));
    expect(await t.req('22 F1 90', false, 20_000)).toEqual(['7F 22 78', '7F 22 78', '7F 22 10']);
    expect(await t.req('3E 00')).toEqual(['7E 00']);
  });
});

describe('UdsServer: queue and robustness', () => {
  it('serves requests one at a time, in arrival order', async () => {
    const t = setup();
    const order: string[] = [];
    t.server.register(0x22, async (ctx) => {
      order.push('start 22');
      await sleep(t.clock, 30);
      order.push('end 22');
      return Uint8Array.of(0x62, ...ctx.data.slice(1));
    });
    t.server.register(0x3e, () => {
      order.push('3e');
      return Uint8Array.of(0x7e, 0x00);
    });
    await t.tester.send({ target: SERVER, data: fromHex('22 F1 90') });
    await t.tester.send({ target: SERVER, data: fromHex('3E 00') });
    await t.tester.send({ target: SERVER, data: fromHex('22 F1 91') });
    await t.clock.advance(100);
    expect(t.received).toEqual(['62 F1 90', '7E 00', '62 F1 91']);
    expect(order).toEqual(['start 22', 'end 22', '3e', 'start 22', 'end 22']);
  });

  it('answers 0x21 when the queue is full', async () => {
    const t = setup({ maxQueueLength: 1 });
    t.server.register(0x22, async () => {
      await sleep(t.clock, 10);
      return Uint8Array.of(0x62);
    });
    for (let i = 0; i < 3; i++) await t.tester.send({ target: SERVER, data: fromHex('22 F1 90') });
    await t.clock.advance(50);
    expect(t.received).toEqual(['7F 22 21', '62', '62']);
  });

  it('turns an unexpected exception into 0x10, logs it, and keeps serving', async () => {
    const logger: Logger = { error: vi.fn(), warn: vi.fn(), info: vi.fn(), debug: vi.fn() };
    const t = setup({ logger });
    const faults: unknown[] = [];
    t.server.events.on('fault', (f) => faults.push(f.error));
    t.server.register(0x22, () => {
      throw new TypeError('boom');
    });
    expect(await t.req('22 F1 90')).toEqual(['7F 22 10']);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(faults).toHaveLength(1);
    expect(await t.req('3E 00')).toEqual(['7E 00']);
  });

  it('maps RequestFormatError to its NRC and other DecodeErrors to 0x13', async () => {
    const t = setup();
    t.server.register(0x22, () => {
      throw new RequestFormatError('bad', 0x31);
    });
    t.server.register(0x3e, () => {
      throw new DecodeError('bad');
    });
    expect(await t.req('22 F1 90')).toEqual(['7F 22 31']);
    expect(await t.req('3E 00')).toEqual(['7F 3E 13']);
  });

  it('answers 0x14 when the positive response exceeds maxResponseLength', async () => {
    const t = setup({ maxResponseLength: 4 });
    t.server.register(0x22, () => new Uint8Array(5).fill(0x62));
    expect(await t.req('22 F1 90')).toEqual(['7F 22 14']);
  });

  it('runs afterResponse actions after the response went out, not when the handler fails', async () => {
    const t = setup();
    const seen: string[] = [];
    t.server.register(0x10, (ctx) => {
      ctx.afterResponse(() => void seen.push(`after, received ${t.received.length}`));
      if (ctx.subFunction === 0x03) throw new NrcError(0x22);
      return Uint8Array.of(0x50, 0x01);
    });
    await t.req('10 01');
    await t.req('10 03');
    expect(t.received).toEqual(['50 01', '7F 10 22']);
    expect(seen).toEqual(['after, received 1']);
  });

  it('drops requests while unavailable, and those not accepted', async () => {
    let up = false;
    const t = setup({ available: () => up });
    expect(await t.req('3E 00')).toEqual([]);
    up = true;
    expect(await t.req('3E 00')).toEqual(['7E 00']);
    await t.tester.send({ target: 0xe401, data: fromHex('3E 00'), addressing: 'functional' });
    await t.clock.advance(0);
    expect(t.received).toEqual(['7E 00']);
  });

  it('calls onRequestStart / onRequestEnd around each request', async () => {
    const calls: string[] = [];
    const t = setup({ onRequestStart: (m) => calls.push(`start ${toHex(m.data)}`), onRequestEnd: (m) => calls.push(`end ${toHex(m.data)}`) });
    await t.req('3E 00');
    await t.req('23 00');
    expect(calls).toEqual(['start 3E 00', 'end 3E 00', 'start 23 00', 'end 23 00']);
  });

  it('close() stops serving and leaves no timer behind', async () => {
    const t = setup();
    t.server.register(0x22, () => new Promise<Uint8Array>(() => undefined));
    await t.req('22 F1 90', false, 45);
    expect(t.received).toEqual(['7F 22 78']);
    t.server.close();
    await t.clock.advance(0);
    expect(t.clock.pendingTimers).toBe(0);
    expect(await t.req('3E 00')).toEqual([]);
  });
});
