/**
 * Intel HEX reader and writer (spec/firmware-formats.md; Intel "Hexadecimal Object File Format
 * Specification" rev. A, 1988). The writer's defaults reproduce `srec_cat ... -intel` 1.64 byte for byte:
 * 32 data bytes per record laid out as srec_cat lays them out (a new run of records at every multiple of
 * 1792 bytes, see {@link RecordCursor}), an 04 record before the first data record and whenever the upper
 * 16 bits of a record's address change (a record may run across a 64 KiB boundary, as srec_cat writes),
 * 05 start, 01 EOF; the 02 and no-extended-record variants as srec_cat's `-address-length=3` / `=2`.
 * Reading parses the bytes in place (see {@link HexLineReader}), whole or in chunks ({@link IntelHexReader});
 * writing fills one buffer of the exact output size, or chunks of it ({@link writeIntelHexChunks}).
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { ReadOptions } from './errors.js';
import { ADDRESS_LIMIT, type FirmwareImage, type StartSegment } from './image.js';
import { RecordCursor } from './record-layout.js';
import { encodeChunks, HEX_HIGH, HEX_LOW, HexLineReader, hexDigits } from './text-lines.js';

/** Payload length each record type requires; -1 for data (00), which may hold any count. */
const FIXED_LENGTH = [-1, 0, 2, 4, 2, 4] as const;

/**
 * Reads Intel HEX text incrementally: {@link push} the file's bytes in chunks of any size as they are read,
 * then {@link end} for the image. Same result and errors as {@link readIntelHex} on the whole text.
 */
export class IntelHexReader extends HexLineReader {
  private base = 0;
  private segmentMode = false;
  private startAddress: number | undefined;
  private startSegment: StartSegment | undefined;
  private ended = false;
  /** The end-of-file record's address field (srec_cat's start address in I8HEX files). */
  private eofAddress = 0;

  /**
   * `inputBytes`: the size of the whole input when known (e.g. the file size), so that large segments are
   * allocated once instead of by doubling (lower peak memory); the result never depends on it.
   */
  constructor(options: ReadOptions = {}, inputBytes?: number) {
    super(options, inputBytes);
  }

  /** Reads a whole input (string or bytes, Latin-1). */
  static read(input: string | Uint8Array, options: ReadOptions = {}): FirmwareImage {
    const r = new IntelHexReader(options);
    r.parseAll(input);
    return r.image();
  }

  /** Parses the last line and returns the image. Throws {@link FirmwareFormatError} or {@link ImageOverlapError}. */
  end(): FirmwareImage {
    this.endLines();
    return this.image();
  }

  private image(): FirmwareImage {
    if (!this.ended) this.warnAtEnd('no end-of-file record', 'an :00000001FF record');
    // srec_cat writes the start address of an I8HEX file (no 03/05 records) into the end-of-file record's
    // address field and reads it back from there when the file has no start record.
    const start = this.startAddress ?? (this.startSegment === undefined && this.eofAddress !== 0 ? this.eofAddress : undefined);
    return {
      format: 'intel-hex',
      segments: this.builder.build(),
      ...(start !== undefined ? { startAddress: start } : {}),
      ...(this.startSegment !== undefined ? { startSegment: this.startSegment } : {}),
    };
  }

