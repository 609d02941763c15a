import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../../src/core/bytes.js';
import type { HeaderRules } from '../../../src/doip/header.js';
import { encodeMessage } from '../../../src/doip/message.js';
import { PAYLOAD_TYPE_TABLE } from '../../../src/doip/payload-types.js';
import type { DoipMessage } from '../../../src/doip/message.js';
import type { DoipStreamEvent } from '../../../src/doip/stream-parser.js';
import { DoipStreamParser } from '../../../src/doip/stream-parser.js';
import { arbMessage, splitAt } from './arbitraries.js';
import { hex } from './helpers.js';

const ALL: HeaderRules = { protocolVersion: 2, supportedPayloadTypes: new Set(PAYLOAD_TYPE_TABLE.map((i) => i.type)), maxDataSize: 1024 };

/** Reduces events to something comparable across chunkings. */
function summary(events: DoipStreamEvent[]): unknown[] {
  return events.map((e) => (e.kind === 'message' ? ['message', [...encodeMessage(e.message)]] : ['headerError', e.code, e.action]));
}

function feed(parser: DoipStreamParser, chunks: Uint8Array[]): DoipStreamEvent[] {
  return chunks.flatMap((c) => parser.push(c));
}

describe('DoipStreamParser', () => {
  it('assembles a diagnostic message split over chunks; its UDS bytes survive later pushes', () => {
    const p = new DoipStreamParser(ALL);
    const uds = Uint8Array.from({ length: 600 }, (_, i) => i & 0xff);
    const frame = encodeMessage({ kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data: uds });
    const events = [...p.push(frame.slice(0, 100)), ...p.push(frame.slice(100, 400)), ...p.push(frame.slice(400))];
    expect(events).toHaveLength(1);
    const first = events[0];
    if (first?.kind !== 'message' || first.message.kind !== 'diagnosticMessage') throw new Error('expected a diagnostic message');
    const data = first.message.data;
    expect(data).toEqual(uds);
    p.push(encodeMessage({ kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data: new Uint8Array(600) }));
    expect(data).toEqual(uds);
  });

  it('returns whole messages from one chunk holding several', () => {
    const p = new DoipStreamParser(ALL);
    const bytes = concatBytes(
      hex('02 FD 0005 00000007 | 0E 00 | 00 | 00000000'), // routing activation request
      hex('02 FD 8001 00000006 | 0E 00 | 10 10 | 10 03'), // diagnostic message
    );
    const events = p.push(bytes);
    expect(events.map((e) => e.kind === 'message' && e.message.kind)).toEqual(['routingActivationRequest', 'diagnosticMessage']);
    expect(p.bufferedBytes).toBe(0);
  });

  it('waits for a split header and a split payload', () => {
    const p = new DoipStreamParser(ALL);
    expect(p.push(hex('02 FD 80'))).toEqual([]);
    expect(p.push(hex('01 00 00 00 06 0E'))).toEqual([]);
    expect(p.bufferedBytes).toBe(1);
    const ev = p.push(hex('00 10 10 3E 00'));
    expect(ev).toHaveLength(1);
    expect(ev[0]?.kind === 'message' && ev[0].message).toEqual({ kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data: hex('3E 00') });
  });

  it('wrong inverse version: NACK 00, close, and every later byte ignored', () => {
    const p = new DoipStreamParser(ALL);
    const ev = p.push(concatBytes(hex('02 FF 0007 00000000'), hex('02 FD 0007 00000000')));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ kind: 'headerError', code: 0x00, action: 'close' });
    expect(p.failed).toBe(true);
    expect(p.push(hex('02 FD 0007 00000000'))).toEqual([]);
    expect(p.bufferedBytes).toBe(0);
  });

  it('unsupported version (03 on a version-02 parser): NACK 00', () => {
    expect(new DoipStreamParser(ALL).push(hex('03 FC 0007 00000000'))[0]).toMatchObject({ code: 0x00, action: 'close' });
  });

  it('unknown payload type: NACK 01, payload discarded, next message parsed', () => {
    const p = new DoipStreamParser(ALL);
    const ev = p.push(concatBytes(hex('02 FD 1234 00000003 | AA BB CC'), hex('02 FD 0008 00000002 | 0E 00')));
    expect(summary(ev)).toEqual([
      ['headerError', 0x01, 'discard'],
      ['message', [...hex('02 FD 0008 00000002 0E 00')]],
    ]);
  });

  it('too large: NACK 02 at once, then the payload is skipped as it arrives without being buffered', () => {
    const p = new DoipStreamParser({ ...ALL, maxDataSize: 16 });
    const first = p.push(hex('02 FD 8001 00100000')); // 1 MiB announced
    expect(first).toEqual([expect.objectContaining({ kind: 'headerError', code: 0x02, action: 'discard' })]);
    for (let i = 0; i < 16; i++) {
      expect(p.push(new Uint8Array(0x10000))).toEqual([]);
      expect(p.bufferedBytes).toBe(0);
    }
    expect(p.discardingBytes).toBe(0);
    // the next message is parsed normally, even when it shares a chunk with the tail of the skipped one
    const p2 = new DoipStreamParser({ ...ALL, maxDataSize: 16 });
    p2.push(hex('02 FD 8001 00000020'));
    const ev = p2.push(concatBytes(new Uint8Array(0x20), hex('02 FD 0007 00000000')));
    expect(summary(ev)).toEqual([['message', [...hex('02 FD 0007 00000000')]]]);
  });

  it('invalid length for the type: NACK 04 and close', () => {
    const ev = new DoipStreamParser(ALL).push(hex('02 FD 0005 00000005 | 0E 00 00 00 00'));
    expect(ev).toEqual([expect.objectContaining({ kind: 'headerError', code: 0x04, action: 'close' })]);
  });

  it('version FF is refused on a TCP parser even for vehicle identification requests', () => {
    expect(new DoipStreamParser(ALL).push(hex('FF 00 0001 00000000'))[0]).toMatchObject({ code: 0x00 });
  });

  it('property: random bytes never throw; only documented events and codes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.boolean(), (chunks, fixPattern) => {
        const p = new DoipStreamParser({ ...ALL, maxDataSize: 24 });
        for (const c of chunks) {
          const b = Uint8Array.from(c);
          if (fixPattern && b.length >= 2) {
            b[0] = 2;
            b[1] = 0xfd;
          }
          for (const ev of p.push(b)) {
            expect(['message', 'headerError']).toContain(ev.kind);
            if (ev.kind === 'headerError') expect([0, 1, 2, 4]).toContain(ev.code);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('property: any chunking of a stream of valid messages yields the same messages', () => {
    fc.assert(
      fc.property(fc.array(arbMessage, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 12 }), (messages, cuts) => {
        const stream = concatBytes(...messages.map((m) => encodeMessage(m)));
        const chunked = feed(new DoipStreamParser(ALL), splitAt(stream, cuts));
        expect(summary(chunked)).toEqual(messages.map((m) => ['message', [...encodeMessage(m)]]));
      }),
      { numRuns: 1500 },
    );
  });

  it('property: large messages assembled across any chunking equal the messages sent', () => {
    const large = fc
      .record({ size: fc.integer({ min: 1000, max: 5000 }), seed: fc.nat(255) })
      .map(({ size, seed }): DoipMessage => ({ kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1011, data: Uint8Array.from({ length: size }, (_, i) => (i * 7 + seed) & 0xff) }));
    fc.assert(
      fc.property(fc.array(fc.oneof(large, arbMessage), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, cuts) => {
        const rules = { ...ALL, maxDataSize: 8192 };
        const stream = concatBytes(...messages.map((m) => encodeMessage(m)));
        const chunks = splitAt(stream, cuts);
        const events = feed(new DoipStreamParser(rules), chunks);
        const expected = messages.map((m) => ['message', [...encodeMessage(m)]]);
        expect(summary(events)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('property: with transientChunks, chunks read into one reused buffer yield the same messages', () => {
    const large = fc
      .record({ size: fc.integer({ min: 1000, max: 3000 }), seed: fc.nat(255) })
      .map(({ size, seed }): DoipMessage => ({ kind: 'diagnosticMessage', sourceAddress: 0x1011, targetAddress: 0x0e00, data: Uint8Array.from({ length: size }, (_, i) => (i * 3 + seed) & 0xff) }));
    fc.assert(
      fc.property(fc.array(fc.oneof(large, arbMessage), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (messages, cuts) => {
        const p = new DoipStreamParser({ ...ALL, maxDataSize: 8192 }, { transientChunks: true });
        const stream = concatBytes(...messages.map((m) => encodeMessage(m)));
        const reused = new Uint8Array(stream.length);
        const events: DoipStreamEvent[] = [];
        for (const c of splitAt(stream, cuts)) {
          reused.set(c);
          events.push(...p.push(reused.subarray(0, c.length)));
          reused.fill(0xee); // the socket reads the next chunk into the same memory
        }
        expect(summary(events)).toEqual(messages.map((m) => ['message', [...encodeMessage(m)]]));
      }),
      { numRuns: 500 },
    );
  });

  it('a large payload is assembled as it arrives: buffered bytes count, a close error drops it', () => {
    const p = new DoipStreamParser({ ...ALL, maxDataSize: 8192 });
    const frame = encodeMessage({ kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1011, data: new Uint8Array(3000).fill(0x5a) });
    expect(p.push(frame.subarray(0, 1000))).toEqual([]);
    expect(p.bufferedBytes).toBe(1000 - 8);
    expect(p.push(frame.subarray(1000, 2000))).toEqual([]);
    expect(p.bufferedBytes).toBe(2000 - 8);
    const next = hex('02 FD 8001 00000006 | 0E 00 | 10 11 | 3E 00');
    const ev = p.push(concatBytes(frame.subarray(2000), next));
    expect(ev.map((e) => e.kind === 'message' && e.message.kind === 'diagnosticMessage' && e.message.data.length)).toEqual([3000, 2]);
    expect(p.bufferedBytes).toBe(0);
  });

  it('property: any chunking of a stream mixing valid, unknown and too-large messages yields the same events', () => {
    const unknown = fc.uint8Array({ maxLength: 20 }).map((p) => concatBytes(hex('02 FD 7777'), Uint8Array.of(0, 0, 0, p.length), p));
    const tooLarge = fc.integer({ min: 65, max: 300 }).map((n) => concatBytes(hex('02 FD 8001'), Uint8Array.of(0, 0, n >> 8, n & 0xff), new Uint8Array(n)));
    const valid = arbMessage.filter((m) => m.kind !== 'diagnosticMessage' || m.data.length <= 60).map((m) => encodeMessage(m));
    fc.assert(
      fc.property(fc.array(fc.oneof(valid, unknown, tooLarge), { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 16 }), (frames, cuts) => {
        const rules = { ...ALL, maxDataSize: 64 };
        const stream = concatBytes(...frames);
        const whole = summary(new DoipStreamParser(rules).push(stream));
        const chunked = summary(feed(new DoipStreamParser(rules), splitAt(stream, cuts)));
        expect(chunked).toEqual(whole);
        expect(whole).toHaveLength(frames.length);
      }),
      { numRuns: 1500 },
    );
  });
});
