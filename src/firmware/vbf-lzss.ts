/**
 * The LZSS variant of VBF blocks with `data_format_identifier = 0x10`.
 *
 * Bit stream, most significant bit first, last byte padded with zero bits:
 * - `1` + 8 bits: a literal byte;
 * - `0` + 10 bits P + 4 bits L: copy L + 2 bytes (2..17) from the 1024-byte ring, starting at ring
 *   position P - 1; the ring position of an output byte is its offset in the block modulo 1024.
 *   P = 0 ends the stream. Running out of bits inside a token also ends it (padding).
 * This is Okumura's public-domain LZSS with EI = 10, EJ = 4, P = 1 as VBF tools use it (the open
 * `qvbf` VbfEditor decoder: ring starts at 0, stored position + 1, 0 as terminator; the same
 * parameters in nmatt0/moria's VBF extractor). The CRC-16 of a compressed block covers the
 * decompressed data. The compressor here emits streams that decoder reads; it is not byte-identical
 * to any OEM packer (no public reference output exists to compare with).
 */
import { VbfFormatError } from './vbf-errors.js';

const EI = 10;
const EJ = 4;
const N = 1 << EI; // ring size
const MIN_MATCH = 2;
const MAX_MATCH = (1 << EJ) + 1; // 17
/** The reference encoder searches N - F bytes back; stay inside what real decoders have seen. */
const MAX_DISTANCE = N - MAX_MATCH;
const MAX_CHAIN = 128;

/** Decompresses one VBF LZSS block. `where` names the block in errors (offset = block data offset). */
export function lzssDecompress(src: Uint8Array, where: { file?: string | undefined; offset: number; block: number }): Uint8Array {
  let out = new Uint8Array(Math.max(64, src.length * 4));
  let outLen = 0;
  let bitPos = 0;
  const totalBits = src.length * 8;
  const bits = (n: number): number => {
    let v = 0;
    for (let i = 0; i < n; i++) {
      const b = src[bitPos >>> 3] as number;
      v = (v << 1) | ((b >>> (7 - (bitPos & 7))) & 1);
      bitPos++;
    }
    return v;
  };
  const push = (c: number): void => {
    if (outLen === out.length) {
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out);
      out = bigger;
    }
    out[outLen++] = c;
  };
  while (totalBits - bitPos >= 1) {
    if (bits(1) === 1) {
      if (totalBits - bitPos < 8) break;
      push(bits(8));
      continue;
    }
    if (totalBits - bitPos < EI + EJ) break;
    const tokenBit = bitPos - 1;
    const p = bits(EI);
    const len = bits(EJ) + MIN_MATCH;
    if (p === 0) break;
    const start = p - 1;
    for (let k = 0; k < len; k++) {
      // Ring slot (start + k) mod N holds the output byte at the latest offset with that residue.
      const slot = (start + k) & (N - 1);
      let from: number;
      if (outLen >= N) from = outLen - ((outLen - slot) & (N - 1) || N);
      else if (slot < outLen) from = slot;
      else {
        throw VbfFormatError.at(
          { file: where.file, offset: where.offset + (tokenBit >>> 3), expected: `an LZSS reference to data already decoded (block ${where.block})`, found: `ring position ${slot} with ${outLen} byte(s) decoded` },
          { block: where.block, bit: tokenBit },
        );
      }
      push(out[from] as number);
    }
  }
  return out.slice(0, outLen);
}

/** Compresses data into the VBF LZSS stream read by {@link lzssDecompress} (greedy, hash chains). */
export function lzssCompress(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nbits = 0;
  const put = (v: number, n: number): void => {
    for (let i = n - 1; i >= 0; i--) {
      acc = (acc << 1) | ((v >>> i) & 1);
      if (++nbits === 8) {
        out.push(acc);
        acc = 0;
        nbits = 0;
      }
    }
  };
  const head = new Int32Array(1 << 16).fill(-1);
  const prev = new Int32Array(data.length);
  const key = (i: number): number => ((data[i] as number) << 8) | (data[i + 1] as number);
  const insert = (i: number): void => {
    if (i + 1 >= data.length) return;
    const k = key(i);
    prev[i] = head[k] as number;
    head[k] = i;
  };
  let i = 0;
  while (i < data.length) {
    let bestLen = 0;
    let bestPos = -1;
    if (i + 1 < data.length) {
      const limit = Math.min(MAX_MATCH, data.length - i);
      let cand = head[key(i)] as number;
      for (let steps = 0; cand >= 0 && i - cand <= MAX_DISTANCE && steps < MAX_CHAIN; steps++) {
        // A stored position of (cand mod N) + 1 = N would wrap to 0, the terminator: skip it.
        if ((cand & (N - 1)) !== N - 1) {
          let l = 0;
          while (l < limit && data[cand + l] === data[i + l]) l++;
          if (l > bestLen) {
            bestLen = l;
            bestPos = cand;
            if (l === limit) break;
          }
        }
        cand = prev[cand] as number;
      }
    }
    if (bestLen >= MIN_MATCH) {
      put(0, 1);
      put((bestPos & (N - 1)) + 1, EI);
      put(bestLen - MIN_MATCH, EJ);
      for (let k = 0; k < bestLen; k++) insert(i + k);
      i += bestLen;
    } else {
      put(1, 1);
      put(data[i] as number, 8);
      insert(i);
      i++;
    }
  }
  if (nbits > 0) out.push(acc << (8 - nbits));
  return Uint8Array.from(out);
}
