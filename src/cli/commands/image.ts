/**
 * `udskit image info | convert | diff`: inspect, convert and compare firmware files (S-record, Intel
 * HEX, binary, VBF) without a vehicle. Exit codes: 0 success, 1 usage error or a file that cannot be
 * read (missing, malformed: the message names file, line and column), 2 `diff` found differences.
 */
import type { Command } from 'commander';
import { registerImageConvert } from './image-convert.js';
import { registerImageDiff } from './image-diff.js';
import { registerImageInfo } from './image-info.js';

/** Registers `image` and its sub-commands on the program. */
export function registerImage(program: Command): void {
  const image = program.command('image').description('inspect, convert and compare firmware files: S-record, Intel HEX, binary, VBF');
  registerImageInfo(image);
  registerImageConvert(image);
  registerImageDiff(image);
}
