/**
 * Intel HEX reader and writer (spec/firmware-formats.md; Intel "Hexadecimal Object File Format
 * Specification" rev. A, 1988). The writer's defaults reproduce `srec_cat ... -intel` 1.64 byte for byte:
 * 32 data bytes per record, an 04 record before the first data record and whenever the upper 16 bits of a
 * record's address change (a record may run across a 64 KiB boundary, as srec_cat writes), 05 start, 01 EOF.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { FirmwareFormatError, type ReadOptions, type SourcePlace } from './errors.js';
import { ADDRESS_LIMIT, ImageBuilder, type FirmwareImage, type StartSegment } from './image.js';
import { asText, decodeHexPairs, forEachLine, hexDigits, hexOf, showChar, warn } from './text-lines.js';

/** Payload length each non-data record type requires. */
const FIXED_LENGTH: Readonly<Record<number, number>> = { 1: 0, 2: 2, 3: 4, 4: 2, 5: 4 };

/** Reads Intel HEX text (or bytes) into an image. Throws {@link FirmwareFormatError} at the first fault. */
export function readIntelHex(input: string | Uint8Array, options: ReadOptions = {}): FirmwareImage {
  const text = asText(input);
  const file = options.file;
  const builder = new ImageBuilder({ overlap: options.overlap ?? 'error' });
  let base = 0;
  let segmentMode = false;
  let startAddress: number | undefined;
  let startSegment: StartSegment | undefined;
  let ended = false;
  let lastLine = 0;
  forEachLine(text, (line, lineNo) => {
    lastLine = lineNo;
    if (line.length === 0) return undefined;
    const at = (column: number): SourcePlace => ({ ...(file !== undefined ? { file } : {}), line: lineNo, column });
    if (line.charAt(0) !== ':') throw new FirmwareFormatError(at(1), 'bad character', "':' starting a record", showChar(line.charAt(0)));
    const bytes = decodeHexPairs(line, 1, at);
    if (bytes.length < 5) throw new FirmwareFormatError(at(1), 'short record', 'at least 5 bytes (count, address, type, checksum)', `${bytes.length}`);
    const count = bytes[0] as number;
    if (bytes.length !== count + 5) {
      const problem = bytes.length < count + 5 ? 'short record' : 'record longer than its byte count';
      throw new FirmwareFormatError(at(2), problem, `${count} data bytes (${(count + 5) * 2} hex digits after ':')`, `${bytes.length - 5} data bytes`);
    }
    // Checksum: two's complement of the low byte of the sum of all preceding bytes.
    let sum = 0;
    for (let i = 0; i < bytes.length - 1; i++) sum += bytes[i] as number;
    const expected = -sum & 0xff;
    const found = bytes[bytes.length - 1] as number;
    if (expected !== found) throw new FirmwareFormatError(at(line.length - 1), 'bad checksum', hexDigits(expected, 2), hexDigits(found, 2));
    const offset = ((bytes[1] as number) << 8) | (bytes[2] as number);
    const type = bytes[3] as number;
    const data = bytes.subarray(4, 4 + count);
    const fixed = FIXED_LENGTH[type];
    if (type !== 0 && fixed === undefined) throw new FirmwareFormatError(at(8), 'bad record type', '00-05', hexDigits(type, 2));
    if (fixed !== undefined && count !== fixed) {
      throw new FirmwareFormatError(at(2), `record type ${hexDigits(type, 2)} has a wrong length`, `${fixed} data bytes`, `${count}`);
    }
    const word = (data[0] ?? 0) * 256 + (data[1] ?? 0);
    switch (type) {
      case 0: {
        const place = at(10);
        if (segmentMode && offset + count > 0x10000) {
          // Segment addressing wraps within the 64 KiB segment: address = SBA + ((DRLO + DRI) mod 64K).
          const split = 0x10000 - offset;
          builder.add(base + offset, data.subarray(0, split), place);
          builder.add(base, data.subarray(split), place);
        } else {
          // Linear addressing: address = (ULBA + DRLO + DRI) mod 4G; a record may cross 64 KiB.
          if (base + offset + count > ADDRESS_LIMIT) {
            throw new FirmwareFormatError(place, 'data beyond the 32-bit address space', 'an end address <= 0xFFFFFFFF', `0x${(base + offset + count - 1).toString(16).toUpperCase()}`);
          }
          builder.add(base + offset, data, place);
        }
        break;
      }
      case 1:
        ended = true;
        return true; // the EOF record is the last record; anything after it is ignored
      case 2:
        base = word * 16;
        segmentMode = true;
        break;
      case 3:
        startSegment = { cs: word, ip: (data[2] as number) * 256 + (data[3] as number) };
        break;
      case 4:
        base = word * 0x10000;
        segmentMode = false;
        break;
      default:
        startAddress = word * 0x10000 + (data[2] as number) * 256 + (data[3] as number);
    }
    return undefined;
  });
  if (!ended) warn(options, { ...(file !== undefined ? { file } : {}), line: lastLine }, 'no end-of-file record', 'an :00000001FF record');
  return {
    format: 'intel-hex',
    segments: builder.build(),
    ...(startAddress !== undefined ? { startAddress } : {}),
    ...(startSegment !== undefined ? { startSegment } : {}),
  };
}

