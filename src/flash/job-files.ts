/**
 * Flash job files: YAML or JSON, optionally based on a template (`template: iso14229-generic`, a shipped
 * template of profiles/flash-jobs/ or a path) whose keys the job's keys override (objects key by key,
 * lists replaced, as ECU profiles do). File paths in a document (firmware, flash driver, seed/key module,
 * ECU profile) are relative to that document.
 *
 * ```ts
 * const job = loadFlashJob('jobs/engine.yaml');
 * const same = resolveFlashJob({ template: 'iso14229-generic', ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19' }] }] });
 * ```
 */
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { listDocuments, mergeProfile, readProfileDocument, resolveProfilePath, SHIPPED_PROFILES_DIR } from '../ecu/profile-files.js';
import { parseFlashJob, type FlashJob } from './job-schema.js';

/** The folder of the shipped flash job templates (profiles/flash-jobs/). */
export const SHIPPED_TEMPLATES_DIR = join(SHIPPED_PROFILES_DIR, 'flash-jobs');

/** How deep `template:` references may nest. */
export const MAX_TEMPLATE_DEPTH = 8;

/** One template file. */
export interface TemplateInfo {
  /** What `template:` and `--template` accept. */
  readonly name: string;
  readonly path: string;
  readonly description?: string;
}

/** The templates in `dir` (default the shipped folder), sorted by name. */
export function listTemplates(dir: string = SHIPPED_TEMPLATES_DIR): TemplateInfo[] {
  return listDocuments(dir).map(({ name, path, description }) => ({ name, path, ...(description ? { description } : {}) }));
}

/** The file of template `ref`: a bare name next to `baseDir` or in `templatesDir`, else a path. */
export function resolveTemplatePath(ref: string, baseDir: string = process.cwd(), templatesDir: string = SHIPPED_TEMPLATES_DIR): string {
  try {
    return resolveProfilePath(ref, baseDir, templatesDir);
  } catch (e) {
    const names = listTemplates(templatesDir).map((t) => t.name);
    throw new ConfigError(`flash job template "${ref}" not found: shipped templates are ${names.join(', ') || 'none'}; or give a path to a YAML file`, {
      template: ref,
      available: names,
      cause: (e as Error).message,
    });
  }
}

/** Options of {@link resolveFlashJob} and {@link loadFlashJob}. */
export interface ResolveJobOptions {
  /** Directory relative paths of `input` are resolved against. Default the current directory. */
  readonly baseDir?: string;
  /** Name of the document for error messages. Default "flash job". */
  readonly source?: string;
  /** Where bare template names are looked up. Default the shipped folder. */
  readonly templatesDir?: string;
}

/** Reads the job file `path`, expands its template chain and validates it. */
export function loadFlashJob(path: string, options: Omit<ResolveJobOptions, 'baseDir' | 'source'> = {}): FlashJob {
  const abs = resolve(path);
  const doc = readProfileDocument(abs);
  return resolveFlashJob(doc, { ...options, baseDir: dirname(abs), source: abs });
}

/** Expands the template chain of the job document `input`, makes its paths absolute and validates it. */
export function resolveFlashJob(input: unknown, options: ResolveJobOptions = {}): FlashJob {
  const source = options.source ?? 'flash job';
  const merged = expandTemplate(input, options.baseDir ?? process.cwd(), source, options.templatesDir ?? SHIPPED_TEMPLATES_DIR, []);
  return parseFlashJob(merged, source);
}

function expandTemplate(doc: unknown, baseDir: string, source: string, templatesDir: string, chain: readonly string[]): unknown {
  if (!isPlainObject(doc)) {
    throw new ConfigError(`${source}: a flash job must be a mapping of keys (pre, programming, post, ecus, ...); see docs/flashing.md`, { source });
  }
  const own = absolutePaths(doc, baseDir);
  const ref = own['template'];
  if (ref === undefined) return own;
  if (typeof ref !== 'string' || ref.trim() === '') {
    throw new ConfigError(`${source}: template: must be the name of a shipped template or a path to a flash job file`, { source });
  }
  const path = resolveTemplatePath(ref.trim(), baseDir, templatesDir);
  if (chain.includes(path)) throw new ConfigError(`${source}: template references form a cycle: ${[...chain, path].join(' -> ')}`, { source });
  if (chain.length >= MAX_TEMPLATE_DEPTH) throw new ConfigError(`${source}: template references nest deeper than ${MAX_TEMPLATE_DEPTH} levels`, { source });
  const base = expandTemplate(readProfileDocument(path), dirname(path), path, templatesDir, [...chain, path]);
  const { template: _omit, ...rest } = own;
  const out = mergeProfile(base, rest) as Record<string, unknown>;
  // The job keeps the name of the template it is based on (the report shows it).
  out['template'] = ref.trim();
  // A template's match rules describe the template, not the job built on it.
  if (!('match' in rest)) delete out['match'];
  return out;
}

/** A path made absolute against `baseDir` (bare profile names stay as they are). */
function abs(p: unknown, baseDir: string): unknown {
  return typeof p === 'string' && p !== '' && !isAbsolute(p) ? resolve(baseDir, p) : p;
}

function isBareName(ref: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ref) && !/\.(ya?ml|json)$/.test(ref);
}

/** A module spec `FILE[#export]` with FILE made absolute. */
function absModule(spec: unknown, baseDir: string): unknown {
  if (typeof spec !== 'string') return spec;
  const hash = spec.lastIndexOf('#');
  return hash > 0 ? `${String(abs(spec.slice(0, hash), baseDir))}${spec.slice(hash)}` : abs(spec, baseDir);
}

/** `doc` with every file path made absolute against `baseDir`. */
function absolutePaths(doc: Record<string, unknown>, baseDir: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...doc };
  const fixSecurity = (s: unknown): unknown => (isPlainObject(s) && 'module' in s ? { ...s, module: absModule(s['module'], baseDir) } : s);
  const fixDriver = (d: unknown): unknown => (isPlainObject(d) && 'file' in d ? { ...d, file: abs(d['file'], baseDir) } : d);
  if ('security' in out) out['security'] = fixSecurity(out['security']);
  if ('flashDriver' in out) out['flashDriver'] = fixDriver(out['flashDriver']);
  if (typeof out['template'] === 'string' && !isBareName(out['template'])) out['template'] = abs(out['template'], baseDir);
  if (Array.isArray(out['ecus'])) {
    out['ecus'] = out['ecus'].map((e: unknown) => {
      if (!isPlainObject(e)) return e;
      const ecu: Record<string, unknown> = { ...e };
      if (Array.isArray(ecu['firmware'])) ecu['firmware'] = ecu['firmware'].map((f: unknown) => (isPlainObject(f) && 'file' in f ? { ...f, file: abs(f['file'], baseDir) } : f));
      if ('flashDriver' in ecu) ecu['flashDriver'] = fixDriver(ecu['flashDriver']);
      if ('security' in ecu) ecu['security'] = fixSecurity(ecu['security']);
      if (typeof ecu['profile'] === 'string' && !isBareName(ecu['profile'])) ecu['profile'] = abs(ecu['profile'], baseDir);
      return ecu;
    });
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}
