/**
 * Byte-level machinery shared by the hex-text formats (S-record, Intel HEX): a line reader that parses
 * straight from the file's bytes, whole or in chunks (no per-line strings or objects: hex pairs through a
 * lookup table into one scratch buffer, checksum summed on the way), the digit tables of the writers, the
 * chunking of the writers' output, and the helpers for messages.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { FirmwareFormatError, type FirmwareWarning, type ReadOptions, type SourcePlace } from './errors.js';
import { ImageBuilder } from './image.js';

/** `HEX_VALUE[c]` is the value of the ASCII hex digit `c` (either case), or -1. */
export const HEX_VALUE: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let c = 0; c < 10; c++) t[48 + c] = c;
  for (let c = 0; c < 6; c++) {
    t[65 + c] = 10 + c;
    t[97 + c] = 10 + c;
  }
  return t;
})();

/**
 * `PAIR_VALUE[(c1 << 8) | c2]` is the byte value of the two ASCII hex digits `c1 c2`, or -1 when either is
 * not a hex digit: one lookup per byte of a record.
 */
const PAIR_VALUE: Int16Array = (() => {
  const t = new Int16Array(65536).fill(-1);
  for (let a = 0; a < 256; a++) {
    const h = HEX_VALUE[a] as number;
    if (h < 0) continue;
    for (let b = 0; b < 256; b++) {
      const l = HEX_VALUE[b] as number;
      if (l >= 0) t[(a << 8) | b] = (h << 4) | l;
    }
  }
  return t;
})();

/** `HEX_HIGH[b]` / `HEX_LOW[b]`: the ASCII codes of the upper-case hex digits of byte `b`. */
export const HEX_HIGH: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => '0123456789ABCDEF'.charCodeAt(b >> 4));
export const HEX_LOW: Uint8Array = Uint8Array.from({ length: 256 }, (_, b) => '0123456789ABCDEF'.charCodeAt(b & 15));

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
/** Bytes decoded per record line at most (longer lines are an error before their bytes are needed). */
const SCRATCH_BYTES = 512;
/** Input read before the data-per-input-byte ratio seen so far is trusted for size hints. */
const RATIO_AFTER = 256 * 1024;

/**
 * Reads hex-record text line by line straight from bytes, either a whole file ({@link parseAll}) or chunks as
 * they arrive ({@link push} ... {@link end}). Lines end with LF, CRLF or CR; trailing spaces and tabs are
 * ignored; blank lines are skipped; the text after the last line end is one more (possibly empty) line.
 * Each format implements {@link line}, which decodes the hex pairs of one record with {@link scanPairs}.
 */
export abstract class HexLineReader {
  /** Number of the line being parsed (1-based); after the input, the number of the last line. */
  protected lineNo = 0;
  /** Set by a format when nothing after the current record counts (Intel HEX EOF). */
  protected stopped = false;
  /** Bytes of the record being parsed (count, address, data, checksum), filled by {@link scanPairs}. */
  protected readonly scratch = new Uint8Array(SCRATCH_BYTES);
  /** Number of bytes {@link scanPairs} decoded, and their sum. */
  protected pairs = 0;
  protected pairSum = 0;
  /** Collects the data records. */
  protected readonly builder: ImageBuilder;
  /** The input when given as a string: messages show its characters (code units above 0xFF included). */
  private source: string | undefined;
  private carry = new Uint8Array(256);
  private carryLength = 0;
  private pendingCr = false;
  private consumed = 0;

  /**
   * `inputBytes`: the size of the whole input when known (e.g. the file size), used to size large segments
   * once instead of by doubling (lower peak memory); the result never depends on it.
   */
  protected constructor(
    protected readonly options: ReadOptions,
    private readonly inputBytes?: number,
  ) {
    this.builder = new ImageBuilder({ overlap: options.overlap ?? 'error', ...(options.file !== undefined ? { file: options.file } : {}) });
  }

  /**
   * Parses the record line starting at `p` (a line start, `p < end`) and returns the index after its line end
   * (or `end`). Must skip blank lines and throw {@link FirmwareFormatError} at the first fault.
   */
  protected abstract line(buf: Uint8Array, p: number, end: number): number;

