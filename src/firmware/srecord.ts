/**
 * Motorola S-record reader and writer (spec/firmware-formats.md). The writer's defaults reproduce
 * `srec_cat` 1.64 output byte for byte: upper-case hex, LF line ends, 32 data bytes per record,
 * S1/S2/S3 per record by its address, S5 (or S6) count record, S9/S8/S7 only when a start address is set
 * (sized by the start address).
 */
import { InvalidArgumentError } from '../core/errors.js';
import { FirmwareFormatError, type ReadOptions, type SourcePlace } from './errors.js';
import { ImageBuilder, type FirmwareImage } from './image.js';
import { asText, decodeHexPairs, forEachLine, hexDigits, hexOf, showChar, warn } from './text-lines.js';

/** Address bytes of each record type S0..S9 (S4 is reserved: -1). */
const ADDRESS_BYTES = [2, 2, 3, 4, -1, 2, 3, 4, 3, 2] as const;

/** The header `srec_cat` writes when its input has none. */
export const SREC_CAT_DEFAULT_HEADER = 'http://srecord.sourceforge.net/';

/** Reads S-record text (or bytes) into an image. Throws {@link FirmwareFormatError} at the first fault. */
export function readSRecord(input: string | Uint8Array, options: ReadOptions = {}): FirmwareImage {
  const text = asText(input);
  const file = options.file;
  const builder = new ImageBuilder({ overlap: options.overlap ?? 'error' });
  let header: Uint8Array | undefined;
  let startAddress: number | undefined;
  let ended = false;
  let dataRecords = 0;
  let lastLine = 0;
  forEachLine(text, (line, lineNo) => {
    lastLine = lineNo;
    if (line.length === 0) return;
    const at = (column: number): SourcePlace => ({ ...(file !== undefined ? { file } : {}), line: lineNo, column });
    if (line.charAt(0) !== 'S') throw new FirmwareFormatError(at(1), 'bad character', "'S' starting a record", showChar(line.charAt(0)));
    if (line.length < 2) throw new FirmwareFormatError(at(2), 'short record', 'a record type digit 0-9', 'end of line');
    const type = line.charCodeAt(1) - 48;
    const addrLen = type >= 0 && type <= 9 ? ADDRESS_BYTES[type] : -1;
    if (addrLen === undefined || addrLen < 0) {
      throw new FirmwareFormatError(at(2), 'bad record type', 'S0-S3 or S5-S9', showChar(line.charAt(1)));
    }
    const bytes = decodeHexPairs(line, 2, at);
    const count = bytes[0];
    if (count === undefined) throw new FirmwareFormatError(at(3), 'short record', 'a 2-digit byte count', 'end of line');
    if (bytes.length - 1 !== count) {
      const problem = bytes.length - 1 < count ? 'short record' : 'record longer than its byte count';
      throw new FirmwareFormatError(at(3), problem, `${count} bytes after the count (${count * 2} hex digits)`, `${bytes.length - 1} bytes`);
    }
    if (count < addrLen + 1) {
      throw new FirmwareFormatError(at(3), 'short record', `a byte count of at least ${addrLen + 1} for S${type}`, `${count}`);
    }
    // Checksum: ones' complement of the low byte of the sum of count, address and data.
    let sum = 0;
    for (let i = 0; i < bytes.length - 1; i++) sum += bytes[i] as number;
    const expected = ~sum & 0xff;
    const found = bytes[bytes.length - 1] as number;
    if (expected !== found) {
      throw new FirmwareFormatError(at(line.length - 1), 'bad checksum', hexDigits(expected, 2), hexDigits(found, 2));
    }
    let address = 0;
    for (let i = 1; i <= addrLen; i++) address = address * 256 + (bytes[i] as number);
    const data = bytes.subarray(1 + addrLen, bytes.length - 1);
    if (type === 0) {
      header = data.slice();
    } else if (type <= 3) {
      builder.add(address, data, at(5 + addrLen * 2));
      dataRecords++;
    } else if (type === 5 || type === 6) {
      if (address !== dataRecords % 2 ** (addrLen * 8)) {
        throw new FirmwareFormatError(at(5), `S${type} record count mismatch`, `${dataRecords} data records so far`, `${address}`);
      }
    } else {
      startAddress = address;
      ended = true;
    }
    return undefined;
  });
  if (!ended) warn(options, { ...(file !== undefined ? { file } : {}), line: lastLine }, 'no end record (S7/S8/S9)', 'an S7, S8 or S9 end record');
  return {
    format: 'srecord',
    segments: builder.build(),
    ...(header !== undefined ? { header } : {}),
    ...(startAddress !== undefined ? { startAddress } : {}),
  };
}

