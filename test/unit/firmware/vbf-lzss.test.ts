import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { lzssCompress, lzssDecompress } from '../../../src/firmware/vbf-lzss.js';
import { VbfFormatError } from '../../../src/firmware/vbf-errors.js';

const where = { file: 't.vbf', offset: 100, block: 0 };
const h = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

describe('VBF LZSS (EI=10, EJ=4, stored position + 1)', () => {
  it('decodes a hand-assembled stream', () => {
    // 1 01000001 ('A') | 1 01000010 ('B') | 0 0000000001 (pos 0 + 1) 0100 (len 4 + 2) | 0000000 padding
    expect(Buffer.from(lzssDecompress(h('a0 d0 80 0a 00'), where)).toString('latin1')).toBe('ABABABAB');
  });

  it('stops at a reference with position 0 (terminator)', () => {
    // 'A' literal, then 0 0000000000 0000 -> end; the trailing byte is ignored
    expect(Buffer.from(lzssDecompress(h('a0 80 00 ff'), where)).toString('latin1')).toBe('A');
  });

  it('decodes the empty stream', () => {
    expect(lzssDecompress(new Uint8Array(0), where)).toEqual(new Uint8Array(0));
  });

  it('rejects a reference to data not decoded yet, with the byte offset', () => {
    // 'A' then a reference to ring position 5 (stored 6) with one byte decoded
    const bad = h('a0 80 60');
    expect(() => lzssDecompress(bad, where)).toThrow(VbfFormatError);
    try {
      lzssDecompress(bad, where);
    } catch (e) {
      expect((e as VbfFormatError).details).toMatchObject({ offset: 101, block: 0, found: 'ring position 5 with 1 byte(s) decoded' });
    }
  });

  it('round-trips typical firmware-like data and compresses repetitive data', () => {
    const data = new Uint8Array(5000);
    for (let i = 0; i < data.length; i++) data[i] = i % 7 === 0 ? 0xff : (i * 13) & 0x3f;
    const packed = lzssCompress(data);
    expect(packed.length).toBeLessThan(data.length / 2);
    expect(lzssDecompress(packed, where)).toEqual(data);
  });

  it('never emits stored position 0 (data whose only match sits at ring position 1023)', () => {
    const data = new Uint8Array(1030);
    for (let i = 0; i < data.length; i++) data[i] = i & 0xff ? i & 0xff : 1;
    data[1023] = 0xaa;
    data[1024] = 0xbb;
    data[1026] = 0xaa;
    data[1027] = 0xbb;
    expect(lzssDecompress(lzssCompress(data), where)).toEqual(data);
  });

  it('round-trips random data (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 8 }), (raw, alphabet) => {
        const data = raw.map((b) => b % (alphabet * 32));
        expect(lzssDecompress(lzssCompress(data), where)).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });

  it('random streams decode or fail with VbfFormatError only (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        try {
          lzssDecompress(bytes, where);
        } catch (e) {
          expect(e).toBeInstanceOf(VbfFormatError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with an independent Python decoder of the same variant', () => {
    const data = new Uint8Array(4096);
    for (let i = 0; i < data.length; i++) data[i] = (i % 300 < 150 ? i & 0x0f : (i * 7) & 0xff) as number;
    const script = `
import sys
src = bytes.fromhex(sys.stdin.read().strip())
N = 1024; ring = bytearray(N); r = 0; out = bytearray(); pos = 0; total = len(src) * 8
def bits(n):
    global pos
    v = 0
    for _ in range(n):
        v = (v << 1) | ((src[pos >> 3] >> (7 - (pos & 7))) & 1); pos += 1
    return v
while total - pos >= 1:
    if bits(1):
        if total - pos < 8: break
        c = bits(8); out.append(c); ring[r] = c; r = (r + 1) & (N - 1)
    else:
        if total - pos < 14: break
        i = bits(10); j = bits(4)
        if i == 0: break
        i -= 1
        for k in range(j + 2):
            c = ring[(i + k) & (N - 1)]; out.append(c); ring[r] = c; r = (r + 1) & (N - 1)
print(out.hex())
`;
    const hex = execFileSync('python3', ['-c', script], { input: Buffer.from(lzssCompress(data)).toString('hex') }).toString().trim();
    expect(hex).toBe(Buffer.from(data).toString('hex'));
  });
});
