/** Shared helpers for the codec tables: commented hex literals and both-direction checks. */
import { expect, it } from 'vitest';
import { DecodeError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { RequestFormatError, type ServiceCodec } from '../../../../src/uds/codec/service-codec.js';

/** Hex bytes with `// comments` to the end of each line. */
export function hex(text: string): Uint8Array {
  return fromHex(
    text
      .split('\n')
      .map((l) => l.replace(/\/\/.*$/, ''))
      .join(' '),
  );
}

/** One row: `object` encodes to `bytes`, and `bytes` decode to `decoded` (default `object`). */
export interface Row<T> {
  name: string;
  object: T;
  bytes: string;
  decoded?: T;
}

/** A request the server must reject with `nrc`. */
export interface RequestErrorRow {
  name: string;
  bytes: string;
  nrc: number;
}

/** Registers one `it` per row, checking request encode and decode. */
export function requestTable<Req, Res, Ctx>(codec: ServiceCodec<Req, Res, Ctx>, rows: readonly Row<Req>[]): void {
  for (const row of rows) {
    it(`request: ${row.name}`, () => {
      const bytes = hex(row.bytes);
      expect(toHex(codec.encodeRequest(row.object))).toBe(toHex(bytes));
      expect(codec.decodeRequest(bytes)).toEqual(row.decoded ?? row.object);
    });
  }
}

/** Registers one `it` per row, checking response encode and decode (with `ctx` for decode). */
export function responseTable<Req, Res, Ctx>(codec: ServiceCodec<Req, Res, Ctx>, rows: readonly Row<Res>[], ctx?: Ctx): void {
  for (const row of rows) {
    it(`response: ${row.name}`, () => {
      const bytes = hex(row.bytes);
      expect(toHex(codec.encodeResponse(row.object))).toBe(toHex(bytes));
      expect(codec.decodeResponse(bytes, ctx)).toEqual(row.decoded ?? row.object);
    });
  }
}

/** Registers one `it` per row: decodeRequest throws RequestFormatError with the row's NRC. */
export function requestErrorTable<Req, Res, Ctx>(codec: ServiceCodec<Req, Res, Ctx>, rows: readonly RequestErrorRow[]): void {
  for (const row of rows) {
    it(`rejects request: ${row.name} -> NRC 0x${row.nrc.toString(16)}`, () => {
      let caught: unknown;
      try {
        codec.decodeRequest(hex(row.bytes));
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(RequestFormatError);
      expect((caught as RequestFormatError).nrc).toBe(row.nrc);
      expect((caught as RequestFormatError).code).toBe('UDSKIT_REQUEST_FORMAT');
      expect((caught as RequestFormatError).message).toContain(codec.name);
    });
  }
}

/** Registers one `it` per row: decodeResponse throws DecodeError. */
export function responseErrorTable<Req, Res, Ctx>(
  codec: ServiceCodec<Req, Res, Ctx>,
  rows: readonly { name: string; bytes: string }[],
  ctx?: Ctx,
): void {
  for (const row of rows) {
    it(`rejects response: ${row.name}`, () => {
      expect(() => codec.decodeResponse(hex(row.bytes), ctx)).toThrow(DecodeError);
    });
  }
}
