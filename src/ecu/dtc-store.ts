/**
 * The DTC memory of a simulated ECU: each DTC's status byte (rules in `dtc-status.ts`), its snapshot
 * records (the values of configured DIDs captured when a failure occurs) and extended data records
 * (counters the store maintains, or fixed values), the vehicle-state monitors that produce test results,
 * and the chronology behind 19 0B..0E. Services 0x14, 0x19 and 0x86 read and change it.
 *
 * While ControlDTCSetting is off (85 02, ISO 14229-1:2020 10.8) every status change is frozen: test
 * results and operation-cycle transitions are ignored. ClearDiagnosticInformation still clears.
 */
import { InvalidArgumentError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { DidRecord } from '../uds/codec/0x22-read-data-by-identifier.js';
import { ALL_DTC_GROUPS, formatDtc } from '../uds/codec/dtc-format.js';
import type { VehicleState } from './config.js';
import type { DtcConfig, DtcsConfig } from './config-dtcs.js';
import { evaluateMonitor } from './dtc-monitors.js';
import { applyClear, applyOperationCycleStart, applyTestFailed, applyTestPassed, type DtcCounters, type DtcThresholds } from './dtc-status.js';

/** A DTC definition (a parsed `dtcs` list entry; user code may add its own with `define`). */
export type DtcDefinition = DtcConfig;

/** Why a status changed. */
export type DtcChangeReason = 'test' | 'operation-cycle' | 'clear';

/** One status change (the ECU's `dtc` event). */
export interface DtcStatusChange {
  /** The 3-byte DTC. */
  readonly code: number;
  /** statusOfDTC before. */
  readonly from: number;
  /** statusOfDTC after. */
  readonly to: number;
  readonly reason: DtcChangeReason;
}

/** A DTC and what the store knows about it. */
export interface DtcInfo {
  readonly code: number;
  /** SAE J2012 text, e.g. "P0562-16". */
  readonly text: string;
  readonly name: string | undefined;
  /** statusOfDTC (only bits of the availability mask). */
  readonly status: number;
  readonly occurrences: number;
  readonly failedCycles: number;
  readonly agingCycles: number;
}

/** Dependencies of a {@link DtcStore}. */
export interface DtcStoreOptions {
  readonly config: DtcsConfig;
  /** The simulated vehicle state (monitors, clear conditions). */
  readonly vehicle: () => VehicleState;
  /** ControlDTCSetting: false after 85 02 freezes status changes. */
  readonly settingOn: () => boolean;
  /** The value of a DID for a snapshot, or undefined when the ECU has none. */
  readonly readDid: (did: number) => Uint8Array | undefined;
  /** Called for every status change. */
  readonly onChange: (change: DtcStatusChange) => void;
  readonly logger?: Logger;
}

interface Entry extends DtcCounters {
  readonly def: DtcDefinition;
  readonly thresholds: DtcThresholds;
  readonly snapshots: Map<number, DidRecord[]>;
}

/** Chronology of failures / confirmations since the last clear (19 0B..0E). */
interface Chronology {
  readonly first: Map<number, number>;
  readonly last: Map<number, number>;
}

/** The DTC memory of one ECU. */
export class DtcStore {
  /** DTCStatusAvailabilityMask: the status bits this ECU supports. */
  readonly statusAvailabilityMask: number;
  /** DTCFormatIdentifier reported by 19 01. */
  readonly formatIdentifier: number;
  private readonly entries = new Map<number, Entry>();
  private readonly failed: Chronology = { first: new Map(), last: new Map() };
  private readonly confirmed: Chronology = { first: new Map(), last: new Map() };
  private seq = 0;

  /** Builds the store from the profile; power-on starts an operation cycle and runs the monitors. */
  constructor(private readonly options: DtcStoreOptions) {
    this.statusAvailabilityMask = options.config.statusAvailabilityMask;
    this.formatIdentifier = options.config.formatIdentifier;
    for (const def of options.config.list) this.define(def);
    this.startOperationCycle();
    this.evaluateMonitors();
  }

  /** Adds or replaces a DTC (user extension); its status starts as the definition's. */
  define(def: DtcDefinition): void {
    const c = this.options.config;
    this.entries.set(def.code, {
      def,
      thresholds: { confirmationThreshold: c.confirmationThreshold, agingThreshold: c.agingThreshold, warningIndicator: def.warningIndicator },
      status: def.status & 0xff,
      occurrences: 0,
      failedCycles: 0,
      agingCycles: 0,
      snapshots: new Map(),
    });
  }

  /** True when the ECU knows `code`. */
  has(code: number): boolean {
    return this.entries.has(code);
  }

  /** Every DTC, ascending by code. */
  list(): DtcInfo[] {
    return [...this.entries.keys()].sort((a, b) => a - b).map((code) => this.info(code) as DtcInfo);
  }

  /** One DTC, or undefined. */
  info(code: number): DtcInfo | undefined {
    const e = this.entries.get(code);
    if (!e) return undefined;
    return {
      code,
      text: formatDtc(code),
      name: e.def.name,
      status: this.visible(e),
      occurrences: e.occurrences,
      failedCycles: e.failedCycles,
      agingCycles: e.agingCycles,
    };
  }

  /** The definition of `code`. */
  definition(code: number): DtcDefinition | undefined {
    return this.entries.get(code)?.def;
  }

  /** DTCs whose status has a bit of `mask` (within the availability mask), ascending (19 01 / 19 02). */
  byStatusMask(mask: number): { dtc: number; status: number }[] {
    return this.list()
      .filter((d) => (d.status & mask & this.statusAvailabilityMask) !== 0)
      .map((d) => ({ dtc: d.code, status: d.status }));
  }

  /** Every DTC the ECU supports with its status (19 0A). */
  supported(): { dtc: number; status: number }[] {
    return this.list().map((d) => ({ dtc: d.code, status: d.status }));
  }

  /** 19 0B / 0C / 0D / 0E: the first or most recent failed or confirmed DTC since the last clear. */
  chronological(which: 'firstFailed' | 'firstConfirmed' | 'mostRecentFailed' | 'mostRecentConfirmed'): { dtc: number; status: number } | undefined {
    const chrono = which.endsWith('Failed') ? this.failed : this.confirmed;
    const map = which.startsWith('first') ? chrono.first : chrono.last;
    let best: number | undefined;
    let bestSeq = which.startsWith('first') ? Infinity : -Infinity;
    for (const [code, seq] of map) {
      if (which.startsWith('first') ? seq < bestSeq : seq > bestSeq) {
        best = code;
        bestSeq = seq;
      }
    }
    const info = best === undefined ? undefined : this.info(best);
    return info ? { dtc: info.code, status: info.status } : undefined;
  }

  /** Every stored snapshot record as `{dtc, recordNumber}`, by DTC then record (19 03). */
  snapshotIdentification(): { dtc: number; recordNumber: number }[] {
    const out: { dtc: number; recordNumber: number }[] = [];
    for (const d of this.list()) {
      const e = this.entries.get(d.code) as Entry;
      for (const n of [...e.snapshots.keys()].sort((a, b) => a - b)) out.push({ dtc: d.code, recordNumber: n });
    }
    return out;
  }

  /**
   * The stored snapshot records of `code`: record `recordNumber`, or all of them for 0xFF. Undefined when
   * the DTC is unknown or has no such record defined (0x31); an empty list when none is stored yet.
   */
  snapshotRecords(code: number, recordNumber: number): { recordNumber: number; dids: DidRecord[] }[] | undefined {
    const e = this.entries.get(code);
    if (!e) return undefined;
    const defined = e.def.snapshots.map((s) => s.record).sort((a, b) => a - b);
    const wanted = recordNumber === 0xff ? defined : defined.filter((n) => n === recordNumber);
    if (recordNumber !== 0xff && wanted.length === 0) return undefined;
    return wanted.flatMap((n) => {
      const dids = e.snapshots.get(n);
      return dids ? [{ recordNumber: n, dids: dids.map((d) => ({ did: d.did, data: d.data.slice() })) }] : [];
    });
  }

  /**
   * The extended data records of `code`: record `recordNumber`, all for 0xFF, the regulated ones
   * (0x90..0xEF) for 0xFE. Undefined when the DTC is unknown or no defined record matches (0x31).
   */
  extendedDataRecords(code: number, recordNumber: number): { recordNumber: number; data: Uint8Array }[] | undefined {
    const e = this.entries.get(code);
    if (!e) return undefined;
    const match = (n: number): boolean => (recordNumber === 0xff ? true : recordNumber === 0xfe ? n >= 0x90 && n <= 0xef : n === recordNumber);
    const records = e.def.extendedData
      .filter((x) => match(x.record))
      .sort((a, b) => a.record - b.record)
      .map((x) => ({ recordNumber: x.record, data: x.value ? x.value.slice() : Uint8Array.of(this.counter(e, x.counter)) }));
    return records.length === 0 && recordNumber !== 0xff ? undefined : records;
  }

  /** Length of an extended data record of `code` (for decoding 19 06 responses), if defined. */
  extendedDataLength(code: number, recordNumber: number): number | undefined {
    const x = this.entries.get(code)?.def.extendedData.find((r) => r.record === recordNumber);
    return x === undefined ? undefined : (x.value?.length ?? 1);
  }

  /**
   * Records a test result of `code` (from a monitor or user code). Ignored (returns false) while DTC
   * setting is off. Throws `InvalidArgumentError` for an unknown DTC.
   */
  reportTestResult(code: number, result: 'failed' | 'passed'): boolean {
    const e = this.entries.get(code);
    if (!e) throw new InvalidArgumentError(`DTC ${formatDtc(code)} is not defined on this ECU`, { code });
    // ISO 14229-1:2020 10.8.1 — with DTC setting off the server stops updating DTC status bits.
    if (!this.options.settingOn()) return false;
    const from = e.status;
    if (result === 'passed') applyTestPassed(e);
    else {
      const out = applyTestFailed(e, e.thresholds);
      if (out.newOccurrence) {
        this.note(this.failed, code);
        this.capture(e);
      }
      if (out.newlyConfirmed) this.note(this.confirmed, code);
    }
    return this.changed(e, from, 'test');
  }

  /** Ends the operation cycle and starts the next (power-on, reset, ignition on). Frozen while DTC setting is off. */
  startOperationCycle(): void {
    if (!this.options.settingOn()) return;
    for (const e of this.entries.values()) {
      const from = e.status;
      applyOperationCycleStart(e, e.thresholds);
      this.changed(e, from, 'operation-cycle');
    }
  }

  /** Runs every monitor on the current vehicle state (no-op for a monitor that does not run). */
  evaluateMonitors(): void {
    const v = this.options.vehicle();
    for (const e of this.entries.values()) {
      if (!e.def.monitor) continue;
      const r = evaluateMonitor(e.def.monitor, v);
      if (r) this.reportTestResult(e.def.code, r);
    }
  }

  /**
   * The DTCs `group` selects (ISO 14229-1:2020 Annex D.1): 0xFFFFFF all, a DTC's own code, or a group
   * value the profile lists in a DTC's `groups`. Undefined for a group the ECU does not support (0x31).
   */
  groupMembers(group: number): number[] | undefined {
    if (group === ALL_DTC_GROUPS) return [...this.entries.keys()];
    const members = [...this.entries.values()].filter((e) => e.def.code === group || e.def.groups.includes(group)).map((e) => e.def.code);
    return members.length > 0 ? members : undefined;
  }

  /** Why ClearDiagnosticInformation may not run now (profile `clearConditions`), or undefined. */
  clearBlockedBy(): string | undefined {
    const c = this.options.config.clearConditions;
    const v = this.options.vehicle();
    if (c.engineOff && v.engineRunning) return 'the engine is running';
    if (c.vehicleStopped && v.speedKmh !== 0) return `the vehicle moves (${v.speedKmh} km/h)`;
    if (c.ignitionOn && !v.ignition) return 'the ignition is off';
    return undefined;
  }

  /** Clears the DTCs of `codes` (status, snapshots, counters, chronology: ISO 14229-1:2020 12.2.1). */
  clear(codes: readonly number[]): void {
    for (const code of codes) {
      const e = this.entries.get(code);
      if (!e) continue;
      const from = e.status;
      applyClear(e);
      e.snapshots.clear();
      for (const c of [this.failed, this.confirmed]) {
        c.first.delete(code);
        c.last.delete(code);
      }
      this.changed(e, from, 'clear');
    }
  }

  private visible(e: Entry): number {
    return e.status & this.statusAvailabilityMask;
  }

  private counter(e: Entry, kind: 'occurrence' | 'aging' | 'failedCycles' | undefined): number {
    if (kind === 'aging') return e.agingCycles;
    if (kind === 'failedCycles') return e.failedCycles;
    return e.occurrences;
  }

  private note(c: Chronology, code: number): void {
    this.seq++;
    if (!c.first.has(code)) c.first.set(code, this.seq);
    c.last.set(code, this.seq);
  }

  /** Captures the snapshot records of `e` now (the failure moment). */
  private capture(e: Entry): void {
    for (const s of e.def.snapshots) {
      if (s.capture === 'first' && e.snapshots.has(s.record)) continue;
      const dids: DidRecord[] = [];
      for (const did of s.dids) {
        const data = this.options.readDid(did);
        if (data) dids.push({ did, data });
        else this.options.logger?.warn(`snapshot of ${formatDtc(e.def.code)}: DID 0x${did.toString(16)} has no value; left out`);
      }
      e.snapshots.set(s.record, dids);
    }
  }

  private changed(e: Entry, from: number, reason: DtcChangeReason): boolean {
    const before = from & this.statusAvailabilityMask;
    const after = this.visible(e);
    if (before === after) return false;
    this.options.onChange({ code: e.def.code, from: before, to: after, reason });
    return true;
  }
}
