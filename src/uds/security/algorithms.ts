/**
 * Seed/key algorithms of SecurityAccess (0x27) as plug-ins, shared by the tester (computing a key)
 * and the simulated ECU (checking it). spec/uds.md "Security access" defines the built-in ones.
 *
 * An algorithm is a pure function `(seed, level, secret, options) -> key`. Users add their own with
 * {@link registerSecurityAlgorithm} and select one by name in profiles and flash jobs.
 */
import { ConfigError, InvalidArgumentError } from '../../core/errors.js';
import { readUintBE, uintToBytes } from '../../core/bytes.js';
import { aes128Cmac } from './aes-cmac.js';

/** Options an algorithm may honour. */
export interface SecurityAlgorithmOptions {
  /** Length of the key in bytes; each algorithm documents its default and range. */
  keyLength?: number;
}

/**
 * A seed/key algorithm: computes the key for `seed` at security `level` (the odd requestSeed
 * sub-function) with the ECU's `secret`. Must be pure and deterministic.
 */
export type SecurityAlgorithm = (
  seed: Uint8Array,
  level: number,
  secret: Uint8Array,
  options: { keyLength?: number },
) => Uint8Array;

/** The constant of the seed 001 algorithm (`#define SECURITYCONSTANT 0x464c4147`, "FLAG"). */
export const SHIFT_MUL_XOR_DEFAULT_CONSTANT = 0x464c4147;

function checkKeyLength(name: string, keyLength: number | undefined, min: number, max: number, dflt: number): number {
  const n = keyLength ?? dflt;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new InvalidArgumentError(`${name}: keyLength must be an integer ${min}..${max}, got ${String(keyLength)}`, {
      field: 'keyLength',
      value: keyLength,
    });
  }
  return n;
}

function requireSecret(name: string, secret: Uint8Array, what: string): void {
  if (secret.length === 0) {
    throw new InvalidArgumentError(`${name}: the secret is empty; configure ${what}`, { field: 'secret' });
  }
}

/**
 * `doipsimu-pin` (seed 000, doipsimu's `calc_key`): `key[i] = (seed[i] XOR (pin[i] + 32)) mod 255`.
 * The secret is the PIN, 4 ASCII bytes (e.g. "2345"). The key is as long as the seed; for seeds longer
 * than the PIN the PIN repeats. `keyLength` is not used.
 */
export const doipsimuPin: SecurityAlgorithm = (seed, _level, secret) => {
  requireSecret('doipsimu-pin', secret, 'the ECU PIN, e.g. "2345"');
  const key = new Uint8Array(seed.length);
  for (let i = 0; i < seed.length; i++) {
    const pin = secret[i % secret.length] as number;
    key[i] = ((seed[i] as number) ^ (pin + 32)) % 255;
  }
  return key;
};

/** `xor`: key = seed XOR secret, the secret repeated over the seed. The key is as long as the seed. */
export const xorAlgorithm: SecurityAlgorithm = (seed, _level, secret) => {
  requireSecret('xor', secret, 'at least one secret byte');
  const key = new Uint8Array(seed.length);
  for (let i = 0; i < seed.length; i++) key[i] = (seed[i] as number) ^ (secret[i % secret.length] as number);
  return key;
};

/**
 * `shift-mul-xor` (seed 001's `seedToKey`) on 32-bit unsigned arithmetic:
 * `s = (seed >>> 5) | (seed << 23)`, `s = s * 7 mod 2^32`, `s ^= constant`, key = the low `keyLength`
 * bytes of `s`, big endian (default 2: the key is a 16-bit WORD).
 * The seed (1..4 bytes) is read as a big-endian u32, shorter seeds left-padded with zeros. The constant
 * is the secret read as a big-endian u32 (1..4 bytes), or 0x464C4147 when the secret is empty.
 */
export const shiftMulXor: SecurityAlgorithm = (seed, _level, secret, options) => {
  const name = 'shift-mul-xor';
  const keyLength = checkKeyLength(name, options.keyLength, 1, 4, 2);
  if (seed.length < 1 || seed.length > 4) {
    throw new InvalidArgumentError(`${name}: the seed must be 1..4 bytes (read as a u32), got ${seed.length}`, { field: 'seed' });
  }
  if (secret.length > 4) {
    throw new InvalidArgumentError(`${name}: the secret is the 32-bit constant, 1..4 bytes, got ${secret.length}`, {
      field: 'secret',
    });
  }
  const constant = secret.length === 0 ? SHIFT_MUL_XOR_DEFAULT_CONSTANT : readUintBE(secret, 0, secret.length);
  const x = readUintBE(seed, 0, seed.length);
  let s = ((x >>> 5) | (x << 23)) >>> 0;
  s = Math.imul(s, 7) >>> 0;
  s = (s ^ constant) >>> 0;
  return uintToBytes(s, 4).slice(4 - keyLength);
};

