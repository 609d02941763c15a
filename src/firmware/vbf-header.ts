/**
 * The VBF text header: `vbf_version = 2.x;` then `header { key = value; ... }`.
 *
 * Parses into raw values (kept for every key, known or not) and a typed {@link VbfHeader} with one
 * field per key of spec/firmware-formats.md (VBF). Keys the spec does not list (OEMs add their own)
 * are kept in `extra` as raw values and written back unchanged.
 */
import { VbfFormatError } from './vbf-errors.js';
import { describeToken, VbfLexer, type VbfToken } from './vbf-lexer.js';

/** A header value as written: number, dotted number, string, identifier or `{ ... }` list. */
export type VbfRawValue =
  | { readonly type: 'number'; readonly text: string; readonly value: bigint }
  | { readonly type: 'decimal'; readonly text: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'identifier'; readonly value: string }
  | { readonly type: 'list'; readonly items: readonly VbfRawValue[] };

/** One `erase` range. */
export interface VbfEraseRange {
  readonly start: number;
  readonly length: number;
}

/** The typed VBF header. Every field is optional: which keys a file has depends on its version and OEM. */
export interface VbfHeader {
  /** `description`: a string or a list of strings, always given as a list. */
  description?: string[];
  sw_part_number?: string;
  sw_version?: string;
  /** `sw_part_type`: SBL, ESS, EXE, DATA, SIGCFG, ... */
  sw_part_type?: string;
  /** `data_format_identifier`: 0x00 plain, 0x10 LZSS, 0x20 LZMA (high nibble compression, low nibble encryption). */
  data_format_identifier?: number;
  /** `network`: an identifier such as CAN_HS, or a number in newer versions. */
  network?: string | number;
  ecu_address?: number;
  /** `frame_format`: CAN_STANDARD, CAN_EXTENDED, ... */
  frame_format?: string;
  erase?: VbfEraseRange[];
  /** `call`: start address of an SBL (routine 0301). */
  call?: number;
  verification_block_start?: number;
  verification_block_length?: number;
  /** `verification_block_root_hash`, a long hex number, as bytes. */
  verification_block_root_hash?: Uint8Array;
  /** `sw_signature_dev`, a long hex number, as bytes. */
  sw_signature_dev?: Uint8Array;
  /** `file_checksum`: CRC-32 over the whole binary part. */
  file_checksum?: number;
  /** Keys the spec does not list, raw, in file order. */
  extra?: Record<string, VbfRawValue>;
}

/** The keys of {@link VbfHeader} the spec lists, in the order the writer emits them. */
export const VBF_HEADER_KEYS = [
  'description',
  'sw_part_number',
  'sw_version',
  'sw_part_type',
  'data_format_identifier',
  'network',
  'ecu_address',
  'frame_format',
  'erase',
  'call',
  'verification_block_start',
  'verification_block_length',
  'verification_block_root_hash',
  'sw_signature_dev',
  'file_checksum',
] as const;

/** A spec-listed header key. */
export type VbfHeaderKey = (typeof VBF_HEADER_KEYS)[number];

/** Result of {@link parseVbfHeader}. */
export interface VbfHeaderParseResult {
  /** `vbf_version`, as written (`2.6`). */
  version: string;
  header: VbfHeader;
  /** Raw value of every key in file order. */
  raw: Record<string, VbfRawValue>;
  /** Byte offset just after the header's closing brace: where the binary part starts. */
  end: number;
}

/** Options of {@link parseVbfHeader}. */
export interface VbfParseOptions {
  /** Named in error messages. */
  fileName?: string;
}

const KNOWN = new Set<string>(VBF_HEADER_KEYS);

class HeaderParser {
  private tok: VbfToken;
  private readonly lexer: VbfLexer;

  constructor(bytes: Uint8Array, private readonly file: string | undefined) {
    this.lexer = new VbfLexer(bytes, file);
    this.tok = this.lexer.next();
  }

  fail(expected: string, t: VbfToken = this.tok): never {
    throw VbfFormatError.at({ file: this.file, line: t.line, column: t.column, offset: t.offset, expected, found: describeToken(t) });
  }

  /** Consumes the current token; reads the next one unless `last` (the header's closing brace). */
  take(last = false): VbfToken {
    const t = this.tok;
    if (!last) this.tok = this.lexer.next();
    return t;
  }

  expectPunct(p: string, last = false): void {
    if (this.tok.kind !== 'punct' || this.tok.text !== p) this.fail(`'${p}'`);
    this.take(last);
  }

  expectIdent(name: string): void {
    if (this.tok.kind !== 'ident' || this.tok.text !== name) this.fail(name);
    this.take();
  }

