/**
 * `udskit read-memory <address> <size> [-o FILE]`: ReadMemoryByAddress (0x23) in blocks of at most
 * `--block` bytes, with a progress bar on large reads; writes the bytes to a file or prints a hex dump.
 */
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { crc32 } from '../../core/crc.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { hexNum, toHex } from '../../core/hex.js';
import { hexDumpLines } from '../hexdump.js';
import { intOption } from '../options.js';
import { createByteProgress } from '../progress.js';
import { ecuCommand, reportFailure, runEcuCommand, type EcuCommandOptions } from '../run.js';

/** Default largest block per request: fits every link udskit has (ISO-TP carries up to 4095 bytes). */
export const DEFAULT_READ_BLOCK = 0x800;

/** Reads above this size show a progress bar (unless --json or --quiet). */
const PROGRESS_THRESHOLD = 0x10000;

interface ReadMemoryOptions extends EcuCommandOptions {
  output?: string;
  block: number;
  addressLength: number;
  sizeLength: number;
  quiet?: boolean;
}

/** The largest value that fits in `bytes` bytes. */
function maxFor(bytes: number): number {
  return 2 ** (8 * bytes) - 1;
}

/** Checks the range against the ALFID lengths (ISO 14229-1:2020 11.3.2 memoryAddress / memorySize lengths). */
function checkRange(address: number, size: number, opts: ReadMemoryOptions): void {
  if (address + size - 1 > maxFor(opts.addressLength)) {
    throw new InvalidArgumentError(
      `read-memory: ${hexNum(address, 8)} + ${size} does not fit in ${opts.addressLength} address byte(s); raise --address-length`,
      { field: '--address-length' },
    );
  }
  if (Math.min(size, opts.block) > maxFor(opts.sizeLength)) {
    throw new InvalidArgumentError(`read-memory: blocks of ${Math.min(size, opts.block)} bytes do not fit in ${opts.sizeLength} size byte(s); lower --block or raise --size-length`, {
      field: '--size-length',
    });
  }
}

/** Registers `read-memory` on the program. */
export function registerReadMemory(program: Command): void {
  ecuCommand(program, 'read-memory', 'read memory by address (23 ALFID address size), in blocks; most ECUs need --session extended and --unlock')
    .argument('<address>', 'start address: 0x08000000 (hex with 0x) or decimal', intOption('address', 0, 0xffffffff))
    .argument('<size>', 'number of bytes: 4096, 0x1000 or 4K', intOption('size', 1, 0x1000_0000))
    .option('-o, --output <file>', 'write the bytes to this file instead of printing a hex dump')
    .addOption(new Option('--block <bytes>', 'at most this many bytes per request').argParser(intOption('--block', 1, 0x1000_0000)).default(DEFAULT_READ_BLOCK, '0x800'))
    .option('--address-length <n>', 'memoryAddress bytes on the wire (ALFID low nibble)', intOption('--address-length', 1, 4), 4)
    .option('--size-length <n>', 'memorySize bytes on the wire (ALFID high nibble)', intOption('--size-length', 1, 4), 4)
    .option('-q, --quiet', 'no progress bar')
    .action((address: number, size: number, opts: ReadMemoryOptions) => {
      try {
        checkRange(address, size, opts);
      } catch (e) {
        reportFailure(e, opts.json === true);
        return;
      }
      return runEcuCommand(opts, async ({ conn, json, note, output }) => {
        // A response is 63 + the data: it must fit the link's largest message.
        const block = Math.max(1, Math.min(opts.block, conn.client.link.maxMessageSize - 1));
        const data = new Uint8Array(size);
        const bar = createByteProgress('read', size, !json && !opts.quiet && size > PROGRESS_THRESHOLD);
        let requests = 0;
        try {
          // Bounded: ceil(size / block) requests.
          for (let off = 0; off < size; off += block) {
            const n = Math.min(block, size - off);
            const chunk = await conn.client.readMemoryByAddress({ address: address + off, size: n, addressLength: opts.addressLength, sizeLength: opts.sizeLength });
            data.set(chunk, off);
            requests++;
            bar.update(off + n);
          }
        } finally {
          bar.stop();
        }
        const crc = crc32(data).toString(16).toUpperCase().padStart(8, '0');
        if (opts.output !== undefined) await writeFile(opts.output, data);
        const summary = `${size} byte(s) read at ${hexNum(address, 8)} in ${requests} request(s), CRC32 ${crc}`;
        const result = { address, size, crc32: crc, ...(opts.output !== undefined ? { file: opts.output } : { hex: toHex(data) }) };
        if (opts.output !== undefined) {
          output(result, `${summary}, written to ${opts.output}`);
        } else {
          // stdout holds only the dump; the summary goes to stderr.
          output(result, hexDumpLines(data, address));
          note(summary);
        }
      });
    });
}
