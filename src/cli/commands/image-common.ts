/**
 * What the `udskit image` sub-commands share: reading an input file (format detected from the content,
 * read in chunks by image-io.ts), option parsers for addresses, bytes, offsets and formats, and the exit
 * code of a failed check.
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError as CommanderInvalidArgument, Option } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { parseIntAuto } from '../../core/hex.js';
import type { FirmwareWarning } from '../../firmware/errors.js';
import { formatPlace } from '../../firmware/errors.js';
import { FORMAT_NAMES, parseInputFormat, type FirmwareFile } from '../../firmware/firmware-file.js';
import type { FirmwareFormat } from '../../firmware/image.js';
import { fileError, readFirmwareFile } from './image-io.js';

/** Exit code of `image diff` when the files differ (a check failed, as a negative response for ECU commands). */
export const EXIT_DIFFERENT = 2;

/** Options of the sub-commands that read files. */
export interface ImageInputOptions {
  json?: boolean;
  inputFormat?: FirmwareFormat;
  base?: number;
  /** `--overlap last-wins`: later records win where two claim the same address (default: an error naming both). */
  overlap?: 'error' | 'last-wins';
}

/** The `--overlap` option of the image commands. */
export function overlapOption(): Option {
  return new Option('--overlap <how>', 'data at the same address twice: error (default, names both places) or last-wins').choices(['error', 'last-wins']);
}

/** The bytes of a small file (a VBF header template); an {@link ImageFileError} saying why it cannot be read. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    throw fileError('read', path, e);
  }
}

/** Choices of {@link readInput}. */
export interface ReadInputHow {
  /** VBF blocks udskit cannot decompress: an error (default) or left out (for `info`). */
  readonly undecodable?: 'error' | 'omit';
  /** Apply `--base` to binary input and ignore it for the other formats (`diff` of a binary and a text file). */
  readonly baseForBinaryOnly?: boolean;
}

/**
 * Reads `path` as a firmware file, in chunks (see {@link readFirmwareFile}); warnings (e.g. a missing end
 * record) go to `warnings`.
 */
export async function readInput(path: string, opts: ImageInputOptions, warnings: FirmwareWarning[], how: ReadInputHow = {}): Promise<FirmwareFile> {
  const undecodable = how.undecodable ?? 'error';
  const loaded = await readFirmwareFile(path, {
    file: path,
    ...(opts.inputFormat !== undefined ? { format: opts.inputFormat } : {}),
    ...(opts.base !== undefined ? { base: opts.base } : {}),
    ...(opts.overlap !== undefined ? { overlap: opts.overlap } : {}),
    onWarning: (w) => warnings.push(w),
    undecodable,
  });
  if (opts.base !== undefined && loaded.format !== 'binary' && !how.baseForBinaryOnly) {
    throw new InvalidArgumentError(
      `--base applies to binary input only; ${path} is ${FORMAT_NAMES[loaded.format]} (its records carry addresses): use --offset to move its data, or --input-format bin to read it as raw bytes`,
      { file: path, format: loaded.format },
    );
  }
  return loaded;
}

/** Prints warnings on stderr as `udskit: warning: file:line: message` (nothing with --json: they go into the object). */
export function printWarnings(warnings: readonly FirmwareWarning[], json: boolean): void {
  if (json) return;
  for (const w of warnings) process.stderr.write(`udskit: warning: ${formatPlace(w.place)}: ${w.message}\n`);
}

/** Warnings as JSON: `{ place, message }`. */
export function warningsJson(warnings: readonly FirmwareWarning[]): { warnings?: { file?: string; line?: number; message: string }[] } {
  return warnings.length > 0 ? { warnings: warnings.map((w) => ({ ...w.place, message: w.message })) } : {};
}

/** A commander option parser from a function that throws udskit's InvalidArgumentError (commander prints it, exit 1). */
export function commanderParser<T>(parse: (text: string) => T): (text: string) => T {
  return (text: string) => {
    try {
      return parse(text);
    } catch (e) {
      throw new CommanderInvalidArgument((e as Error).message);
    }
  };
}

/** `--input-format`: srec, s19, s28, s37, mot, hex, ihx, intel-hex, bin, binary, vbf. */
export const inputFormatOption = commanderParser(parseInputFormat);

/** An address 0..0xFFFFFFFF (`0x08000000`, `134217728`, `64K`); `name` is the option in the message. */
export function addressOption(name: string): (text: string) => number {
  return commanderParser((text) => {
    const v = parseIntAuto(text, name);
    if (v > 0xffffffff) throw new InvalidArgumentError(`${name} must be 0..0xFFFFFFFF, got ${text}`);
    return v;
  });
}

/** A signed byte offset: `0x1000`, `-0x8000000`, `+64K`. */
export const offsetOption = commanderParser((text: string): number => {
  const t = text.trim();
  const neg = t.startsWith('-');
  const v = parseIntAuto(t.replace(/^[-+]/, ''), '--offset');
  if (v > 0xffffffff) throw new InvalidArgumentError(`--offset must be within ±0xFFFFFFFF, got ${text}`);
  return neg ? -v : v;
});

/** A fill byte 0..255 (`0xFF`, `255`, `0`). */
export const fillOption = commanderParser((text: string): number => {
  const v = parseIntAuto(text, '--fill');
  if (v > 0xff) throw new InvalidArgumentError(`--fill must be a byte 0..255 (0x00..0xFF), got ${text}`);
  return v;
});
