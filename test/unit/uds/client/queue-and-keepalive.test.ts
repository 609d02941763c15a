import { describe, it, expect } from 'vitest';
import { AbortedError, InvalidArgumentError, LinkError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { MemoryBus } from '../../../../src/core/memory-link.js';
import { FakeClock } from '../../../../src/core/clock.js';
import { UdsClient } from '../../../../src/uds/client/uds-client.js';
import { setup, track } from './helpers.js';

describe('UdsClient request queue', () => {
  it('serialises concurrent requests: the next goes out only after the previous answer', async () => {
    const { ecu, client, clock } = setup();
    ecu.handle((req) => [{ afterMs: 100, hex: toHex(Uint8Array.of(0x62, req[1] ?? 0, req[2] ?? 0, req[2] ?? 0)) }]);
    const ps = [0xf190, 0xf191, 0xf192].map((did) => track(client.readDataByIdentifier(did)));
    await clock.advance(0);
    expect(ecu.requests.map((r) => r.hex)).toEqual(['22 F1 90']);
    await clock.advance(300);
    await Promise.all(ps.map((p) => p.done));
    expect(ecu.requests).toEqual([
      { at: 0, hex: '22 F1 90', addressing: 'physical' },
      { at: 100, hex: '22 F1 91', addressing: 'physical' },
      { at: 200, hex: '22 F1 92', addressing: 'physical' },
    ]);
    expect(ps.map((p) => p.value?.[0]?.data[0])).toEqual([0x90, 0x91, 0x92]);
  });

  it('with nothing pending a request is handed to the link at once; later ones wait their turn', async () => {
    const { ecu, client, clock, testerLink } = setup();
    ecu.expect('22 F1 90', '62 F1 90 01').expect('22 F1 91', '62 F1 91 02');
    const sent: string[] = [];
    const send = testerLink.send.bind(testerLink);
    testerLink.send = (m) => {
      sent.push(toHex(m.data));
      return send(m);
    };
    const a = track(client.request(fromHex('22 F1 90')));
    expect(sent).toEqual(['22 F1 90']);
    const b = track(client.request(fromHex('22 F1 91')));
    expect(sent).toEqual(['22 F1 90']);
    await clock.advance(10);
    await Promise.all([a.done, b.done]);
    expect(sent).toEqual(['22 F1 90', '22 F1 91']);
    expect([toHex(a.value as Uint8Array), toHex(b.value as Uint8Array)]).toEqual(['62 F1 90 01', '62 F1 91 02']);
  });

  it('a failed request does not block the queue', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('22 F1 90').expect('22 F1 91', '62 F1 91 01');
    const a = track(client.request(fromHex('22 F1 90')));
    const b = track(client.request(fromHex('22 F1 91')));
    await clock.advance(150);
    await Promise.all([a.done, b.done]);
    expect(a.error).toBeDefined();
    expect(toHex(b.value as Uint8Array)).toBe('62 F1 91 01');
  });

  it('abort while in flight rejects with AbortedError; abort while queued never sends', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('31 01 FF 00', '7F 31 78');
    const c1 = new AbortController();
    const c2 = new AbortController();
    const a = track(client.request(fromHex('31 01 FF 00'), { signal: c1.signal }));
    const b = track(client.request(fromHex('22 F1 90'), { signal: c2.signal }));
    await clock.advance(1000);
    c2.abort();
    await b.done;
    expect(b.error).toBeInstanceOf(AbortedError);
    c1.abort();
    await a.done;
    expect(a.error).toBeInstanceOf(AbortedError);
    await clock.advance(10000);
    expect(ecu.requests.map((r) => r.hex)).toEqual(['31 01 FF 00']);
  });

  it('close() rejects the request in flight and the queued ones, and refuses new ones', async () => {
    const { ecu, client } = setup();
    ecu.expect('22 F1 90');
    const a = track(client.request(fromHex('22 F1 90')));
    const b = track(client.request(fromHex('22 F1 91')));
    await new Promise((r) => setImmediate(r));
    await client.close();
    await Promise.all([a.done, b.done]);
    expect(a.error).toBeInstanceOf(AbortedError);
    expect(b.error).toBeInstanceOf(AbortedError);
    await expect(client.request(fromHex('22 F1 90'))).rejects.toBeInstanceOf(AbortedError);
    expect(client.closed).toBe(true);
  });
});

describe('UdsClient TesterPresent keep-alive', () => {
  it('sends 3E 80 functionally on the clock until stopped', async () => {
    const { ecu, client, clock } = setup({ testerPresentIntervalMs: 2000 });
    const sent: number[] = [];
    client.events.on('keepAlive', (i) => sent.push(i.target));
    client.startTesterPresent();
    expect(client.testerPresentRunning).toBe(true);
    await clock.advance(6000);
    expect(ecu.testerPresents.map((t) => t.at)).toEqual([2000, 4000, 6000]);
    expect(sent).toEqual([0xe400, 0xe400, 0xe400]);
    client.stopTesterPresent();
    await clock.advance(6000);
    expect(ecu.testerPresents).toHaveLength(3);
  });

  it('physical keep-alive goes to the target', async () => {
    const { ecu, client, clock } = setup();
    client.startTesterPresent({ functional: false, intervalMs: 500 });
    await clock.advance(1000);
    expect(ecu.testerPresents).toEqual([
      { at: 500, addressing: 'physical' },
      { at: 1000, addressing: 'physical' },
    ]);
  });

  it('never blocks requests, and its 7E 00 answers (suppress: false) are ignored during a request', async () => {
    const { ecu, client, clock } = setup();
    const ignored: string[] = [];
    client.events.on('ignored', (_m, reason) => ignored.push(reason));
    ecu.handle((req) => (toHex(req) === '3E 00' ? ['7E 00'] : undefined));
    ecu.expect('22 F1 90', '7F 22 78', { afterMs: 2500, hex: '62 F1 90 01' });
    client.startTesterPresent({ suppress: false, intervalMs: 1000 });
    const t = track(client.readDataByIdentifier(0xf190));
    await clock.advance(2500);
    await t.done;
    expect(t.value).toEqual([{ did: 0xf190, data: Uint8Array.of(1) }]);
    expect(ecu.requests.filter((r) => r.hex === '3E 00').map((r) => r.at)).toEqual([1000, 2000]);
    expect(ignored).toEqual(['answer to a TesterPresent keep-alive', 'answer to a TesterPresent keep-alive']);
  });

  it('reports send failures as events and keeps running', async () => {
    const clock = new FakeClock();
    const bus = new MemoryBus();
    const link = bus.attach(0x0e00);
    const client = new UdsClient(link, { target: 0x2222, clock });
    const errors: Error[] = [];
    client.events.on('keepAliveError', (e) => errors.push(e));
    client.startTesterPresent({ functional: false, intervalMs: 100 });
    await clock.advance(300);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toBeInstanceOf(LinkError);
    expect(client.testerPresentRunning).toBe(true);
    await client.close();
    expect(client.testerPresentRunning).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('validates intervalMs', () => {
    const { client } = setup();
    expect(() => client.startTesterPresent({ intervalMs: 0 })).toThrow(InvalidArgumentError);
  });
});
