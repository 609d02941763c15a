/** Hex formatting and parsing helpers for bytes, addresses and CLI input. */
import { InvalidArgumentError } from './errors.js';

/** Bytes as upper-case hex pairs separated by `sep` (default a space): `22 F1 90`. */
export function toHex(bytes: Uint8Array | readonly number[], sep = ' '): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += sep;
    out += ((bytes[i] as number) & 0xff).toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * Parses hex bytes written the ways people write them: `22 F1 90`, `22F190`, `0x22,0xF1,0x90`,
 * `22:f1:90`. Throws {@link InvalidArgumentError} naming the bad part.
 */
export function fromHex(text: string): Uint8Array {
  const cleaned = text
    .trim()
    .replace(/0x/gi, ' ')
    .replace(/[\s,:;_-]+/g, ' ')
    .trim();
  if (cleaned === '') return new Uint8Array(0);
  const out: number[] = [];
  for (const tok of cleaned.split(' ')) {
    if (!/^[0-9a-fA-F]+$/.test(tok)) {
      throw new InvalidArgumentError(`"${tok}" is not hex: write bytes like "22 F1 90" or "22F190"`, { input: text });
    }
    if (tok.length % 2 !== 0 && tok.length > 2) {
      throw new InvalidArgumentError(`"${tok}" has an odd number of hex digits: write whole bytes like "0F" not "F"`, {
        input: text,
      });
    }
    if (tok.length <= 2) {
      out.push(parseInt(tok, 16));
    } else {
      for (let i = 0; i < tok.length; i += 2) out.push(parseInt(tok.slice(i, i + 2), 16));
    }
  }
  return Uint8Array.from(out);
}

/** A number as `0x` + upper-case hex, zero-padded to `digits` (default 4): `0x1010`. */
export function hexNum(v: number, digits = 4): string {
  return '0x' + v.toString(16).toUpperCase().padStart(digits, '0');
}

/** A byte as two upper-case hex digits: `7F`. */
export function hexByte(v: number): string {
  return (v & 0xff).toString(16).toUpperCase().padStart(2, '0');
}

/**
 * Parses an integer written as decimal, `0x` hex, or with a size suffix (`64K`, `1M`, `16MiB`).
 * `field` names the option in the error message.
 */
export function parseIntAuto(text: string | number, field = 'value'): number {
  if (typeof text === 'number') {
    if (!Number.isInteger(text)) throw new InvalidArgumentError(`${field} must be an integer, got ${text}`);
    return text;
  }
  const t = text.trim();
  const m = /^(0x[0-9a-f]+|\d+)\s*(k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(t);
  if (!m) {
    throw new InvalidArgumentError(`${field} must be a number like 4096, 0x1000 or 64K, got "${text}"`, { field });
  }
  const base = m[1]!.toLowerCase().startsWith('0x') ? parseInt(m[1]!.slice(2), 16) : parseInt(m[1]!, 10);
  const unit = (m[2] ?? '').toLowerCase();
  const mult = unit.startsWith('k') ? 1024 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('g') ? 1024 ** 3 : 1;
  return base * mult;
}
