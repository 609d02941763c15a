/**
 * Converts one firmware file with the udskit library, streaming both ways: the udskit side of
 * bench/firmware.bench.ts where the `udskit image convert` command is not built.
 *
 *   node --import tsx bench/firmware-convert.ts IN OUT
 *
 * The input format comes from the content (S-record or Intel HEX), the output format from OUT's extension
 * (.hex/.ihx Intel HEX, .s19/.s28/.s37 S-record with S1/S2/S3 at least, .bin binary from the lowest address,
 * gaps 0xFF); text records are laid out as srec_cat lays them out (srecCatPieces of firmware-write.ts). IN is read in 1 MiB chunks into the incremental reader; OUT is written in 1 MiB chunks
 * (text formats: one reused buffer; binary: the segments' own bytes and one fill buffer).
 * Prints one JSON line: { "ok": true, "segments": n, "bytes": n }.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { writeBinaryChunks } from '../src/firmware/binary.js';
import { detectFormat } from '../src/firmware/detect.js';
import { srecCatPieces } from '../src/firmware/firmware-write.js';
import { totalSize, type FirmwareImage } from '../src/firmware/image.js';
import { IntelHexReader, writeIntelHexChunks } from '../src/firmware/intel-hex.js';
import { SRecordReader, writeSRecordChunks } from '../src/firmware/srecord.js';

const CHUNK = 1 << 20;

function readImage(path: string): FirmwareImage {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    let n = readSync(fd, buf, 0, CHUNK, null);
    const format = detectFormat(buf.subarray(0, n));
    if (format !== 'srecord' && format !== 'intel-hex') throw new Error(`${path}: ${format} input is not part of this benchmark`);
    // The file size lets the reader size large segments once (lower peak memory).
    const size = fstatSync(fd).size;
    const reader = format === 'srecord' ? new SRecordReader({ file: path }, size) : new IntelHexReader({ file: path }, size);
    while (n > 0) {
      reader.push(buf.subarray(0, n));
      n = readSync(fd, buf, 0, CHUNK, null);
    }
    return reader.end();
  } finally {
    closeSync(fd);
  }
}

function chunksFor(image: FirmwareImage, path: string): Iterable<Uint8Array> {
  const ext = extname(path).toLowerCase();
  // Records where srec_cat puts them: cut at its 1792-byte memory chunks (as `udskit image convert` does).
  const pieces: FirmwareImage = { ...image, segments: srecCatPieces(image.segments) };
  // One output buffer reused by every chunk: each is written before the next is made.
  const out = Buffer.allocUnsafe(CHUNK);
  if (ext === '.hex' || ext === '.ihx') return writeIntelHexChunks(pieces, {}, out);
  if (ext === '.s19' || ext === '.s28' || ext === '.s37') return writeSRecordChunks(pieces, { addressBytes: ext === '.s19' ? 2 : ext === '.s28' ? 3 : 4 }, out);
  if (ext === '.bin') return writeBinaryChunks(image, {}, CHUNK);
  throw new Error(`${path}: unknown output extension '${ext}' (use .hex, .s19, .s28, .s37 or .bin)`);
}

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  process.stderr.write('usage: node --import tsx bench/firmware-convert.ts IN OUT\n');
  process.exit(1);
}
const image = readImage(input);
const fd = openSync(output, 'w');
try {
  for (const chunk of chunksFor(image, output)) {
    for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
  }
} finally {
  closeSync(fd);
}
process.stdout.write(`${JSON.stringify({ ok: true, segments: image.segments.length, bytes: totalSize(image) })}\n`);
