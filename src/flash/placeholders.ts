/**
 * Byte values with placeholders, as a flash job writes its fingerprint and routine option records
 * (spec/bootloader-and-flashing.md step 8: "2E F15A fingerprint (tester serial, date), and F198/F199").
 *
 * Two forms:
 * - text (`"UDSKIT {date}"` or `{ text: "..." }`): printable ASCII; each placeholder becomes ASCII text.
 * - hex (`{ hex: "{date} 00 01" }`): hex bytes; each placeholder becomes bytes.
 *
 * Placeholders (`{name}` or `{name:format}`):
 *
 * | placeholder        | in text            | in hex                              |
 * |--------------------|--------------------|-------------------------------------|
 * | `{date}`           | `20240501`         | BCD `20 24 05 01` (F199 YYYYMMDD)    |
 * | `{date:yymmdd}`    | `240501`           | BCD `24 05 01`                      |
 * | `{time}`           | `134501`           | BCD `13 45 01`                      |
 * | `{testerAddress}`  | `0E00`             | `0E 00`                             |
 * | `{ecuAddress}`     | `1010`             | `10 10`                             |
 * | `{NAME}`           | the variable NAME  | the variable's ASCII bytes          |
 *
 * Variables come from the job's `variables:` (e.g. `testerSerial`), with `testerSerial` defaulting to
 * `UDSKIT-<tester address>`.
 */
import { ConfigError } from '../core/errors.js';
import { fromHex, hexNum } from '../core/hex.js';

/** A byte value with placeholders: ASCII text or hex digits. */
export type BytesTemplate = { readonly mode: 'text'; readonly text: string } | { readonly mode: 'hex'; readonly hex: string };

/** What the placeholders expand to. */
export interface PlaceholderContext {
  /** The moment of the job (local date and time are used). */
  readonly date: Date;
  readonly testerAddress: number;
  readonly ecuAddress: number;
  /** The job's variables (after defaults). */
  readonly variables: Readonly<Record<string, string>>;
}

/** Placeholders every job knows, with their allowed formats. */
export const BUILT_IN_PLACEHOLDERS: Readonly<Record<string, readonly string[]>> = {
  date: ['', 'yyyymmdd', 'yymmdd'],
  time: ['', 'hhmmss'],
  testerAddress: [''],
  ecuAddress: [''],
};

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9_]*)(?::([A-Za-z]+))?\}/g;

/** The `{name[:format]}` placeholders of `t`, in order. */
export function placeholdersOf(t: BytesTemplate): { name: string; format: string }[] {
  const s = t.mode === 'text' ? t.text : t.hex;
  return [...s.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] as string, format: (m[2] ?? '').toLowerCase() }));
}

/**
 * Problems of `t` given the variable names (unknown placeholder, unknown format, text that is not
 * printable ASCII, hex that is not whole bytes once placeholders are removed); empty when fine.
 */
export function templateProblems(t: BytesTemplate, variables: Iterable<string>): string[] {
  const vars = new Set(variables);
  const out: string[] = [];
  for (const p of placeholdersOf(t)) {
    const formats = BUILT_IN_PLACEHOLDERS[p.name];
    if (formats) {
      if (!formats.includes(p.format)) out.push(`{${p.name}:${p.format}}: format must be one of ${formats.filter(Boolean).join(', ')}`);
    } else if (!vars.has(p.name)) {
      out.push(`{${p.name}} is not a placeholder (${Object.keys(BUILT_IN_PLACEHOLDERS).join(', ')}) nor a variable of the job (${[...vars].join(', ') || 'none'})`);
    } else if (p.format !== '') {
      out.push(`{${p.name}:${p.format}}: variables take no format`);
    }
  }
  if (t.mode === 'text') {
    for (let i = 0; i < t.text.length; i++) {
      const c = t.text.charCodeAt(i);
      if (c < 0x20 || c > 0x7e) {
        out.push(`text "${t.text}" is not printable ASCII (character ${i + 1}); write it as { hex: "..." }`);
        break;
      }
    }
  } else {
    const rest = t.hex.replace(PLACEHOLDER, '').replace(/0x/gi, '').replace(/[\s,]/g, '');
    if (!/^[0-9a-fA-F]*$/.test(rest) || rest.length % 2 !== 0) out.push(`hex "${t.hex}" is not whole hex bytes around its placeholders`);
  }
  return out;
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** The digits of a placeholder (decimal digits for dates, which are BCD in hex mode). */
function digitsOf(name: string, format: string, ctx: PlaceholderContext): string | undefined {
  const d = ctx.date;
  if (name === 'date') {
    const yyyy = String(d.getFullYear()).padStart(4, '0');
    return (format === 'yymmdd' ? yyyy.slice(2) : yyyy) + two(d.getMonth() + 1) + two(d.getDate());
  }
  if (name === 'time') return two(d.getHours()) + two(d.getMinutes()) + two(d.getSeconds());
  if (name === 'testerAddress') return hexNum(ctx.testerAddress).slice(2);
  if (name === 'ecuAddress') return hexNum(ctx.ecuAddress).slice(2);
  return undefined;
}

function variable(name: string, ctx: PlaceholderContext): string {
  const v = ctx.variables[name];
  if (v === undefined) throw new ConfigError(`placeholder {${name}} has no value: add it to the job's variables`, { placeholder: name });
  return v;
}

/** The bytes of `t` with every placeholder expanded. Throws `ConfigError` for an unknown placeholder or bad hex. */
export function expandBytes(t: BytesTemplate, ctx: PlaceholderContext): Uint8Array {
  if (t.mode === 'text') {
    const text = t.text.replace(PLACEHOLDER, (_m, name: string, format: string | undefined) => digitsOf(name, (format ?? '').toLowerCase(), ctx) ?? variable(name, ctx));
    return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  }
  const hex = t.hex.replace(PLACEHOLDER, (_m, name: string, format: string | undefined) => {
    // BCD dates and times are their decimal digits read as hex nibbles; addresses are already hex.
    const digits = digitsOf(name, (format ?? '').toLowerCase(), ctx);
    if (digits !== undefined) return ` ${digits} `;
    return ` ${Buffer.from(variable(name, ctx), 'latin1').toString('hex')} `;
  });
  try {
    return fromHex(hex);
  } catch (e) {
    throw new ConfigError(`hex "${t.hex}" is not whole hex bytes: ${(e as Error).message}`, { hex: t.hex });
  }
}

/** `bytes` padded with `padByte` (default 0x00) or cut to `length`; unchanged without a length. */
export function fitLength(bytes: Uint8Array, length: number | undefined, padByte = 0x00): Uint8Array {
  if (length === undefined || bytes.length === length) return bytes;
  if (bytes.length > length) return bytes.slice(0, length);
  const out = new Uint8Array(length).fill(padByte);
  out.set(bytes);
  return out;
}