  protected line(buf: Uint8Array, p: number, end: number): number {
    const start = p;
    if (buf[p] !== 0x3a) {
      const next = this.blankLineEnd(buf, p, end);
      if (next !== undefined) return next;
      throw this.error(1, 'bad character', "':' starting a record", this.show(buf, p));
    }
    const r = this.scanPairs(buf, p + 1, end);
    const next = this.lineEndAfter(buf, start, r, end);
    const digits = r - (p + 1);
    const length = r - start; // the line without trailing white space
    if (digits % 2 !== 0) throw this.error(length, 'odd number of hex digits', 'whole bytes (an even number of digits)', `${digits} digits`);
    const n = this.pairs;
    const s = this.scratch;
    if (n < 5) throw this.error(1, 'short record', 'at least 5 bytes (count, address, type, checksum)', `${n}`);
    const count = s[0] as number;
    if (n !== count + 5) {
      const problem = n < count + 5 ? 'short record' : 'record longer than its byte count';
      throw this.error(2, problem, `${count} data bytes (${(count + 5) * 2} hex digits after ':')`, `${n - 5} data bytes`);
    }
    // Checksum: two's complement of the low byte of the sum of all preceding bytes.
    const found = s[n - 1] as number;
    const expected = -(this.pairSum - found) & 0xff;
    if (expected !== found) throw this.error(length - 1, 'bad checksum', hexDigits(expected, 2), hexDigits(found, 2));
    const offset = ((s[1] as number) << 8) | (s[2] as number);
    const type = s[3] as number;
    const fixed = FIXED_LENGTH[type];
    if (fixed === undefined) throw this.error(8, 'bad record type', '00-05', hexDigits(type, 2));
    if (fixed >= 0 && count !== fixed) {
      throw this.error(2, `record type ${hexDigits(type, 2)} has a wrong length`, `${fixed} data bytes`, `${count}`);
    }
    const word = (s[4] as number) * 256 + (s[5] as number);
    switch (type) {
      case 0: {
        const base = this.base;
        if (this.segmentMode && offset + count > 0x10000) {
          // Segment addressing wraps within the 64 KiB segment: address = SBA + ((DRLO + DRI) mod 64K).
          const split = 0x10000 - offset;
          this.builder.addBytes(base + offset, s, 4, 4 + split, this.lineNo, 10);
          this.builder.addBytes(base, s, 4 + split, 4 + count, this.lineNo, 10);
        } else {
          // Linear addressing: address = (ULBA + DRLO + DRI) mod 4G; a record may cross 64 KiB.
          if (base + offset + count > ADDRESS_LIMIT) {
            throw this.error(10, 'data beyond the 32-bit address space', 'an end address <= 0xFFFFFFFF', `0x${(base + offset + count - 1).toString(16).toUpperCase()}`);
          }
          this.builder.addBytes(base + offset, s, 4, 4 + count, this.lineNo, 10);
        }
        break;
      }
      case 1:
        this.eofAddress = offset;
        this.ended = true;
        this.stopped = true; // the EOF record is the last record; anything after it is ignored
        break;
      case 2:
        this.base = word * 16;
        this.segmentMode = true;
        break;
      case 3:
        this.startSegment = { cs: word, ip: (s[6] as number) * 256 + (s[7] as number) };
        break;
      case 4:
        this.base = word * 0x10000;
        this.segmentMode = false;
        break;
      default:
        this.startAddress = word * 0x10000 + (s[6] as number) * 256 + (s[7] as number);
    }
    return next;
  }
}

/** Reads Intel HEX text (or bytes) into an image. Throws {@link FirmwareFormatError} at the first fault. */
export function readIntelHex(input: string | Uint8Array, options: ReadOptions = {}): FirmwareImage {
  return IntelHexReader.read(input, options);
}

/** Options of {@link writeIntelHex}. */
export interface IntelHexWriteOptions {
  /**
   * Data bytes per record, 1..255, as srec_cat's `-obs`. Default 32. Records are cut as srec_cat cuts them:
   * from the first byte of each run of contiguous data, and again at every multiple of 1792 (see {@link RecordCursor}).
   */
  readonly bytesPerRecord?: number;
  /**
   * Extended addressing, as srec_cat's `-address-length` 4 / 3 / 2:
   * - `'linear'` (the default): 04 records (I32HEX); a record may run across a 64 KiB boundary; the start
   *   address as a 05 record, an Intel 03 start segment as a 03 record.
   * - `'segment'`: 02 records (I16HEX), data up to 1 MiB; a record that would cross a 64 KiB boundary is cut
   *   there into two (the record grid goes on after them); the start as one 03 record: the image's start
   *   segment, else CS:IP with CS * 16 + IP = the start address (CS = the upper 4 bits * 0x1000; srec_cat
   *   1.64 writes CS = the upper 16 bits, which reads back wrong).
   * - `'none'`: no extended records (I8HEX), data up to 0xFFFF; no start record: the start address (or
   *   CS * 16 + IP) goes into the end-of-file record's address field, as srec_cat writes and reads it.
   */
  readonly addressing?: 'linear' | 'segment' | 'none';
  /** Line ending. Default `'\n'`, as srec_cat on Linux. */
  readonly lineEnding?: '\n' | '\r\n';
}