/** Options of {@link writeIntelHex}. */
export interface IntelHexWriteOptions {
  /** Data bytes per record, 1..255. Default 32, as srec_cat. */
  readonly bytesPerRecord?: number;
  /**
   * Extended addressing: `'linear'` (04 records, srec_cat's choice, the default), `'segment'` (02 records,
   * up to 1 MiB; records never cross a 64 KiB boundary), `'none'` (16-bit only, up to 0xFFFF).
   */
  readonly addressing?: 'linear' | 'segment' | 'none';
  /** Line ending. Default `'\n'`, as srec_cat on Linux. */
  readonly lineEnding?: '\n' | '\r\n';
}

function rec(type: number, offset: number, data: Uint8Array, from: number, to: number, eol: string): string {
  const n = to - from;
  let sum = n + (offset >> 8) + (offset & 0xff) + type;
  for (let i = from; i < to; i++) sum += data[i] as number;
  return `:${hexDigits(n, 2)}${hexDigits(offset, 4)}${hexDigits(type, 2)}${hexOf(data, from, to)}${hexDigits(-sum & 0xff, 2)}${eol}`;
}

/** Writes an image as Intel HEX text (see {@link IntelHexWriteOptions} for the srec_cat-compatible defaults). */
export function writeIntelHex(image: FirmwareImage, options: IntelHexWriteOptions = {}): string {
  const per = options.bytesPerRecord ?? 32;
  if (!Number.isInteger(per) || per < 1 || per > 255) throw new InvalidArgumentError(`bytesPerRecord must be 1..255, got ${per}`, { bytesPerRecord: per });
  const mode = options.addressing ?? 'linear';
  const eol = options.lineEnding ?? '\n';
  const last = image.segments[image.segments.length - 1];
  const end = last ? last.address + last.data.length : 0;
  const limit = mode === 'linear' ? ADDRESS_LIMIT : mode === 'segment' ? 0x100000 : 0x10000;
  if (end > limit) {
    throw new InvalidArgumentError(`addressing '${mode}' reaches 0x${(limit - 1).toString(16).toUpperCase()} but data ends at 0x${(end - 1).toString(16).toUpperCase()}; use 'linear'`, { addressing: mode });
  }
  const parts: string[] = [];
  let upper = -1;
  const ext = new Uint8Array(2);
  for (const s of image.segments) {
    let off = 0;
    while (off < s.data.length) {
      const addr = s.address + off;
      let n = Math.min(per, s.data.length - off);
      const hi = Math.floor(addr / 0x10000);
      if (mode === 'segment') n = Math.min(n, 0x10000 - (addr % 0x10000));
      if (mode !== 'none' && hi !== upper) {
        const v = mode === 'linear' ? hi : hi * 0x1000;
        ext[0] = v >> 8;
        ext[1] = v & 0xff;
        parts.push(rec(mode === 'linear' ? 4 : 2, 0, ext, 0, 2, eol));
        upper = hi;
      }
      parts.push(rec(0, addr % 0x10000, s.data, off, off + n, eol));
      off += n;
    }
  }
  const four = new Uint8Array(4);
  if (image.startSegment) {
    const { cs, ip } = image.startSegment;
    four.set([cs >> 8, cs & 0xff, ip >> 8, ip & 0xff]);
    parts.push(rec(3, 0, four, 0, 4, eol));
  }
  if (image.startAddress !== undefined) {
    const a = image.startAddress;
    four.set([Math.floor(a / 0x1000000) & 0xff, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff]);
    parts.push(rec(5, 0, four, 0, 4, eol));
  }
  parts.push(rec(1, 0, new Uint8Array(0), 0, 0, eol));
  return parts.join('');
}