  /** Parses a whole input (the string form is read as Latin-1, one column per UTF-16 code unit). */
  protected parseAll(input: string | Uint8Array): void {
    let bytes: Uint8Array;
    if (typeof input === 'string') {
      bytes = Buffer.from(input, 'latin1');
      // Code units above 0xFF would be cut to their low byte ('\u0141' to 'A'): make them bytes that no rule
      // accepts, and show the original character in messages.
      if (/[\u0100-\uffff]/.test(input)) {
        for (let i = 0; i < input.length; i++) if (input.charCodeAt(i) > 0xff) bytes[i] = 0;
        this.source = input;
      }
    } else {
      bytes = input;
    }
    // Each data byte takes at least two hex digits.
    this.builder.expect(bytes.length / 2);
    this.lines(bytes, 0, bytes.length);
    const last = bytes[bytes.length - 1];
    if (!this.stopped && (last === undefined || last === LF || last === CR)) this.lineNo++;
  }

  /** Parses the next chunk of the input; a line may run on into the next chunk. */
  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.inputBytes !== undefined) this.hint();
    this.consumed += chunk.length;
    let p = 0;
    if (this.pendingCr) {
      this.pendingCr = false;
      if (chunk[0] === LF) p = 1;
    }
    const len = chunk.length;
    if (this.carryLength > 0) {
      let e = p;
      while (e < len && chunk[e] !== LF && chunk[e] !== CR) e++;
      if (e === len) {
        this.appendCarry(chunk, p, len);
        return;
      }
      let after = e + 1;
      if (chunk[e] === CR) {
        if (after === len) this.pendingCr = true;
        else if (chunk[after] === LF) after++;
      }
      this.appendCarry(chunk, p, after);
      this.lines(this.carry, 0, this.carryLength);
      this.carryLength = 0;
      if (this.stopped) return;
      p = after;
    }
    let last = len - 1;
    while (last >= p && chunk[last] !== LF && chunk[last] !== CR) last--;
    if (last < p) {
      this.appendCarry(chunk, p, len);
      return;
    }
    if (last === len - 1 && chunk[last] === CR) this.pendingCr = true;
    this.lines(chunk, p, last + 1);
    if (!this.stopped) this.appendCarry(chunk, last + 1, len);
  }

  /** Tells the builder how much data the rest of the input holds: its size times the ratio seen so far. */
  private hint(): void {
    const left = Math.max(0, (this.inputBytes as number) - this.consumed);
    const ratio = this.consumed >= RATIO_AFTER ? Math.min(0.5, (this.builder.addedBytes / this.consumed) * 1.02) : 0.5;
    this.builder.expect(left * ratio);
  }

  /** Parses what is left after the last chunk (the last line). */
  protected endLines(): void {
    if (this.stopped) return;
    if (this.carryLength === 0) this.lineNo++;
    else this.lines(this.carry, 0, this.carryLength);
    this.carryLength = 0;
  }

  private appendCarry(chunk: Uint8Array, from: number, to: number): void {
    const need = this.carryLength + (to - from);
    if (need > this.carry.length) {
      const grown = new Uint8Array(Math.max(need, this.carry.length * 2));
      grown.set(this.carry.subarray(0, this.carryLength));
      this.carry = grown;
    }
    this.carry.set(chunk.subarray(from, to), this.carryLength);
    this.carryLength = need;
  }

  private lines(buf: Uint8Array, p: number, end: number): void {
    while (p < end && !this.stopped) {
      this.lineNo++;
      p = this.line(buf, p, end);
    }
  }

  /**
   * Decodes hex pairs from `q` into {@link scratch} until the first byte that is not a hex digit (or `end`);
   * sets {@link pairs} and {@link pairSum}. Returns the index of that byte: a lone digit before it is
   * included, so `result - q` is the number of hex digits.
   */
  protected scanPairs(buf: Uint8Array, q: number, end: number): number {
    const s = this.scratch;
    const last = end - 1;
    let n = 0;
    let sum = 0;
    while (q < last) {
      const v = PAIR_VALUE[((buf[q] as number) << 8) | (buf[q + 1] as number)] as number;
      if (v < 0) break;
      if (n < SCRATCH_BYTES) s[n] = v;
      n++;
      sum += v;
      q += 2;
    }
    // At q: the last byte, or a pair that is not two digits. A lone digit counts (an odd number of digits).
    if (q < end && (HEX_VALUE[buf[q] as number] as number) >= 0) q++;
    return this.scanned(n, sum, q);
  }

  private scanned(n: number, sum: number, at: number): number {
    this.pairs = n;
    this.pairSum = sum;
    return at;
  }

  /**
   * Where a record line whose hex digits stop at `r` ends: returns the index after its line end. Throws the
   * bad-character error when `r` holds anything but a line end or trailing white space.
   */
  protected lineEndAfter(buf: Uint8Array, start: number, r: number, end: number): number {
    if (r === end) return end;
    const c = buf[r] as number;
    if (c === LF) return r + 1;
    if (c === CR) return r + 1 < end && buf[r + 1] === LF ? r + 2 : r + 1;
    if (c === SPACE || c === TAB) {
      let t = r + 1;
      while (t < end && (buf[t] === SPACE || buf[t] === TAB)) t++;
      if (t === end || buf[t] === LF || buf[t] === CR) return this.lineEndAfter(buf, start, t, end);
    }
    throw this.error(r - start + 1, 'bad character', 'a hex digit 0-9 A-F', this.show(buf, r));
  }

  /**
   * For a line whose first byte `buf[p]` does not start a record: the index after the line when the line is
   * blank (white space only), else undefined.
   */
  protected blankLineEnd(buf: Uint8Array, p: number, end: number): number | undefined {
    let t = p;
    while (t < end && (buf[t] === SPACE || buf[t] === TAB)) t++;
    if (t === end) return end;
    if (buf[t] === LF) return t + 1;
    if (buf[t] === CR) return t + 1 < end && buf[t + 1] === LF ? t + 2 : t + 1;
    return undefined;
  }

  /** True when only white space follows `i` up to the line end. */
  protected restIsBlank(buf: Uint8Array, i: number, end: number): boolean {
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
    return i === end || buf[i] === LF || buf[i] === CR;
  }

  /** The place `line:column` of the current line. */
  protected at(column: number | undefined): SourcePlace {
    const file = this.options.file;
    return { ...(file !== undefined ? { file } : {}), line: this.lineNo, ...(column !== undefined ? { column } : {}) };
  }

  /** A {@link FirmwareFormatError} at `column` of the current line. */
  protected error(column: number, problem: string, expected?: string, found?: string): FirmwareFormatError {
    return new FirmwareFormatError(this.at(column), problem, expected, found);
  }

  /** The character at `buf[i]` for a message (from the source string when the input was one). */
  protected show(buf: Uint8Array, i: number): string {
    return showChar(this.source !== undefined ? this.source.charAt(i) : String.fromCharCode(buf[i] as number));
  }

  /** Reports a missing end record on the last line: an error in strict mode, else a warning. */
  protected warnAtEnd(problem: string, expected: string): void {
    warn(this.options, this.at(undefined), problem, expected);
  }
}

