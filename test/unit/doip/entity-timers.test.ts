/**
 * DoIP entity timers and the alive-check procedure, on real sockets (127.0.0.1, ephemeral ports)
 * with a FakeClock: T_TCP_Initial_Inactivity, T_TCP_General_Inactivity, T_TCP_Alive_Check when a
 * tester address is reused and when every socket is registered.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import type { DoipEntityOptions } from '../../../src/doip/entity.js';
import { DoipEntity } from '../../../src/doip/entity.js';
import { echoNode, RawTester } from './helpers.js';

let entity: DoipEntity | undefined;
const testers: RawTester[] = [];

async function setup(options: DoipEntityOptions = {}): Promise<{ clock: FakeClock; port: number; entity: DoipEntity }> {
  const clock = new FakeClock();
  entity = new DoipEntity({ tcpPort: 0, udpPort: null, clock, ...options });
  echoNode(entity.addNode(0x1010));
  const { tcpPort } = await entity.start();
  return { clock, port: tcpPort, entity };
}

async function connect(port: number, testerAddress = 0x0e00): Promise<RawTester> {
  const t = await RawTester.connect(port, testerAddress);
  testers.push(t);
  return t;
}

/** Resolves once the entity saw `n` connections in total (so its per-socket timers exist). */
function connections(e: DoipEntity, n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = e.connectionCount;
    if (seen >= n) return resolve();
    const off = e.events.on('connection', () => {
      if (++seen >= n) {
        off();
        resolve();
      }
    });
  });
}

afterEach(async () => {
  for (const t of testers.splice(0)) await t.close();
  await entity?.stop();
  entity = undefined;
});

describe('DoIP entity inactivity timers (FakeClock)', () => {
  it('closes a socket without routing activation after T_TCP_Initial_Inactivity (2000 ms), not before', async () => {
    const { clock, port, entity: e } = await setup();
    const early = await connect(port);
    const late = await connect(port, 0x0e01);
    await connections(e, 2);
    const reasons: string[] = [];
    e.events.on('disconnect', (d) => reasons.push(d.reason));
    await clock.advance(1999);
    expect((await early.activate()).code).toBe(0x10); // still open at 1999 ms
    await clock.advance(1);
    await late.closedPromise;
    expect(late.isClosed).toBe(true);
    expect(reasons.join()).toContain('T_TCP_Initial_Inactivity');
    // the activated one survives the initial timer
    expect((await early.request(0x1010, [0x3e, 0x00])).response?.data).toEqual(Uint8Array.of(0x7e, 0x00));
  });

  it('closes an activated socket idle for T_TCP_General_Inactivity; traffic restarts the period', async () => {
    const { clock, port } = await setup({ generalInactivityMs: 10_000 });
    const t = await connect(port);
    expect((await t.activate()).code).toBe(0x10);
    await clock.advance(9_000);
    expect((await t.request(0x1010, [0x3e, 0x00])).ack.kind).toBe('diagnosticMessageAck'); // activity at 9 s
    await clock.advance(9_000); // 18 s: idle only 9 s
    expect((await t.request(0x1010, [0x3e, 0x00])).ack.kind).toBe('diagnosticMessageAck');
    await clock.advance(10_000);
    await t.closedPromise;
    expect(t.isClosed).toBe(true);
  });
});

describe('DoIP entity alive check procedure (FakeClock)', () => {
  it('same tester address on a new socket, old socket answers the alive check -> 0x03 and the new socket is closed', async () => {
    const { port, entity: e } = await setup();
    const old = await connect(port);
    expect((await old.activate()).code).toBe(0x10);
    const intruder = await connect(port);
    intruder.send({ kind: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 0 });
    await old.next('aliveCheckRequest');
    old.send({ kind: 'aliveCheckResponse', sourceAddress: 0x0e00 });
    const res = await intruder.next('routingActivationResponse');
    expect(res.code).toBe(0x03);
    await intruder.closedPromise;
    expect(e.activeTesters).toEqual([0x0e00]);
    expect((await old.request(0x1010, [0x22, 0xf1, 0x90])).response?.data).toEqual(Uint8Array.of(0x62, 0xf1, 0x90));
  });

  it('same tester address, old socket silent for T_TCP_Alive_Check (500 ms) -> old closed, new gets 0x10', async () => {
    const { clock, port } = await setup();
    const old = await connect(port);
    expect((await old.activate()).code).toBe(0x10);
    const fresh = await connect(port);
    fresh.send({ kind: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 0 });
    await old.next('aliveCheckRequest');
    await clock.advance(499);
    expect(fresh.received.some((m) => m.kind === 'routingActivationResponse')).toBe(false);
    await clock.advance(1);
    const res = await fresh.next('routingActivationResponse');
    expect(res).toMatchObject({ code: 0x10, testerAddress: 0x0e00, entityAddress: 0x1000 });
    await old.closedPromise;
    expect((await fresh.request(0x1010, [0x10, 0x01])).response?.data).toEqual(Uint8Array.of(0x50, 0x01));
  });

  it('all sockets registered and every one answers -> 0x01 and the new socket is closed', async () => {
    const { port } = await setup({ maxTcpSockets: 2 });
    const a = await connect(port, 0x0e00);
    const b = await connect(port, 0x0e01);
    a.answerAliveChecks = true;
    b.answerAliveChecks = true;
    expect((await a.activate()).code).toBe(0x10);
    expect((await b.activate()).code).toBe(0x10);
    const c = await connect(port, 0x0e02);
    expect((await c.activate()).code).toBe(0x01);
    await c.closedPromise;
    expect(a.received.filter((m) => m.kind === 'aliveCheckRequest')).toHaveLength(1);
    expect(b.received.filter((m) => m.kind === 'aliveCheckRequest')).toHaveLength(1);
  });

  it('all sockets registered, one stays silent -> it is closed and the new tester gets 0x10', async () => {
    const { clock, port, entity: e } = await setup({ maxTcpSockets: 2 });
    const a = await connect(port, 0x0e00);
    const b = await connect(port, 0x0e01);
    a.answerAliveChecks = true;
    expect((await a.activate()).code).toBe(0x10);
    expect((await b.activate()).code).toBe(0x10);
    const answeredByA = new Promise<void>((resolve) =>
      e.events.on('aliveCheck', (x) => {
        if (x.testerAddress === 0x0e00 && x.answered) resolve();
      }),
    );
    const c = await connect(port, 0x0e02);
    c.send({ kind: 'routingActivationRequest', sourceAddress: 0x0e02, activationType: 0 });
    await b.next('aliveCheckRequest');
    await answeredByA;
    await clock.advance(500);
    expect((await c.next('routingActivationResponse')).code).toBe(0x10);
    await b.closedPromise;
    expect(e.activeTesters.sort()).toEqual([0x0e00, 0x0e02]);
  });

  it('a diagnostic message pipelined right after a pending activation waits for it and is then routed', async () => {
    const { clock, port } = await setup();
    const old = await connect(port);
    expect((await old.activate()).code).toBe(0x10);
    const fresh = await connect(port);
    fresh.send({ kind: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 0 });
    fresh.diag(0x1010, [0x3e, 0x00]);
    await old.next('aliveCheckRequest');
    await clock.advance(500);
    expect((await fresh.next('routingActivationResponse')).code).toBe(0x10);
    expect((await fresh.next('diagnosticMessageAck')).code).toBe(0);
    expect((await fresh.next('diagnosticMessage')).data).toEqual(Uint8Array.of(0x7e, 0x00));
  });
});