/**
 * `aes128-cmac`: key = AES-128-CMAC(secret, seed) truncated to `keyLength` bytes (default 16, 1..16).
 * The secret is the 16-byte AES key.
 */
export const aes128CmacAlgorithm: SecurityAlgorithm = (seed, _level, secret, options) => {
  const keyLength = checkKeyLength('aes128-cmac', options.keyLength, 1, 16, 16);
  return aes128Cmac(secret, seed).slice(0, keyLength);
};

const BUILT_IN: ReadonlyMap<string, SecurityAlgorithm> = new Map([
  ['doipsimu-pin', doipsimuPin],
  ['xor', xorAlgorithm],
  ['shift-mul-xor', shiftMulXor],
  ['aes128-cmac', aes128CmacAlgorithm],
]);

const registry = new Map<string, SecurityAlgorithm>(BUILT_IN);

/** Names of every registered algorithm (built-in first, then user ones in registration order). */
export function listSecurityAlgorithms(): string[] {
  return [...registry.keys()];
}

/** The algorithm registered as `name`. Throws {@link ConfigError} listing the known names. */
export function getSecurityAlgorithm(name: string): SecurityAlgorithm {
  const fn = registry.get(name);
  if (!fn) {
    throw new ConfigError(
      `unknown security algorithm "${name}"; known: ${listSecurityAlgorithms().join(', ')} ` +
        `(register your own with registerSecurityAlgorithm(name, fn))`,
      { field: 'algorithm', value: name, known: listSecurityAlgorithms() },
    );
  }
  return fn;
}

/**
 * Registers `fn` as `name`. A name already taken is refused with {@link ConfigError} unless
 * `options.replace` is set (built-in names included, so a test can swap one).
 */
export function registerSecurityAlgorithm(name: string, fn: SecurityAlgorithm, options: { replace?: boolean } = {}): void {
  if (typeof name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
    throw new InvalidArgumentError(`security algorithm name must be letters, digits, ".", "_" or "-", got "${String(name)}"`, {
      field: 'name',
    });
  }
  if (typeof fn !== 'function') {
    throw new InvalidArgumentError(`security algorithm "${name}" must be a function (seed, level, secret, options) => key`, {
      field: 'fn',
    });
  }
  if (registry.has(name) && !options.replace) {
    throw new ConfigError(`security algorithm "${name}" is already registered; pass { replace: true } to replace it`, {
      field: 'name',
      value: name,
    });
  }
  registry.set(name, fn);
}

/**
 * Removes a user algorithm (built-in ones are restored to their original function instead).
 * Returns whether `name` was registered.
 */
export function unregisterSecurityAlgorithm(name: string): boolean {
  const builtIn = BUILT_IN.get(name);
  if (builtIn) {
    registry.set(name, builtIn);
    return true;
  }
  return registry.delete(name);
}

/** How a secret is written in a profile or flash job: ASCII text, a 32-bit number, or hex bytes. */
export type SecretConfig = string | number | { hex: string };

/**
 * Turns a configured secret into bytes: a string is taken as ASCII (`"2345"` -> 32 33 34 35), a number
 * as a 4-byte big-endian u32 (`0x464C4147` -> 46 4C 41 47), `{ hex }` as hex bytes. Throws
 * {@link ConfigError} naming what is wrong.
 */
export function secretFromConfig(value: SecretConfig): Uint8Array {
  if (typeof value === 'string') {
    const out = new Uint8Array(value.length);
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0x7f) {
        throw new ConfigError(`secret "${value}" is not ASCII (character ${i + 1}); write it as { hex: "..." }`, {
          field: 'secret',
        });
      }
      out[i] = c;
    }
    return out;
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new ConfigError(`secret number must be an integer 0..0xFFFFFFFF (sent as 4 bytes), got ${value}`, {
        field: 'secret',
      });
    }
    return uintToBytes(value, 4);
  }
  if (value !== null && typeof value === 'object' && typeof value.hex === 'string') {
    const text = value.hex.replace(/0x/gi, '').replace(/[\s,:_-]+/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(text)) {
      throw new ConfigError(`secret hex "${value.hex}" is not whole hex bytes (write e.g. "2B7E1516" or "2b 7e 15 16")`, {
        field: 'secret',
      });
    }
    return Uint8Array.from(Buffer.from(text, 'hex'));
  }
  throw new ConfigError('secret must be an ASCII string, a number, or { hex: "..." }', { field: 'secret' });
}
