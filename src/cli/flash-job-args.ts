/**
 * The flash job `udskit flash` runs, from its options: `--job FILE` as written (with the connection and
 * security options laid over it), or the short form `--ecu ADDRESS FILE...` built on a template (given,
 * or chosen from the ECU's profile, the files' format or its identification) with the ECU's memory map and
 * secret from `--profile` (an ECU profile, a vehicle file, or `default` for the built-in vehicle).
 */
import { dirname, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../core/errors.js';
import { hexNum, toHex } from '../core/hex.js';
import type { EcuConfig } from '../ecu/config.js';
import { mergeProfile, profileKind, readProfileDocument, resolveProfilePath } from '../ecu/profile-files.js';
import { detectFormat } from '../firmware/detect.js';
import type { FirmwareFormat } from '../firmware/image.js';
import { parseFirmware } from '../flash/firmware-files.js';
import { loadFlashJob, resolveFlashJob, resolveTemplatePath } from '../flash/job-files.js';
import type { FlashJob } from '../flash/job-schema.js';
import { chooseTemplate, type TemplateChoice } from '../flash/templates.js';
import { defaultVehicle } from '../vehicle/default-vehicle.js';
import { loadVehicleFile, parseVehicleConfig } from '../vehicle/config.js';

/** The options of `udskit flash` that shape the job. */
export interface FlashJobCliOptions {
  job?: string;
  ecu?: number;
  template?: string;
  profile?: string;
  driver?: string;
  driverAddress?: number;
  baseAddress?: number;
  sectorSize?: number;
  host?: string;
  port?: number;
  tester?: number;
  connections?: 'shared' | 'per-ecu';
  level?: number;
  algorithm?: string;
  secret?: string;
  keyLength?: number;
  algorithmModule?: string;
}

/** What {@link buildFlashJob} made. */
export interface BuiltJob {
  readonly job: FlashJob;
  /** How the template was chosen (short form). */
  readonly template?: TemplateChoice;
}

/** A secret as typed (same forms as `--secret` of the other commands): 0x number, hex:bytes, or text. */
function secretInput(text: string): string | number | { hex: string } {
  if (/^hex:/i.test(text)) return { hex: text.slice(4) };
  const num = /^0x([0-9a-f]{1,8})$/i.exec(text);
  return num ? parseInt(num[1] as string, 16) : text;
}

/** The security keys given on the command line. */
function securityOverrides(o: FlashJobCliOptions): Record<string, unknown> {
  return {
    ...(o.level !== undefined ? { level: o.level } : {}),
    ...(o.algorithm !== undefined ? { algorithm: o.algorithm } : {}),
    ...(o.secret !== undefined ? { secret: secretInput(o.secret) } : {}),
    ...(o.keyLength !== undefined ? { keyLength: o.keyLength } : {}),
    ...(o.algorithmModule !== undefined ? { module: resolve(o.algorithmModule) } : {}),
  };
}

/** The connection keys given on the command line (or in UDSKIT_HOST / UDSKIT_PORT / UDSKIT_TESTER). */
function connectionOverrides(o: FlashJobCliOptions): Record<string, unknown> {
  return {
    ...(o.host !== undefined ? { host: o.host } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(o.tester !== undefined ? { testerAddress: o.tester } : {}),
    ...(o.connections !== undefined ? { mode: o.connections } : {}),
  };
}

/** An ECU of a vehicle (`default` = the built-in one, or a vehicle file) as job keys: memory map and secret. */
function ecuKeysOf(config: EcuConfig): Record<string, unknown> {
  const level = config.security.levels.find((l) => l.level === config.programming.securityLevel);
  return {
    name: config.name,
    memory: config.memory.map((r) => ({ name: r.name, kind: r.kind, start: r.start, size: r.size, sectors: r.sectors })),
    ...(level ? { security: { level: level.level, algorithm: level.algorithm, secret: { hex: toHex(level.secret) }, ...(level.keyLength !== undefined ? { keyLength: level.keyLength } : {}) } } : {}),
  };
}

/** The job keys of `--profile REF` for ECU `address`. */
async function profileKeys(ref: string, address: number): Promise<Record<string, unknown>> {
  if (ref === 'default') {
    const cfg = parseVehicleConfig(defaultVehicle).ecus.find((e) => e.address === address);
    if (!cfg) throw new ConfigError(`--profile default: the built-in vehicle has no ECU ${hexNum(address)} (it has 0x1010 and 0x1020)`);
    return ecuKeysOf(cfg);
  }
  const path = resolveProfilePath(ref);
  if (profileKind(readProfileDocument(path)) === 'vehicle') {
    const cfg = (await loadVehicleFile(path)).ecus.find((e) => e.address === address);
    if (!cfg) throw new ConfigError(`--profile ${ref}: the vehicle file has no ECU ${hexNum(address)}`);
    return ecuKeysOf(cfg);
  }
  return { profile: path };
}

/** One region of `sectorSize` sectors around the data of `files` (for `--sector-size`). */
async function uniformMemory(files: readonly string[], o: FlashJobCliOptions, sectorSize: number): Promise<Record<string, unknown>[]> {
  let lo = Infinity;
  let hi = 0;
  for (const f of files) {
    const img = parseFirmware(new Uint8Array(await readFile(f)), { file: f, ...(o.baseAddress !== undefined ? { baseAddress: o.baseAddress, baseAddressBinaryOnly: true } : {}) }).image;
    for (const s of img.segments) {
      lo = Math.min(lo, s.address);
      hi = Math.max(hi, s.address + s.data.length);
    }
  }
  const start = Math.floor(lo / sectorSize) * sectorSize;
  const end = Math.min(0x1_0000_0000, Math.ceil(hi / sectorSize) * sectorSize);
  return [{ name: 'flash', kind: 'flash', start, size: end - start, sectorSize }];
}

/** The formats of the files (from their content). */
async function formatsOf(files: readonly string[]): Promise<FirmwareFormat[]> {
  const out: FirmwareFormat[] = [];
  for (const f of files) out.push(detectFormat(new Uint8Array(await readFile(f))));
  return out;
}

/**
 * The job of the options. `readDid` reads an identification DID of the short form's ECU (to choose the
 * template); it is called only when no `--template`, profile or file format decides.
 */
export async function buildFlashJob(files: readonly string[], o: FlashJobCliOptions, readDid: (did: number) => Promise<Uint8Array | undefined>): Promise<BuiltJob> {
  const overrides = { connection: connectionOverrides(o), security: securityOverrides(o) };
  if (o.job !== undefined) {
    if (files.length > 0 || o.ecu !== undefined) throw new ConfigError('give either --job FILE or --ecu ADDRESS FILE..., not both');
    const path = resolve(o.job);
    if (Object.keys(overrides.connection).length === 0 && Object.keys(overrides.security).length === 0) return { job: loadFlashJob(path) };
    const doc = mergeProfile(readProfileDocument(path), overrides);
    return { job: resolveFlashJob(doc, { baseDir: dirname(path), source: path }) };
  }
  if (o.ecu === undefined || files.length === 0) throw new ConfigError('give --job FILE, or --ecu ADDRESS and the firmware file(s): udskit flash --ecu 0x1010 app.s19');
  const paths = files.map((f) => resolve(f));
  const template: TemplateChoice = o.template !== undefined
    ? { name: o.template, path: resolveTemplatePath(o.template), reason: '--template' }
    : await chooseTemplate({ ...(o.profile !== undefined ? { profile: o.profile } : {}), formats: await formatsOf(paths), readDid });
  const ecu: Record<string, unknown> = {
    address: o.ecu,
    ...(o.profile !== undefined ? await profileKeys(o.profile, o.ecu) : {}),
    firmware: paths.map((file) => ({ file, ...(o.baseAddress !== undefined ? { baseAddress: o.baseAddress } : {}) })),
    ...(o.driver !== undefined ? { flashDriver: { file: resolve(o.driver), ...(o.driverAddress !== undefined ? { baseAddress: o.driverAddress } : {}) } } : {}),
  };
  if (o.sectorSize !== undefined) ecu['memory'] = await uniformMemory(paths, o, o.sectorSize);
  // Security from the ECU entry (profile / vehicle) is overridden by the command line.
  if (Object.keys(overrides.security).length > 0) ecu['security'] = { ...((ecu['security'] as Record<string, unknown> | undefined) ?? {}), ...overrides.security };
  // A shipped template by its name (the report shows it), anything else by its path.
  const doc = { template: o.template !== undefined ? resolve(template.path) : template.name, connection: overrides.connection, ecus: [ecu] };
  return { job: resolveFlashJob(doc, { source: `udskit flash --ecu ${hexNum(o.ecu)}` }), template };
}
