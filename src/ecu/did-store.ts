/**
 * The ECU's data identifiers: the standard identification DIDs of spec/uds.md with their defaults,
 * the computed active-session DID F186, and the profile's own DIDs, each with read and write rules
 * (services 0x22 and 0x2E). Values live in non-volatile memory: they survive resets.
 */
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import type { AccessRule } from '../uds/server/service-table.js';
import { hexNum } from '../core/hex.js';
import { ACTIVE_SESSION_DID, IDENTIFICATION_DIDS, type EcuConfig } from './config.js';

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

  /** Builds the defaults from `config`; `activeSession()` feeds F186. */
  constructor(config: EcuConfig, activeSession: () => number) {
    const prog = config.programming;
    for (const [key, id] of Object.entries(IDENTIFICATION_DIDS) as [keyof typeof IDENTIFICATION_DIDS, number][]) {
      const value = config.identification[key].slice();
      const variable = PROGRAMMING_WRITABLE[key];
      let def: DidDefinition = { id, name: key, value };
      if (variable) {
        def = { ...def, ...variable, write: { sessions: [prog.session, 0x03], securityLevels: [prog.securityLevel] } };
      } else if (key === 'vin') {
        def = { ...def, length: 17, write: { sessions: [0x03], securityLevels: [prog.securityLevel] } };
      }
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
      };
      this.dids.set(d.id, merged);
    }
  }

  /** The definition of `id`, if the ECU has it. */
  get(id: number): DidDefinition | undefined {
    return this.dids.get(id);
  }

  /** Every DID id, ascending. */
  ids(): number[] {
    return [...this.dids.keys()].sort((a, b) => a - b);
  }

  /** Adds or replaces a DID (user extension). */
  define(def: DidDefinition): void {
    this.dids.set(def.id, def);
  }

  /** The current value of `id` (a copy). Throws 0x31 for an unknown DID. */
  read(id: number): Uint8Array {
    const def = this.dids.get(id);
    if (!def) throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(id)} is not supported`);
    return typeof def.value === 'function' ? def.value() : def.value.slice();
  }

  /**
   * Checks the length rules of a write and stores `data`. Session and security rules are the caller's
   * (ISO 14229-1:2020 11.7.4 order: 0x31, 0x33, then 0x13 for the length).
   */
  write(id: number, data: Uint8Array): void {
    const def = this.dids.get(id);
    if (!def || !def.write || typeof def.value === 'function') {
      throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(id)} is not writable`);
    }
    const variable = def.minLength !== undefined || def.maxLength !== undefined;
    const fixed = def.length ?? (variable ? undefined : def.value.length);
    const ok =
      fixed !== undefined ? data.length === fixed : data.length >= (def.minLength ?? 1) && data.length <= (def.maxLength ?? Infinity);
    if (!ok) {
      const want = fixed !== undefined ? `${fixed}` : `${def.minLength ?? 1}..${def.maxLength ?? 'any'}`;
      // ISO 14229-1:2020 11.7.4 NRC 0x13 — the dataRecord length does not match the DID.
      throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, `DID ${hexNum(id)} takes ${want} byte(s), got ${data.length}`);
    }
    def.value = data.slice();
  }
}
