/**
 * Profile files: an ECU profile is one ECU's keys (docs/ecu-config.md) in a YAML or JSON file; a vehicle
 * file is a gateway plus ECUs (`ecus:`). Both may live in the shipped `profiles/` folder and are found
 * there by name (`generic-iso14229`), or anywhere by path.
 *
 * An ECU entry (in a vehicle file, or an ECU profile itself) may say `profile: NAME-or-PATH`: the named
 * ECU profile is read and the entry's other keys are merged over it (objects key by key, everything else
 * — lists included — replaced). References nest up to {@link MAX_PROFILE_DEPTH} levels; relative paths
 * are relative to the file that names them.
 *
 * ```ts
 * const config = loadEcuProfile('stm32f103-uds-boot', { overrides: { address: 0x0712 } });
 * const ecu = new SimulatedEcu(config);
 * ```
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { parseEcuConfig, type EcuConfig } from './config.js';

/** The `profiles/` folder shipped with udskit (next to `src/` and `dist/`). */
export const SHIPPED_PROFILES_DIR = fileURLToPath(new URL('../../profiles/', import.meta.url));

/** How deep `profile:` references may nest. */
export const MAX_PROFILE_DEPTH = 8;

const EXTENSIONS = ['.yaml', '.yml', '.json'] as const;

/** What a profile file holds. */
export type ProfileKind = 'ecu' | 'vehicle';

/** One file of a profiles folder. */
export interface ProfileInfo {
  /** File name without extension: what `profile:` and `--profile` accept. */
  readonly name: string;
  readonly path: string;
  readonly kind: ProfileKind;
  /** The file's `description`, if any. */
  readonly description?: string;
}

/** `vehicle` for a document with `ecus`, else `ecu`. */
export function profileKind(doc: unknown): ProfileKind {
  return isPlainObject(doc) && 'ecus' in doc ? 'vehicle' : 'ecu';
}

/** One YAML / JSON document of a folder, as {@link listDocuments} finds it. */
export interface FolderDocument {
  /** File name without extension. */
  readonly name: string;
  readonly path: string;
  /** The parsed document; undefined when it cannot be read or parsed. */
  readonly doc: unknown;
  /** The document's `description`, if any. */
  readonly description?: string;
}

/** The `.yaml` / `.yml` / `.json` documents of `dir` (none when it does not exist), sorted by file name. */
export function listDocuments(dir: string): FolderDocument[] {
  if (!existsSync(dir)) return [];
  const out: FolderDocument[] = [];
  for (const file of readdirSync(dir).sort()) {
    const ext = EXTENSIONS.find((e) => file.endsWith(e));
    if (!ext) continue;
    const path = join(dir, file);
    let doc: unknown;
    try {
      doc = readProfileDocument(path);
    } catch {
      doc = undefined;
    }
    const description = isPlainObject(doc) && typeof doc['description'] === 'string' ? doc['description'] : undefined;
    out.push({ name: file.slice(0, -ext.length), path, doc, ...(description ? { description } : {}) });
  }
  return out;
}

/** The profiles in `dir` (default the shipped folder), sorted by name. Unreadable files are listed as `ecu`. */
export function listProfiles(dir: string = SHIPPED_PROFILES_DIR): ProfileInfo[] {
  return listDocuments(dir).map(({ name, path, doc, description }) => ({ name, path, kind: profileKind(doc), ...(description ? { description } : {}) }));
}

/** True when `ref` is a bare name (looked up in the shipped folder) rather than a path. */
function isBareName(ref: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ref) && !EXTENSIONS.some((e) => ref.endsWith(e));
}

/**
 * The file `ref` names: a bare name (`generic-iso14229`) is `NAME.yaml|.yml|.json` in `baseDir`, else in
 * `profilesDir` (default the shipped folder); anything else is a path relative to `baseDir`. Throws `ConfigError` listing the available names when not found.
 */
export function resolveProfilePath(ref: string, baseDir: string = process.cwd(), profilesDir: string = SHIPPED_PROFILES_DIR): string {
  if (isBareName(ref)) {
    // A file of that name next to the referring file first, then the shipped folder.
    for (const dir of [baseDir, profilesDir]) {
      for (const ext of EXTENSIONS) {
        const p = resolve(dir, ref + ext);
        if (existsSync(p)) return p;
      }
    }
    const names = listProfiles(profilesDir).map((p) => p.name);
    throw new ConfigError(`profile "${ref}" not found: shipped profiles are ${names.join(', ') || 'none'}; or give a path to a YAML file`, {
      profile: ref,
      available: names,
    });
  }
  const p = isAbsolute(ref) ? ref : resolve(baseDir, ref);
  if (!existsSync(p)) throw new ConfigError(`profile file ${p} not found (named "${ref}")`, { profile: ref, path: p });
  return p;
}