/** Shows one character in a message: printable as itself in quotes, others as U+XXXX. */
export function showChar(ch: string): string {
  const c = ch.charCodeAt(0);
  return c >= 0x21 && c < 0x7f ? `'${ch}'` : `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Reports a warning: an error in strict mode, else to `onWarning`. */
export function warn(options: ReadOptions, place: SourcePlace, problem: string, expected: string): void {
  if (options.strict) throw new FirmwareFormatError(place, problem, expected, 'end of file');
  const w: FirmwareWarning = { place, message: `${problem}: expected ${expected}` };
  options.onWarning?.(w);
}

/** `v` as `digits` upper-case hex digits (digits even, v < 2^32). */
export function hexDigits(v: number, digits: number): string {
  return v.toString(16).toUpperCase().padStart(digits, '0').slice(-digits);
}

/** Longest record line a writer emits (S3 or Intel HEX with 255 data bytes, CRLF), with room to spare. */
export const MAX_RECORD_LINE = 1024;

/**
 * The output of an encoder as chunks holding whole records. `fill(out)` writes the next records that fit
 * into `out` and returns the bytes written, 0 when the output is complete. `chunk` is either the size of the
 * fresh buffer each chunk gets (at least {@link MAX_RECORD_LINE}), or one buffer that every chunk reuses:
 * each chunk is then a view of it, valid until the next chunk is asked for (no garbage, for writing to a file).
 */
export function encodeChunks(fill: (out: Uint8Array) => number, chunk: number | Uint8Array): Iterable<Uint8Array> {
  if (typeof chunk === 'number' ? !Number.isInteger(chunk) || chunk < MAX_RECORD_LINE : chunk.length < MAX_RECORD_LINE) {
    const what = typeof chunk === 'number' ? `${chunk}` : `a buffer of ${chunk.length} bytes`;
    throw new InvalidArgumentError(`chunk must be a size or a buffer of at least ${MAX_RECORD_LINE} bytes, got ${what}`, { chunk: typeof chunk === 'number' ? chunk : chunk.length });
  }
  return chunkGenerator(fill, chunk);
}

function* chunkGenerator(fill: (out: Uint8Array) => number, chunk: number | Uint8Array): Generator<Uint8Array, void, undefined> {
  for (;;) {
    const out = typeof chunk === 'number' ? Buffer.allocUnsafe(chunk) : chunk;
    const n = fill(out);
    if (n === 0) return;
    yield n === out.length ? out : out.subarray(0, n);
  }
}