const NO_DATA = new Uint8Array(0);
/** Module-local copies of the digit tables (one lookup per byte in the hot loop, no import binding). */
const HI: Uint8Array = HEX_HIGH;
const LO: Uint8Array = HEX_LOW;

function hexAddress(v: number): string {
  return '0x' + v.toString(16).toUpperCase();
}

/** Walks the records of an image in output order and writes them as text into byte buffers. */
class IntelHexEncoder {
  private readonly mode: 'linear' | 'segment' | 'none';
  private readonly crlf: boolean;
  private readonly extra = new Uint8Array(4);
  private readonly cursor: RecordCursor;
  /** The 03 start record (linear: the image's; segment: the image's or from the start address). */
  private readonly startSegment: StartSegment | undefined;
  /** The 05 start record (linear only). */
  private readonly startLinear: number | undefined;
  /** The end-of-file record's address field (none: the start address, as srec_cat). */
  private readonly eofAddress: number;
  // Position: phase 0 data (and 02/04 records), 1 start segment, 2 start linear, 3 EOF, 4 done.
  private phase = 0;
  /** The cursor holds a data record not yet returned (an 02/04 record had to come first). */
  private held = false;
  private upper = -1;
  // The current record (valid after next() returned a length).
  private type = 0;
  private offset = 0;
  private data: Uint8Array = NO_DATA;
  private from = 0;
  private to = 0;
  private pending = 0;

  constructor(
    private readonly image: FirmwareImage,
    private readonly options: IntelHexWriteOptions,
  ) {
    const per = options.bytesPerRecord ?? 32;
    if (!Number.isInteger(per) || per < 1 || per > 255) throw new InvalidArgumentError(`bytesPerRecord must be 1..255, got ${per}`, { bytesPerRecord: per });
    const mode = options.addressing ?? 'linear';
    const last = image.segments[image.segments.length - 1];
    const end = last ? last.address + last.data.length : 0;
    const limit = mode === 'linear' ? ADDRESS_LIMIT : mode === 'segment' ? 0x100000 : 0x10000;
    if (end > limit) {
      throw new InvalidArgumentError(`addressing '${mode}' reaches 0x${(limit - 1).toString(16).toUpperCase()} but data ends at 0x${(end - 1).toString(16).toUpperCase()}; use 'linear'`, { addressing: mode });
    }
    const ss = image.startSegment;
    const start = image.startAddress ?? (ss ? ss.cs * 16 + ss.ip : undefined);
    if (mode !== 'linear' && start !== undefined && start >= limit && !(mode === 'segment' && ss)) {
      throw new InvalidArgumentError(
        `addressing '${mode}' holds a start address up to 0x${(limit - 1).toString(16).toUpperCase()} but the start address is ${hexAddress(start)}; use 'linear'`,
        { addressing: mode, startAddress: start },
      );
    }
    this.mode = mode;
    this.crlf = options.lineEnding === '\r\n';
    this.cursor = new RecordCursor(image.segments, per, mode === 'segment');
    this.startSegment = mode === 'linear' ? ss : mode === 'segment' ? (ss ?? (start !== undefined ? { cs: Math.floor(start / 0x10000) * 0x1000, ip: start % 0x10000 } : undefined)) : undefined;
    this.startLinear = mode === 'linear' ? image.startAddress : undefined;
    this.eofAddress = mode === 'none' ? (start ?? 0) : 0;
  }

