/** Option parsers shared by the CLI commands; each error names the option and the allowed form. */
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { parseIntAuto } from '../core/hex.js';

/** Parses an integer option (decimal, 0x hex, or with K/M suffix) for commander. */
export function intOption(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): (v: string) => number {
  return (v: string) => {
    let n: number;
    try {
      n = parseIntAuto(v, name);
    } catch (e) {
      throw new CommanderInvalidArgument((e as Error).message);
    }
    if (n < min || n > max) {
      throw new CommanderInvalidArgument(`${name} must be between ${min} and ${max}, got ${v}`);
    }
    return n;
  };
}

/** A 16-bit logical address option such as `0x1010`. */
export const addressOption = (name: string): ((v: string) => number) => intOption(name, 0, 0xffff);

/** Options every command that talks to a vehicle accepts. */
export interface ConnectionOptions {
  host: string;
  port: number;
  tester: number;
  timeout?: number;
}