  value(depth = 0): VbfRawValue {
    const t = this.tok;
    switch (t.kind) {
      case 'number':
        this.take();
        return { type: 'number', text: t.text, value: BigInt(t.text) };
      case 'decimal':
        this.take();
        return { type: 'decimal', text: t.text };
      case 'string':
        this.take();
        return { type: 'string', value: t.text };
      case 'ident':
        this.take();
        return { type: 'identifier', value: t.text };
      case 'punct':
        if (t.text === '{') {
          if (depth >= 16) this.fail('lists nested at most 16 deep');
          this.take();
          const items: VbfRawValue[] = [];
          while (!(this.tok.kind === 'punct' && this.tok.text === '}')) {
            items.push(this.value(depth + 1));
            if (this.tok.kind === 'punct' && this.tok.text === ',') this.take();
            else if (!(this.tok.kind === 'punct' && this.tok.text === '}')) this.fail("',' or '}'");
          }
          this.take();
          return { type: 'list', items };
        }
        return this.fail('a value (number, "string", identifier or { list })');
      default:
        return this.fail('a value (number, "string", identifier or { list })');
    }
  }

  parse(): VbfHeaderParseResult {
    this.expectIdent('vbf_version');
    this.expectPunct('=');
    const v = this.tok;
    if (v.kind !== 'decimal' && v.kind !== 'number') this.fail('a version number such as 2.6');
    this.take();
    this.expectPunct(';');
    this.expectIdent('header');
    this.expectPunct('{');
    const raw: Record<string, VbfRawValue> = {};
    const header: VbfHeader = {};
    while (!(this.tok.kind === 'punct' && this.tok.text === '}')) {
      const keyTok = this.tok;
      if (keyTok.kind !== 'ident') this.fail("a key or '}' closing the header");
      if (Object.prototype.hasOwnProperty.call(raw, keyTok.text)) this.fail('each key once', { ...keyTok, text: `${keyTok.text} (again)` });
      this.take();
      this.expectPunct('=');
      const valueTok = this.tok;
      const value = this.value();
      this.expectPunct(';');
      raw[keyTok.text] = value;
      if (KNOWN.has(keyTok.text)) assignTyped(header, keyTok.text as VbfHeaderKey, value, (expected) => this.fail(expected, valueTok));
      else (header.extra ??= {})[keyTok.text] = value;
    }
    this.expectPunct('}', true);
    return { version: v.text, header, raw, end: this.lexer.offset };
  }
}

function u32(v: VbfRawValue, fail: (expected: string) => never): number {
  if (v.type !== 'number' || v.value > 0xffffffffn) return fail('a 32-bit number');
  return Number(v.value);
}

function text(v: VbfRawValue, fail: (expected: string) => never): string {
  if (v.type === 'string' || v.type === 'identifier') return v.value;
  return fail('a "string"');
}

function hexBytes(v: VbfRawValue, fail: (expected: string) => never): Uint8Array {
  if (v.type !== 'number' || !/^0[xX]/.test(v.text)) return fail('a hex number (0x...)');
  let digits = v.text.slice(2);
  if (digits.length % 2 === 1) digits = '0' + digits;
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function assignTyped(h: VbfHeader, key: VbfHeaderKey, v: VbfRawValue, fail: (expected: string) => never): void {
  switch (key) {
    case 'description':
      if (v.type === 'string') h.description = [v.value];
      else if (v.type === 'list' && v.items.every((i) => i.type === 'string')) h.description = v.items.map((i) => (i as { value: string }).value);
      else fail('a "string" or a list of strings');
      return;
    case 'sw_part_number':
    case 'sw_version':
      h[key] = text(v, fail);
      return;
    case 'sw_part_type':
    case 'frame_format':
      if (v.type !== 'identifier' && v.type !== 'string') fail('an identifier such as ' + (key === 'sw_part_type' ? 'EXE' : 'CAN_STANDARD'));
      h[key] = v.value;
      return;
    case 'network':
      h.network = v.type === 'number' ? u32(v, fail) : v.type === 'identifier' || v.type === 'string' ? v.value : fail('an identifier such as CAN_HS or a number');
      return;
    case 'data_format_identifier':
      if (v.type !== 'number' || v.value > 0xffn) fail('a byte (0x00 plain, 0x10 LZSS, 0x20 LZMA)');
      h.data_format_identifier = Number(v.value);
      return;
    case 'erase': {
      if (v.type !== 'list') fail('a list of { start, length } pairs');
      const ranges: VbfEraseRange[] = [];
      for (const item of v.items) {
        if (item.type !== 'list' || item.items.length !== 2) fail('a list of { start, length } pairs');
        ranges.push({ start: u32(item.items[0] as VbfRawValue, fail), length: u32(item.items[1] as VbfRawValue, fail) });
      }
      h.erase = ranges;
      return;
    }
    case 'verification_block_root_hash':
    case 'sw_signature_dev':
      h[key] = hexBytes(v, fail);
      return;
    default:
      h[key] = u32(v, fail);
  }
}

/**
 * Parses the text header at the start of a VBF file (`bytes` may hold the whole file: parsing stops
 * at the header's closing brace, braces inside strings and comments do not count). Throws
 * {@link VbfFormatError} with file, line, column, expected and found.
 */
export function parseVbfHeader(bytes: Uint8Array | string, options: VbfParseOptions = {}): VbfHeaderParseResult {
  const input = typeof bytes === 'string' ? latin1(bytes) : bytes;
  return new HeaderParser(input, options.fileName).parse();
}

function latin1(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}
