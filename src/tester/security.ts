/**
 * Unlocking a security level: requestSeed, compute the key with a seed/key algorithm, sendKey
 * (ISO 14229-1:2020 10.4; spec/uds.md "Security access").
 */
import { InvalidArgumentError } from '../core/errors.js';
import { sendKeySubFunction } from '../uds/client/services/security.js';
import type { UdsClient } from '../uds/client/uds-client.js';
import { getSecurityAlgorithm, secretFromConfig, type SecretConfig, type SecurityAlgorithm } from '../uds/security/algorithms.js';

/** How to compute the key for {@link unlockLevel}. */
export interface UnlockOptions {
  /** A registered algorithm name (`doipsimu-pin`, `xor`, `shift-mul-xor`, `aes128-cmac`, ...) or a function. */
  algorithm: string | SecurityAlgorithm;
  /** The secret as bytes, or as a profile writes it (ASCII string, number, `{ hex }`). */
  secret: Uint8Array | SecretConfig;
  /** Key length for algorithms that take one (e.g. shift-mul-xor: default 2). */
  keyLength?: number;
  /** securityAccessDataRecord sent with requestSeed (rarely used). */
  seedRecord?: Uint8Array;
}

/** What {@link unlockLevel} did. */
export interface UnlockResult {
  /** The requestSeed level. */
  level: number;
  /** The seed the ECU sent. */
  seed: Uint8Array;
  /** The key sent, or undefined when the level was already unlocked. */
  key: Uint8Array | undefined;
  /** True when the seed was all zeros: the level was already unlocked and no key was sent. */
  alreadyUnlocked: boolean;
}

/** Resolves an algorithm name or function (unknown names throw `ConfigError` listing the known ones). */
export function resolveAlgorithm(algorithm: string | SecurityAlgorithm): SecurityAlgorithm {
  if (typeof algorithm === 'function') return algorithm;
  if (typeof algorithm === 'string') return getSecurityAlgorithm(algorithm);
  throw new InvalidArgumentError('unlock: algorithm must be an algorithm name or a function (seed, level, secret, options) => key', {
    field: 'algorithm',
  });
}

/** The secret of `opts` as bytes. */
function secretOf(opts: UnlockOptions): Uint8Array {
  return opts.secret instanceof Uint8Array ? opts.secret : secretFromConfig(opts.secret);
}

/** The key for `seed` at `level` with the algorithm and secret of `opts`. */
export function computeKey(seed: Uint8Array, level: number, opts: UnlockOptions): Uint8Array {
  return keyWith(resolveAlgorithm(opts.algorithm), secretOf(opts), seed, level, opts.keyLength);
}

function keyWith(algo: SecurityAlgorithm, secret: Uint8Array, seed: Uint8Array, level: number, keyLength: number | undefined): Uint8Array {
  const key = algo(seed, level, secret, keyLength === undefined ? {} : { keyLength });
  if (!(key instanceof Uint8Array) || key.length === 0) {
    throw new InvalidArgumentError('unlock: the security algorithm returned no key (it must return a non-empty Uint8Array)', {
      field: 'algorithm',
    });
  }
  return key;
}

/**
 * requestSeed `27 L`; an all-zero seed means the level is already unlocked (ISO 14229-1:2020 10.4.1) and
 * no key is sent; otherwise sendKey `27 L+1 key`.
 */
export async function unlockLevel(client: UdsClient, level: number, opts: UnlockOptions): Promise<UnlockResult> {
  if (opts === null || typeof opts !== 'object') {
    throw new InvalidArgumentError('unlock: pass { algorithm, secret }', { field: 'options' });
  }
  sendKeySubFunction(level);
  // Resolve the algorithm and the secret first: a configuration error must not cost a seed request.
  const algo = resolveAlgorithm(opts.algorithm);
  const secret = secretOf(opts);
  const seed = await client.securityAccessRequestSeed(level, opts.seedRecord);
  if (seed.every((b) => b === 0)) return { level, seed, key: undefined, alreadyUnlocked: true };
  const key = keyWith(algo, secret, seed, level, opts.keyLength);
  await client.securityAccessSendKey(level, key);
  return { level, seed, key, alreadyUnlocked: false };
}
