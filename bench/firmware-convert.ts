/**
 * Converts one firmware file with the udskit library alone, streaming both ways, without the CLI around it:
 * the "library" row of bench/firmware.bench.ts (what `udskit image convert` costs beyond the library).
 *
 *   node --import tsx bench/firmware-convert.ts IN OUT      (or the transpiled .js on plain node)
 *
 * IN (any format, detected from the content) is read in 1 MiB chunks into a FirmwareReader (the file size as
 * the size hint); OUT (format from its extension, srec_cat's layout and defaults) is written from
 * writeFirmwareChunks through one reused 1 MiB buffer (binary: the segments' own bytes). Prints one JSON line:
 * { "ok": true, "segments": n, "bytes": n }.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { FirmwareReader, outputTargetFor } from '../src/firmware/firmware-file.js';
import { writeFirmwareChunks } from '../src/firmware/firmware-write.js';
import { totalSize, type FirmwareImage } from '../src/firmware/image.js';

const CHUNK = 1 << 20;

function readImage(path: string): FirmwareImage {
  const fd = openSync(path, 'r');
  try {
    const reader = new FirmwareReader({ file: path }, fstatSync(fd).size);
    const buf = Buffer.allocUnsafe(CHUNK);
    // Bounded by the file's length.
    for (let n = readSync(fd, buf, 0, CHUNK, null); n > 0; n = readSync(fd, buf, 0, CHUNK, null)) reader.push(buf.subarray(0, n));
    return reader.end().image;
  } finally {
    closeSync(fd);
  }
}

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  process.stderr.write('usage: node --import tsx bench/firmware-convert.ts IN OUT\n');
  process.exit(1);
}
const image = readImage(input);
const { chunks } = writeFirmwareChunks(image, { target: outputTargetFor(output), file: output }, Buffer.allocUnsafe(CHUNK));
const fd = openSync(output, 'w');
try {
  for (const chunk of chunks) {
    for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
  }
} finally {
  closeSync(fd);
}
process.stdout.write(`${JSON.stringify({ ok: true, segments: image.segments.length, bytes: totalSize(image) })}\n`);
