/** Printing for the CLI: human text on stdout, `--json` objects, and errors that say what to do. */
import { UdskitError } from '../core/errors.js';

/** Prints one JSON value on its own line. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, jsonReplacer) + '\n');
}

/** JSON replacer: Uint8Array as hex strings, bigint as strings. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Reports a failure and sets the exit code: the message (which names the service, the code and what
 * to do), or a JSON object with `--json`.
 */
export function reportError(e: unknown, json: boolean): void {
  process.exitCode = 1;
  if (json) {
    const obj = e instanceof UdskitError ? e.toJSON() : { name: 'Error', message: String((e as Error)?.message ?? e) };
    printJson({ ok: false, error: obj });
    return;
  }
  const msg = e instanceof Error ? e.message : String(e);
  const code = e instanceof UdskitError ? ` [${e.code}]` : '';
  process.stderr.write(`udskit: ${msg}${code}\n`);
}
