/** Raw binary images (spec/firmware-formats.md "Raw binary"): the base address comes from the caller. */
import { InvalidArgumentError } from '../core/errors.js';
import { ADDRESS_LIMIT, type FirmwareImage } from './image.js';

/** Reads raw bytes as one segment at `baseAddress` (default 0). An empty input gives an empty image. */
export function readBinary(bytes: Uint8Array, baseAddress = 0): FirmwareImage {
  if (!Number.isInteger(baseAddress) || baseAddress < 0 || baseAddress + bytes.length > ADDRESS_LIMIT) {
    throw new InvalidArgumentError(`base address ${baseAddress} puts ${bytes.length} bytes outside 0..0xFFFFFFFF`, { baseAddress });
  }
  return { format: 'binary', segments: bytes.length > 0 ? [{ address: baseAddress, data: bytes }] : [] };
}

/** Options of {@link writeBinary}. */
export interface BinaryWriteOptions {
  /** Byte written into gaps between segments, 0..255. Default 0xFF (erased flash). */
  readonly fill?: number;
}

/** Writes the image from its lowest address to its highest, gaps filled with `fill`. */
export function writeBinary(image: FirmwareImage, options: BinaryWriteOptions = {}): Uint8Array {
  const fill = options.fill ?? 0xff;
  if (!Number.isInteger(fill) || fill < 0 || fill > 0xff) throw new InvalidArgumentError(`fill must be a byte 0..255, got ${fill}`, { fill });
  const first = image.segments[0];
  const last = image.segments[image.segments.length - 1];
  if (!first || !last) return new Uint8Array(0);
  const out = new Uint8Array(last.address + last.data.length - first.address);
  if (image.segments.length > 1 || out.length !== first.data.length) out.fill(fill);
  for (const s of image.segments) out.set(s.data, s.address - first.address);
  return out;
}

/**
 * The bytes of {@link writeBinary} as a sequence of chunks, for writing a large image to a file without a
 * second copy of it in memory: each segment's data as it is (a view, not a copy) and each gap as runs of
 * the fill byte of at most `chunkBytes` (default 1 MiB). Do not modify the chunks. Options are checked at the call.
 */
export function writeBinaryChunks(image: FirmwareImage, options: BinaryWriteOptions = {}, chunkBytes = 1 << 20): Iterable<Uint8Array> {
  const fill = options.fill ?? 0xff;
  if (!Number.isInteger(fill) || fill < 0 || fill > 0xff) throw new InvalidArgumentError(`fill must be a byte 0..255, got ${fill}`, { fill });
  if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new InvalidArgumentError(`chunkBytes must be a positive integer, got ${chunkBytes}`, { chunkBytes });
  return binaryChunks(image.segments, fill, chunkBytes);
}

function* binaryChunks(segments: FirmwareImage['segments'], fill: number, chunkBytes: number): Generator<Uint8Array, void, undefined> {
  let filler: Uint8Array | undefined;
  let prevEnd: number | undefined;
  for (const s of segments) {
    let gap = prevEnd === undefined ? 0 : s.address - prevEnd;
    while (gap > 0) {
      if (filler === undefined || (filler.length < gap && filler.length < chunkBytes)) filler = new Uint8Array(Math.min(chunkBytes, gap)).fill(fill);
      const n = Math.min(gap, filler.length);
      yield filler.subarray(0, n);
      gap -= n;
    }
    if (s.data.length > 0) yield s.data;
    prevEnd = s.address + s.data.length;
  }
}
