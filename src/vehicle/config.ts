/**
 * The vehicle file: a DoIP gateway (ISO 13400 entity) and the ECUs behind it, as YAML or a TS object.
 *
 * ```yaml
 * name: my-car
 * doip:
 *   logicalAddress: 0x1000
 *   vin: WUDSKIT0000000001
 * ecus:
 *   - { name: engine, address: 0x1010 }
 * ```
 * Validation errors name the file, the field path and the allowed values.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { ecuConfigSchema } from '../ecu/config.js';
import { schemaIssues } from '../ecu/config-values.js';
import { expandVehicleProfiles, referencedProfiles } from './profile-references.js';
import { loadSecurityAlgorithmModule } from '../uds/security/algorithm-module.js';
import { controlConfigSchema } from './control-config.js';

/** An integer written as a YAML number or as a string ("0x1010", "4096"). */
export const intLike = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\s*(0x[0-9a-fA-F]+|\d+)\s*$/, 'expected an integer such as 4096 or 0x1000')
    .transform((s) => (s.trim().toLowerCase().startsWith('0x') ? parseInt(s.trim().slice(2), 16) : parseInt(s, 10))),
]);

const addressRange = z.union([
  intLike.transform((a) => ({ from: a, to: a })),
  z.object({ from: intLike, to: intLike }).strict(),
]);

const sixBytes = z
  .string()
  .transform((s) => s.replace(/[\s:-]/g, ''))
  .refine((s) => /^[0-9a-fA-F]{12}$/.test(s), 'expected 6 bytes of hex, e.g. "00 1A 2B 3C 4D 5E"');

/** Schema of the `doip:` section (the gateway). */
export const doipGatewaySchema = z
  .object({
    logicalAddress: intLike.default(0x1000),
    vin: z.string().length(17, 'a VIN has exactly 17 characters').default('WUDSKIT0000000001'),
    eid: sixBytes.default('001A2B3C4D5E'),
    gid: sixBytes.default('001A2B3C4D5E'),
    protocolVersion: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).default(2),
    host: z.string().default('127.0.0.1'),
    port: intLike.default(13400),
    udpPort: z.union([intLike, z.null()]).optional(),
    acceptedTesterAddresses: z.array(addressRange).default([{ from: 0x0e00, to: 0x0fff }]),
    functionalAddress: intLike.default(0xe400),
    maxTcpSockets: intLike.default(16),
    initialInactivityMs: intLike.default(2000),
    generalInactivityMs: intLike.default(300_000),
    aliveCheckTimeoutMs: intLike.default(500),
  })
  .strict();

/**
 * `securityAlgorithms:` seed/key algorithms from the user's modules (loaded by {@link loadVehicleFile}
 * before the ECUs are validated, paths relative to the vehicle file).
 */
const securityAlgorithmModuleSchema = z.strictObject({
  name: z.string().min(1),
  module: z.string().min(1),
  export: z.string().min(1).optional(),
});

/** Schema of a whole vehicle file. */
export const vehicleConfigSchema = z
  .object({
    name: z.string().default('vehicle'),
    description: z.string().optional(),
    doip: doipGatewaySchema.default(() => doipGatewaySchema.parse({})),
    ecus: z.array(ecuConfigSchema).min(1, 'a vehicle needs at least one ECU'),
    securityAlgorithms: z.array(securityAlgorithmModuleSchema).default(() => []),
    /** The HTTP control API (control-config.ts, docs/control-api.md); off when absent. */
    control: controlConfigSchema.optional(),
    /** State directory (docs/vehicle-file.md "Persistence"); relative to the vehicle file; `--state-dir` overrides. */
    stateDir: z
      .string()
      .min(1, 'give a directory path')
      .optional()
      .meta({ description: 'state directory: flash, NV flags, security counters, written DIDs and 0x38 files survive a restart there (relative to this file; --state-dir overrides)' }),
  })
  .strict();

/** A vehicle file as written (before defaults). */
export type VehicleConfigInput = z.input<typeof vehicleConfigSchema>;
/** A validated vehicle with every default filled in. */
export type VehicleConfig = z.output<typeof vehicleConfigSchema>;

