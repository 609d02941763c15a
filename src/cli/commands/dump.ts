/**
 * `udskit dump --ecu 0x1010 --range 0x08004000:0x0803FFFF -o app.hex`: reads firmware back with
 * RequestUpload (35 / 36 / 37), or with ReadMemoryByAddress (23) in chunks where the ECU does not offer
 * 35 (NRC 0x11 / 0x7F), and writes it as binary, Intel HEX or S-record by the output's extension
 * (spec/bootloader-and-flashing.md "Retrieval"). Most ECUs upload only in the programming session, unlocked:
 * `--session programming --unlock 01 --algorithm ... --secret ...`.
 */
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError as CommanderInvalidArgument, Option, type Command } from 'commander';
import { crc32 } from '../../core/crc.js';
import { hexNum } from '../../core/hex.js';
import { parseIntAuto } from '../../core/hex.js';
import { outputTargetFor } from '../../firmware/firmware-file.js';
import { writeFirmware } from '../../firmware/firmware-write.js';
import { dumpMemory } from '../../flash/dump.js';
import { intOption } from '../options.js';
import { createByteProgress } from '../progress.js';
import { ecuCommand, reportFailure, runEcuCommand, type EcuCommandOptions } from '../run.js';

interface DumpCliOptions extends EcuCommandOptions {
  range: { start: number; size: number };
  output: string;
  format?: string;
  method: 'auto' | 'upload' | 'read-memory';
  block: number;
  quiet?: boolean;
}

/** `START:END` (END inclusive, as memory maps are written) or `START+SIZE`. */
export function parseRange(text: string): { start: number; size: number } {
  const m = /^\s*([^:+]+)\s*([:+])\s*([^:+]+)\s*$/.exec(text);
  if (!m) throw new CommanderInvalidArgument(`--range must be START:END (END included, e.g. 0x08004000:0x0803FFFF) or START+SIZE (0x08004000+256K), got "${text}"`);
  let start: number;
  let second: number;
  try {
    start = parseIntAuto(m[1] as string, '--range start');
    second = parseIntAuto(m[3] as string, m[2] === ':' ? '--range end' : '--range size');
  } catch (e) {
    throw new CommanderInvalidArgument((e as Error).message);
  }
  const size = m[2] === ':' ? second - start + 1 : second;
  if (size < 1 || start < 0 || start + size > 0x1_0000_0000) {
    throw new CommanderInvalidArgument(`--range ${text}: the range must hold at least one byte and end at 0xFFFFFFFF at most`);
  }
  return { start, size };
}

/** Registers `dump` on the program. */
export function registerDump(program: Command): void {
  ecuCommand(program, 'dump', 'read firmware back (35/36/37, or 23 where 35 is not offered) into a BIN, Intel HEX or S-record file')
    .requiredOption('--range <start:end>', 'memory to read: START:END (END included) or START+SIZE', parseRange)
    .requiredOption('-o, --output <file>', 'output file; the format follows its extension (.bin, .hex, .s19/.s28/.s37/.srec)')
    .option('--format <name>', 'output format instead of the extension: bin, hex, srec, s19, s28, s37')
    .addOption(new Option('--method <how>', 'auto: 35, else 23; or force one').choices(['auto', 'upload', 'read-memory']).default('auto'))
    .option('--block <bytes>', 'largest ReadMemoryByAddress (23) request', intOption('--block', 1, 0x1000_0000), 0x800)
    .option('-q, --quiet', 'no progress bar')
    .action((opts: DumpCliOptions) => {
      let target;
      try {
        target = outputTargetFor(opts.output, opts.format);
        if (target.format === 'vbf') throw new CommanderInvalidArgument('dump writes bin, hex or srec files (a VBF needs a header: use udskit image convert)');
      } catch (e) {
        reportFailure(e, opts.json === true);
        return;
      }
      const outTarget = target;
      return runEcuCommand(opts, async ({ conn, json, note, output }) => {
        const { start, size } = opts.range;
        const bar = createByteProgress('dump', size, !json && !opts.quiet && size > 0x10000);
        let res;
        try {
          res = await dumpMemory(conn.client, start, size, { method: opts.method, blockSize: opts.block, onProgress: (b) => bar.update(b) });
        } finally {
          bar.stop();
        }
        if (res.fallback) note(`${res.fallback}: read with ReadMemoryByAddress (0x23) instead`);
        const written = writeFirmware({ segments: [{ address: start, data: res.data }] }, { target: outTarget, file: opts.output });
        await writeFile(opts.output, written.bytes);
        const crc = crc32(res.data).toString(16).toUpperCase().padStart(8, '0');
        output(
          { address: start, size, method: res.method, requests: res.requests, seconds: res.seconds, crc32: crc, file: opts.output, format: written.description, ...(res.fallback ? { fallback: res.fallback } : {}) },
          `${size} byte(s) at ${hexNum(start, 8)} read with ${res.method === 'upload' ? 'RequestUpload (0x35)' : 'ReadMemoryByAddress (0x23)'} in ${res.requests} request(s), CRC32 ${crc}, written to ${opts.output} (${written.description})`,
        );
      });
    });
}
