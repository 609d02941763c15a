/**
 * The ECU's data identifiers: the standard identification DIDs of spec/uds.md with their defaults,
 * the computed active-session DID F186, and the profile's own DIDs, each with read and write rules
 * (services 0x22 and 0x2E). Values live in non-volatile memory: they survive resets, and a value written
 * with 0x2E is kept in the ECU's NV store under the key `dids` (`{ "F190": "57 55 ..." }`), so with a
 * state directory it survives a restart of the simulator too (spec/bootloader-and-flashing.md "Persistence").
 *
 * `read()` is the one way to a DID's value as the tester sees it: static, computed, IO-controlled (0x2F,
 * through an overlay) and dynamically defined (0x2C, defined here while they exist) alike.
 */
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import type { AccessRule } from '../uds/server/service-table.js';
import { fromHex, hexNum, toHex } from '../core/hex.js';
import { ACTIVE_SESSION_DID, IDENTIFICATION_DIDS, type EcuConfig } from './config.js';
import { didValueProblem, type DidCodecName } from './did-codec.js';
import type { IoControlDefinition } from './io-control.js';
import type { NvStore, NvValue } from './nv-store.js';

/** NV key of the values written with 0x2E: an object from DID (4 hex digits) to its bytes in hex. */
export const DID_NV_KEY = 'dids';

/**
 * Changes what `read()` returns for a DID without touching its stored value: gets the DID and the value
 * so far, returns the value the tester sees (e.g. an IO control in force, 0x2F).
 */
export type DidOverlay = (id: number, value: Uint8Array) => Uint8Array;

/** One DID. */
export interface DidDefinition {
  /** The identifier. */
  readonly id: number;
  /** Name for listings. */
  readonly name?: string;
  /** Stored value, or a function computing it at read time (then it is not writable). */
  value: Uint8Array | (() => Uint8Array);
  /** Exact length a write must have. Default: the length of the value (unless min/maxLength are set). */
  readonly length?: number;
  /** Shortest accepted write (variable-length DIDs). */
  readonly minLength?: number;
  /** Longest accepted write (variable-length DIDs). */
  readonly maxLength?: number;
  /** Where it can be read; absent = every session, no security. */
  readonly read?: AccessRule;
  /** Where it can be written; absent = read-only (0x2E answers 0x31). */
  readonly write?: AccessRule;
  /** How the bytes read (did-codec.ts); 0x2E refuses values the codec rejects with 0x31. Default `bytes`. */
  readonly codec?: DidCodecName;
  /** Smallest value a write may set (codec uint / int). */
  readonly min?: number;
  /** Largest value a write may set (codec uint / int). */
  readonly max?: number;
  /** The scaling records ReadScalingDataByIdentifier (0x24) answers; absent = 0x24 answers 0x31. */
  readonly scaling?: Uint8Array;
  /** InputOutputControlByIdentifier (0x2F) rules; absent = 0x2F answers 0x31. */
  readonly ioControl?: IoControlDefinition;
}

/** The key of a DID in the `dids` NV object: 4 upper-case hex digits. */
function nvKeyOf(id: number): string {
  return id.toString(16).toUpperCase().padStart(4, '0');
}

/** The accepted lengths of a write of `def` (current value `value`) as text when `data` does not fit them, else undefined. */
function lengthProblem(def: DidDefinition, value: Uint8Array, data: Uint8Array): string | undefined {
  const variable = def.minLength !== undefined || def.maxLength !== undefined;
  const fixed = def.length ?? (variable ? undefined : value.length);
  const ok = fixed !== undefined ? data.length === fixed : data.length >= (def.minLength ?? 1) && data.length <= (def.maxLength ?? Infinity);
  return ok ? undefined : fixed !== undefined ? `${fixed}` : `${def.minLength ?? 1}..${def.maxLength ?? 'any'}`;
}

/** DIDs writable during programming (fingerprint data, spec/bootloader-and-flashing.md step 8). */
const PROGRAMMING_WRITABLE: Partial<Record<keyof typeof IDENTIFICATION_DIDS, { minLength: number; maxLength: number }>> = {
  fingerprint: { minLength: 1, maxLength: 64 },
  repairShopCode: { minLength: 1, maxLength: 32 },
  // BCD YYMMDD or YYYYMMDD.
  programmingDate: { minLength: 3, maxLength: 4 },
};

/** The DIDs of one ECU. */
export class DidStore {
  private readonly dids = new Map<number, DidDefinition>();
  private readonly overlays: DidOverlay[] = [];

