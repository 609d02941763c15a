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
