/** DoipClient against DoipEntity over 127.0.0.1: several testers, pipelining, functional requests, large messages, failures. */
import { afterEach, describe, expect, it } from 'vitest';
import { LinkError } from '../../src/core/errors.js';
import type { UdsMessage } from '../../src/core/link.js';
import { DoipClient } from '../../src/doip/client.js';
import { identifyVehicles, requestEntityStatus } from '../../src/doip/discovery.js';
import type { DoipEntityOptions } from '../../src/doip/entity.js';
import { DoipEntity } from '../../src/doip/entity.js';
import { DiagnosticNackError, RoutingActivationError } from '../../src/doip/errors.js';
import { echoNode, hex } from '../unit/doip/helpers.js';

let entity: DoipEntity | undefined;
const clients: DoipClient[] = [];

async function start(options: DoipEntityOptions = {}): Promise<{ tcpPort: number; udpPort: number | null }> {
  entity = new DoipEntity({ tcpPort: 0, udpPort: 0, ...options });
  echoNode(entity.addNode(0x1010));
  echoNode(entity.addNode(0x1011));
  return entity.start();
}

async function client(port: number, testerAddress = 0x0e00): Promise<DoipClient> {
  const c = await DoipClient.connect({ port, testerAddress });
  clients.push(c);
  return c;
}

function collect(c: DoipClient): UdsMessage[] {
  const out: UdsMessage[] = [];
  c.events.on('message', (m) => out.push(m));
  return out;
}

/** Resolves once `list` has `n` entries (checked on each message of `c`). */
function until(c: DoipClient, list: unknown[], n: number): Promise<void> {
  return new Promise((resolve) => {
    if (list.length >= n) return resolve();
    const off = c.events.on('message', () => {
      if (list.length >= n) {
        off();
        resolve();
      }
    });
  });
}

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await entity?.stop();
  entity = undefined;
});

describe('DoipClient <-> DoipEntity', () => {
  it('discovers the entity by UDP, connects, and each of three concurrent testers gets only its own responses', async () => {
    const { tcpPort, udpPort } = await start();
    const [found] = await identifyVehicles({ port: udpPort as number, timeoutMs: 200 });
    expect(found?.logicalAddress).toBe(0x1000);
    const testers = await Promise.all([0x0e00, 0x0e01, 0x0e02].map((a) => client(tcpPort, a)));
    expect(testers.map((t) => t.entityAddress)).toEqual([0x1000, 0x1000, 0x1000]);
    expect((await requestEntityStatus({ port: udpPort as number })).openSockets).toBe(3);
    const got = testers.map(collect);
    await Promise.all(testers.map((t, i) => t.send({ target: 0x1010, data: Uint8Array.of(0x22, 0xf1, i) })));
    await Promise.all(testers.map((t, i) => until(t, got[i] as UdsMessage[], 1)));
    got.forEach((list, i) => expect(list).toEqual([{ source: 0x1010, target: 0x0e00 + i, addressing: 'physical', data: Uint8Array.of(0x62, 0xf1, i) }]));
  });

  it('pipelined sends to two ECUs: all acknowledged, responses in order per ECU', async () => {
    const { tcpPort } = await start();
    const t = await client(tcpPort);
    const got = collect(t);
    const sends = [];
    for (let i = 0; i < 20; i++) sends.push(t.send({ target: i % 2 ? 0x1011 : 0x1010, data: Uint8Array.of(0x31, 0x01, i) }));
    await Promise.all(sends);
    await until(t, got, 20);
    expect(got.filter((m) => m.source === 0x1010).map((m) => m.data[2])).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    expect(got.filter((m) => m.source === 0x1011).map((m) => m.data[2])).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('functional request: one send, one response per ECU', async () => {
    const { tcpPort } = await start();
    const t = await client(tcpPort);
    const got = collect(t);
    await t.send({ target: 0xe400, data: hex('3E 00'), addressing: 'functional' });
    await until(t, got, 2);
    expect(got.map((m) => m.source).sort()).toEqual([0x1010, 0x1011]);
  });

  it('a 1 MiB message each way arrives intact', async () => {
    const { tcpPort } = await start();
    const t = await client(tcpPort);
    const got = collect(t);
    const data = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31 + 7) & 0xff);
    data[0] = 0x36;
    await t.send({ target: 0x1010, data });
    await until(t, got, 1);
    const back = got[0]?.data as Uint8Array;
    expect(back.length).toBe(data.length);
    expect(back[0]).toBe(0x76);
    expect(Buffer.compare(Buffer.from(back.subarray(1)), Buffer.from(data.subarray(1)))).toBe(0);
  });

  it('NACKs and refusals surface as typed errors; the connection stays usable after a NACK', async () => {
    const { tcpPort } = await start();
    const t = await client(tcpPort);
    const err = await t.send({ target: 0x7777, data: hex('3E 00') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DiagnosticNackError);
    expect((err as DiagnosticNackError).nackCode).toBe(0x03);
    await t.send({ target: 0x1010, data: hex('3E 00') });
    await expect(DoipClient.connect({ port: tcpPort, testerAddress: 0x1010 })).rejects.toThrow(/0x00 unknownSourceAddress/);
    const dup = await DoipClient.connect({ port: tcpPort, testerAddress: 0x0e00 }).catch((e: unknown) => e);
    expect(dup).toBeInstanceOf(RoutingActivationError);
    expect((dup as RoutingActivationError).activationCode).toBe(0x03);
    await t.send({ target: 0x1010, data: hex('3E 00') }); // the first tester answered the alive check and is still active
  });

  it('entity stop: the client sees a close with LinkError and rejects later sends', async () => {
    const { tcpPort } = await start();
    const t = await client(tcpPort);
    const closed = new Promise<Error | undefined>((resolve) => t.events.once('close', resolve));
    await entity?.stop();
    expect(await closed).toBeInstanceOf(LinkError);
    await expect(t.send({ target: 0x1010, data: hex('3E 00') })).rejects.toBeInstanceOf(LinkError);
  });

  it('protocol version 3 on both sides', async () => {
    const { tcpPort } = await start({ protocolVersion: 3 });
    const t = await DoipClient.connect({ port: tcpPort, protocolVersion: 3 });
    clients.push(t);
    await t.send({ target: 0x1010, data: hex('3E 00') });
    await expect(DoipClient.connect({ port: tcpPort, protocolVersion: 2, testerAddress: 0x0e01 })).rejects.toThrow(/incorrectPatternFormat/);
  });
});
