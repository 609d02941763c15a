/**
 * Dynamically defined data identifiers (DynamicallyDefineDataIdentifier 0x2C, ISO 14229-1:2020 11.6):
 * DIDs the tester composes from bytes of other DIDs (defineByIdentifier) or of memory
 * (defineByMemoryAddress). A defined DDDID is an ordinary entry of the {@link DidStore}: 0x22 (and the
 * periodic scheduler of 0x2A) read it with `dids.read(dddid)`, which composes the value at read time.
 *
 * Rules coded here (ISO 14229-1:2020 11.6.4 lists the NRCs):
 * - a DDDID is in F200-F3FF (Annex C.1: periodic and dynamically defined data identifiers) and is not one
 *   of the ECU's static DIDs, else 0x31;
 * - a source DID must be supported and readable in the active session (0x31; a DDDID as source is not
 *   supported by udskit, 0x31), and its security level unlocked (0x33); position (1-based) and size must
 *   lie inside its record (0x31);
 * - a memory source must be readable by address like 0x23 (0x31 / 0x33);
 * - a define for a DDDID that exists appends its elements (11.6.1); the total length and the number of
 *   elements are limited by `dynamicDids` in the profile (0x31);
 * - clearing a DDDID that is not defined is answered positively (11.6.1); clearing without a DDDID clears all;
 * - every definition is cleared on a transition to the default session and on a reset (10.2.1).
 */
import { hexNum } from '../core/hex.js';
import type { DidSourceElement, MemorySourceElement } from '../uds/codec/0x2c-dynamically-define-data-identifier.js';
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed, type AccessRule } from '../uds/server/service-table.js';
import type { DidStore } from './did-store.js';
import type { EcuRuntime } from './ecu-runtime.js';
import { checkMemoryAccess, memoryReadRule, type MemoryAccessHost } from './memory-access.js';
import { SESSION } from './session-manager.js';
import type { SparseMemory } from './sparse-memory.js';

/** The identifiers a dynamically defined DID may use (ISO 14229-1:2020 Annex C.1). */
export const DDDID_RANGE = { first: 0xf200, last: 0xf3ff } as const;

/** Limits of the dynamic definitions of one ECU (profile `dynamicDids`). */
export interface DynamicDidLimits {
  /** Longest composed record in bytes. */
  readonly maxDataLength: number;
  /** Most source elements one DDDID may have. */
  readonly maxSourceElements: number;
}

/** One source of a DDDID. */
export type DynamicSource =
  | { readonly kind: 'did'; readonly did: number; readonly position: number; readonly size: number }
  | { readonly kind: 'memory'; readonly address: number; readonly size: number };

/** A DDDID and its sources, in order. */
export interface DynamicDidDefinition {
  /** The DDDID. */
  readonly dddid: number;
  /** The sources whose bytes make up the record, in order. */
  readonly sources: readonly DynamicSource[];
  /** Where it may be read: every source's session and security rules together. */
  readonly read: AccessRule;
}

/** What the definitions need from the ECU. */
export interface DynamicDidHost extends MemoryAccessHost {
  readonly dids: DidStore;
  readonly memory: SparseMemory;
}

/** Rule that holds where both `a` and `b` hold (a single unlocked level must satisfy both). */
function intersect(a: AccessRule | undefined, b: AccessRule | undefined): AccessRule {
  const sessions = a?.sessions && b?.sessions ? a.sessions.filter((s) => b.sessions?.includes(s)) : (a?.sessions ?? b?.sessions);
  const la = a?.securityLevels?.length ? a.securityLevels : undefined;
  const lb = b?.securityLevels?.length ? b.securityLevels : undefined;
  const securityLevels = la && lb ? la.filter((l) => lb.includes(l)) : (la ?? lb);
  return { ...(sessions ? { sessions } : {}), ...(securityLevels ? { securityLevels } : {}) };
}

function sizeOf(s: DynamicSource): number {
  return s.size;
}

/** The dynamically defined DIDs of one ECU. */
export class DynamicDids {
  private readonly defs = new Map<number, DynamicDidDefinition>();

  constructor(
    private readonly host: DynamicDidHost,
    private readonly limits: DynamicDidLimits,
  ) {}

  /** The definitions in force, by DDDID ascending. */
  list(): DynamicDidDefinition[] {
    return [...this.defs.values()].sort((a, b) => a.dddid - b.dddid);
  }

  /** The definition of `dddid`, if defined. */
  get(dddid: number): DynamicDidDefinition | undefined {
    return this.defs.get(dddid);
  }

  /** defineByIdentifier (0x2C 01): appends `elements` to `dddid`. Throws {@link NrcError} (see the module doc). */
  defineByIdentifier(dddid: number, elements: readonly DidSourceElement[]): void {
    this.checkTarget(dddid);
    const { session, securityLevel } = this.host.access();
    let read: AccessRule = {};
    const sources: DynamicSource[] = [];
    for (const e of elements) {
      const def = this.host.dids.get(e.sourceDid);
      // ISO 14229-1:2020 11.6.4 NRC 0x31 — sourceDataIdentifier not supported (in this session).
      if (!def || this.defs.has(e.sourceDid) || (def.read && !sessionAllowed(def.read, session))) {
        const why = def && this.defs.has(e.sourceDid) ? ' (a dynamically defined DID cannot be a source)' : '';
        throw new NrcError(NRC.requestOutOfRange, `source DID ${hexNum(e.sourceDid)} is not supported${why}`);
      }
      // ISO 14229-1:2020 11.6.4 NRC 0x33 — the source DID is secured and the server is locked.
      if (def.read && !securityGranted(def.read, securityLevel)) {
        throw new NrcError(NRC.securityAccessDenied, `source DID ${hexNum(e.sourceDid)} needs security level ${def.read.securityLevels?.join('/')}`);
      }
      const length = this.host.dids.read(e.sourceDid).length;
      // ISO 14229-1:2020 11.6.4 NRC 0x31 — positionInSourceDataRecord / memorySize outside the source record.
      if (e.position < 1 || e.size < 1 || e.position - 1 + e.size > length) {
        throw new NrcError(
          NRC.requestOutOfRange,
          `position ${e.position} / size ${e.size} is outside the ${length}-byte record of DID ${hexNum(e.sourceDid)} (position is 1-based)`,
        );
      }
      read = intersect(read, def.read);
      sources.push({ kind: 'did', did: e.sourceDid, position: e.position, size: e.size });
    }
    this.commit(dddid, sources, read);
  }

