/**
 * Seed/key algorithms loaded from a user's JavaScript (or, under tsx, TypeScript) module, so a profile,
 * a vehicle file or the CLI can name an OEM algorithm that is not built in (spec/uds.md "Security
 * access": "a user function loaded from a TypeScript/JavaScript module").
 *
 * The module exports the algorithm `(seed, level, secret, { keyLength }) => key` as its default export
 * or under a named export; udskit registers it under a name and profiles select it with `algorithm: NAME`.
 *
 * ```js
 * // my-algorithm.mjs
 * export default function (seed, level, secret) {
 *   return seed.map((b, i) => b ^ secret[i % secret.length] ^ level);
 * }
 * ```
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../core/errors.js';
import { getSecurityAlgorithm, registerSecurityAlgorithm, type SecurityAlgorithm } from './algorithms.js';

/** Names registered from modules -> `path#export`, so loading the same thing twice is a no-op. */
const loaded = new Map<string, string>();

/** Where to find one algorithm and the name to register it under. */
export interface SecurityAlgorithmModuleSpec {
  /** Name profiles use in `algorithm:`. Must not be a built-in name. */
  readonly name: string;
  /** Path of the module (relative paths are resolved against `baseDir`). */
  readonly module: string;
  /** Export holding the function. Default `default`. */
  readonly export?: string;
}

/**
 * Imports `spec.module`, checks that the export is a function, and registers it as `spec.name`.
 * Loading the same module and export under the same name again is a no-op; a different function under a
 * name already taken is a `ConfigError`. Returns the registered function.
 */
export async function loadSecurityAlgorithmModule(spec: SecurityAlgorithmModuleSpec, baseDir = process.cwd()): Promise<SecurityAlgorithm> {
  const path = isAbsolute(spec.module) ? spec.module : resolve(baseDir, spec.module);
  const exportName = spec.export ?? 'default';
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(
      `security algorithm "${spec.name}": cannot load module ${path}: ${(e as Error).message} ` +
        '(a .mjs/.js file; .ts files load only when udskit runs under tsx)',
      { field: 'module', module: path },
    );
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') {
    const found = Object.keys(mod).join(', ') || 'nothing';
    throw new ConfigError(
      `security algorithm "${spec.name}": ${path} has no function export "${exportName}" (it exports: ${found}); ` +
        'export the algorithm as the default export or name the export with "export:"',
      { field: 'export', module: path },
    );
  }
  const origin = `${path}#${exportName}`;
  if (loaded.get(spec.name) === origin) return getSecurityAlgorithm(spec.name);
  const user = fn as (...args: Parameters<SecurityAlgorithm>) => unknown;
  // The user's function may return an Array or a Buffer: the ECU and the tester compare bytes.
  const algorithm: SecurityAlgorithm = (seed, level, secret, options) => {
    const key = user(seed, level, secret, options);
    if (key instanceof Uint8Array) return key;
    if (Array.isArray(key) && key.every((b) => Number.isInteger(b) && b >= 0 && b <= 0xff)) return Uint8Array.from(key as number[]);
    throw new ConfigError(`security algorithm "${spec.name}" (${origin}) must return the key as bytes (Uint8Array or array of 0..255)`, {
      field: 'module',
    });
  };
  try {
    // Refuses built-in names and names already in use, with a message listing them.
    registerSecurityAlgorithm(spec.name, algorithm);
  } catch (e) {
    throw new ConfigError(`security algorithm "${spec.name}" from ${path}: ${(e as Error).message}`, { field: 'name', module: path });
  }
  loaded.set(spec.name, origin);
  return algorithm;
}
