/** DoipClient against a scripted fake entity on 127.0.0.1 (exact bytes, every error path); FakeClock for timeouts. */
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { InvalidArgumentError, LinkError, TimeoutError } from '../../../src/core/errors.js';
import type { UdsMessage } from '../../../src/core/link.js';
import { DoipClient } from '../../../src/doip/client.js';
import { DiagnosticNackError, DoipProtocolError, HeaderNackError, RoutingActivationError } from '../../../src/doip/errors.js';
import type { DoipMessage, DoipMessageOf } from '../../../src/doip/message.js';
import { encodeMessage } from '../../../src/doip/message.js';
import type { PayloadTypeName } from '../../../src/doip/payload-types.js';
import { PAYLOAD_TYPE_TABLE } from '../../../src/doip/payload-types.js';
import { DoipStreamParser } from '../../../src/doip/stream-parser.js';
import { hex } from './helpers.js';

/** A scripted entity: records what the tester sends, writes what the test says. */
class FakeEntity {
  readonly received: DoipMessage[] = [];
  socket: net.Socket | undefined;
  private wake: (() => void) | undefined;
  private cursor = 0;
  private constructor(readonly server: net.Server) {}

  /** `autoActivate`: code to answer routing activation requests with, or null for no answer. */
  static async start(autoActivate: number | null = 0x10): Promise<FakeEntity> {
    const server = net.createServer();
    const fake = new FakeEntity(server);
    server.on('connection', (s) => {
      fake.socket = s;
      s.on('error', () => undefined);
      const parser = new DoipStreamParser({ protocolVersion: 2, supportedPayloadTypes: new Set(PAYLOAD_TYPE_TABLE.map((i) => i.type)), maxDataSize: 1 << 20 });
      s.on('data', (c: Buffer) => {
        for (const ev of parser.push(c)) {
          if (ev.kind !== 'message') continue;
          fake.received.push(ev.message);
          if (ev.message.kind === 'routingActivationRequest' && autoActivate !== null) {
            fake.write({ kind: 'routingActivationResponse', testerAddress: ev.message.sourceAddress, entityAddress: 0x1000, code: autoActivate });
          }
        }
        fake.wake?.();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    return fake;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  write(m: DoipMessage | Uint8Array, version = 2): void {
    this.socket?.write(m instanceof Uint8Array ? m : encodeMessage(m, version));
  }

  async next<K extends PayloadTypeName>(kind: K): Promise<DoipMessageOf<K>> {
    for (;;) {
      while (this.cursor < this.received.length) {
        const m = this.received[this.cursor++] as DoipMessage;
        if (m.kind === kind) return m as DoipMessageOf<K>;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  async stop(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

let fake: FakeEntity | undefined;
const clients: DoipClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  await fake?.stop();
  fake = undefined;
});

async function connected(options: Parameters<typeof DoipClient.connect>[0] = {}): Promise<{ fake: FakeEntity; client: DoipClient }> {
  fake = await FakeEntity.start();
  const client = await DoipClient.connect({ port: fake.port, ...options });
  clients.push(client);
  return { fake, client };
}

describe('DoipClient.connect', () => {
  it('sends the routing activation request and resolves on 0x10 with the entity address', async () => {
    const { fake: f, client } = await connected({ testerAddress: 0x0e80, activationType: 0xe0, activationOem: hex('01 02 03 04') });
    expect(f.received[0]).toEqual({ kind: 'routingActivationRequest', sourceAddress: 0x0e80, activationType: 0xe0, reserved: 0, oem: hex('01 02 03 04') });
    expect(client.entityAddress).toBe(0x1000);
    expect(client.localAddress).toBe(0x0e80);
    expect(client.activationCode).toBe(0x10);
    expect(client.closed).toBe(false);
  });

  it('accepts 0x11 (confirmation required)', async () => {
    fake = await FakeEntity.start(0x11);
    const client = await DoipClient.connect({ port: fake.port });
    clients.push(client);
    expect(client.activationCode).toBe(0x11);
  });

  it('rejects with RoutingActivationError naming the code and what to do, and closes', async () => {
    fake = await FakeEntity.start(0x00);
    const err = (await DoipClient.connect({ port: fake.port, testerAddress: 0x1010 }).catch((e: unknown) => e)) as RoutingActivationError;
    expect(err).toBeInstanceOf(RoutingActivationError);
    expect(err).toBeInstanceOf(LinkError);
    expect(err.code).toBe('UDSKIT_DOIP_ROUTING');
    expect(err.activationCode).toBe(0x00);
    expect(err.message).toMatch(/0x1010.*0x00 unknownSourceAddress.*0x0E00-0x0FFF/);
    expect(err.toJSON()).toMatchObject({ code: 'UDSKIT_DOIP_ROUTING', activationCode: 0, name: 'unknownSourceAddress', testerAddress: 0x1010, entityAddress: 0x1000 });
  });

  it('connection refused -> LinkError with a hint', async () => {
    const probe = await FakeEntity.start();
    const port = probe.port;
    await probe.stop();
    await expect(DoipClient.connect({ port })).rejects.toThrow(/cannot connect to the DoIP entity at 127.0.0.1:\d+: ECONNREFUSED; is the simulator running/);
  });

  it('no routing activation response within activationTimeoutMs -> TimeoutError (FakeClock)', async () => {
    fake = await FakeEntity.start(null);
    const clock = new FakeClock();
    const p = DoipClient.connect({ port: fake.port, clock, activationTimeoutMs: 1500 }).catch((e: unknown) => e);
    await fake.next('routingActivationRequest');
    await clock.advance(1500);
    expect(await p).toBeInstanceOf(TimeoutError);
  });

  it('a generic header NACK to the activation -> HeaderNackError', async () => {
    fake = await FakeEntity.start(null);
    const f = fake;
    const p = DoipClient.connect({ port: f.port }).catch((e: unknown) => e);
    await f.next('routingActivationRequest');
    f.write({ kind: 'genericNack', code: 0x00 });
    const err = (await p) as HeaderNackError;
    expect(err).toBeInstanceOf(HeaderNackError);
    expect(err.code).toBe('UDSKIT_DOIP_HEADER_NACK');
    expect(err.nackName).toBe('incorrectPatternFormat');
  });

  it('validates options', async () => {
    await expect(DoipClient.connect({ testerAddress: 0x10000 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(DoipClient.connect({ protocolVersion: 9 })).rejects.toThrow(/protocolVersion/);
    await expect(DoipClient.connect({ ackTimeoutMs: 0 })).rejects.toThrow(/ackTimeoutMs/);
    await expect(DoipClient.connect({ port: 0 })).rejects.toThrow(/port/);
  });
});

describe('DoipClient.send and messages', () => {
  it('writes 8001 and resolves on the matching 8002; responses are emitted as messages', async () => {
    const { fake: f, client } = await connected();
    const messages: UdsMessage[] = [];
    client.events.on('message', (m) => messages.push(m));
    const sent = client.send({ target: 0x1010, data: hex('22 F1 90') });
    expect(await f.next('diagnosticMessage')).toEqual({ kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data: hex('22 F1 90') });
    f.write(encodeMessage({ kind: 'diagnosticMessageAck', sourceAddress: 0x1010, targetAddress: 0x0e00, code: 0, echo: new Uint8Array(0) }));
    await sent;
    f.write({ kind: 'diagnosticMessage', sourceAddress: 0x1010, targetAddress: 0x0f00, data: hex('62 00') }); // another tester's: dropped
    f.write({ kind: 'diagnosticMessage', sourceAddress: 0x1010, targetAddress: 0x0e00, data: hex('62 F1 90 41') });
    await new Promise<void>((resolve) => client.events.once('message', () => resolve()));
    expect(messages).toEqual([{ source: 0x1010, target: 0x0e00, addressing: 'physical', data: hex('62 F1 90 41') }]);
  });

  it('pipelined sends are acknowledged in order; NACK rejects with DiagnosticNackError', async () => {
    const { fake: f, client } = await connected();
    const a = client.send({ target: 0x1010, data: hex('3E 00') });
    const b = client.send({ target: 0x1011, data: hex('3E 00') }).catch((e: unknown) => e);
    const c = client.send({ target: 0xe400, data: hex('3E 00'), addressing: 'functional' });
    await f.next('diagnosticMessage');
    await f.next('diagnosticMessage');
    await f.next('diagnosticMessage');
    f.write({ kind: 'diagnosticMessageAck', sourceAddress: 0x1010, targetAddress: 0x0e00, code: 0, echo: new Uint8Array(0) });
    f.write({ kind: 'diagnosticMessageNack', sourceAddress: 0x1011, targetAddress: 0x0e00, code: 0x06, echo: new Uint8Array(0) });
    f.write({ kind: 'diagnosticMessageAck', sourceAddress: 0xe400, targetAddress: 0x0e00, code: 0, echo: new Uint8Array(0) });
    await a;
    await c;
    const err = (await b) as DiagnosticNackError;
    expect(err).toBeInstanceOf(DiagnosticNackError);
    expect(err).toBeInstanceOf(LinkError);
    expect(err.code).toBe('UDSKIT_DOIP_NACK');
    expect([err.nackCode, err.nackName]).toEqual([0x06, 'targetUnreachable']);
    expect(err.message).toMatch(/0x0E00 to 0x1011 refused with NACK 0x06 targetUnreachable.*wait/);
  });

  it('no ACK within ackTimeoutMs -> TimeoutError (FakeClock)', async () => {
    fake = await FakeEntity.start();
    const clock = new FakeClock();
    const client = await DoipClient.connect({ port: fake.port, clock, ackTimeoutMs: 2000 });
    clients.push(client);
    const p = client.send({ target: 0x1010, data: hex('3E 00') }).catch((e: unknown) => e);
    await fake.next('diagnosticMessage');
    await clock.advance(1999);
    await clock.advance(1);
    const err = await p;
    expect(err).toBeInstanceOf(TimeoutError);
    expect(String(err)).toMatch(/0x8002.*0x1010.*2000 ms/);
  });

  it('a generic header NACK rejects the oldest pending send with HeaderNackError; the link stays open', async () => {
    const { fake: f, client } = await connected();
    const p = client.send({ target: 0x1010, data: hex('36 01') }).catch((e: unknown) => e);
    await f.next('diagnosticMessage');
    f.write({ kind: 'genericNack', code: 0x02 });
    const err = (await p) as HeaderNackError;
    expect(err.nackName).toBe('messageTooLarge');
    expect(client.closed).toBe(false);
  });

  it('answers alive check requests with its tester address', async () => {
    const { fake: f } = await connected({ testerAddress: 0x0e42 });
    f.write({ kind: 'aliveCheckRequest' });
    expect(await f.next('aliveCheckResponse')).toEqual({ kind: 'aliveCheckResponse', sourceAddress: 0x0e42 });
  });

  it('entity closing: pending sends reject with LinkError, close event carries the error, later sends reject', async () => {
    const { fake: f, client } = await connected();
    const closeEvents: (Error | undefined)[] = [];
    client.events.on('close', (e) => closeEvents.push(e));
    const p = client.send({ target: 0x1010, data: hex('3E 00') }).catch((e: unknown) => e);
    await f.next('diagnosticMessage');
    f.socket?.destroy();
    expect(await p).toBeInstanceOf(LinkError);
    expect(client.closed).toBe(true);
    expect(closeEvents).toHaveLength(1);
    expect(closeEvents[0]).toBeInstanceOf(LinkError);
    await expect(client.send({ target: 0x1010, data: hex('3E 00') })).rejects.toThrow(/closed/);
  });

  it('an invalid frame from the entity (wrong version) closes the link with DoipProtocolError after a NACK 00', async () => {
    const { fake: f, client } = await connected();
    const closed = new Promise<Error | undefined>((resolve) => client.events.once('close', resolve));
    f.write({ kind: 'aliveCheckRequest' }, 3);
    const err = await closed;
    expect(err).toBeInstanceOf(DoipProtocolError);
    expect((await f.next('genericNack')).code).toBe(0x00);
  });

  it('send argument checks; close is idempotent and emits close once without error', async () => {
    const { client } = await connected({ maxDataSize: 16 });
    expect(client.maxMessageSize).toBe(12);
    await expect(client.send({ target: 0x1010, data: new Uint8Array(0) })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.send({ target: 0x1010, data: new Uint8Array(13) })).rejects.toThrow(/exceeds/);
    await expect(client.send({ target: -1, data: hex('3E') })).rejects.toBeInstanceOf(InvalidArgumentError);
    const closeEvents: (Error | undefined)[] = [];
    client.events.on('close', (e) => closeEvents.push(e));
    await client.close();
    await client.close();
    expect(closeEvents).toEqual([undefined]);
  });
});
