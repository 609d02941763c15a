/**
 * `udskit flash --job JOB.yaml` / `udskit flash --ecu 0x1010 FILE...`: runs a flash job (docs/flashing.md)
 * with a progress bar per ECU, and prints the report (readable, or `--json`). Exit codes: 0 every ECU
 * programmed; 2 an ECU refused (negative response) or a verification failed (CRC, routine status,
 * identification); 1 anything else (usage, files, connection, timeouts).
 */
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { hexNum } from '../../core/hex.js';
import { DoipClient } from '../../doip/client.js';
import { doipConnector } from '../../flash/connections.js';
import { FlashEngine } from '../../flash/engine.js';
import { flashJobJsonSchema } from '../../flash/job-json-schema.js';
import { listTemplates } from '../../flash/job-files.js';
import { rangeText } from '../../flash/memory-layout.js';
import { planFlashJob, type FlashPlan } from '../../flash/plan.js';
import { summarizeReport } from '../../flash/report.js';
import { UdsClient } from '../../uds/client/uds-client.js';
import { parseSecurityLevel } from '../arguments.js';
import { buildFlashJob, type FlashJobCliOptions } from '../flash-job-args.js';
import { showFlashProgress } from '../flash-progress.js';
import { addressOption, intOption } from '../options.js';
import { jsonReplacer, printJson, reportError } from '../output.js';

interface FlashOptions extends FlashJobCliOptions {
  json?: boolean;
  quiet?: boolean;
  dryRun?: boolean;
  schema?: boolean;
  templates?: boolean;
  report?: string;
}

/** The plan as lines (`--dry-run`). */
function planLines(plan: FlashPlan): string[] {
  const lines = [`flash job ${plan.job.name ?? '(unnamed)'}${plan.job.template ? ` (template ${plan.job.template})` : ''}: ${plan.ecus.length} ECU(s), nothing sent (--dry-run)`];
  for (const e of plan.ecus) {
    lines.push(`${hexNum(e.address)} ${e.name} at ${e.host}:${e.port}: ${e.totalBytes} bytes in ${e.blocks.length} block(s)${e.driver ? `, driver ${e.driver.file} (${e.driver.bytes} bytes)` : ''}`);
    for (const f of e.files) lines.push(`    ${f.file}: ${f.format}, ${f.bytes} bytes in ${f.segments} segment(s), CRC32 ${f.crc32.toString(16).toUpperCase().padStart(8, '0')}`);
    for (const b of e.blocks) {
      const segs = b.segments.map((s) => rangeText(s.address, s.data.length)).join(', ');
      lines.push(`    block ${b.index + 1}: ${b.erase ? `erase ${rangeText(b.erase.address, b.erase.size)}` : 'no erase'}; write ${segs}`);
    }
  }
  return lines;
}

/** Reads one DID of the short form's ECU in the default session (to choose its template). */
function didReader(o: FlashOptions): (did: number) => Promise<Uint8Array | undefined> {
  return async (did) => {
    if (o.ecu === undefined) return undefined;
    const doip = await DoipClient.connect({ host: o.host ?? '127.0.0.1', port: o.port ?? 13400, testerAddress: o.tester ?? 0x0e00 });
    const client = new UdsClient(doip, { target: o.ecu });
    try {
      const [r] = await client.readDataByIdentifier(did);
      return r?.data;
    } catch {
      return undefined;
    } finally {
      await client.close();
      await doip.close();
    }
  };
}

