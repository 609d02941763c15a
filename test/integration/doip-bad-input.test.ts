/**
 * Every misbehaviour of a tester on 127.0.0.1 gets its exact ISO 13400-2 answer from the DoIP
 * entity, and a second, well-behaved tester connected at the same time keeps being served.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UdsMessage } from '../../src/core/link.js';
import { DoipClient } from '../../src/doip/client.js';
import { DoipEntity } from '../../src/doip/entity.js';
import { echoNode, hex, RawTester } from '../unit/doip/helpers.js';

const GOOD = 0x0e05;
let entity: DoipEntity;
let port: number;
let good: DoipClient;
const responses: UdsMessage[] = [];
const headerNacks: number[] = [];

beforeAll(async () => {
  entity = new DoipEntity({ tcpPort: 0, udpPort: null, maxDataSize: 1024 });
  echoNode(entity.addNode(0x1010, { maxRequestSize: 64 }));
  echoNode(entity.addNode(0x1011, { isReachable: () => false }));
  entity.events.on('nack', (n) => {
    if (n.kind === 'header') headerNacks.push(n.code);
  });
  port = (await entity.start()).tcpPort;
  good = await DoipClient.connect({ port, testerAddress: GOOD });
  good.events.on('message', (m) => responses.push(m));
});

afterAll(async () => {
  await good.close();
  await entity.stop();
});

/** The well-behaved tester sends 22 F1 90 and gets 62 F1 90 back. */
async function goodTesterIsServed(): Promise<void> {
  const got = new Promise<UdsMessage>((resolve) => good.events.once('message', resolve));
  await good.send({ target: 0x1010, data: hex('22 F1 90') });
  expect(await got).toEqual({ source: 0x1010, target: GOOD, addressing: 'physical', data: hex('62 F1 90') });
  expect(good.closed).toBe(false);
}

async function raw(testerAddress = 0x0e00): Promise<RawTester> {
  return RawTester.connect(port, testerAddress);
}

describe('DoIP entity under bad input (second tester keeps being served)', () => {
  it('wrong inverse version (02 FE) -> generic NACK 00, socket closed', async () => {
    const t = await raw();
    t.send(hex('02 FE 0005 00000007 | 0E 00 00 00000000'));
    expect(await t.next('genericNack')).toEqual({ kind: 'genericNack', code: 0x00 });
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('unsupported protocol version (03 FC on a version-2 entity) -> generic NACK 00, socket closed', async () => {
    const t = await raw();
    t.send(hex('03 FC 0005 00000007 | 0E 00 00 00000000'));
    expect((await t.next('genericNack')).code).toBe(0x00);
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('unknown payload type -> generic NACK 01, payload discarded, the socket stays usable', async () => {
    const t = await raw();
    t.send(hex('02 FD 7777 00000004 | 02 FD 00 05')); // payload looks like a header: must be skipped
    expect((await t.next('genericNack')).code).toBe(0x01);
    expect((await t.activate()).code).toBe(0x10);
    expect((await t.request(0x1010, [0x3e, 0x00])).response?.data).toEqual(hex('7E 00'));
    await t.close();
    await goodTesterIsServed();
  });

  it('payload length above the max data size -> generic NACK 02, the bytes are discarded as they come, socket kept', async () => {
    const t = await raw();
    t.send(hex('02 FD 8001 00001000')); // 4096 > 1024
    expect((await t.next('genericNack')).code).toBe(0x02);
    for (let i = 0; i < 4; i++) t.send(new Uint8Array(1024).fill(0x02)); // the announced payload, in pieces
    expect((await t.activate()).code).toBe(0x10);
    await t.close();
    await goodTesterIsServed();
  });

  it('invalid payload length for the type -> generic NACK 04, socket closed', async () => {
    const t = await raw();
    t.send(hex('02 FD 0005 00000002 | 0E 00'));
    expect((await t.next('genericNack')).code).toBe(0x04);
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('diagnostic message before routing activation -> diagnostic NACK 02, socket closed', async () => {
    const t = await raw();
    expect((await t.request(0x1010, [0x3e, 0x00])).ack).toMatchObject({ kind: 'diagnosticMessageNack', code: 0x02 });
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('diagnostic message with a source address other than the activated one -> NACK 02, closed', async () => {
    const t = await raw(0x0e20);
    await t.activate();
    t.diag(0x1010, [0x3e, 0x00], GOOD); // spoofing the good tester
    expect(await t.next('diagnosticMessageNack')).toMatchObject({ code: 0x02 });
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('unknown target -> diagnostic NACK 03; unreachable node -> 06; too large for the node -> 04; the socket stays usable', async () => {
    const t = await raw(0x0e21);
    await t.activate();
    expect((await t.request(0x1234, [0x3e, 0x00])).ack).toMatchObject({ kind: 'diagnosticMessageNack', sourceAddress: 0x1234, targetAddress: 0x0e21, code: 0x03 });
    expect((await t.request(0x1011, [0x3e, 0x00])).ack).toMatchObject({ code: 0x06 });
    expect((await t.request(0x1010, new Array<number>(65).fill(0x36))).ack).toMatchObject({ code: 0x04 });
    expect((await t.request(0x1010, [0x3e, 0x00])).response?.data).toEqual(hex('7E 00'));
    await t.close();
    await goodTesterIsServed();
  });

  it('unknown tester address -> routing activation 00, socket closed', async () => {
    const t = await raw(0x1010);
    expect(await t.activate()).toMatchObject({ code: 0x00, testerAddress: 0x1010, entityAddress: 0x1000 });
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('unsupported activation type -> routing activation 06, socket closed', async () => {
    const t = await raw(0x0e22);
    expect((await t.activate(0x42)).code).toBe(0x06);
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('duplicate tester address: the activated tester answers the alive check -> 03 for the newcomer, closed', async () => {
    const t = await raw(GOOD);
    expect((await t.activate()).code).toBe(0x03);
    await t.closedPromise;
    expect(entity.activeTesters).toContain(GOOD);
    await goodTesterIsServed();
  });

  it('different source address on an already activated socket -> routing activation 02, closed', async () => {
    const t = await raw(0x0e23);
    expect((await t.activate()).code).toBe(0x10);
    expect((await t.activate(0, 0x0e24)).code).toBe(0x02);
    await t.closedPromise;
    await goodTesterIsServed();
  });

  it('a tester vanishing mid-message and a burst of random bytes leave the entity serving', async () => {
    const half = await raw(0x0e25);
    await half.activate();
    half.send(hex('02 FD 8001 00000100 | 0E 25 10 10 36')); // 256 announced, 5 sent
    await half.close();
    const noise = await raw();
    noise.send(Uint8Array.from({ length: 512 }, (_, i) => (i * 97 + 13) & 0xff));
    await noise.closedPromise; // some header error closes it
    await goodTesterIsServed();
  });

  it('every header NACK above was reported through the entity events', () => {
    expect(headerNacks.slice(0, 5)).toEqual([0x00, 0x00, 0x01, 0x02, 0x04]);
  });
});
