/**
 * `udskit image convert IN OUT`: reads IN in any format (detected from the content), applies crop,
 * fill, offset and start address (srec_cat's semantics, in that order) and writes OUT in the format
 * its extension names (or `--output-format`). The defaults give srec_cat 1.64's output byte for byte.
 * Both files are streamed (image-io.ts): memory holds the image, not the text; OUT appears whole or not at all.
 */
import { basename, extname } from 'node:path';
import { Option, type Command } from 'commander';
import { crc32 } from '../../core/crc.js';
import { InvalidArgumentError } from '../../core/errors.js';
import type { FirmwareWarning } from '../../firmware/errors.js';
import { FORMAT_NAMES, outputTargetFor, type FirmwareFile, type OutputTarget } from '../../firmware/firmware-file.js';
import { linearStart, writeFirmwareChunks, type AddressWidth } from '../../firmware/firmware-write.js';
import type { DataRange, FirmwareImage } from '../../firmware/image.js';
import { parseCropRange, transformImage } from '../../firmware/image-transform.js';
import { parseVbfHeader, type VbfHeader } from '../../firmware/vbf-header.js';
import { DEFAULT_VBF_VERSION, defaultVbfHeader, vbfFieldsOf, vbfHeaderForImage, type VbfHeaderTemplate } from '../../firmware/vbf-image.js';
import { intOption } from '../options.js';
import { printJson, reportError } from '../output.js';
import { addressOption, overlapOption, commanderParser, fillOption, inputFormatOption, offsetOption, printWarnings, readBytes, readInput, warningsJson, type ImageInputOptions } from './image-common.js';
import { writeFileChunks } from './image-io.js';

/** Size of the buffer the text formats are written through. */
const WRITE_CHUNK = 1 << 20;

interface ConvertOptions extends ImageInputOptions {
  outputFormat?: string;
  fill?: number;
  crop?: DataRange;
  offset?: number;
  recordSize?: number;
  addressWidth?: AddressWidth;
  execStart?: number;
  header?: string;
  vbfHeader?: string;
}

function hex8(v: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(8, '0');
}

/** Refuses options that do nothing for the output format (so a typo does not pass silently). */
function checkApplicable(target: OutputTarget, opts: ConvertOptions): void {
  const name = FORMAT_NAMES[target.format];
  const refuse = (option: string, forWhat: string): never => {
    throw new InvalidArgumentError(`${option} applies to ${forWhat} output, not ${name}`, { option });
  };
  const text = target.format === 'srecord' || target.format === 'intel-hex';
  if (opts.recordSize !== undefined && !text) refuse('--record-size', 'S-record and Intel HEX');
  if (opts.addressWidth !== undefined && !text) refuse('--address-width', 'S-record and Intel HEX');
  if (opts.header !== undefined && target.format !== 'srecord') refuse('--header', 'S-record (S0)');
  if (opts.vbfHeader !== undefined && target.format !== 'vbf') refuse('--vbf-header', 'VBF');
}

/** The VBF header template: --vbf-header FILE, else the input VBF's header, else the defaults. */
async function vbfTemplate(input: FirmwareFile, inPath: string, outPath: string, opts: ConvertOptions, image: FirmwareImage): Promise<VbfHeaderTemplate> {
  if (opts.vbfHeader !== undefined) {
    const bytes = await readBytes(opts.vbfHeader);
    const parsed = parseVbfHeader(bytes, { fileName: opts.vbfHeader });
    return { version: parsed.version, header: parsed.header, source: 'header-file', file: opts.vbfHeader };
  }
  const vbf = vbfFieldsOf(input.image);
  if (vbf) return { version: vbf.version, header: vbf.header, source: 'input', file: inPath };
  const partNumber = basename(outPath, extname(outPath));
  return { version: DEFAULT_VBF_VERSION, header: defaultVbfHeader(image, partNumber, `converted by udskit from ${basename(inPath)}`), source: 'default' };
}