  /** defineByMemoryAddress (0x2C 02): appends memory ranges to `dddid`. Throws {@link NrcError} (see the module doc). */
  defineByMemoryAddress(dddid: number, elements: readonly MemorySourceElement[]): void {
    this.checkTarget(dddid);
    let read: AccessRule = {};
    const sources: DynamicSource[] = [];
    for (const e of elements) {
      // ISO 14229-1:2020 11.6.4 NRC 0x31 / 0x33 — the same memory rules as ReadMemoryByAddress.
      const region = checkMemoryAccess(this.host, e.memoryAddress, e.memorySize, 'read');
      read = intersect(read, memoryReadRule(this.host, region));
      sources.push({ kind: 'memory', address: e.memoryAddress, size: e.memorySize });
    }
    this.commit(dddid, sources, read);
  }

  /**
   * clearDynamicallyDefinedDataIdentifier (0x2C 03): clears `dddid`, or every DDDID when absent. A DDDID
   * outside F200-F3FF is 0x31; one that is not defined is cleared positively (ISO 14229-1:2020 11.6.1).
   */
  clear(dddid?: number): void {
    if (dddid === undefined) {
      this.clearAll();
      return;
    }
    this.checkRange(dddid);
    if (this.defs.delete(dddid)) this.host.dids.remove(dddid);
  }

  /** Clears every definition (default session, reset). */
  clearAll(): void {
    for (const dddid of this.defs.keys()) this.host.dids.remove(dddid);
    this.defs.clear();
  }

  /** The composed record of `dddid`, read now from its sources. */
  compose(dddid: number): Uint8Array {
    const def = this.defs.get(dddid);
    if (!def) throw new NrcError(NRC.requestOutOfRange, `DDDID ${hexNum(dddid)} is not defined`);
    const parts = def.sources.map((s) =>
      s.kind === 'did' ? this.host.dids.read(s.did).slice(s.position - 1, s.position - 1 + s.size) : this.host.memory.read(s.address, s.size),
    );
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private checkRange(dddid: number): void {
    // ISO 14229-1:2020 11.6.4 NRC 0x31 — dynamicallyDefinedDataIdentifier outside its range (Annex C.1).
    if (dddid < DDDID_RANGE.first || dddid > DDDID_RANGE.last) {
      throw new NrcError(NRC.requestOutOfRange, `DDDID ${hexNum(dddid)} is outside ${hexNum(DDDID_RANGE.first)}-${hexNum(DDDID_RANGE.last)}`);
    }
  }

  private checkTarget(dddid: number): void {
    this.checkRange(dddid);
    if (!this.defs.has(dddid) && this.host.dids.get(dddid)) {
      throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(dddid)} is a static DID of this ECU, not a dynamically definable one`);
    }
  }

  private commit(dddid: number, sources: DynamicSource[], read: AccessRule): void {
    const old = this.defs.get(dddid);
    const all = [...(old?.sources ?? []), ...sources];
    const length = all.reduce((n, s) => n + sizeOf(s), 0);
    // ISO 14229-1:2020 11.6.4 NRC 0x31 — the definition exceeds what the server supports.
    if (all.length > this.limits.maxSourceElements) {
      throw new NrcError(NRC.requestOutOfRange, `DDDID ${hexNum(dddid)} would have ${all.length} source elements (at most ${this.limits.maxSourceElements})`);
    }
    if (length > this.limits.maxDataLength) {
      throw new NrcError(NRC.requestOutOfRange, `DDDID ${hexNum(dddid)} would be ${length} bytes long (at most ${this.limits.maxDataLength})`);
    }
    const def: DynamicDidDefinition = { dddid, sources: all, read: old ? intersect(old.read, read) : read };
    this.defs.set(dddid, def);
    this.host.dids.define({ id: dddid, name: 'dynamicallyDefined', value: () => this.compose(dddid), read: def.read });
  }
}

/**
 * The {@link DynamicDids} of `ecu` with the profile's limits, subscribed to its events: every definition
 * is cleared on a transition to the default session and on a reset (ISO 14229-1:2020 10.2.1).
 */
export function dynamicDidsFor(ecu: Pick<EcuRuntime, 'dids' | 'memory' | 'memoryMap' | 'config' | 'events' | 'access'>): DynamicDids {
  const host: DynamicDidHost = { dids: ecu.dids, memory: ecu.memory, memoryMap: ecu.memoryMap, config: ecu.config, access: () => ecu.access() };
  const dyn = new DynamicDids(host, ecu.config.dynamicDids);
  ecu.events.on('session', ({ to }) => {
    if (to === SESSION.default) dyn.clearAll();
  });
  ecu.events.on('reset', () => dyn.clearAll());
  return dyn;
}
