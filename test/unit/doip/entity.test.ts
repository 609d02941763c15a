/** DoIP entity TCP behaviour on 127.0.0.1 (ephemeral ports): routing activation codes, routing, batching, node links. */
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, LinkError } from '../../../src/core/errors.js';
import type { DoipEntityEvents, DoipEntityOptions } from '../../../src/doip/entity.js';
import { DoipEntity } from '../../../src/doip/entity.js';
import { decodeMessage } from '../../../src/doip/message.js';
import { echoNode, hex, RawTester } from './helpers.js';

let entity: DoipEntity | undefined;
const testers: RawTester[] = [];

async function setup(options: DoipEntityOptions = {}): Promise<{ port: number; entity: DoipEntity }> {
  entity = new DoipEntity({ tcpPort: 0, udpPort: null, ...options });
  const { tcpPort } = await entity.start();
  return { port: tcpPort, entity };
}

async function connect(port: number, testerAddress = 0x0e00): Promise<RawTester> {
  const t = await RawTester.connect(port, testerAddress);
  testers.push(t);
  return t;
}

function record<K extends keyof DoipEntityEvents & string>(e: DoipEntity, event: K): DoipEntityEvents[K][0][] {
  const out: DoipEntityEvents[K][0][] = [];
  e.events.on(event, ((x: DoipEntityEvents[K][0]) => out.push(x)) as never);
  return out;
}

afterEach(async () => {
  for (const t of testers.splice(0)) await t.close();
  await entity?.stop();
  entity = undefined;
});

describe('DoIP entity: routing activation', () => {
  it('0x10 for an accepted tester, carrying the entity address; activation types 00, 01 and E0 are accepted', async () => {
    const { port, entity: e } = await setup({ logicalAddress: 0x1fff });
    const activations = record(e, 'activation');
    for (const [i, type] of [0x00, 0x01, 0xe0].entries()) {
      const t = await connect(port, 0x0e00 + i);
      expect(await t.activate(type)).toEqual({ kind: 'routingActivationResponse', testerAddress: 0x0e00 + i, entityAddress: 0x1fff, code: 0x10, reserved: 0 });
    }
    expect(activations.map((a) => a.codeName)).toEqual(['success', 'success', 'success']);
    expect(e.activeTesters.sort()).toEqual([0x0e00, 0x0e01, 0x0e02]);
  });

  it('0x00 for an address outside the accepted ranges, then the socket is closed', async () => {
    const { port } = await setup();
    const t = await connect(port, 0x1010);
    expect((await t.activate()).code).toBe(0x00);
    await t.closedPromise;
  });

  it('acceptedTesterAddresses as ranges or a predicate', async () => {
    const { port } = await setup({ acceptedTesterAddresses: (a) => a === 0x0f00 });
    const ok = await connect(port, 0x0f00);
    const no = await connect(port, 0x0e00);
    expect((await ok.activate()).code).toBe(0x10);
    expect((await no.activate()).code).toBe(0x00);
    await entity?.stop();
    const { port: p2 } = await setup({ acceptedTesterAddresses: [{ from: 0x0e80, to: 0x0e8f }] });
    expect((await (await connect(p2, 0x0e85)).activate()).code).toBe(0x10);
    expect((await (await connect(p2, 0x0e90)).activate()).code).toBe(0x00);
  });

  it('0x06 for an unsupported activation type (0x02, 0xE1), then close', async () => {
    const { port } = await setup();
    for (const type of [0x02, 0xe1]) {
      const t = await connect(port);
      expect((await t.activate(type)).code).toBe(0x06);
      await t.closedPromise;
    }
  });

  it('0x07 when TLS is required; the socket stays open', async () => {
    const { port } = await setup({ requireTls: true });
    const t = await connect(port);
    expect((await t.activate()).code).toBe(0x07);
    t.send({ kind: 'aliveCheckRequest' }); // still served
    expect((await t.next('aliveCheckResponse')).sourceAddress).toBe(0x1000);
  });

  it('same address again on the same socket -> 0x10; a different address on an activated socket -> 0x02 and close', async () => {
    const { port } = await setup();
    const t = await connect(port);
    expect((await t.activate()).code).toBe(0x10);
    expect((await t.activate()).code).toBe(0x10);
    expect((await t.activate(0, 0x0e01)).code).toBe(0x02);
    await t.closedPromise;
  });

  it('answers an alive check request from the tester with the entity address', async () => {
    const { port } = await setup({ logicalAddress: 0x1001 });
    const t = await connect(port);
    t.send({ kind: 'aliveCheckRequest' });
    expect(await t.next('aliveCheckResponse')).toEqual({ kind: 'aliveCheckResponse', sourceAddress: 0x1001 });
  });
});

