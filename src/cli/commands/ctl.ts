/**
 * `udskit ctl`: drives a running simulator through its control API (docs/control-api.md): ECU state
 * and memory map, vehicle conditions, power cycles, fault injection. The simulator must run with
 * `udskit sim --control-port N`. Exit codes: 0 success, 1 usage error, API error or simulator not reachable.
 */
import { Option, type Command } from 'commander';
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { hexByte, hexNum } from '../../core/hex.js';
import type { VehicleState } from '../../ecu/config.js';
import { ControlClient } from '../../vehicle/control-client.js';
import type { EcuView, FaultView, RegionView, VehicleView } from '../../vehicle/control-types.js';
import type { FaultSpecInput } from '../../vehicle/fault-spec.js';
import { hexByteParser, SESSION_NAMES } from '../arguments.js';
import { intOption } from '../options.js';
import { printJson, reportError } from '../output.js';

/** Options every `ctl` subcommand has. */
interface CtlOptions {
  url?: string;
  port?: number;
  json?: boolean;
}

interface VehicleOptions extends CtlOptions {
  voltage?: number;
  speed?: number;
  ignition?: boolean;
  engine?: boolean;
}

interface FaultAddOptions extends CtlOptions {
  ecu: string;
  at?: number;
  nth?: number;
  nrc?: number;
  sid?: number;
  ms?: number;
  during?: 'erase' | 'programming';
  count?: number;
}

/** `on|off` (also true/false, 1/0) for commander. */
function onOff(name: string): (text: string) => boolean {
  return (text: string) => {
    const t = text.trim().toLowerCase();
    if (['on', 'true', '1', 'yes'].includes(t)) return true;
    if (['off', 'false', '0', 'no'].includes(t)) return false;
    throw new CommanderInvalidArgument(`${name} must be on or off, got "${text}"`);
  };
}

/** A decimal number (volts) for commander. */
function numberOption(name: string, min: number, max: number): (text: string) => number {
  return (text: string) => {
    const v = Number(text);
    if (text.trim() === '' || !Number.isFinite(v) || v < min || v > max) throw new CommanderInvalidArgument(`${name} must be a number from ${min} to ${max}, got "${text}"`);
    return v;
  };
}

/** Adds `--url`, `--port` and `--json` to a `ctl` subcommand. */
function ctlCommand(parent: Command, name: string, description: string): Command {
  return parent
    .command(name)
    .description(description)
    .addOption(new Option('--url <url>', 'control API URL, e.g. http://127.0.0.1:13480').env('UDSKIT_CONTROL_URL'))
    .option('--port <port>', 'control API port on 127.0.0.1 (instead of --url)', intOption('--port', 1, 65535))
    .option('--json', 'print one JSON object on stdout');
}

/** The client for `opts`: `--port` wins over `--url` / UDSKIT_CONTROL_URL. */
function clientOf(opts: CtlOptions): ControlClient {
  if (opts.port !== undefined) return new ControlClient(`http://127.0.0.1:${opts.port}`);
  if (opts.url !== undefined) return new ControlClient(opts.url);
  throw new InvalidArgumentError(
    'which simulator? give --url http://127.0.0.1:N or --port N (or set UDSKIT_CONTROL_URL); start the simulator with "udskit sim --control-port N"',
    { field: 'url' },
  );
}

/** Runs `body`, printing `{ok: true, ...result}` with --json or the text lines; failures exit 1. */
async function runCtl(opts: CtlOptions, body: (client: ControlClient) => Promise<{ result: Record<string, unknown>; text: readonly string[] }>): Promise<void> {
  const json = opts.json === true;
  try {
    const { result, text } = await body(clientOf(opts));
    if (json) printJson({ ok: true, ...result });
    else process.stdout.write(text.map((l) => `${l}\n`).join(''));
  } catch (e) {
    reportError(e, json);
  }
}

function sessionText(session: number): string {
  const name = Object.entries(SESSION_NAMES).find(([, v]) => v === session)?.[0];
  return `${name ? `${name} session` : 'session'} 0x${hexByte(session)}`;
}


/** `app-flash (flash) 0x00000000-0x01FFFFFF: 4 programmed, 1 partial, 507 erased`. */
export function regionLine(r: RegionView): string {
  const parts = (['programmed', 'partial', 'erased'] as const).filter((s) => r.summary[s] > 0).map((s) => `${r.summary[s]} ${s}`);
  return `${r.name} (${r.kind}) ${r.range}: ${parts.join(', ') || 'no sectors'}`;
}