/** Options of {@link writeSRecord}. */
export interface SRecordWriteOptions {
  /**
   * Minimum address bytes: 2 (S1), 3 (S2), 4 (S3), as srec_cat's `-address-length`. Each data record uses
   * the smallest width >= this that fits its own start address (so a file may mix S1 and S2, exactly as
   * srec_cat writes); the end record (S9/S8/S7) the smallest >= this that fits the start address. Default 2.
   */
  readonly addressBytes?: 2 | 3 | 4;
  /** Data bytes per record (the line length). Default 32, as srec_cat. */
  readonly bytesPerRecord?: number;
  /** S0 header: bytes or text; `false` writes no S0. Default: the image's header, else an empty S0. */
  readonly header?: Uint8Array | string | false;
  /** Write the S5/S6 record count. Default true, as srec_cat. */
  readonly countRecord?: boolean;
  /** Line ending. Default `'\n'`, as srec_cat on Linux. */
  readonly lineEnding?: '\n' | '\r\n';
}

function record(type: number, addrLen: number, address: number, data: Uint8Array, from: number, to: number, eol: string): string {
  const count = addrLen + (to - from) + 1;
  let sum = count;
  for (let i = 0; i < addrLen; i++) sum += Math.floor(address / 256 ** i) % 256;
  for (let i = from; i < to; i++) sum += data[i] as number;
  return `S${type}${hexDigits(count, 2)}${hexDigits(address, addrLen * 2)}${hexOf(data, from, to)}${hexDigits(~sum & 0xff, 2)}${eol}`;
}

function widthFor(v: number): 2 | 3 | 4 {
  return v <= 0xffff ? 2 : v <= 0xffffff ? 3 : 4;
}

/** Writes an image as S-record text (see {@link SRecordWriteOptions} for the srec_cat-compatible defaults). */
export function writeSRecord(image: FirmwareImage, options: SRecordWriteOptions = {}): string {
  const last = image.segments[image.segments.length - 1];
  const highest = last ? last.address + last.data.length - 1 : 0;
  const min = options.addressBytes ?? 2;
  if (min !== 2 && min !== 3 && min !== 4) throw new InvalidArgumentError(`addressBytes must be 2, 3 or 4, got ${String(min)}`);
  // As srec_cat's -address-length: a minimum; each record is widened when its own address needs more.
  const addrLen = Math.max(min, widthFor(highest));
  const per = options.bytesPerRecord ?? 32;
  const maxPer = 255 - addrLen - 1;
  if (!Number.isInteger(per) || per < 1 || per > maxPer) {
    throw new InvalidArgumentError(`bytesPerRecord must be 1..${maxPer} for S${addrLen - 1} records, got ${per}`, { bytesPerRecord: per });
  }
  const eol = options.lineEnding ?? '\n';
  const parts: string[] = [];
  const h = options.header;
  if (h !== false) {
    const bytes = h === undefined ? (image.header ?? new Uint8Array(0)) : typeof h === 'string' ? Uint8Array.from(Buffer.from(h, 'latin1')) : h;
    if (bytes.length > 252) throw new InvalidArgumentError(`S0 header is ${bytes.length} bytes; at most 252 fit in one record`);
    parts.push(record(0, 2, 0, bytes, 0, bytes.length, eol));
  }
  let n = 0;
  for (const s of image.segments) {
    for (let off = 0; off < s.data.length; off += per) {
      const a = s.address + off;
      const w = Math.max(min, widthFor(a));
      parts.push(record(w - 1, w, a, s.data, off, Math.min(off + per, s.data.length), eol));
      n++;
    }
  }
  const none = new Uint8Array(0);
  if (options.countRecord ?? true) {
    if (n <= 0xffff) parts.push(record(5, 2, n, none, 0, 0, eol));
    else if (n <= 0xffffff) parts.push(record(6, 3, n, none, 0, 0, eol));
  }
  if (image.startAddress !== undefined) {
    // srec_cat sizes the end record by the start address alone (S2 data may end with S9), at least `addressBytes`.
    const w = Math.max(min, widthFor(image.startAddress));
    parts.push(record(11 - w, w, image.startAddress, none, 0, 0, eol));
  }
  return parts.join('');
}