/**
 * Validates a vehicle object; `source` (a file name) appears in error messages. ECU entries with
 * `profile:` are expanded first (relative paths against `options.baseDir`, default the current directory).
 */
export function parseVehicleConfig(input: unknown, source = 'vehicle config', options: { baseDir?: string } = {}): VehicleConfig {
  const r = vehicleConfigSchema.safeParse(expandVehicleProfiles(input, { source, ...options }));
  if (!r.success) {
    const issues = schemaIssues(r.error.issues);
    const lines = issues.map((i) => `  - ${i.path}: ${i.message}`);
    for (const [i, name] of referencedProfiles(input)) lines.push(`  (ecus[${i}] is based on profile "${name}")`);
    throw new ConfigError(`${source}: invalid vehicle file:\n${lines.join('\n')}`, { source, issues });
  }
  const cfg = r.data;
  // A relative stateDir is relative to the vehicle file's directory.
  if (cfg.stateDir !== undefined && options.baseDir !== undefined) cfg.stateDir = resolve(options.baseDir, cfg.stateDir);
  const seen = new Set<number>();
  for (const [i, ecu] of cfg.ecus.entries()) {
    if (seen.has(ecu.address)) {
      throw new ConfigError(`${source} is invalid:\n  ecus.${i}.address: 0x${ecu.address.toString(16)} is used by two ECUs`, {
        source,
      });
    }
    seen.add(ecu.address);
  }
  return cfg;
}

/** Reads and validates a YAML (or JSON) vehicle file. */
export async function loadVehicleFile(path: string): Promise<VehicleConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read vehicle file ${path}: ${(e as Error).message}`, { source: path });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new ConfigError(`${path} is not valid YAML: ${(e as Error).message}`, { source: path });
  }
  await loadAlgorithmModules(doc, path);
  return parseVehicleConfig(doc, path, { baseDir: dirname(path) });
}

/** Registers the `securityAlgorithms:` of a vehicle document, so its ECUs may name them. */
async function loadAlgorithmModules(doc: unknown, path: string): Promise<void> {
  const list = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)['securityAlgorithms'] : undefined;
  if (list === undefined) return;
  const r = z.array(securityAlgorithmModuleSchema).safeParse(list);
  // A malformed list is reported by parseVehicleConfig with the other errors.
  if (!r.success) return;
  for (const [i, spec] of r.data.entries()) {
    try {
      await loadSecurityAlgorithmModule(spec, dirname(path));
    } catch (e) {
      throw new ConfigError(`${path} is invalid:\n  securityAlgorithms.${i}: ${(e as Error).message}`, { source: path });
    }
  }
}

/** Logical-address classes of ISO 13400-2:2019 table 13. */
export function addressClass(address: number): 'ecu' | 'tester' | 'functional' | 'reserved' {
  if ((address >= 0x0001 && address <= 0x0dff) || (address >= 0x1000 && address <= 0x7fff)) return 'ecu';
  if (address >= 0x0e00 && address <= 0x0fff) return 'tester';
  if (address >= 0xe000 && address <= 0xefff) return 'functional';
  return 'reserved';
}

/** Warnings about addresses outside their ISO 13400-2 ranges (allowed, so old scripts run, but reported). */
export function addressWarnings(cfg: VehicleConfig): string[] {
  const out: string[] = [];
  for (const ecu of cfg.ecus) {
    if (addressClass(ecu.address) !== 'ecu') {
      out.push(
        `ECU ${ecu.name} uses address 0x${ecu.address.toString(16).padStart(4, '0')}, outside the ECU ranges 0x0001-0x0DFF / 0x1000-0x7FFF of ISO 13400-2 (allowed for compatibility)`,
      );
    }
  }
  for (const r of cfg.doip.acceptedTesterAddresses) {
    if (addressClass(r.from) !== 'tester' || addressClass(r.to) !== 'tester') {
      out.push(
        `accepted tester addresses 0x${r.from.toString(16)}-0x${r.to.toString(16)} reach outside the tester range 0x0E00-0x0FFF of ISO 13400-2 (allowed for compatibility)`,
      );
    }
  }
  return out;
}
