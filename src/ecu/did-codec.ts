/**
 * How a DID's bytes read as a value (the `codec` of a DID in the profile): raw bytes, printable ASCII,
 * packed BCD digits, or an unsigned / signed (two's complement) big-endian integer. Used three ways:
 * to turn the natural `value` of a profile (`12345`, `"20240101"`) into bytes, to check the data of a
 * WriteDataByIdentifier (0x2E) or an IO control state (0x2F), and to show a value.
 */
import { fromHex, hexByte } from '../core/hex.js';

/** The DID codecs a profile may name. */
export const DID_CODECS = ['bytes', 'ascii', 'bcd', 'uint', 'int'] as const;

/** One of {@link DID_CODECS}. */
export type DidCodecName = (typeof DID_CODECS)[number];

/** A DID's codec with its parameters. */
export interface DidCodecSpec {
  /** The codec. */
  readonly codec: DidCodecName;
  /** Byte length (required for uint / int; a fixed length for the others when given). */
  readonly length?: number;
  /** Smallest allowed value (uint / int). */
  readonly min?: number;
  /** Largest allowed value (uint / int). */
  readonly max?: number;
}

/** How a profile may write a DID value: natural (text, number), `{ hex }`, or bytes. */
export type DidValueInput = string | number | { hex: string } | Uint8Array;

/** Largest integer byte length (6 bytes keep every value an exact JS number). */
export const MAX_INTEGER_LENGTH = 6;

/** Thrown by {@link encodeDidValue} with a message for the profile user. */
export class DidValueError extends Error {}

function checkedLength(spec: DidCodecSpec, bytes: Uint8Array): Uint8Array {
  if (spec.length !== undefined && bytes.length !== spec.length) {
    throw new DidValueError(`the value is ${bytes.length} byte(s) but length is ${spec.length}`);
  }
  const problem = didValueProblem(spec, bytes);
  if (problem) throw new DidValueError(problem);
  return bytes;
}

function integerBytes(spec: DidCodecSpec, value: number): Uint8Array {
  const n = spec.length;
  if (n === undefined) throw new DidValueError(`codec ${spec.codec} needs a length (1..${MAX_INTEGER_LENGTH} bytes)`);
  if (!Number.isSafeInteger(value)) throw new DidValueError(`${value} is not an integer`);
  const span = 2 ** (8 * n);
  const lo = spec.codec === 'int' ? -span / 2 : 0;
  const hi = spec.codec === 'int' ? span / 2 - 1 : span - 1;
  if (value < lo || value > hi) throw new DidValueError(`${value} does not fit ${spec.codec} of ${n} byte(s) (${lo}..${hi})`);
  let v = value < 0 ? value + span : value;
  const out = new Uint8Array(n);
  for (let i = n - 1; i >= 0; i--) {
    out[i] = v % 256;
    v = Math.floor(v / 256);
  }
  return out;
}

function bcdBytes(spec: DidCodecSpec, value: string | number): Uint8Array {
  let digits = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 0 ? String(value) : '') : value.replace(/[\s\-/.:]/g, '');
  if (!/^[0-9]+$/.test(digits)) throw new DidValueError(`${JSON.stringify(value)} is not decimal digits (BCD)`);
  const width = spec.length !== undefined ? 2 * spec.length : digits.length + (digits.length % 2);
  if (digits.length > width) throw new DidValueError(`${digits.length} digits do not fit ${spec.length} BCD byte(s)`);
  digits = digits.padStart(width, '0');
  const out = new Uint8Array(width / 2);
  for (let i = 0; i < out.length; i++) out[i] = (Number(digits[2 * i]) << 4) | Number(digits[2 * i + 1]);
  return out;
}

/**
 * The bytes of `value` under `spec`. Text is ASCII for `bytes` / `ascii`, digits for `bcd` (separators
 * ` -/.:` ignored, left-padded with 0 to `length`), a number for `uint` / `int` (strings such as "0x1234"
 * too); `{ hex }` and `Uint8Array` are the bytes themselves, checked against the codec. Throws
 * {@link DidValueError} naming the problem.
 */
