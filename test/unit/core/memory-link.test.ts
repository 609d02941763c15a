import { describe, expect, it } from 'vitest';
import { LinkError } from '../../../src/core/errors.js';
import type { UdsMessage } from '../../../src/core/link.js';
import { MemoryBus, createMemoryLinkPair } from '../../../src/core/memory-link.js';
import { flushMicrotasks } from '../../../src/core/clock.js';

describe('MemoryBus', () => {
  it('delivers physical messages to the addressed endpoint, asynchronously and in order', async () => {
    const { tester, ecu } = createMemoryLinkPair(0x0e00, 0x1010);
    const got: UdsMessage[] = [];
    ecu.events.on('message', (m) => got.push(m));
    const sent = [
      tester.send({ target: 0x1010, data: Uint8Array.of(0x10, 0x03) }),
      tester.send({ target: 0x1010, data: Uint8Array.of(0x3e, 0x00) }),
    ];
    expect(got).toHaveLength(0); // never synchronous: a handler cannot re-enter the sender
    await Promise.all(sent);
    await flushMicrotasks();
    expect(got.map((m) => Array.from(m.data))).toEqual([[0x10, 0x03], [0x3e, 0x00]]);
    expect(got[0]).toMatchObject({ source: 0x0e00, target: 0x1010, addressing: 'physical' });
  });

  it('delivers functional messages to every listener but the sender', async () => {
    const bus = new MemoryBus();
    const tester = bus.attach(0x0e00);
    const a = bus.attach(0x1010, { functionalAddresses: [0xe400] });
    const b = bus.attach(0x1020, { functionalAddresses: [0xe400] });
    const c = bus.attach(0x1030);
    const seen: number[] = [];
    for (const l of [a, b, c]) l.events.on('message', () => seen.push(l.localAddress));
    await tester.send({ target: 0xe400, data: Uint8Array.of(0x3e, 0x80), addressing: 'functional' });
    await flushMicrotasks();
    expect(seen.sort()).toEqual([0x1010, 0x1020]);
  });

  it('rejects sends to nobody, after close, and duplicate addresses', async () => {
    const bus = new MemoryBus();
    const t = bus.attach(0x0e00);
    await expect(t.send({ target: 0x1234, data: Uint8Array.of(0x22) })).rejects.toThrow(LinkError);
    expect(() => bus.attach(0x0e00)).toThrow(/already attached/);
    let closed = false;
    t.events.on('close', () => (closed = true));
    await t.close();
    expect(closed).toBe(true);
    await expect(t.send({ target: 0x0e00, data: Uint8Array.of(0x22) })).rejects.toThrow(/closed/);
  });
});