/** `12.5 V, ignition on, 0 km/h, engine off`. */
export function vehicleLine(v: VehicleState): string {
  return `${v.voltage} V, ignition ${v.ignition ? 'on' : 'off'}, ${v.speedKmh} km/h, engine ${v.engineRunning ? 'running' : 'off'}`;
}

/** The readable state of one ECU. */
export function ecuLines(e: EcuView): string[] {
  const security = e.securityLevel === null ? 'locked' : `unlocked level 0x${hexByte(e.securityLevel)}`;
  const lines = [
    `ECU ${e.addressHex} ${e.name}: ${e.mode === 'boot' ? 'bootloader' : 'application'} mode, ${sessionText(e.session)}, ${security}, app valid: ${e.appValid ? 'yes' : 'no'}${e.available ? '' : ', resetting (not available)'}`,
    `  security: ${e.failedAttempts} failed attempt(s)${e.securityDelayRemainingMs > 0 ? `, delay ${e.securityDelayRemainingMs} ms left` : ''}`,
    `  vehicle: ${vehicleLine(e.vehicle)}`,
  ];
  const t = e.transfer;
  if (t) {
    lines.push(`  transfer: ${t.direction} ${hexNum(t.address, 8)} + ${t.size} bytes (${t.file ? `file ${t.file.path}` : t.region}): ${t.transferred} bytes in ${t.blocks} block(s)`);
  }
  for (const r of e.memory) lines.push(`  ${regionLine(r)}`);
  return lines;
}

function vehicleLines(v: VehicleView): string[] {
  const lines = [`vehicle ${v.name}: ${vehicleLine(v.state)}`];
  if (!v.consistent) for (const e of v.ecus) lines.push(`  ECU ${hexNum(e.address)} ${e.name}: ${vehicleLine(e.state)}`);
  return lines;
}

function faultLine(f: FaultView): string {
  const remaining = f.remaining === null ? 'until removed' : `${f.remaining} left`;
  return `${f.id}  ${f.type}  fired ${f.fired}, ${remaining}, ${f.seen} matching request(s) seen: ${f.description}`;
}

