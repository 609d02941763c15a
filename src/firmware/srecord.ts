/**
 * Motorola S-record reader and writer (spec/firmware-formats.md). The writer's defaults reproduce
 * `srec_cat` 1.64 output byte for byte: upper-case hex, LF line ends, 32 data bytes per record laid out
 * as srec_cat lays them out (a new run of records at every multiple of 1792 bytes, see
 * {@link RecordCursor}), S1/S2/S3 per record by its address, S5 (or S6) count record, S9/S8/S7 only when a
 * start address is set (sized by the start address). Reading parses the bytes in place (see
 * {@link HexLineReader}), whole or in chunks ({@link SRecordReader}); writing fills one buffer of the exact
 * output size, or chunks of it ({@link writeSRecordChunks}).
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { ReadOptions } from './errors.js';
import { ADDRESS_LIMIT, type FirmwareImage } from './image.js';
import { RecordCursor } from './record-layout.js';
import { encodeChunks, HEX_HIGH, HEX_LOW, HexLineReader, hexDigits } from './text-lines.js';

/** Address bytes of each record type S0..S9 (S4 is reserved: -1). */
const ADDRESS_BYTES = [2, 2, 3, 4, -1, 2, 3, 4, 3, 2] as const;

/** The header `srec_cat` writes when its input has none. */
export const SREC_CAT_DEFAULT_HEADER = 'http://srecord.sourceforge.net/';

/**
 * Reads S-record text incrementally: {@link push} the file's bytes in chunks of any size as they are read,
 * then {@link end} for the image. Same result and errors as {@link readSRecord} on the whole text.
 */
export class SRecordReader extends HexLineReader {
  private header: Uint8Array | undefined;
  private startAddress: number | undefined;
  private ended = false;
  private dataRecords = 0;

  /**
   * `inputBytes`: the size of the whole input when known (e.g. the file size), so that large segments are
   * allocated once instead of by doubling (lower peak memory); the result never depends on it.
   */
  constructor(options: ReadOptions = {}, inputBytes?: number) {
    super(options, inputBytes);
  }

  /** Reads a whole input (string or bytes, Latin-1). */
  static read(input: string | Uint8Array, options: ReadOptions = {}): FirmwareImage {
    const r = new SRecordReader(options);
    r.parseAll(input);
    return r.image();
  }

  /** Parses the last line and returns the image. Throws {@link FirmwareFormatError} or {@link ImageOverlapError}. */
  end(): FirmwareImage {
    this.endLines();
    return this.image();
  }

  private image(): FirmwareImage {
    if (!this.ended) this.warnAtEnd('no end record (S7/S8/S9)', 'an S7, S8 or S9 end record');
    return {
      format: 'srecord',
      segments: this.builder.build(),
      ...(this.header !== undefined ? { header: this.header } : {}),
      ...(this.startAddress !== undefined ? { startAddress: this.startAddress } : {}),
    };
  }

  protected line(buf: Uint8Array, p: number, end: number): number {
    const start = p;
    if (buf[p] !== 0x53) {
      const next = this.blankLineEnd(buf, p, end);
      if (next !== undefined) return next;
      throw this.error(1, 'bad character', "'S' starting a record", this.show(buf, p));
    }
    const type = p + 1 < end ? (buf[p + 1] as number) - 48 : -1;
    const addrLen = type >= 0 && type <= 9 ? ADDRESS_BYTES[type] : -1;
    if (addrLen === undefined || addrLen < 0) {
      if (type < 0 || type > 9) {
        if (p + 1 === end || this.restIsBlank(buf, p + 1, end)) throw this.error(2, 'short record', 'a record type digit 0-9', 'end of line');
      }
      throw this.error(2, 'bad record type', 'S0-S3 or S5-S9', this.show(buf, p + 1));
    }
    const r = this.scanPairs(buf, p + 2, end);
    const next = this.lineEndAfter(buf, start, r, end);
    const digits = r - (p + 2);
    const length = r - start; // the line without trailing white space
    if (digits % 2 !== 0) throw this.error(length, 'odd number of hex digits', 'whole bytes (an even number of digits)', `${digits} digits`);
    const n = this.pairs;
    const s = this.scratch;
    if (n === 0) throw this.error(3, 'short record', 'a 2-digit byte count', 'end of line');
    const count = s[0] as number;
    if (n - 1 !== count) {
      const problem = n - 1 < count ? 'short record' : 'record longer than its byte count';
      throw this.error(3, problem, `${count} bytes after the count (${count * 2} hex digits)`, `${n - 1} bytes`);
    }
    if (count < addrLen + 1) throw this.error(3, 'short record', `a byte count of at least ${addrLen + 1} for S${type}`, `${count}`);
    // Checksum: ones' complement of the low byte of the sum of count, address and data.
    const found = s[n - 1] as number;
    const expected = ~(this.pairSum - found) & 0xff;
    if (expected !== found) throw this.error(length - 1, 'bad checksum', hexDigits(expected, 2), hexDigits(found, 2));
    let address = 0;
    for (let i = 1; i <= addrLen; i++) address = address * 256 + (s[i] as number);
    const from = 1 + addrLen;
    if (type === 0) {
      this.header = s.slice(from, n - 1);
    } else if (type <= 3) {
      const column = 5 + addrLen * 2;
      if (address + (n - 1 - from) > ADDRESS_LIMIT) {
        throw this.error(column, 'data beyond the 32-bit address space', 'an end address <= 0xFFFFFFFF', `0x${(address + n - 2 - from).toString(16).toUpperCase()}`);
      }
      this.builder.addBytes(address, s, from, n - 1, this.lineNo, column);
      this.dataRecords++;
    } else if (type === 5 || type === 6) {
      if (address !== this.dataRecords % 2 ** (addrLen * 8)) {
        throw this.error(5, `S${type} record count mismatch`, `${this.dataRecords} data records so far`, `${address}`);
      }
    } else {
      this.startAddress = address;
      this.ended = true;
    }
    return next;
  }
}