async function convert(inPath: string, outPath: string, opts: ConvertOptions, warnings: FirmwareWarning[]): Promise<void> {
  const json = opts.json === true;
  const target = outputTargetFor(outPath, opts.outputFormat);
  checkApplicable(target, opts);
  const input = await readInput(inPath, opts, warnings);
  const image = transformImage(input.image, {
    ...(opts.crop ? { crop: opts.crop } : {}),
    ...(opts.fill !== undefined ? { fill: opts.fill } : {}),
    ...(opts.offset !== undefined ? { offset: opts.offset } : {}),
    ...(opts.execStart !== undefined ? { startAddress: opts.execStart } : {}),
  });
  let notes: readonly string[] = [];
  let vbf: { version: string; header: VbfHeader } | undefined;
  if (target.format === 'vbf') {
    const resolved = vbfHeaderForImage(image, await vbfTemplate(input, inPath, outPath, opts, image), { startAddressGiven: opts.execStart !== undefined });
    vbf = { version: resolved.version, header: resolved.header };
    notes = resolved.notes;
  }
  const output = writeFirmwareChunks(
    image,
    {
      target,
      file: outPath,
      ...(opts.addressWidth !== undefined ? { addressWidth: opts.addressWidth } : {}),
      ...(opts.recordSize !== undefined ? { recordSize: opts.recordSize } : {}),
      ...(opts.fill !== undefined ? { fill: opts.fill } : {}),
      ...(opts.header !== undefined ? { header: opts.header } : {}),
      ...(vbf ? { vbf } : {}),
    },
    // One buffer for every text chunk: each is written to the file before the next is made.
    Buffer.allocUnsafe(WRITE_CHUNK),
  );
  const bytesWritten = await writeFileChunks(outPath, output.chunks);
  printWarnings(warnings, json);
  const first = image.segments[0];
  const last = image.segments[image.segments.length - 1];
  let crc = 0;
  let dataSize = 0;
  for (const s of image.segments) {
    crc = crc32(s.data, crc);
    dataSize += s.data.length;
  }
  const crcText = crc.toString(16).toUpperCase().padStart(8, '0');
  const start = linearStart(image);
  if (json) {
    printJson({
      ok: true,
      input: { file: inPath, format: input.format, ...(input.base !== undefined ? { base: input.base } : {}) },
      output: { file: outPath, format: target.format, description: output.description, bytes: bytesWritten },
      ranges: image.segments.length,
      dataSize,
      ...(first && last ? { lowest: first.address, highest: last.address + last.data.length - 1 } : {}),
      crc32: crcText,
      ...(start !== undefined ? { startAddress: start } : {}),
      ...(notes.length > 0 ? { notes } : {}),
      ...warningsJson(warnings),
    });
    return;
  }
  for (const n of notes) process.stderr.write(`udskit: note: ${n}\n`);
  const span = first && last ? `${hex8(first.address)}..${hex8(last.address + last.data.length - 1)}` : 'no data';
  process.stdout.write(
    `${inPath} (${FORMAT_NAMES[input.format]}) -> ${outPath} (${output.description}): ${image.segments.length} range(s), ` +
      `${dataSize} data bytes, ${span}, CRC32 ${crcText}${start !== undefined ? `, start ${hex8(start)}` : ''}; ${bytesWritten} bytes written\n`,
  );
}

/** Registers `image convert` on the `image` command. */
export function registerImageConvert(image: Command): void {
  image
    .command('convert')
    .description('convert between S-record, Intel HEX, binary and VBF, with crop, fill, offset and start address (srec_cat semantics)')
    .argument('<in>', 'input file: S-record, Intel HEX, VBF or binary (format detected from the content)')
    .argument('<out>', 'output file: .s19/.s28/.s37 (S1/S2/S3), .srec/.mot (smallest per record), .hex/.ihx, .bin, .vbf')
    .option('--json', 'print one JSON object on stdout')
    .addOption(new Option('--input-format <name>', 'read IN as this format instead of detecting it: srec, hex, bin, vbf').argParser(inputFormatOption))
    .option('--output-format <name>', 'write this format whatever OUT is called: s19, s28, s37, srec, hex, bin, vbf')
    .addOption(new Option('--base <address>', 'load address of binary input (default 0)').argParser(addressOption('--base')))
    .addOption(overlapOption())
    .addOption(new Option('--crop <start:end>', 'keep only [start, end): end exclusive, as srec_cat -crop; "start:" runs to 0xFFFFFFFF').argParser(commanderParser(parseCropRange)))
    .addOption(new Option('--fill <byte>', 'fill the gaps between the lowest and highest address (after --crop) with this byte; binary output fills gaps with 0xFF otherwise').argParser(fillOption))
    .addOption(new Option('--offset <bytes>', 'move the data and the start address by this many bytes (may be negative: --offset=-0x8000000)').argParser(offsetOption))
    .addOption(new Option('--exec-start <address>', 'set the execution start address (S7/S8/S9, Intel 05, VBF call)').argParser(addressOption('--exec-start')))
    .addOption(new Option('--record-size <bytes>', 'data bytes per record (S-record, Intel HEX; default 32, as srec_cat)').argParser(intOption('--record-size', 1, 255)))
    .addOption(
      new Option('--address-width <bits>', 'S-record: S1 (16), S2 (24), S3 (32) for every record; Intel HEX: 16 = no extended records, 24 = 02 segment, 32 = 04 linear')
        .choices(['16', '24', '32'])
        .argParser(
          commanderParser((v: string): AddressWidth => {
            if (v !== '16' && v !== '24' && v !== '32') throw new InvalidArgumentError(`--address-width must be 16, 24 or 32, got ${v}`);
            return Number(v) as AddressWidth;
          }),
        ),
    )
    .option('--header <text>', 'S-record S0 header text (default: the input\'s header, else an empty S0)')
    .option('--vbf-header <file>', 'VBF output: take vbf_version and the header keys from this VBF (or header-only) file')
    .addHelpText(
      'after',
      '\nOrder: --crop, then --fill, then --offset, then --exec-start (as srec_cat -crop ... -fill ... -offset ...).\n' +
        'srec_cat equivalents: --crop A:B = -crop A B; --fill X = -fill X -over IN; --offset N = -offset N;\n' +
        '--address-width 24 = -address-length=3; --record-size N = -obs=N; .bin output = -fill 0xFF -over IN -offset - -minimum-addr IN -binary.\n' +
        'VBF output: header from --vbf-header, else from a VBF input, else vbf_version 2.6, sw_part_number = OUT\'s name,\n' +
        'sw_version 1, sw_part_type EXE, data_format_identifier 0x00; erase ranges computed from the data when missing.',
    )
    .action(async (inPath: string, outPath: string, opts: ConvertOptions) => {
      const warnings: FirmwareWarning[] = [];
      try {
        await convert(inPath, outPath, opts, warnings);
      } catch (e) {
        printWarnings(warnings, opts.json === true);
        reportError(e, opts.json === true);
      }
    });
}