/** Registers `ctl` on the program. */
export function registerCtl(program: Command): void {
  const ctl = program
    .command('ctl')
    .description("drive a running simulator through its control API (start it with udskit sim --control-port N)")
    .option('--url <url>', 'control API URL (also accepted after the subcommand)')
    .option('--port <port>', 'control API port on 127.0.0.1 (also accepted after the subcommand)', intOption('--port', 1, 65535))
    .option('--json', 'print one JSON object on stdout (also accepted after the subcommand)');
  // `udskit ctl --url U state` and `udskit ctl state --url U` both work: what was given before the
  // subcommand fills the subcommand's options unless it was given there too.
  ctl.hook('preAction', (_ctl, action) => {
    for (const name of ['url', 'port', 'json'] as const) {
      const value: unknown = ctl.getOptionValue(name);
      if (value !== undefined && action.getOptionValueSource(name) !== 'cli') action.setOptionValueWithSource(name, value, 'cli');
    }
  });

  ctlCommand(ctl, 'state', 'each ECU: mode, session, security, app valid, vehicle conditions, transfer, memory sectors')
    .option('--ecu <address|name>', 'only this ECU (0x1010 or its name)')
    .action((opts: CtlOptions & { ecu?: string }) =>
      runCtl(opts, async (c) => {
        const ecus = opts.ecu !== undefined ? [await c.ecu(opts.ecu)] : await c.ecus();
        return { result: { ecus }, text: ecus.flatMap(ecuLines) };
      }),
    );

  ctlCommand(ctl, 'vehicle', 'show the vehicle conditions, or change them (every ECU reads them; 31 01 0203 and 10 02 check them)')
    .option('--voltage <V>', 'supply voltage in volts (programming needs 9-16 V)', numberOption('--voltage', 0, 100))
    .option('--speed <km/h>', 'vehicle speed (programming needs 0)', numberOption('--speed', 0, 1000))
    .option('--ignition <on|off>', 'ignition (programming needs on)', onOff('--ignition'))
    .option('--engine <on|off>', 'engine running (programming needs off)', onOff('--engine'))
    .action((opts: VehicleOptions) =>
      runCtl(opts, async (c) => {
        const patch: Partial<VehicleState> = {
          ...(opts.voltage !== undefined ? { voltage: opts.voltage } : {}),
          ...(opts.speed !== undefined ? { speedKmh: opts.speed } : {}),
          ...(opts.ignition !== undefined ? { ignition: opts.ignition } : {}),
          ...(opts.engine !== undefined ? { engineRunning: opts.engine } : {}),
        };
        const v = Object.keys(patch).length > 0 ? await c.patchVehicle(patch) : await c.vehicle();
        return { result: { vehicle: v }, text: vehicleLines(v) };
      }),
    );

  ctlCommand(ctl, 'power-cycle', 'switch an ECU off and on (RAM, session and security are lost; it answers again after its reset time)')
    .requiredOption('--ecu <address|name>', 'the ECU (0x1010 or its name)')
    .action((opts: CtlOptions & { ecu: string }) =>
      runCtl(opts, async (c) => {
        const e = await c.powerCycle(opts.ecu);
        return { result: { ecu: e }, text: [`ECU ${e.addressHex} ${e.name}: power cycled${e.available ? '' : ', resetting'}`] };
      }),
    );

  const fault = ctl.command('fault').description('inject faults: add, list, clear');
  const add = fault.command('add').description('add a fault (it fires once unless --count says otherwise)');
  const addCommand = (name: string, description: string): Command =>
    ctlCommand(add, name, description)
      .requiredOption('--ecu <address|name>', 'the ECU (0x1010 or its name)')
      .option('--count <n>', 'fire on this many matching requests in a row', intOption('--count', 1));
  const runAdd = (opts: FaultAddOptions, spec: FaultSpecInput): Promise<void> =>
    runCtl(opts, async (c) => {
      const f = await c.addFault({ ...spec, ...(opts.count !== undefined ? { count: opts.count } : {}) } as FaultSpecInput);
      return { result: { fault: f }, text: [`fault ${f.id} added: ${f.description}`] };
    });

  addCommand('drop-connection', "close the tester's TCP connection when the Nth TransferData (36) to the ECU arrives")
    .requiredOption('--at <n>', 'the Nth TransferData', intOption('--at', 1))
    .action((opts: FaultAddOptions) => runAdd(opts, { type: 'drop-connection', ecu: opts.ecu, atTransferData: opts.at as number }));
  addCommand('nrc', 'answer the Nth request (of --sid) with 7F SID NRC instead of processing it')
    .requiredOption('--nrc <hex>', 'the negative response code, e.g. 0x72 or 22', hexByteParser('--nrc'))
    .option('--nth <n>', 'the Nth matching request (default 1)', intOption('--nth', 1))
    .option('--sid <hex>', 'count only requests of this service, e.g. 36', hexByteParser('--sid'))
    .action((opts: FaultAddOptions) =>
      runAdd(opts, {
        type: 'nrc',
        ecu: opts.ecu,
        nrc: opts.nrc as number,
        ...(opts.nth !== undefined ? { nth: opts.nth } : {}),
        ...(opts.sid !== undefined ? { sid: opts.sid } : {}),
      }),
    );
  addCommand('delay', "delay the ECU's responses (for --count requests, else until removed)")
    .requiredOption('--ms <ms>', 'delay in milliseconds', intOption('--ms', 1, 600_000))
    .action((opts: FaultAddOptions) => runAdd(opts, { type: 'delay', ecu: opts.ecu, ms: opts.ms as number }));
  addCommand('power-loss', 'cut the power during the Nth erase (31 01 FF00) or TransferData to flash: a torn flash, no answer, then a power-up')
    .addOption(new Option('--during <phase>', 'erase or programming').choices(['erase', 'programming']).makeOptionMandatory())
    .option('--nth <n>', 'the Nth erase / TransferData to flash (default 1)', intOption('--nth', 1))
    .action((opts: FaultAddOptions) =>
      runAdd(opts, { type: 'power-loss', ecu: opts.ecu, during: opts.during ?? 'erase', ...(opts.nth !== undefined ? { nth: opts.nth } : {}) }),
    );

  ctlCommand(fault, 'list', 'list the faults with how often they fired and how often they still will')
    .action((opts: CtlOptions) =>
      runCtl(opts, async (c) => {
        const faults = await c.faults();
        return { result: { faults }, text: faults.length > 0 ? faults.map(faultLine) : ['no faults'] };
      }),
    );

  ctlCommand(fault, 'clear', 'remove one fault, or all')
    .argument('[id]', 'the fault to remove (default: all)')
    .action((id: string | undefined, opts: CtlOptions) =>
      runCtl(opts, async (c) => {
        if (id !== undefined) {
          const f = await c.removeFault(id);
          return { result: { removed: 1, faults: [f] }, text: [`fault ${f.id} removed`] };
        }
        const n = await c.clearFaults();
        return { result: { removed: n }, text: [`${n} fault(s) removed`] };
      }),
    );
}