describe('DoIP entity: diagnostic messages', () => {
  it('ACK first, then the node response (source = node, target = tester), written in one segment', async () => {
    const { port, entity: e } = await setup();
    const seen = echoNode(e.addNode(0x1010));
    const diag = record(e, 'diagnostic');
    const t = await connect(port);
    await t.activate();
    const before = t.chunks.length;
    const { ack, response } = await t.request(0x1010, [0x22, 0xf1, 0x90]);
    expect(ack).toEqual({ kind: 'diagnosticMessageAck', sourceAddress: 0x1010, targetAddress: 0x0e00, code: 0x00, echo: new Uint8Array(0) });
    expect(response).toEqual({ kind: 'diagnosticMessage', sourceAddress: 0x1010, targetAddress: 0x0e00, data: hex('62 F1 90') });
    expect(t.chunks.length - before).toBe(1); // ACK and response arrived together (cork/uncork)
    expect(seen).toEqual([{ source: 0x0e00, target: 0x1010, addressing: 'physical', data: [0x22, 0xf1, 0x90] }]);
    expect(diag).toEqual([{ connectionId: expect.any(Number), source: 0x0e00, target: 0x1010, length: 3, addressing: 'physical' }]);
  });

  it('ackEchoBytes echoes the start of the request in ACK and NACK', async () => {
    const { port, entity: e } = await setup({ ackEchoBytes: 2 });
    echoNode(e.addNode(0x1010));
    const t = await connect(port);
    await t.activate();
    expect((await t.request(0x1010, [0x22, 0xf1, 0x90])).ack).toMatchObject({ kind: 'diagnosticMessageAck', echo: hex('22 F1') });
    expect((await t.request(0x1234, [0x3e])).ack).toMatchObject({ kind: 'diagnosticMessageNack', code: 0x03, echo: hex('3E') });
  });

  it('NACK 03 unknown target, 04 larger than maxRequestSize, 06 unreachable; the socket stays usable', async () => {
    const { port, entity: e } = await setup();
    let reachable = false;
    echoNode(e.addNode(0x1010, { maxRequestSize: 4 }));
    echoNode(e.addNode(0x1011, { isReachable: () => reachable }));
    const nacks = record(e, 'nack');
    const t = await connect(port);
    await t.activate();
    expect((await t.request(0x1234, [0x3e, 0x00])).ack).toMatchObject({ kind: 'diagnosticMessageNack', sourceAddress: 0x1234, targetAddress: 0x0e00, code: 0x03 });
    expect((await t.request(0x1010, [0x2e, 0xf1, 0x90, 0x01, 0x02])).ack).toMatchObject({ kind: 'diagnosticMessageNack', code: 0x04 });
    expect((await t.request(0x1011, [0x3e, 0x00])).ack).toMatchObject({ kind: 'diagnosticMessageNack', code: 0x06 });
    reachable = true;
    expect((await t.request(0x1011, [0x3e, 0x00])).response?.data).toEqual(hex('7E 00'));
    expect((await t.request(0x1010, [0x22, 0xf1, 0x90, 0x01])).response?.data).toEqual(hex('62 F1 90 01'));
    expect(nacks.map((n) => [n.kind, n.name])).toEqual([
      ['diagnostic', 'unknownTargetAddress'],
      ['diagnostic', 'diagnosticMessageTooLarge'],
      ['diagnostic', 'targetUnreachable'],
    ]);
  });

  it('a throwing isReachable counts as unreachable (NACK 06)', async () => {
    const { port, entity: e } = await setup();
    e.addNode(0x1010, {
      isReachable: () => {
        throw new Error('boom');
      },
    });
    const t = await connect(port);
    await t.activate();
    expect((await t.request(0x1010, [0x3e, 0x00])).ack).toMatchObject({ code: 0x06 });
  });

  it('before routing activation: NACK 02 and close', async () => {
    const { port, entity: e } = await setup();
    echoNode(e.addNode(0x1010));
    const t = await connect(port);
    expect((await t.request(0x1010, [0x3e, 0x00])).ack).toMatchObject({ kind: 'diagnosticMessageNack', code: 0x02 });
    await t.closedPromise;
  });

  it('with a source address that is not the activated one: NACK 02 and close', async () => {
    const { port, entity: e } = await setup();
    echoNode(e.addNode(0x1010));
    const t = await connect(port);
    await t.activate();
    t.diag(0x1010, [0x3e, 0x00], 0x0e01);
    expect(await t.next('diagnosticMessageNack')).toMatchObject({ code: 0x02, targetAddress: 0x0e01 });
    await t.closedPromise;
  });

  it('functional address: one ACK, every listening reachable node answers with its own 8001', async () => {
    const { port, entity: e } = await setup();
    const a = echoNode(e.addNode(0x1010));
    const b = echoNode(e.addNode(0x1011));
    echoNode(e.addNode(0x1012, { isReachable: () => false }));
    const d = echoNode(e.addNode(0x1013, { functionalAddresses: [] }));
    const t = await connect(port);
    await t.activate();
    t.diag(0xe400, [0x3e, 0x00]);
    expect(await t.next('diagnosticMessageAck')).toMatchObject({ sourceAddress: 0xe400, targetAddress: 0x0e00 });
    const r1 = await t.next('diagnosticMessage');
    const r2 = await t.next('diagnosticMessage');
    expect([r1.sourceAddress, r2.sourceAddress].sort()).toEqual([0x1010, 0x1011]);
    expect(r1.data).toEqual(hex('7E 00'));
    expect(a[0]).toEqual({ source: 0x0e00, target: 0xe400, addressing: 'functional', data: [0x3e, 0x00] });
    expect(b).toHaveLength(1);
    expect(d).toHaveLength(0);
    expect(t.received.filter((m) => m.kind === 'diagnosticMessageAck')).toHaveLength(1);
  });

  it('functional address with no listener -> NACK 03; with every listener unreachable -> NACK 06', async () => {
    const { port, entity: e } = await setup({ functionalAddresses: [0xe400, 0xe401] });
    e.addNode(0x1010, { functionalAddresses: [0xe400], isReachable: () => false });
    const t = await connect(port);
    await t.activate();
    expect((await t.request(0xe401, [0x3e, 0x00])).ack).toMatchObject({ code: 0x03 });
    expect((await t.request(0xe400, [0x3e, 0x00])).ack).toMatchObject({ code: 0x06 });
  });
});

