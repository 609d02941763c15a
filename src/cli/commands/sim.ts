/** `udskit sim`: runs a simulated vehicle (DoIP gateway + ECUs) until stopped. */
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { createConsoleLogger, silentLogger } from '../../core/logger.js';
import { hexNum } from '../../core/hex.js';
import { defaultVehicle } from '../../vehicle/default-vehicle.js';
import { loadVehicleFile } from '../../vehicle/config.js';
import type { VehicleConfig, VehicleConfigInput } from '../../vehicle/config.js';
import { Vehicle } from '../../vehicle/vehicle.js';
import { intOption } from '../options.js';
import { vehicleForProfile } from '../profile-vehicle.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { printJson, reportError } from '../output.js';

interface SimOptions {
  config?: string;
  profile?: string;
  host?: string;
  port?: number;
  udpPort?: number;
  noUdp?: boolean;
  udp?: boolean;
  json?: boolean;
  verbose?: boolean;
  stateDir?: string;
  controlPort?: number;
}

/** Registers `sim` on the program. */
export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run a simulated vehicle: a DoIP gateway with UDS ECUs behind it (Ctrl-C stops it)')
    .option('-c, --config <file>', 'vehicle file (YAML); default: the built-in vehicle')
    .option('-p, --profile <name>', 'one ECU from an ECU profile (shipped name, see udskit profile list, or a path) behind a default gateway')
    .option('--host <address>', 'address to listen on (default from the file: 127.0.0.1)')
    .option('--port <port>', 'TCP port, 0 = any free port (default from the file: 13400)', intOption('--port', 0, 65535))
    .option('--udp-port <port>', 'UDP port for vehicle identification (default: the TCP port)', intOption('--udp-port', 0, 65535))
    .option('--no-udp', 'do not answer vehicle identification on UDP')
    .option('--json', 'print machine-readable JSON lines (the first one says where it listens)')
    .option('-v, --verbose', 'log every connection and diagnostic message to stderr')
    .option('--control-port <port>', 'serve the control API (HTTP + JSON, docs/control-api.md, udskit ctl) on 127.0.0.1:PORT; 0 = any free port', intOption('--control-port', 0, 65535))
    .option('--state-dir <dir>', 'keep what survives a restart (flash, NV flags, security counters, written DIDs, 0x38 files) in DIR/<ECU address>/; overrides the file\'s stateDir; default: all in memory')
    .action(async (opts: SimOptions) => {
      try {
        await runSim(opts);
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}

async function runSim(opts: SimOptions): Promise<void> {
  if (opts.config && opts.profile) throw new InvalidArgumentError('give either --config (a vehicle file) or --profile (an ECU profile), not both');
  const config: VehicleConfig | VehicleConfigInput = opts.profile ? await vehicleForProfile(opts.profile) : opts.config ? await loadVehicleFile(opts.config) : defaultVehicle;
  const logger = opts.verbose ? createConsoleLogger('debug') : createConsoleLogger('warn');
  const udpPort = opts.udp === false ? null : opts.udpPort ?? (opts.port === 0 ? 0 : undefined);
  const vehicle = await Vehicle.start(config, {
    ...(opts.host !== undefined ? { host: opts.host } : {}),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(udpPort !== undefined ? { udpPort } : {}),
    logger: opts.json ? silentLogger : logger,
    ...(opts.controlPort !== undefined ? { controlPort: opts.controlPort } : {}),
    ...(opts.stateDir !== undefined ? { stateDir: resolve(opts.stateDir) } : {}),
  });
  if (opts.json) {
    printJson({
      event: 'listening',
      vehicle: vehicle.config.name,
      host: vehicle.host,
      tcpPort: vehicle.tcpPort,
      udpPort: vehicle.udpPort,
      gateway: vehicle.config.doip.logicalAddress,
      ecus: vehicle.ecus.map((e) => ({ name: e.name, address: e.address })),
      warnings: vehicle.warnings,
      controlUrl: vehicle.control?.url ?? null,
      stateDir: vehicle.stateDir ?? null,
    });
  } else {
    printServing(vehicle);
  }
  // Fired faults (control API) are reported as they happen.
  vehicle.control?.faults.events.on('fired', (f) => {
    if (opts.json) printJson({ event: 'fault', ...f });
    else process.stdout.write(`udskit sim: fault ${f.id} fired on ${f.request}: ${f.description}\n`);
  });
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await vehicle.stop();
  if (opts.json) printJson({ event: 'stopped' });
  else process.stdout.write('udskit sim: stopped\n');
}

function printServing(v: Vehicle): void {
  const c = v.config;
  const out: string[] = [];
  out.push(`udskit sim: vehicle "${c.name}" (VIN ${c.doip.vin})`);
  out.push(`  DoIP gateway ${hexNum(c.doip.logicalAddress)} on tcp://${v.host}:${v.tcpPort}` + (v.udpPort !== null ? `, udp://${v.host}:${v.udpPort}` : ''));
  out.push(
    `  testers accepted: ${c.doip.acceptedTesterAddresses.map((r) => (r.from === r.to ? hexNum(r.from) : `${hexNum(r.from)}-${hexNum(r.to)}`)).join(', ')}; functional address ${hexNum(c.doip.functionalAddress)}`,
  );
  for (const e of v.ecus) {
    const sec = e.config.security.levels.map((l) => `27 ${l.level.toString(16).padStart(2, '0')} ${l.algorithm}`).join(', ');
    const mem = e.config.memory
      .map((m) => `${m.name} ${hexNum(m.start, 8)}+${hexNum(m.size, 0)} (${m.sectorSize ?? m.sectors[0]?.size} B sectors)`)
      .join(', ');
    out.push(`  ECU ${hexNum(e.address)} ${e.name}: security ${sec || 'none'}; memory ${mem || 'none'}`);
  }
  out.push(v.stateDir !== undefined ? `  state directory: ${v.stateDir} (flash, NV, files survive a restart)` : '  no state directory: everything is in memory');
  if (v.control) out.push(`  control API: ${v.control.url}/api/v1 (udskit ctl --url ${v.control.url} state)`);
  for (const w of v.warnings) out.push(`  warning: ${w}`);
  out.push('  Ctrl-C to stop');
  process.stdout.write(out.join('\n') + '\n');
}