  /** Total bytes of the whole output: the records of {@link next}, walked by a second encoder without writing. */
  size(): number {
    const probe = new IntelHexEncoder(this.image, this.options);
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
    const x = this.extra;
    for (;;) {
      switch (this.phase) {
        case 0: {
          const c = this.cursor;
          if (!this.held && !c.next()) {
            this.phase = 1;
            break;
          }
          const addr = c.address;
          const hi = Math.floor(addr / 0x10000);
          if (this.mode !== 'none' && hi !== this.upper) {
            // Intel HEX rev. A: 04 gives the upper 16 bits of the address, 02 the segment base / 16.
            const v = this.mode === 'linear' ? hi : hi * 0x1000;
            x[0] = v >> 8;
            x[1] = v & 0xff;
            this.upper = hi;
            this.held = true;
            return this.set(this.mode === 'linear' ? 4 : 2, 0, x, 0, 2);
          }
          this.held = false;
          return this.set(0, addr % 0x10000, c.data, c.from, c.to);
        }
        case 1: {
          this.phase = 2;
          const ss = this.startSegment;
          if (ss) {
            x.set([ss.cs >> 8, ss.cs & 0xff, ss.ip >> 8, ss.ip & 0xff]);
            return this.set(3, 0, x, 0, 4);
          }
          break;
        }
        case 2: {
          this.phase = 3;
          const a = this.startLinear;
          if (a !== undefined) {
            x.set([Math.floor(a / 0x1000000) & 0xff, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff]);
            return this.set(5, 0, x, 0, 4);
          }
          break;
        }
        case 3:
          this.phase = 4;
          return this.set(1, this.eofAddress, NO_DATA, 0, 0);
        default:
          return 0;
      }
    }
  }

  private set(type: number, offset: number, data: Uint8Array, from: number, to: number): number {
    this.type = type;
    this.offset = offset;
    this.data = data;
    this.from = from;
    this.to = to;
    this.pending = 11 + 2 * (to - from) + (this.crlf ? 2 : 1);
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
    const { type, offset, data, from, to } = this;
    const n = to - from;
    const oh = offset >> 8;
    const ol = offset & 0xff;
    out[pos] = 0x3a;
    out[pos + 1] = HI[n] as number;
    out[pos + 2] = LO[n] as number;
    out[pos + 3] = HI[oh] as number;
    out[pos + 4] = LO[oh] as number;
    out[pos + 5] = HI[ol] as number;
    out[pos + 6] = LO[ol] as number;
    out[pos + 7] = HI[type] as number;
    out[pos + 8] = LO[type] as number;
    pos += 9;
    let sum = n + oh + ol + type;
    for (let i = from; i < to; i++) {
      const b = data[i] as number;
      sum += b;
      out[pos] = HI[b] as number;
      out[pos + 1] = LO[b] as number;
      pos += 2;
    }
    const ck = -sum & 0xff;
    out[pos] = HI[ck] as number;
    out[pos + 1] = LO[ck] as number;
    pos += 2;
    if (this.crlf) out[pos++] = 13;
    out[pos++] = 10;
    return pos;
  }
}

/** Writes an image as Intel HEX bytes (ASCII): the exact bytes of {@link writeIntelHex}, in one buffer of the exact size. */
export function writeIntelHexBytes(image: FirmwareImage, options: IntelHexWriteOptions = {}): Uint8Array {
  const enc = new IntelHexEncoder(image, options);
  const out = Buffer.allocUnsafe(enc.size());
  enc.fill(out);
  return out;
}

/**
 * Writes an image as Intel HEX bytes in chunks of whole records, to write to a file as they come so the whole
 * text is never in memory. `chunk`: the size of the fresh buffer each chunk gets (default 1 MiB, at least
 * 1024), or one buffer (at least 1024 bytes) that every chunk reuses, each chunk then a view of it that is
 * valid until the next one is asked for. Options are checked at the call. Concatenated, the chunks equal
 * {@link writeIntelHexBytes}.
 */
export function writeIntelHexChunks(image: FirmwareImage, options: IntelHexWriteOptions = {}, chunk: number | Uint8Array = 1 << 20): Iterable<Uint8Array> {
  const enc = new IntelHexEncoder(image, options);
  return encodeChunks((out) => enc.fill(out), chunk);
}

/** Writes an image as Intel HEX text (see {@link IntelHexWriteOptions} for the srec_cat-compatible defaults). */
export function writeIntelHex(image: FirmwareImage, options: IntelHexWriteOptions = {}): string {
  const bytes = writeIntelHexBytes(image, options);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
