/**
 * `udskit profile list | validate FILE | schema [--vehicle]`: the shipped profiles, checking a profile
 * or vehicle file (errors name the file, the field path and the allowed values; exit 1 on errors), and
 * the JSON Schemas for editors.
 */
import type { Command } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { hexNum } from '../../core/hex.js';
import { listProfiles, profileKind, readProfileDocument, resolveProfilePath, loadEcuProfile, SHIPPED_PROFILES_DIR } from '../../ecu/profile-files.js';
import { ecuProfileJsonSchema } from '../../ecu/profile-json-schema.js';
import { profileServiceTable, type EcuMode } from '../../ecu/profile-service-table.js';
import type { EcuConfig } from '../../ecu/config.js';
import { serviceName } from '../../uds/codec/sid.js';
import { loadVehicleFile } from '../../vehicle/config.js';
import { vehicleJsonSchema } from '../../vehicle/json-schema.js';
import { printJson, reportError } from '../output.js';

/** Registers `profile` and its sub-commands on the program. */
export function registerProfile(program: Command): void {
  const profile = program.command('profile').description('ECU profiles and vehicle files: list the shipped ones, validate, JSON Schema');
  profile
    .command('list')
    .description(`list the shipped profiles (${SHIPPED_PROFILES_DIR})`)
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => {
      const list = listProfiles();
      if (opts.json) {
        printJson({ ok: true, dir: SHIPPED_PROFILES_DIR, profiles: list });
        return;
      }
      const width = Math.max(4, ...list.map((p) => p.name.length));
      for (const p of list) process.stdout.write(`${p.name.padEnd(width)}  ${p.kind === 'ecu' ? 'ECU    ' : 'vehicle'}  ${p.description ?? ''}\n`);
    });
  profile
    .command('validate')
    .description('check an ECU profile or a vehicle file (a path or a shipped name); exit 1 on errors')
    .argument('<file>', 'YAML/JSON file, or the name of a shipped profile')
    .option('--json', 'print one JSON object { ok, file, kind, errors: [{ path, message }] }')
    .action(async (file: string, opts: { json?: boolean }) => {
      await validate(file, opts.json === true);
    });
  profile
    .command('schema')
    .description('print the JSON Schema of an ECU profile (or of a vehicle file with --vehicle)')
    .option('--vehicle', 'the vehicle file schema')
    .action((opts: { vehicle?: boolean }) => {
      process.stdout.write(JSON.stringify(opts.vehicle ? vehicleJsonSchema() : ecuProfileJsonSchema(), null, 2) + '\n');
    });
}

async function validate(ref: string, json: boolean): Promise<void> {
  let path = ref;
  let kind: 'ecu' | 'vehicle' | undefined;
  try {
    path = resolveProfilePath(ref);
    kind = profileKind(readProfileDocument(path));
    if (kind === 'vehicle') {
      const v = await loadVehicleFile(path);
      if (json) printJson({ ok: true, file: path, kind, name: v.name, ecus: v.ecus.map((e) => ({ name: e.name, address: e.address })) });
      else {
        const lines = [`${path}: valid vehicle file "${v.name}" with ${v.ecus.length} ECU(s)`];
        for (const e of v.ecus) lines.push(...summary(e).map((l) => `  ${l}`));
        process.stdout.write(lines.join('\n') + '\n');
      }
      return;
    }
    const c = loadEcuProfile(path);
    if (json) printJson({ ok: true, file: path, kind, name: c.name, address: c.address });
    else process.stdout.write([`${path}: valid ECU profile`, ...summary(c).map((l) => `  ${l}`)].join('\n') + '\n');
  } catch (e) {
    if (!json) {
      reportError(e, false);
      return;
    }
    process.exitCode = 1;
    const issues = e instanceof ConfigError && Array.isArray(e.details['issues']) ? (e.details['issues'] as { path: string; message: string }[]) : undefined;
    const message = e instanceof Error ? e.message : String(e);
    printJson({ ok: false, file: path, ...(kind ? { kind } : {}), errors: issues ?? [{ path: '(file)', message }] });
  }
}

/** What the ECU offers, so a reader sees how the file was understood (e.g. a decimal SID key). */
function summary(c: EcuConfig): string[] {
  const out = [`ECU "${c.name}" at ${hexNum(c.address)}`];
  out.push(`sessions: ${c.sessions.map((s) => `${hexNum(s.id, 2)} ${s.name}`).join(', ')}`);
  const modes: EcuMode[] = c.bootloader ? ['app', 'boot'] : ['app'];
  for (const mode of modes) {
    const table = profileServiceTable(c, mode);
    const sids = [...table.keys()].sort((a, b) => a - b);
    out.push(`services${c.bootloader ? ` (${mode})` : ''}: ${sids.map((s) => `${hexNum(s, 2)} ${serviceName(s)}`).join(', ')}`);
  }
  const routines = new Map<number, string>(Object.entries(c.programming.routines).map(([name, id]) => [id, name]));
  for (const r of c.routines) {
    if (r.supported === false) routines.delete(r.id);
    else routines.set(r.id, r.name ?? routines.get(r.id) ?? 'data routine');
  }
  const ids = [...routines.keys()].sort((a, b) => a - b);
  out.push(`routines: ${ids.map((id) => `${hexNum(id)} ${routines.get(id) ?? ''}`).join(', ')}`);
  return out;
}
