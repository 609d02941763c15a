/**
 * `udskit demo`: starts the default vehicle in-process on 127.0.0.1, runs a real flash job on one of its
 * ECUs (the iso14229-generic template with the bundled sample firmware, or a generated image of `--size`
 * bytes), reads every segment back with RequestUpload and compares it byte for byte.
 */
import type { Command } from 'commander';
import { defaultVehicle } from '../../vehicle/default-vehicle.js';
import { Vehicle } from '../../vehicle/vehicle.js';
import { runFlashDemo, type FlashDemoSummary } from '../demo-flash.js';
import { showFlashProgress, type StopDisplay } from '../flash-progress.js';
import { addressOption, intOption } from '../options.js';
import { printJson, reportError } from '../output.js';
import { createByteProgress, type ByteProgress } from '../progress.js';

interface DemoOptions {
  size?: number;
  ecu: number;
  tester: number;
  json?: boolean;
  quiet?: boolean;
}

/** Registers `demo` on the program. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('flash the sample firmware into an ECU of the built-in vehicle with a flash job over DoIP on 127.0.0.1, read it back and compare')
    .option('--size <bytes>', 'flash a generated image of this size instead of the sample firmware (e.g. 1M, 262144, 0x40000)', intOption('--size', 1, 0x2000000))
    .option('--ecu <address>', 'ECU of the default vehicle: 0x1010 (engine) or 0x1020 (body)', addressOption('--ecu'), 0x1010)
    .option('--tester <address>', 'tester logical address', addressOption('--tester'), 0x0e00)
    .option('--json', 'print one JSON object instead of text')
    .option('-q, --quiet', 'no progress output')
    .action(async (opts: DemoOptions) => {
      try {
        const summary = await runDemo(opts);
        const { report, ...rest } = summary;
        if (opts.json) printJson({ ok: summary.verified, ...rest, job: { ok: report.ok, exitCode: report.exitCode, steps: report.steps.length, durationSeconds: report.durationSeconds } });
        else printSummary(summary);
        if (!summary.verified) process.exitCode = 2;
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}

/** Runs the demo and returns its summary (used by the command and by tests). */
export async function runDemo(opts: DemoOptions): Promise<FlashDemoSummary & { tcpPort: number }> {
  const show = !opts.json && !opts.quiet;
  const vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null });
  let stop: StopDisplay = () => {};
  let dumpBar: ByteProgress | undefined;
  try {
    if (!opts.json) process.stderr.write(`udskit demo: vehicle ${vehicle.config.name} on 127.0.0.1:${vehicle.tcpPort}, ECU 0x${opts.ecu.toString(16).toUpperCase()}\n`);
    const summary = await runFlashDemo({
      vehicle,
      ecu: opts.ecu,
      tester: opts.tester,
      ...(opts.size !== undefined ? { size: opts.size } : {}),
      listen: (events) => {
        stop = showFlashProgress({ events }, new Map(vehicle.ecus.map((e) => [e.address, e.name])), show);
      },
      onStep: (line) => {
        stop();
        if (show) process.stderr.write(`  ${line}\n`);
      },
      onDump: (bytes, total) => {
        dumpBar ??= createByteProgress('read back', total, show && total > 0x10000);
        dumpBar.update(bytes);
        if (bytes >= total) {
          dumpBar.stop();
          dumpBar = undefined;
        }
      },
    });
    return { ...summary, tcpPort: vehicle.tcpPort };
  } finally {
    stop();
    dumpBar?.stop();
    await vehicle.stop();
  }
}

function printSummary(s: FlashDemoSummary): void {
  const lines = [
    '',
    `ECU          ${s.ecu}, flash at ${s.address}`,
    `firmware     ${s.firmware}: ${s.bytes} bytes in ${s.segments} segment(s), CRC32 ${s.crc32}`,
    `flash job    ${s.report.steps.length} steps (pre, programming, post) in ${s.jobSeconds.toFixed(3)} s; ${s.blocks} TransferData blocks`,
    `download     ${s.downloadSeconds.toFixed(3)} s (${s.downloadMBps.toFixed(2)} MB/s, erase and check included)`,
    `read back    ${s.uploadSeconds.toFixed(3)} s (${s.uploadMBps.toFixed(2)} MB/s)`,
    `verified     ${s.verified ? 'yes: the bytes read back equal the bytes flashed' : `NO: first difference at 0x${(s.firstMismatchAt ?? 0).toString(16)}`}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
