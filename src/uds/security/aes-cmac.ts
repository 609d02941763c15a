/**
 * AES-128-CMAC (NIST SP 800-38B, RFC 4493) over Node's `crypto`, for the `aes128-cmac` seed/key
 * algorithm of spec/uds.md "Security access".
 */
import { createCipheriv } from 'node:crypto';
import { InvalidArgumentError } from '../../core/errors.js';

const BLOCK = 16;
/** RFC 4493 2.3 — R_b constant for a 128-bit block cipher. */
const RB = 0x87;

function aesBlock(key: Uint8Array, block: Uint8Array): Uint8Array {
  const c = createCipheriv('aes-128-ecb', key, null);
  c.setAutoPadding(false);
  const out = Buffer.concat([c.update(block), c.final()]);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** RFC 4493 2.3 — left shift by one bit, XOR R_b when the MSB was set. */
function doubleBlock(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK);
  let carry = 0;
  for (let i = BLOCK - 1; i >= 0; i--) {
    const v = b[i] as number;
    out[i] = ((v << 1) | carry) & 0xff;
    carry = v >> 7;
  }
  if (((b[0] as number) & 0x80) !== 0) out[BLOCK - 1] = (out[BLOCK - 1] as number) ^ RB;
  return out;
}

/**
 * AES-128-CMAC of `message` under the 16-byte `key` (RFC 4493 2.4). Returns the 16-byte tag.
 * Throws {@link InvalidArgumentError} unless the key is 16 bytes.
 */
export function aes128Cmac(key: Uint8Array, message: Uint8Array): Uint8Array {
  if (key.length !== BLOCK) {
    throw new InvalidArgumentError(`aes128-cmac: the secret must be a 16-byte AES-128 key, got ${key.length} byte(s)`, {
      field: 'secret',
    });
  }
  const l = aesBlock(key, new Uint8Array(BLOCK));
  const k1 = doubleBlock(l);
  const k2 = doubleBlock(k1);
  const n = Math.max(1, Math.ceil(message.length / BLOCK));
  const complete = message.length > 0 && message.length % BLOCK === 0;
  // RFC 4493 2.4 step 4 — the last block is XORed with K1 when complete, else padded (10*) and XORed with K2.
  const last = new Uint8Array(BLOCK);
  const tail = message.subarray((n - 1) * BLOCK);
  last.set(tail);
  if (!complete) last[tail.length] = 0x80;
  const sub = complete ? k1 : k2;
  for (let i = 0; i < BLOCK; i++) last[i] = (last[i] as number) ^ (sub[i] as number);
  let x: Uint8Array = new Uint8Array(BLOCK);
  for (let b = 0; b < n; b++) {
    const m = b === n - 1 ? last : message.subarray(b * BLOCK, (b + 1) * BLOCK);
    const y = new Uint8Array(BLOCK);
    for (let i = 0; i < BLOCK; i++) y[i] = (x[i] as number) ^ (m[i] as number);
    x = aesBlock(key, y);
  }
  return x;
}
