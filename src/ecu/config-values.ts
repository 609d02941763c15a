/**
 * Zod building blocks for ECU profiles: numbers written as integers or strings ("0x1010", "4096",
 * "64K"), byte values written as ASCII text, `{ hex: "..." }` or bytes, and the conversion of zod
 * issues into one {@link ConfigError} naming the source, the field path and what is allowed.
 */
import { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { fromHex, parseIntAuto } from '../core/hex.js';

/** A non-negative integer written as a number or a string (`"0x1010"`, `"4096"`, `"64K"`). */
export const configNumber = z
  .union([z.number(), z.string()], { error: 'must be an integer or a string such as "0x1010", "4096" or "64K"' })
  .transform((v, ctx) => {
    try {
      const n = parseIntAuto(v);
      if (n < 0 || !Number.isSafeInteger(n)) throw new Error('negative or too large');
      return n;
    } catch {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is not a non-negative integer (write 4096, "0x1000" or "4K")` });
      return z.NEVER;
    }
  });

/** A number in `min..max` (inclusive), e.g. a byte or a 16-bit identifier. */
export function boundedNumber(min: number, max: number, what: string): z.ZodType<number, number | string> {
  return configNumber.refine((n) => n >= min && n <= max, {
    message: `${what} must be ${hexOrDec(min)}..${hexOrDec(max)}`,
  });
}

function hexOrDec(n: number): string {
  return n > 9 ? `0x${n.toString(16).toUpperCase()}` : String(n);
}

/** A byte 0..0xFF. */
export const configByte = boundedNumber(0, 0xff, 'a byte');
/** A 16-bit identifier (DID, routine id, logical address). */
export const configU16 = boundedNumber(0, 0xffff, 'a 16-bit value');
/** A 32-bit address or size. */
export const configU32 = boundedNumber(0, 0xffffffff, 'a 32-bit value');

/** How a profile writes bytes: ASCII text, `{ hex: "01 02" }`, or bytes. */
export type ByteValueInput = string | { hex: string } | Uint8Array;

/** Bytes from ASCII text, `{ hex }` or a `Uint8Array`. */
export const configBytes = z
  .union([z.string(), z.strictObject({ hex: z.string() }), z.instanceof(Uint8Array)], {
    error: 'must be ASCII text or { hex: "01 02 ..." }',
  })
  .transform((v, ctx): Uint8Array => {
    if (v instanceof Uint8Array) return v;
    if (typeof v === 'string') {
      for (let i = 0; i < v.length; i++) {
        if (v.charCodeAt(i) > 0x7e) {
          ctx.addIssue({ code: 'custom', message: `text "${v}" is not printable ASCII (character ${i + 1}); write it as { hex: "..." }` });
          return z.NEVER;
        }
      }
      return Uint8Array.from(v, (c) => c.charCodeAt(0));
    }
    try {
      return fromHex(v.hex);
    } catch {
      ctx.addIssue({ code: 'custom', message: `hex "${v.hex}" is not whole hex bytes (write e.g. "0102" or "01 02")` });
      return z.NEVER;
    }
  });

/** `a.b[0].c` from a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * Parses `input` with `schema`; on failure throws one {@link ConfigError} listing every problem as
 * `source: path: message` (the message carries the allowed values). `what` names the kind of document.
 */
export function parseWithSchema<T extends z.ZodType>(schema: T, input: unknown, source: string, what = 'ECU configuration'): z.output<T> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = schemaIssues(r.error.issues);
  const problems = issues.map((i) => `${i.path}: ${i.message}`);
  throw new ConfigError(`${source}: invalid ${what}:\n  - ${problems.join('\n  - ')}`, { source, issues });
}

/** Zod issues as `{ path: "a.b[0]", message }`, unions reduced to the alternative the value meant. */
export function schemaIssues(issues: readonly IssueLike[]): { path: string; message: string }[] {
  return flattenIssues(issues, []);
}

/** The parts of a zod issue {@link schemaIssues} reads. */
export interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly IssueLike[])[];
}

/**
 * Issues as `{path, message}`. A union whose value matched exactly one alternative's type (e.g. a list
 * where "a list or an object" is allowed) reports that alternative's problems instead of "no match".
 */
function flattenIssues(issues: readonly IssueLike[], prefix: readonly PropertyKey[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  for (const i of issues) {
    const path = [...prefix, ...i.path];
    if (i.code === 'invalid_union' && i.errors) {
      const typed = i.errors.filter((branch) => !branch.some((b) => b.code === 'invalid_type' && b.path.length === 0));
      if (typed.length === 1 && typed[0]) {
        out.push(...flattenIssues(typed[0], path));
        continue;
      }
    }
    out.push({ path: formatPath(path), message: i.message });
  }
  return out;
}
