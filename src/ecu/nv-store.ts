/**
 * The ECU's non-volatile memory for small state (spec/bootloader-and-flashing.md "Memory model", `nvm`):
 * the bootloader's flags (app valid, active bank, application CRC), security attempt counters, DIDs
 * written with 0x2E. Each key holds one JSON value.
 *
 * Without a state directory the store lives in memory ({@link MemoryNvStore}); with one, a file-backed
 * store writes every change atomically before `set` returns, so a value that was set survives a kill of
 * the simulator at any later moment (spec: "Persistence").
 */

/** A JSON value as stored under a key. */
export type NvValue = null | boolean | number | string | readonly NvValue[] | { readonly [key: string]: NvValue };

/** Key/value non-volatile memory of one ECU. */
export interface NvStore {
  /** True when the values survive a restart of the simulator (backed by a state directory). */
  readonly persistent: boolean;
  /** The value under `key`, or undefined when none was set. */
  get(key: string): NvValue | undefined;
  /** Sets (or with `undefined` removes) the value under `key`; durable when this returns. */
  set(key: string, value: NvValue | undefined): void;
}

/** An {@link NvStore} in memory: lost when the process ends (no state directory). */
export class MemoryNvStore implements NvStore {
  readonly persistent = false;
  private readonly values = new Map<string, NvValue>();

  get(key: string): NvValue | undefined {
    return this.values.get(key);
  }

  set(key: string, value: NvValue | undefined): void {
    if (value === undefined) this.values.delete(key);
    else this.values.set(key, value);
  }
}
