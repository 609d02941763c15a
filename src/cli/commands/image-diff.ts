/**
 * `udskit image diff A B`: compares two firmware files address by address, whatever their formats:
 * ranges whose bytes differ (with the first differing bytes), ranges only in A, only in B, and the
 * execution start addresses. Exit 0 when identical, 2 when different, 1 when a file cannot be read.
 */
import { Option, type Command } from 'commander';
import { toHex } from '../../core/hex.js';
import type { FirmwareWarning } from '../../firmware/errors.js';
import { FORMAT_NAMES, type FirmwareFile } from '../../firmware/firmware-file.js';
import { diffImages, type ImageDiff } from '../../firmware/image-diff.js';
import type { DataRange } from '../../firmware/image.js';
import { printJson, reportError } from '../output.js';
import { addressOption, overlapOption, EXIT_DIFFERENT, inputFormatOption, printWarnings, readInput, warningsJson, type ImageInputOptions } from './image-common.js';

interface DiffOptions extends ImageInputOptions {
  ignoreStart?: boolean;
}

/** Differing ranges listed in the text output (JSON lists all). */
const TEXT_RANGE_LIMIT = 20;

function hex8(v: number): string {
  return '0x' + v.toString(16).toUpperCase().padStart(8, '0');
}

function range(r: DataRange): string {
  return `${hex8(r.start)}..${hex8(r.end - 1)} (${r.end - r.start} bytes)`;
}

function summary(f: FirmwareFile, path: string): string {
  const size = f.image.segments.reduce((n, s) => n + s.data.length, 0);
  return `${path} (${FORMAT_NAMES[f.format]}, ${f.image.segments.length} range(s), ${size} data bytes)`;
}

function textLines(d: ImageDiff, a: string, b: string): string[] {
  const lines: string[] = [];
  d.differing.slice(0, TEXT_RANGE_LIMIT).forEach((r) => {
    const more = r.end - r.start > r.a.length ? ' ...' : '';
    lines.push(`differ:    ${range(r)}: A ${toHex(r.a)}${more} | B ${toHex(r.b)}${more}`);
  });
  if (d.differing.length > TEXT_RANGE_LIMIT) lines.push(`           ... ${d.differing.length - TEXT_RANGE_LIMIT} more differing range(s) (--json lists all)`);
  for (const r of d.onlyInA.slice(0, TEXT_RANGE_LIMIT)) lines.push(`only in A: ${range(r)}`);
  if (d.onlyInA.length > TEXT_RANGE_LIMIT) lines.push(`           ... ${d.onlyInA.length - TEXT_RANGE_LIMIT} more`);
  for (const r of d.onlyInB.slice(0, TEXT_RANGE_LIMIT)) lines.push(`only in B: ${range(r)}`);
  if (d.onlyInB.length > TEXT_RANGE_LIMIT) lines.push(`           ... ${d.onlyInB.length - TEXT_RANGE_LIMIT} more`);
  const start = (v: number | undefined): string => (v === undefined ? 'none' : hex8(v));
  if (d.startDiffers) lines.push(`start:     A ${start(d.startA)} | B ${start(d.startB)}`);
  if (d.identical) lines.push(`identical: ${a} and ${b} hold the same data${d.startA !== undefined ? ` and start address ${hex8(d.startA)}` : ''}`);
  else {
    const parts = [
      `${d.differingBytes} byte(s) differ in ${d.differing.length} range(s)`,
      `${d.onlyInA.reduce((n, r) => n + r.end - r.start, 0)} byte(s) only in A`,
      `${d.onlyInB.reduce((n, r) => n + r.end - r.start, 0)} byte(s) only in B`,
      ...(d.startDiffers ? ['start addresses differ'] : []),
    ];
    lines.push(`different: ${parts.join(', ')}`);
  }
  return lines;
}

/** Registers `image diff` on the `image` command. */
export function registerImageDiff(image: Command): void {
  image
    .command('diff')
    .description('compare two firmware files by address and data, whatever their formats; exit 0 identical, 2 different')
    .argument('<a>', 'first file (S-record, Intel HEX, VBF or binary)')
    .argument('<b>', 'second file')
    .option('--json', 'print one JSON object on stdout')
    .addOption(new Option('--input-format <name>', 'read both files as this format instead of detecting it: srec, hex, bin, vbf').argParser(inputFormatOption))
    .addOption(new Option('--base <address>', 'load address of binary input (both files; default 0)').argParser(addressOption('--base')))
    .addOption(overlapOption())
    .option('--ignore-start', 'do not compare the execution start addresses')
    .action(async (a: string, b: string, opts: DiffOptions) => {
      const json = opts.json === true;
      const warnings: FirmwareWarning[] = [];
      try {
        // --base applies to the binary file(s) only: a text file keeps its own addresses.
        const read = (path: string): Promise<FirmwareFile> => readInput(path, opts, warnings, { baseForBinaryOnly: true });
        const fa = await read(a);
        const fb = await read(b);
        const d = diffImages(fa.image, fb.image, { ignoreStart: opts.ignoreStart === true });
        printWarnings(warnings, json);
        if (!d.identical) process.exitCode = EXIT_DIFFERENT;
        if (json) {
          printJson({
            ok: true,
            identical: d.identical,
            a: { file: a, format: fa.format },
            b: { file: b, format: fb.format },
            differingBytes: d.differingBytes,
            differing: d.differing,
            onlyInA: d.onlyInA,
            onlyInB: d.onlyInB,
            ...(d.startA !== undefined ? { startA: d.startA } : {}),
            ...(d.startB !== undefined ? { startB: d.startB } : {}),
            startDiffers: d.startDiffers,
            ...warningsJson(warnings),
          });
        } else {
          process.stdout.write([`A: ${summary(fa, a)}`, `B: ${summary(fb, b)}`, ...textLines(d, a, b)].map((l) => `${l}\n`).join(''));
        }
      } catch (e) {
        printWarnings(warnings, json);
        reportError(e, json);
      }
    });
}
