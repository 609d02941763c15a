/** `udskit demo`: starts the default vehicle in-process and flashes and reads back an ECU over DoIP on 127.0.0.1. */
import type { Command } from 'commander';
import { DoipClient } from '../../doip/client.js';
import { UdsClient } from '../../uds/client/uds-client.js';
import { Tester } from '../../tester/tester.js';
import { defaultVehicle } from '../../vehicle/default-vehicle.js';
import { Vehicle } from '../../vehicle/vehicle.js';
import { flashAndReadBack, testFirmware } from '../demo-scenario.js';
import type { FlashReadBackSummary } from '../demo-scenario.js';
import { intOption, addressOption } from '../options.js';
import { printJson, reportError } from '../output.js';
import { createByteProgress } from '../progress.js';
import type { ByteProgress } from '../progress.js';

interface DemoOptions {
  size: number;
  ecu: number;
  tester: number;
  json?: boolean;
  quiet?: boolean;
}

/** Registers `demo` on the program. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('flash an ECU of the built-in vehicle over DoIP on 127.0.0.1 and read the firmware back')
    .option('--size <bytes>', 'firmware size (e.g. 1M, 262144, 0x40000)', intOption('--size', 1, 0x2000000), 1024 * 1024)
    .option('--ecu <address>', 'ECU of the default vehicle: 0x1010 (engine) or 0x1020 (body)', addressOption('--ecu'), 0x1010)
    .option('--tester <address>', 'tester logical address', addressOption('--tester'), 0x0e00)
    .option('--json', 'print one JSON object instead of text')
    .option('-q, --quiet', 'no progress bars')
    .action(async (opts: DemoOptions) => {
      try {
        const summary = await runDemo(opts);
        if (opts.json) printJson({ ok: true, ...summary });
        else printSummary(summary);
        if (!summary.verified) process.exitCode = 1;
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}

/** Runs the demo and returns its summary (used by the command and by tests). */
export async function runDemo(opts: DemoOptions): Promise<FlashReadBackSummary & { ecu: string; address: string; tcpPort: number }> {
  const log = (s: string): void => {
    if (!opts.json && !opts.quiet) process.stderr.write(`  ${s}\n`);
  };
  const vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
  const ecu = vehicle.ecu(opts.ecu);
  if (!ecu) {
    await vehicle.stop();
    throw new Error(`the default vehicle has no ECU at 0x${opts.ecu.toString(16)}; use --ecu 0x1010 or --ecu 0x1020`);
  }
  const region = ecu.config.memory.find((m) => m.download);
  const level = ecu.config.security.levels[0];
  if (!region || !level) throw new Error(`ECU ${ecu.name} has no downloadable memory or no security level`);
  if (opts.size > region.size) {
    await vehicle.stop();
    throw new Error(`--size ${opts.size} exceeds the ${region.size} bytes of ${ecu.name}'s ${region.name}`);
  }
  if (!opts.json) {
    process.stderr.write(
      `udskit demo: vehicle ${vehicle.config.name} on 127.0.0.1:${vehicle.tcpPort}, flashing ${opts.size} bytes into ECU ${ecu.name} (0x${ecu.address.toString(16).toUpperCase()}) at 0x${region.start.toString(16).toUpperCase()}\n`,
    );
  }
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress: opts.tester });
  const client = new UdsClient(doip, { target: ecu.address });
  const tester = new Tester(client);
  const bars: Record<string, ByteProgress> = {};
  // Erase whole sectors covering the firmware (31 01 FF00 accepts whole sectors only).
  let eraseSize = 0;
  for (const g of region.sectors) {
    for (let i = 0; i < g.count && eraseSize < opts.size; i++) eraseSize += g.size;
  }
  try {
    const summary = await flashAndReadBack(tester, {
      address: region.start,
      data: testFirmware(opts.size),
      eraseSize,
      securityLevel: level.level,
      algorithm: level.algorithm,
      secret: level.secret,
      keyLength: level.keyLength,
      onStep: log,
      onProgress: (phase, bytes, total) => {
        const bar = (bars[phase] ??= createByteProgress(phase, total, !opts.json && !opts.quiet));
        bar.update(bytes);
        if (bytes >= total) bar.stop();
      },
    });
    return { ecu: ecu.name, address: '0x' + region.start.toString(16).toUpperCase(), tcpPort: vehicle.tcpPort, ...summary };
  } finally {
    for (const b of Object.values(bars)) b.stop();
    await client.close();
    await doip.close();
    await vehicle.stop();
  }
}

function printSummary(s: FlashReadBackSummary & { ecu: string; address: string }): void {
  const lines = [
    '',
    `ECU          ${s.ecu} at ${s.address}`,
    `firmware     ${s.bytes} bytes in ${s.blocks} blocks, CRC32 ${s.crc32}`,
    `download     ${s.downloadSeconds.toFixed(3)} s (${s.downloadMBps.toFixed(2)} MB/s)`,
    `read back    ${s.uploadSeconds.toFixed(3)} s (${s.uploadMBps.toFixed(2)} MB/s)`,
    `verified     ${s.verified ? 'yes: the bytes read back equal the bytes flashed' : `NO: first difference at 0x${(s.firstMismatchAt ?? 0).toString(16)}`}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