/** Reads S-record text (or bytes) into an image. Throws {@link FirmwareFormatError} at the first fault. */
export function readSRecord(input: string | Uint8Array, options: ReadOptions = {}): FirmwareImage {
  return SRecordReader.read(input, options);
}

/** Options of {@link writeSRecord}. */
export interface SRecordWriteOptions {
  /**
   * Minimum address bytes: 2 (S1), 3 (S2), 4 (S3), as srec_cat's `-address-length`. Each data record uses
   * the smallest width >= this that fits its own start address (so a file may mix S1 and S2, exactly as
   * srec_cat writes); the end record (S9/S8/S7) the smallest >= this that fits the start address. Default 2.
   */
  readonly addressBytes?: 2 | 3 | 4;
  /**
   * Data bytes per record (the line length), as srec_cat's `-obs`. Default 32. Records are cut as srec_cat
   * cuts them: from the first byte of each run of contiguous data, and again at every multiple of 1792.
   */
  readonly bytesPerRecord?: number;
  /** S0 header: bytes or text; `false` writes no S0. Default: the image's header, else an empty S0. */
  readonly header?: Uint8Array | string | false;
  /** Write the S5/S6 record count. Default true, as srec_cat. */
  readonly countRecord?: boolean;
  /** Line ending. Default `'\n'`, as srec_cat on Linux. */
  readonly lineEnding?: '\n' | '\r\n';
}

function widthFor(v: number): 2 | 3 | 4 {
  return v <= 0xffff ? 2 : v <= 0xffffff ? 3 : 4;
}

const NO_DATA = new Uint8Array(0);
/** Module-local copies of the digit tables (one lookup per byte in the hot loop, no import binding). */
const HI: Uint8Array = HEX_HIGH;
const LO: Uint8Array = HEX_LOW;

/** Walks the records of an image in output order and writes them as text into byte buffers. */
class SRecordEncoder {
  private readonly min: 2 | 3 | 4;
  private readonly crlf: boolean;
  private readonly header: Uint8Array | undefined;
  private readonly countRecord: boolean;
  // Position: phase 0 header, 1 data (the cursor), 2 count, 3 end record, 4 done.
  private phase = 0;
  private readonly cursor: RecordCursor;
  private records = 0;
  // The current record (valid after next() returned a length).
  private type = 0;
  private addrLen = 0;
  private address = 0;
  private data: Uint8Array = NO_DATA;
  private from = 0;
  private to = 0;
  private pending = 0;

  constructor(
    private readonly image: FirmwareImage,
    private readonly options: SRecordWriteOptions,
  ) {
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
    const h = options.header;
    if (h !== false) {
      const bytes = h === undefined ? (image.header ?? NO_DATA) : typeof h === 'string' ? Uint8Array.from(Buffer.from(h, 'latin1')) : h;
      if (bytes.length > 252) throw new InvalidArgumentError(`S0 header is ${bytes.length} bytes; at most 252 fit in one record`);
      this.header = bytes;
    }
    this.min = min;
    this.crlf = options.lineEnding === '\r\n';
    this.countRecord = options.countRecord ?? true;
    this.cursor = new RecordCursor(image.segments, per);
  }

  /** Total bytes of the whole output: the records of {@link next}, walked by a second encoder without writing. */
  size(): number {
    const probe = new SRecordEncoder(this.image, this.options);
    let total = 0;
    // Bounded: one step per record of the output.
    for (let n = probe.next(); n > 0; n = probe.next()) {
      total += n;
      probe.pending = 0;
    }
    return total;
  }