/** Reads and parses a YAML or JSON file; `ConfigError` naming the file when it cannot. */
export function readProfileDocument(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read ${path}: ${(e as Error).message}`, { source: path });
  }
  try {
    return parseYaml(text) as unknown;
  } catch (e) {
    throw new ConfigError(`${path} is not valid YAML: ${(e as Error).message}`, { source: path });
  }
}

/** Options of {@link expandProfileReference}. */
export interface ExpandOptions {
  /** Directory relative paths are resolved against (the directory of the file holding `entry`). */
  readonly baseDir: string;
  /** Name of what holds `entry`, for error messages (a file, `ecus[1]` of a file). */
  readonly source: string;
  /** Where bare names are looked up. Default the shipped folder. */
  readonly profilesDir?: string;
}

/**
 * `entry` with its `profile:` reference (if any) replaced by the referenced ECU profile's keys, the
 * entry's own keys merged over them; nested references are expanded too. Other values pass unchanged.
 */
export function expandProfileReference(entry: unknown, options: ExpandOptions): unknown {
  return expand(entry, options, []);
}

function expand(entry: unknown, options: ExpandOptions, chain: readonly string[]): unknown {
  if (!isPlainObject(entry) || !('profile' in entry)) return entry;
  const { profile: ref, ...own } = entry;
  if (typeof ref !== 'string' || ref.trim() === '') {
    throw new ConfigError(`${options.source}: profile: must be the name of a shipped profile or a path to an ECU profile file`, { source: options.source });
  }
  const path = resolveProfilePath(ref.trim(), options.baseDir, options.profilesDir);
  if (chain.includes(path)) {
    throw new ConfigError(`${options.source}: profile references form a cycle: ${[...chain, path].join(' -> ')}`, { source: options.source });
  }
  if (chain.length >= MAX_PROFILE_DEPTH) {
    throw new ConfigError(`${options.source}: profile references nest deeper than ${MAX_PROFILE_DEPTH} levels (${[...chain, path].join(' -> ')})`, {
      source: options.source,
    });
  }
  const doc = readProfileDocument(path);
  if (profileKind(doc) === 'vehicle') {
    throw new ConfigError(
      `${options.source}: profile "${ref}" (${path}) is a vehicle file (it has ecus:); profile: needs an ECU profile (run a vehicle file with udskit sim --config)`,
      { source: options.source, profile: ref },
    );
  }
  if (!isPlainObject(doc)) {
    throw new ConfigError(`${path}: an ECU profile must be a mapping of keys (see docs/ecu-config.md)`, { source: path });
  }
  const base = expand(doc, { ...options, baseDir: dirname(path), source: path }, [...chain, path]);
  return mergeProfile(base, own);
}

/** `override` merged over `base`: plain objects key by key (recursively), anything else replaced. */
export function mergeProfile(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeProfile(base[k], v) : v;
  return out;
}

/** Options of {@link loadEcuProfile}. */
export interface LoadEcuProfileOptions {
  /** Directory a relative path is resolved against. Default the current directory. */
  readonly baseDir?: string;
  /** Keys merged over the profile's (e.g. another `address`). */
  readonly overrides?: Record<string, unknown>;
  /** Where bare names are looked up. Default the shipped folder. */
  readonly profilesDir?: string;
}

/**
 * Reads the ECU profile `ref` (a shipped name or a path), expands its references, merges `overrides` and
 * validates it. Errors name the file, the field path and the allowed values.
 */
export function loadEcuProfile(ref: string, options: LoadEcuProfileOptions = {}): EcuConfig {
  const baseDir = options.baseDir ?? process.cwd();
  const path = resolveProfilePath(ref, baseDir, options.profilesDir);
  const expanded = expandProfileReference(
    { ...(options.overrides ?? {}), profile: path },
    { baseDir, source: path, ...(options.profilesDir ? { profilesDir: options.profilesDir } : {}) },
  );
  return parseEcuConfig(expanded, path);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