export function encodeDidValue(spec: DidCodecSpec, value: DidValueInput): Uint8Array {
  if (value instanceof Uint8Array) return checkedLength(spec, value);
  if (typeof value === 'object') {
    let bytes: Uint8Array;
    try {
      bytes = fromHex(value.hex);
    } catch {
      throw new DidValueError(`hex "${value.hex}" is not whole hex bytes (write e.g. "0102" or "01 02")`);
    }
    return checkedLength(spec, bytes);
  }
  switch (spec.codec) {
    case 'uint':
    case 'int': {
      const n = typeof value === 'number' ? value : parseIntegerText(value);
      return checkedLength(spec, integerBytes(spec, n));
    }
    case 'bcd':
      return checkedLength(spec, bcdBytes(spec, value));
    default: {
      if (typeof value === 'number') throw new DidValueError(`codec ${spec.codec} takes text or { hex }, not the number ${value}`);
      for (let i = 0; i < value.length; i++) {
        const c = value.charCodeAt(i);
        if (c > 0x7e || (spec.codec === 'ascii' && c < 0x20)) {
          throw new DidValueError(`text "${value}" is not printable ASCII (character ${i + 1}); write it as { hex: "..." }`);
        }
      }
      return checkedLength(spec, Uint8Array.from(value, (ch) => ch.charCodeAt(0)));
    }
  }
}

function parseIntegerText(text: string): number {
  const t = text.trim();
  const n = /^-?0x[0-9a-f]+$/i.test(t) ? (t.startsWith('-') ? -parseInt(t.slice(3), 16) : parseInt(t, 16)) : /^-?[0-9]+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(n)) throw new DidValueError(`${JSON.stringify(text)} is not an integer`);
  return n;
}

/** The integer `data` holds under a `uint` / `int` spec. */
export function decodeDidInteger(spec: DidCodecSpec, data: Uint8Array): number {
  let v = 0;
  for (const b of data) v = v * 256 + b;
  if (spec.codec === 'int' && data.length > 0 && (data[0] as number) >= 0x80) v -= 2 ** (8 * data.length);
  return v;
}

/**
 * Why `data` is not a valid value under `spec` (a bad BCD digit, a non-printable ASCII byte, an integer
 * outside min..max), or undefined when it is. Lengths are the caller's (they answer 0x13, not 0x31).
 */
export function didValueProblem(spec: DidCodecSpec, data: Uint8Array): string | undefined {
  switch (spec.codec) {
    case 'ascii': {
      const i = data.findIndex((b) => b < 0x20 || b > 0x7e);
      return i < 0 ? undefined : `byte ${i + 1} (0x${hexByte(data[i] as number)}) is not printable ASCII`;
    }
    case 'bcd': {
      const i = data.findIndex((b) => b >> 4 > 9 || (b & 0x0f) > 9);
      return i < 0 ? undefined : `byte ${i + 1} (0x${hexByte(data[i] as number)}) is not two BCD digits`;
    }
    case 'uint':
    case 'int': {
      if (data.length > MAX_INTEGER_LENGTH) return undefined;
      const v = decodeDidInteger(spec, data);
      if (spec.min !== undefined && v < spec.min) return `${v} is below the minimum ${spec.min}`;
      if (spec.max !== undefined && v > spec.max) return `${v} is above the maximum ${spec.max}`;
      return undefined;
    }
    default:
      return undefined;
  }
}

/** `data` as its natural value: text (ascii), digits (bcd), a number (uint / int), or the bytes. */
export function decodeDidValue(spec: DidCodecSpec, data: Uint8Array): string | number | Uint8Array {
  switch (spec.codec) {
    case 'ascii':
      return String.fromCharCode(...data);
    case 'bcd':
      return [...data].map((b) => hexByte(b)).join('');
    case 'uint':
    case 'int':
      return data.length <= MAX_INTEGER_LENGTH ? decodeDidInteger(spec, data) : data;
    default:
      return data;
  }
}
