/**
 * `udskit image info FILE`: what srec_info prints (format, header, execution start address, data
 * ranges) plus sizes, gaps, CRC32 per range and of the whole, and for VBF every header key, the
 * compression, `file_checksum` and each block's CRC-16 status.
 */
import { Option, type Command } from 'commander';
import { describeFirmware, formatDescription } from '../../firmware/describe.js';
import type { FirmwareWarning } from '../../firmware/errors.js';
import { printJson, reportError } from '../output.js';
import { addressOption, overlapOption, inputFormatOption, printWarnings, readInput, warningsJson, type ImageInputOptions } from './image-common.js';

/** Registers `image info` on the `image` command. */
export function registerImageInfo(image: Command): void {
  image
    .command('info')
    .description('show format, header, start address, data ranges, gaps, sizes and CRC32s of a firmware file (and every VBF header field)')
    .argument('<file>', 'S-record, Intel HEX, VBF or binary file (format detected from the content)')
    .option('--json', 'print one JSON object on stdout')
    .addOption(new Option('--input-format <name>', 'read as this format instead of detecting it: srec, hex, bin, vbf').argParser(inputFormatOption))
    .addOption(new Option('--base <address>', 'load address of binary input (default 0)').argParser(addressOption('--base')))
    .addOption(overlapOption())
    .action(async (file: string, opts: ImageInputOptions) => {
      const json = opts.json === true;
      const warnings: FirmwareWarning[] = [];
      try {
        // 'omit': a VBF with blocks udskit cannot decompress still shows its header and block list.
        const loaded = await readInput(file, opts, warnings, { undecodable: 'omit' });
        const d = describeFirmware(loaded, file);
        printWarnings(warnings, json);
        if (json) printJson({ ok: true, ...d, ...warningsJson(warnings) });
        else process.stdout.write(formatDescription(d).map((l) => `${l}\n`).join(''));
      } catch (e) {
        printWarnings(warnings, json);
        reportError(e, json);
      }
    });
}
