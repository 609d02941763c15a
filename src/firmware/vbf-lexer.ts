/**
 * Tokenizer of the VBF text header (`vbf_version = 2.6; header { key = value; ... }`).
 *
 * Works directly on the file bytes (the header is ASCII/Latin-1 text followed by the binary part),
 * so the parser can stop at the header's closing brace and hand the exact byte offset of the binary
 * part to the block reader. Skips `//` and `/* *\/` comments; tracks line and column (1-based).
 */
import { VbfFormatError } from './vbf-errors.js';

/** Kinds of header tokens. */
export type VbfTokenKind = 'ident' | 'number' | 'decimal' | 'string' | 'punct' | 'eof';

/** One token of the VBF header with its place in the file. */
export interface VbfToken {
  readonly kind: VbfTokenKind;
  /** Source text (`0x1F`, `2.6`, `EXE`, `{`); for strings the unescaped content. */
  readonly text: string;
  /** Byte offset of the first character. */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column. */
  readonly column: number;
}

const PUNCT = new Set(['{', '}', '=', ';', ',']);

function isIdentStart(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHexDigit(c: number): boolean {
  return isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Describes a token for an error message's `found` part. */
export function describeToken(t: VbfToken): string {
  switch (t.kind) {
    case 'eof':
      return 'end of file';
    case 'string':
      return `string "${t.text}"`;
    case 'punct':
      return `'${t.text}'`;
    case 'ident':
      return `identifier ${t.text}`;
    default:
      return `number ${t.text}`;
  }
}

/** Sequential tokenizer over the bytes of a VBF file. */
export class VbfLexer {
  private pos = 0;
  private line = 1;
  private column = 1;

  constructor(private readonly bytes: Uint8Array, private readonly fileName?: string) {}

  /** Byte offset just after the last token read. */
  get offset(): number {
    return this.pos;
  }

  private fail(expected: string, found: string, line = this.line, column = this.column, offset = this.pos): never {
    throw VbfFormatError.at({ file: this.fileName, line, column, offset, expected, found });
  }

  private advance(): void {
    if (this.bytes[this.pos] === 0x0a) {
      this.line++;
      this.column = 1;
    } else {
      this.column++;
    }
    this.pos++;
  }

  private peekByte(ahead = 0): number | undefined {
    return this.bytes[this.pos + ahead];
  }

  private skipSpaceAndComments(): void {
    for (;;) {
      const c = this.peekByte();
      if (c === undefined) return;
      if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0c) {
        this.advance();
      } else if (c === 0x2f && this.peekByte(1) === 0x2f) {
        while (this.peekByte() !== undefined && this.peekByte() !== 0x0a) this.advance();
      } else if (c === 0x2f && this.peekByte(1) === 0x2a) {
        const line = this.line;
        const column = this.column;
        const offset = this.pos;
        this.advance();
        this.advance();
        for (;;) {
          const d = this.peekByte();
          if (d === undefined) this.fail("'*/' closing the comment opened at " + `${line}:${column}`, 'end of file', line, column, offset);
          if (d === 0x2a && this.peekByte(1) === 0x2f) {
            this.advance();
            this.advance();
            break;
          }
          this.advance();
        }
      } else {
        return;
      }
    }
  }

  /** Reads the next token; throws {@link VbfFormatError} on a character no token starts with. */
  next(): VbfToken {
    this.skipSpaceAndComments();
    const offset = this.pos;
    const line = this.line;
    const column = this.column;
    const c = this.peekByte();
    const tok = (kind: VbfTokenKind, text: string): VbfToken => ({ kind, text, offset, line, column });
    if (c === undefined) return tok('eof', '');
    const ch = String.fromCharCode(c);
    if (PUNCT.has(ch)) {
      this.advance();
      return tok('punct', ch);
    }
    if (isIdentStart(c)) {
      while (this.peekByte() !== undefined && (isIdentStart(this.peekByte() as number) || isDigit(this.peekByte() as number))) this.advance();
      return tok('ident', this.slice(offset));
    }
    if (isDigit(c)) return this.number(offset, line, column);
    if (c === 0x22) return this.string(offset, line, column);
    const found = c >= 0x21 && c <= 0x7e ? `'${ch}'` : `byte 0x${c.toString(16).toUpperCase().padStart(2, '0')}`;
    return this.fail('a key, a value or one of { } = ; ,', found);
  }

  private slice(from: number): string {
    let s = '';
    for (let i = from; i < this.pos; i++) s += String.fromCharCode(this.bytes[i] as number);
    return s;
  }

  private number(offset: number, line: number, column: number): VbfToken {
    if (this.peekByte() === 0x30 && (this.peekByte(1) === 0x78 || this.peekByte(1) === 0x58)) {
      this.advance();
      this.advance();
      if (!isHexDigit(this.peekByte() ?? -1)) this.fail('hex digits after 0x', this.foundHere());
      while (isHexDigit(this.peekByte() ?? -1)) this.advance();
      this.noTrailingWordChar();
      return { kind: 'number', text: this.slice(offset), offset, line, column };
    }
    let kind: VbfTokenKind = 'number';
    while (isDigit(this.peekByte() ?? -1)) this.advance();
    while (this.peekByte() === 0x2e) {
      kind = 'decimal';
      this.advance();
      if (!isDigit(this.peekByte() ?? -1)) this.fail("a digit after '.'", this.foundHere());
      while (isDigit(this.peekByte() ?? -1)) this.advance();
    }
    this.noTrailingWordChar();
    return { kind, text: this.slice(offset), offset, line, column };
  }

  private noTrailingWordChar(): void {
    const c = this.peekByte();
    if (c !== undefined && (isIdentStart(c) || isDigit(c))) this.fail('end of the number', this.foundHere());
  }

  private foundHere(): string {
    const c = this.peekByte();
    if (c === undefined) return 'end of file';
    return c >= 0x21 && c <= 0x7e ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).toUpperCase().padStart(2, '0')}`;
  }

  private string(offset: number, line: number, column: number): VbfToken {
    this.advance();
    let s = '';
    for (;;) {
      const c = this.peekByte();
      if (c === undefined || c === 0x0a || c === 0x0d) {
        this.fail(`'"' closing the string opened at ${line}:${column}`, c === undefined ? 'end of file' : 'end of line');
      }
      if (c === 0x22) {
        this.advance();
        return { kind: 'string', text: s, offset, line, column };
      }
      // `\"` and `\\` are the only escapes; any other backslash is kept as written.
      if (c === 0x5c && (this.peekByte(1) === 0x22 || this.peekByte(1) === 0x5c)) {
        this.advance();
        s += String.fromCharCode(this.peekByte() as number);
        this.advance();
        continue;
      }
      s += String.fromCharCode(c);
      this.advance();
    }
  }
}