async function runFlash(files: string[], o: FlashOptions): Promise<void> {
  const json = o.json === true;
  if (o.schema) {
    process.stdout.write(JSON.stringify(flashJobJsonSchema(), null, 2) + '\n');
    return;
  }
  if (o.templates) {
    const list = listTemplates();
    if (json) printJson({ ok: true, templates: list });
    else for (const t of list) process.stdout.write(`${t.name.padEnd(20)} ${t.description ?? ''}\n`);
    return;
  }
  const built = await buildFlashJob(files, o, didReader(o));
  if (built.template && !json && !o.quiet) process.stderr.write(`template ${built.template.name} (${built.template.reason})\n`);
  const plan = await planFlashJob(built.job);
  if (o.dryRun) {
    if (json) printJson({ ok: true, dryRun: true, job: { name: plan.job.name, template: plan.job.template }, ecus: plan.ecus.map((e) => ({ address: e.address, name: e.name, totalBytes: e.totalBytes, blocks: e.blocks.map((b) => ({ erase: b.erase, bytes: b.bytes, segments: b.segments.map((s) => ({ address: s.address, size: s.data.length })) })), files: e.files })) });
    else process.stdout.write(planLines(plan).join('\n') + '\n');
    return;
  }
  const ac = new AbortController();
  const onSigint = (): void => ac.abort(new Error('interrupted (SIGINT)'));
  process.once('SIGINT', onSigint);
  const engine = new FlashEngine({ connector: doipConnector({ connectTimeoutMs: plan.job.connection.connectTimeoutMs }), signal: ac.signal });
  const stop = showFlashProgress(engine, new Map(plan.ecus.map((e) => [e.address, e.name])), !json && !o.quiet);
  let report;
  try {
    report = await engine.run(plan);
  } finally {
    stop();
    process.off('SIGINT', onSigint);
  }
  if (o.report !== undefined) await writeFile(o.report, JSON.stringify(report, jsonReplacer, 2) + '\n');
  if (json) printJson(report);
  else process.stdout.write(summarizeReport(report, { steps: false }) + '\n');
  process.exitCode = report.exitCode;
}

/** Registers `flash` on the program. */
export function registerFlash(program: Command): void {
  program
    .command('flash')
    .description('run a flash job (pre-programming, programming, post-programming) on one or more ECUs; exit 0 ok, 2 refused / verification failed, 1 other errors')
    .argument('[files...]', 'firmware files for the short form --ecu ADDRESS FILE... (S-record, Intel HEX, binary with --base-address, VBF)')
    .option('--job <file>', 'the flash job (YAML or JSON, docs/flashing.md)')
    .option('--ecu <address>', 'short form: the ECU to flash with FILE..., e.g. 0x1010', addressOption('--ecu'))
    .option('--template <name>', 'short form: a template (iso14229-generic, stm32-uds-boot, vbf-sbl) or a job file to base it on; default: chosen from --profile, the files or the ECU identification')
    .option('--profile <name>', 'short form: the ECU profile (memory map, secret) - a shipped name, a path, a vehicle file, or "default" for the built-in vehicle')
    .option('--driver <file>', 'short form: the flash driver / secondary bootloader file')
    .option('--driver-address <address>', 'load address of a binary driver file', intOption('--driver-address', 0, 0xffffffff))
    .option('--base-address <address>', 'load address of binary firmware files', intOption('--base-address', 0, 0xffffffff))
    .option('--sector-size <bytes>', 'short form without a profile: erase in sectors of this size (e.g. 0x10000)', intOption('--sector-size', 1, 0x1000_0000))
    .addOption(new Option('--host <address>', 'DoIP entity address (overrides the job)').env('UDSKIT_HOST'))
    .addOption(new Option('--port <port>', 'DoIP TCP port (overrides the job)').argParser(intOption('--port', 1, 65535)).env('UDSKIT_PORT'))
    .addOption(new Option('--tester <address>', 'tester logical address (overrides the job)').argParser(addressOption('--tester')).env('UDSKIT_TESTER'))
    .addOption(new Option('--connections <mode>', 'one DoIP connection for all ECUs, or one each').choices(['shared', 'per-ecu']))
    .option('--level <level>', 'security level to unlock (odd requestSeed value, e.g. 01)', parseSecurityLevel)
    .option('--algorithm <name>', 'seed/key algorithm (doipsimu-pin, xor, shift-mul-xor, aes128-cmac, or the --algorithm-module name)')
    .option('--secret <value>', 'secret: text (2345), a 32-bit number (0x464C4147) or bytes (hex:A55AC33C)')
    .option('--key-length <n>', 'key length in bytes for algorithms that take one', intOption('--key-length', 1, 255))
    .option('--algorithm-module <file[#export]>', 'load the seed/key algorithm from a JavaScript module')
    .option('--report <file>', 'also write the JSON report to this file')
    .option('--dry-run', 'read the files and print the plan (blocks, erase ranges) without sending anything')
    .option('--json', 'print the report as one JSON object')
    .option('-q, --quiet', 'no progress output')
    .option('--schema', 'print the JSON Schema of flash job files and exit')
    .option('--templates', 'list the shipped templates and exit')
    .action(async (files: string[], o: FlashOptions) => {
      try {
        await runFlash(files, o);
      } catch (e) {
        reportError(e, o.json === true);
      }
    });
}