  /** Moves to the next record; returns its length in bytes, 0 at the end. */
  private next(): number {
    for (;;) {
      switch (this.phase) {
        case 0:
          this.phase = 1;
          if (this.header !== undefined) return this.set(0, 2, 0, this.header, 0, this.header.length);
          break;
        case 1: {
          const c = this.cursor;
          if (!c.next()) {
            this.phase = 2;
            break;
          }
          const a = c.address;
          const w = a <= 0xffff ? this.min : Math.max(this.min, widthFor(a));
          this.records++;
          return this.set(w - 1, w, a, c.data, c.from, c.to);
        }
        case 2:
          this.phase = 3;
          if (this.countRecord) {
            const n = this.records;
            if (n <= 0xffff) return this.set(5, 2, n, NO_DATA, 0, 0);
            if (n <= 0xffffff) return this.set(6, 3, n, NO_DATA, 0, 0);
          }
          break;
        case 3: {
          this.phase = 4;
          const start = this.image.startAddress;
          if (start !== undefined) {
            // srec_cat sizes the end record by the start address alone (S2 data may end with S9), at least `addressBytes`.
            const w = Math.max(this.min, widthFor(start));
            return this.set(11 - w, w, start, NO_DATA, 0, 0);
          }
          break;
        }
        default:
          return 0;
      }
    }
  }

  private set(type: number, addrLen: number, address: number, data: Uint8Array, from: number, to: number): number {
    this.type = type;
    this.addrLen = addrLen;
    this.address = address;
    this.data = data;
    this.from = from;
    this.to = to;
    this.pending = 6 + 2 * addrLen + 2 * (to - from) + (this.crlf ? 2 : 1);
    return this.pending;
  }

  /** Writes whole records into `out` from its start while they fit; returns the bytes written. */
  fill(out: Uint8Array): number {
    let pos = 0;
    const cap = out.length;
    for (;;) {
      if (this.pending === 0 && this.next() === 0) return pos;
      if (pos + this.pending > cap) return pos;
      pos = this.write(out, pos);
      this.pending = 0;
    }
  }

  private write(out: Uint8Array, pos: number): number {
    const { addrLen, address, data, from, to } = this;
    const count = addrLen + (to - from) + 1;
    out[pos] = 0x53;
    out[pos + 1] = 48 + this.type;
    out[pos + 2] = HI[count] as number;
    out[pos + 3] = LO[count] as number;
    pos += 4;
    let sum = count;
    for (let i = addrLen - 1; i >= 0; i--) {
      const b = (address >>> (8 * i)) & 0xff;
      sum += b;
      out[pos] = HI[b] as number;
      out[pos + 1] = LO[b] as number;
      pos += 2;
    }
    for (let i = from; i < to; i++) {
      const b = data[i] as number;
      sum += b;
      out[pos] = HI[b] as number;
      out[pos + 1] = LO[b] as number;
      pos += 2;
    }
    const ck = ~sum & 0xff;
    out[pos] = HI[ck] as number;
    out[pos + 1] = LO[ck] as number;
    pos += 2;
    if (this.crlf) out[pos++] = 13;
    out[pos++] = 10;
    return pos;
  }
}

/** Writes an image as S-record bytes (ASCII): the exact bytes of {@link writeSRecord}, in one buffer of the exact size. */
export function writeSRecordBytes(image: FirmwareImage, options: SRecordWriteOptions = {}): Uint8Array {
  const enc = new SRecordEncoder(image, options);
  const out = Buffer.allocUnsafe(enc.size());
  enc.fill(out);
  return out;
}

/**
 * Writes an image as S-record bytes in chunks of whole records, to write to a file as they come so the whole
 * text is never in memory. `chunk`: the size of the fresh buffer each chunk gets (default 1 MiB, at least
 * 1024), or one buffer (at least 1024 bytes) that every chunk reuses, each chunk then a view of it that is
 * valid until the next one is asked for. Options are checked at the call. Concatenated, the chunks equal
 * {@link writeSRecordBytes}.
 */
export function writeSRecordChunks(image: FirmwareImage, options: SRecordWriteOptions = {}, chunk: number | Uint8Array = 1 << 20): Iterable<Uint8Array> {
  const enc = new SRecordEncoder(image, options);
  return encodeChunks((out) => enc.fill(out), chunk);
}

/** Writes an image as S-record text (see {@link SRecordWriteOptions} for the srec_cat-compatible defaults). */
export function writeSRecord(image: FirmwareImage, options: SRecordWriteOptions = {}): string {
  const bytes = writeSRecordBytes(image, options);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