  /**
   * Builds the defaults from `config`; `activeSession()` feeds F186. With `nv`, values written earlier
   * (0x2E) are restored from it and every write is stored in it.
   */
  constructor(config: EcuConfig, activeSession: () => number, private readonly nv?: NvStore) {
    const prog = config.programming;
    for (const [key, id] of Object.entries(IDENTIFICATION_DIDS) as [keyof typeof IDENTIFICATION_DIDS, number][]) {
      const value = config.identification[key].slice();
      const variable = PROGRAMMING_WRITABLE[key];
      let def: DidDefinition = { id, name: key, value };
      if (variable) {
        def = { ...def, ...variable, write: { sessions: [prog.session, 0x03], securityLevels: [prog.securityLevel] } };
      } else if (key === 'vin') {
        def = { ...def, length: 17, codec: 'ascii', write: { sessions: [0x03], securityLevels: [prog.securityLevel] } };
      }
      // spec/uds.md: F199 programming date is BCD (YYMMDD or YYYYMMDD).
      if (key === 'programmingDate') def = { ...def, codec: 'bcd' };
      this.dids.set(id, def);
    }
    this.dids.set(ACTIVE_SESSION_DID, { id: ACTIVE_SESSION_DID, name: 'activeDiagnosticSession', value: () => Uint8Array.of(activeSession()) });
    for (const d of config.dids) {
      const base = this.dids.get(d.id);
      const merged: DidDefinition = {
        id: d.id,
        name: d.name ?? base?.name,
        value: d.value?.slice() ?? (base?.value as Uint8Array),
        length: d.length ?? (d.minLength === undefined && d.maxLength === undefined ? base?.length : undefined),
        minLength: d.minLength ?? (d.length === undefined ? base?.minLength : undefined),
        maxLength: d.maxLength ?? (d.length === undefined ? base?.maxLength : undefined),
        read: d.read ?? base?.read,
        write: d.write ?? base?.write,
        codec: d.codec ?? base?.codec,
        min: d.min ?? base?.min,
        max: d.max ?? base?.max,
        scaling: d.scaling ?? base?.scaling,
        ioControl: d.ioControl ?? base?.ioControl,
      };
      this.dids.set(d.id, merged);
    }
    for (const def of this.dids.values()) this.restore(def);
  }

  /** The definition of `id`, if the ECU has it. */
  get(id: number): DidDefinition | undefined {
    return this.dids.get(id);
  }

  /** Every DID id, ascending. */
  ids(): number[] {
    return [...this.dids.keys()].sort((a, b) => a - b);
  }

  /** Adds or replaces a DID (user extension); a writable one takes the value written earlier (NV) if any. */
  define(def: DidDefinition): void {
    this.dids.set(def.id, def);
    this.restore(def);
  }

  /** Removes a DID (e.g. a dynamically defined one when it is cleared). True when it existed. */
  remove(id: number): boolean {
    return this.dids.delete(id);
  }

  /** Adds an overlay applied by every `read()` (in the order added). Returns a function that removes it. */
  addOverlay(overlay: DidOverlay): () => void {
    this.overlays.push(overlay);
    return () => {
      const i = this.overlays.indexOf(overlay);
      if (i >= 0) this.overlays.splice(i, 1);
    };
  }

  /**
   * The value of `id` as the tester reads it (a copy): the stored or computed value with the overlays
   * applied (IO control), or the composed value of a dynamically defined DID. Throws 0x31 for an unknown DID.
   */
  read(id: number): Uint8Array {
    let value = this.ecuValue(id);
    for (const overlay of this.overlays) value = overlay(id, value);
    return value;
  }

  /** The value of `id` without overlays: what the ECU itself holds or computes (a copy). Throws 0x31 for an unknown DID. */
  ecuValue(id: number): Uint8Array {
    const def = this.dids.get(id);
    if (!def) throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(id)} is not supported`);
    return typeof def.value === 'function' ? def.value() : def.value.slice();
  }

  /**
   * Checks the length and codec rules of a write and stores `data`. Session and security rules are the
   * caller's (ISO 14229-1:2020 11.7.4 order: 0x31, 0x33, then 0x13 for the length, then 0x31 for the value).
   */
  write(id: number, data: Uint8Array): void {
    const def = this.dids.get(id);
    if (!def || !def.write || typeof def.value === 'function') {
      throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(id)} is not writable`);
    }
    const want = lengthProblem(def, def.value, data);
    // ISO 14229-1:2020 11.7.4 NRC 0x13 — the dataRecord length does not match the DID.
    if (want) throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, `DID ${hexNum(id)} takes ${want} byte(s), got ${data.length}`);
    const problem = def.codec ? didValueProblem({ codec: def.codec, min: def.min, max: def.max }, data) : undefined;
    // ISO 14229-1:2020 11.7.4 NRC 0x31 — the dataRecord holds a value the DID does not accept.
    if (problem) throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(id)} (${def.codec}): ${problem}`);
    this.store(id, data);
    def.value = data.slice();
  }

  /** Stores a written value in NV before it takes effect; a failed NV write is NRC 0x72. */
  private store(id: number, data: Uint8Array): void {
    if (!this.nv) return;
    const stored = { ...this.storedValues(), [nvKeyOf(id)]: toHex(data) };
    try {
      this.nv.set(DID_NV_KEY, stored);
    } catch (e) {
      // ISO 14229-1:2020 11.7.4 NRC 0x72 — the server detected an error when writing to a memory location.
      throw new NrcError(NRC.generalProgrammingFailure, `DID ${hexNum(id)} could not be stored: ${(e as Error).message}`);
    }
  }

  /** The `dids` NV object (empty when none or not an object). */
  private storedValues(): Record<string, NvValue> {
    const v = this.nv?.get(DID_NV_KEY);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, NvValue>) } : {};
  }

  /**
   * Gives a writable DID the value stored in NV, if one is stored and still fits the DID's length and
   * codec (a profile that changed the DID since makes the stored value stale: it is then not used).
   */
  private restore(def: DidDefinition): void {
    if (!this.nv || !def.write || typeof def.value === 'function') return;
    const text = this.storedValues()[nvKeyOf(def.id)];
    if (typeof text !== 'string') return;
    let data: Uint8Array;
    try {
      data = fromHex(text);
    } catch {
      return;
    }
    if (lengthProblem(def, def.value, data)) return;
    if (def.codec && didValueProblem({ codec: def.codec, min: def.min, max: def.max }, data)) return;
    def.value = data;
  }
}