describe('DoIP entity: nodes and lifecycle', () => {
  it('node send rejects with LinkError when the tester has no activated socket; node close removes it', async () => {
    const { port, entity: e } = await setup();
    const link = e.addNode(0x1010);
    await expect(link.send({ target: 0x0e00, data: hex('7E 00') })).rejects.toBeInstanceOf(LinkError);
    await expect(link.send({ target: 0x0e00, data: new Uint8Array(0) })).rejects.toBeInstanceOf(InvalidArgumentError);
    const t = await connect(port);
    await t.activate();
    await link.send({ target: 0x0e00, data: hex('7E 00') }); // unsolicited, but routed
    expect(await t.next('diagnosticMessage')).toMatchObject({ sourceAddress: 0x1010, targetAddress: 0x0e00 });
    expect(e.removeNode(0x1010)).toBe(true);
    expect(link.closed).toBe(true);
    expect(e.removeNode(0x1010)).toBe(false);
    await expect(link.send({ target: 0x0e00, data: hex('7E 00') })).rejects.toThrow(/closed/);
    expect((await t.request(0x1010, [0x3e, 0x00])).ack).toMatchObject({ code: 0x03 });
  });

  it('addNode validates its arguments', async () => {
    const e = new DoipEntity({ udpPort: null });
    e.addNode(0x1010);
    expect(() => e.addNode(0x1010)).toThrow(/already exists/);
    expect(() => e.addNode(0xe400)).toThrow(/functional/);
    expect(() => e.addNode(0x10000)).toThrow(InvalidArgumentError);
    expect(() => e.addNode(0x1011, { maxRequestSize: 0 })).toThrow(/maxRequestSize/);
  });

  it('options are validated with the field name', () => {
    expect(() => new DoipEntity({ vin: 'TOO-SHORT' })).toThrow(/vin/);
    expect(() => new DoipEntity({ eid: '00 11' })).toThrow(/eid/);
    expect(() => new DoipEntity({ protocolVersion: 7 })).toThrow(/protocolVersion/);
    expect(() => new DoipEntity({ maxTcpSockets: 0 })).toThrow(/maxTcpSockets/);
    expect(() => new DoipEntity({ tcpPort: 70000 })).toThrow(/tcpPort/);
    expect(() => new DoipEntity({ acceptedTesterAddresses: [{ from: 0x0f00, to: 0x0e00 }] })).toThrow(/acceptedTesterAddresses/);
    expect(new DoipEntity({ eid: '00:1a:2b:3c:4d:5e', udpPort: null }).options.gid).toEqual(hex('00 1A 2B 3C 4D 5E'));
  });

  it('start twice rejects; a taken port is a LinkError naming it; stop is idempotent and closes every socket', async () => {
    const { port, entity: e } = await setup();
    await expect(e.start()).rejects.toThrow(/already started/);
    const other = new DoipEntity({ tcpPort: port, udpPort: null });
    await expect(other.start()).rejects.toThrow(new RegExp(`TCP 127.0.0.1:${port}`));
    const t = await connect(port);
    await t.activate();
    const disconnects = record(e, 'disconnect');
    await e.stop();
    await t.closedPromise;
    await e.stop();
    expect(disconnects).toEqual([{ connectionId: expect.any(Number), testerAddress: 0x0e00, reason: 'entity stopped' }]);
    expect(e.connectionCount).toBe(0);
  });

  it('a throwing event listener or node listener never breaks the socket', async () => {
    const { port, entity: e } = await setup();
    e.events.on('diagnostic', () => {
      throw new Error('listener bug');
    });
    const link = e.addNode(0x1010);
    echoNode(link);
    link.events.on('message', () => {
      throw new Error('node bug');
    });
    const t = await connect(port);
    await t.activate();
    expect((await t.request(0x1010, [0x3e, 0x00])).response?.data).toEqual(hex('7E 00'));
  });

  it('the generic NACK frame carries the entity version', async () => {
    const { port } = await setup({ protocolVersion: 3 });
    const t = await connect(port);
    t.send(hex('02 FD 0007 00000000'));
    await t.closedPromise;
    expect(decodeMessage(t.chunks[0] as Uint8Array).header.version).toBe(3);
    expect(decodeMessage(t.chunks[0] as Uint8Array).message).toEqual({ kind: 'genericNack', code: 0x00 });
  });
});
