/**
 * Probes of 31 RoutineControl (every routine of the ECU, each listed sub-function) and of the memory
 * transfer services 34 RequestDownload, 35 RequestUpload, 36 TransferData, 37 RequestTransferExit.
 */
import type { MemoryRegionConfig } from '../../../../src/ecu/config.js';
import type { RoutineActionConfig } from '../../../../src/ecu/config-routines.js';
import { DEPENDENCY_FAILURE } from '../../../../src/ecu/programming-log.js';
import { eraseTimePerSectorMs } from '../../../../src/ecu/config-timing.js';
import { requestDownload } from '../../../../src/uds/codec/0x34-request-download.js';
import type { ServiceOutcome } from '../oracle.js';
import { hex } from './session-security.js';
import { admits, be, firstFree, isSlow, nrc, pendingIf, positive, tableSubFunctions, type Probe, type ProbeBuilder, type ProbeEnv, type ProbeState } from './types.js';

/** An address range no memory region holds (0x31 for 31 FF00, 34, 35, 23, 3D). */
export function unmappedAddress(env: ProbeEnv): number {
  const candidates = [0xfff0_0000, 0xe000_0000, 0x7ff0_0000, 0x4000_0000, 0x1fff_0000];
  return firstFree(candidates, (a) => env.model.memoryMap.regionAt(a) !== undefined || env.model.memoryMap.regionAt(a + 0xff) !== undefined) ?? 0xfff0_0000;
}

/** `44 address(4) size(4)`: an ALFID with 4-byte address and size (ISO 14229-1:2020 7.3 / annex H). */
export function alfid44(address: number, size: number): number[] {
  return [0x44, ...be(address, 4), ...be(size, 4)];
}

/** Status record of a data routine's action, or its NRC (config-routines.ts). */
function dataAction(env: ProbeEnv, state: ProbeState, action: RoutineActionConfig, option: Uint8Array, head: number[]): ServiceOutcome {
  // ISO 14229-1:2020 14.2.4 NRC 0x13 — wrong routineControlOptionRecord length.
  if (action.optionLength !== undefined && option.length !== action.optionLength) return nrc(0x13);
  if (action.nrc !== undefined) return nrc(action.nrc);
  const record = action.result ?? (action.status !== undefined ? Uint8Array.of(action.status) : new Uint8Array(0));
  return pendingIf(positive(head, record), isSlow(env.config, state.session, action.durationMs ?? 0));
}

/** spec/bootloader-and-flashing.md — the failure codes of checkProgrammingPreconditions (NRC values). */
function preconditionFailures(env: ProbeEnv): number[] {
  const v = env.config.vehicleState;
  const out: number[] = [];
  if (v.voltage < 9) out.push(0x93);
  if (v.voltage > 16) out.push(0x92);
  if (!v.ignition) out.push(0x22);
  if (v.speedKmh !== 0) out.push(0x88);
  if (v.engineRunning) out.push(0x83);
  return out;
}

/** Flash the tester erases and programs (spec/bootloader-and-flashing.md "Memory model"): flash, app, calibration. */
function programmable(region: MemoryRegionConfig): boolean {
  return region.kind === 'flash' || region.kind === 'app' || region.kind === 'calibration';
}

/** The first programmable flash region (erase probe). */
function firstFlash(env: ProbeEnv): MemoryRegionConfig | undefined {
  return env.model.memoryMap.regions.find(programmable);
}

/**
 * spec/bootloader-and-flashing.md — FF00 / 34 into protected memory (a protected region, or the active
 * bank of a dual-bank ECU while its application is valid: at the first start bank 0 with
 * `initialAppValid`) is 0x31.
 */
function isProtected(env: ProbeEnv, region: MemoryRegionConfig): boolean {
  const boot = env.config.bootloader;
  return region.protected || (boot?.dualBank?.banks[0] === region.name && boot.initialAppValid);
}

/** spec/bootloader-and-flashing.md — the flash driver is required and a fresh ECU has none. */
function driverMissing(env: ProbeEnv): boolean {
  return env.config.bootloader?.flashDriver?.required === true;
}

/** Probes of one routine for the listed sub-functions. */
function routineProbes(env: ProbeEnv, id: number, types: readonly number[]): Probe[] {
  const def = env.model.routines.get(id);
  if (!def) return [];
  const data = env.config.routines.find((r) => r.id === id && r.start !== undefined);
  const ids = env.config.programming.routines;
  const rid = be(id, 2);
  const probes: Probe[] = [];
  /** ISO 14229-1:2020 14.2.4 — routine not available in the session 0x31, needs security 0x33. */
  const access = (state: ProbeState): ServiceOutcome | undefined => {
    const a = admits(def, state);
    if (!a.session) return nrc(0x31);
    if (!a.security) return nrc(0x33);
    return undefined;
  };
  const add = (type: number, option: number[], what: string, service: (state: ProbeState) => ServiceOutcome, mutates = true): void => {
    probes.push({
      label: `31 ${hex(type)} ${hex(id >> 8)} ${hex(id & 0xff)}${option.length ? ' ' + option.map(hex).join(' ') : ''} (${def.name} ${what})`,
      request: Uint8Array.of(0x31, type, ...rid, ...option),
      mutates,
      outcome: (state) => access(state) ?? service(state),
    });
  };
  for (const type of types) {
    const head = [0x71, type, ...rid];
    if (type === 0x01) {
      if (data?.start) {
        const option = new Array<number>(data.start.optionLength ?? 0).fill(0);
        add(type, option, 'start', (s) => dataAction(env, s, data.start as RoutineActionConfig, Uint8Array.from(option), head));
      } else if (id === ids['eraseMemory']) {
        const bad = unmappedAddress(env);
        add(type, alfid44(bad, 0x1000), 'start, range outside flash', () => nrc(0x31));
        const flash = firstFlash(env);
        const sector = flash?.sectors[0];
        if (flash && sector) {
          add(type, alfid44(flash.start, sector.size), 'start, first sector', (s) => {
            if (isProtected(env, flash)) return nrc(0x31);
            // ISO 14229-1:2020 14.2.4 NRC 0x22 — no flash driver downloaded and checked.
            if (driverMissing(env)) return nrc(0x22);
            return pendingIf(positive(head, 0x00), isSlow(env.config, s.session, eraseTimePerSectorMs(env.config.timingProfile, flash)));
          });
        }
      } else if (id === ids['checkMemory']) {
        // ISO 14229-1:2020 14.2.4 NRC 0x24 — nothing was downloaded to check.
        add(type, [0, 0, 0, 0], 'start, nothing downloaded', () => nrc(0x24));
      } else if (id === ids['checkProgrammingDependencies']) {
        add(type, [], 'start, nothing downloaded', () => positive(head, 0x01, DEPENDENCY_FAILURE.noBlockDownloaded));
      } else if (id === ids['checkProgrammingPreconditions']) {
        add(type, [], 'start', () => {
          const failures = preconditionFailures(env);
          return failures.length === 0 ? positive(head, 0x00) : positive(head, 0x01, failures);
        });
      }
    } else if (type === 0x02) {
      // ISO 14229-1:2020 14.2.4 — no stopRoutine: 0x12; not running (fresh ECU): 0x24.
      add(type, [], 'stop before start', () => (def.stop ? nrc(0x24) : nrc(0x12)), false);
    } else if (type === 0x03) {
      add(
        type,
        [],
        'results before start',
        (s) => {
          // ISO 14229-1:2020 14.2.4 NRC 0x24 — requestRoutineResults before startRoutine.
          if (def.requiresStart !== false) return nrc(0x24);
          if (data?.results) return dataAction(env, s, data.results, new Uint8Array(0), head);
          return positive(head);
        },
        def.requiresStart === false,
      );
    }
  }
  return probes;
}

/** 31 for every routine, and an unknown routine. */
export const routineControlProbes: ProbeBuilder = (env) => {
  const types = tableSubFunctions(env, 0x31, [0x01, 0x02, 0x03]).filter((t) => t >= 0x01 && t <= 0x03);
  const probes = env.model.routines.ids().flatMap((id) => routineProbes(env, id, types));
  const unknown = firstFree([0xf0f0, 0x0000, 0xabcd, 0x1234], (id) => env.model.routines.get(id) !== undefined) ?? 0xf0f0;
  const first = types[0];
  if (first !== undefined) {
    probes.push({
      label: `31 ${hex(first)} ${hex(unknown >> 8)} ${hex(unknown & 0xff)} (unknown routine)`,
      request: Uint8Array.of(0x31, first, ...be(unknown, 2)),
      mutates: false,
      // ISO 14229-1:2020 14.2.4 NRC 0x31 — routineIdentifier not supported.
      outcome: () => nrc(0x31),
    });
  }
  return probes;
};

/** The 34/35 probes: a valid range of the first region allowing the direction, a range outside memory, a bad DFI. */
function transferProbes(env: ProbeEnv, sid: 0x34 | 0x35): Probe[] {
  const download = sid === 0x34;
  const cfg = env.config.transfer;
  const probes: Probe[] = [];
  const dfiOk = (dfi: number): boolean => cfg.dataFormatIdentifiers.includes(dfi);
  const region = env.model.memoryMap.regions.find((r) => (download ? r.download : r.upload));
  if (region) {
    const size = Math.min(0x100, region.size);
    probes.push({
      label: `${hex(sid)} 00 44 ${region.start.toString(16).toUpperCase()} ${size.toString(16).toUpperCase()} (region ${region.name})`,
      request: Uint8Array.of(sid, 0x00, ...alfid44(region.start, size)),
      mutates: true,
      outcome: (state) => {
        // ISO 14229-1:2020 15.2.4 / 15.3.4 NRC 0x31 — dataFormatIdentifier not supported.
        if (!dfiOk(0x00)) return nrc(0x31);
        if (download && isProtected(env, region)) return nrc(0x31);
        // spec/uds.md — download into flash without the flash driver the ECU needs: 0x70 (ISO 14229-1:2020 15.2.4).
        if (download && programmable(region) && driverMissing(env)) return nrc(0x70);
        // ISO 14229-1:2020 15.2.4 NRC 0x70 — the flash target is not erased.
        if (download && programmable(region) && !env.model.memory.isErased(region.start, size, region.erasedValue)) return nrc(0x70);
        // spec/uds.md — maxNumberOfBlockLength counts SID + counter and is capped by the link.
        const linkMax = download ? state.linkMax : Math.min(state.linkMax, env.config.maxResponseLength ?? Infinity);
        const reported = Math.max(3, Math.min(cfg.maxNumberOfBlockLength, cfg.acceptMaxBlockLengthAsData ? linkMax - 2 : linkMax));
        const rsp = requestDownload.encodeResponse({ maxNumberOfBlockLength: reported });
        return positive(sid + 0x40, rsp.subarray(1));
      },
    });
  }
  const bad = unmappedAddress(env);
  probes.push({
    label: `${hex(sid)} 00 44 ${bad.toString(16).toUpperCase()} 10 (outside memory)`,
    request: Uint8Array.of(sid, 0x00, ...alfid44(bad, 0x10)),
    mutates: false,
    outcome: () => nrc(0x31),
  });
  const badDfi = firstFree([0x11, 0x10, 0x01, 0xff], dfiOk);
  if (badDfi !== undefined && region) {
    probes.push({
      label: `${hex(sid)} ${hex(badDfi)} 44 ... (unsupported dataFormatIdentifier)`,
      request: Uint8Array.of(sid, badDfi, ...alfid44(region.start, 0x10)),
      mutates: false,
      outcome: () => nrc(0x31),
    });
  }
  return probes;
}

/** 34 RequestDownload. */
export const requestDownloadProbes: ProbeBuilder = (env) => transferProbes(env, 0x34);
/** 35 RequestUpload. */
export const requestUploadProbes: ProbeBuilder = (env) => transferProbes(env, 0x35);

/** 36 01 00 with no transfer active -> 0x24 (ISO 14229-1:2020 15.4.4). */
export const transferDataProbes: ProbeBuilder = () => [
  { label: '36 01 00 (no transfer active)', request: Uint8Array.of(0x36, 0x01, 0x00), mutates: false, outcome: () => nrc(0x24) },
];

/** 37 with no transfer active -> 0x24 (ISO 14229-1:2020 15.5.4). */
export const requestTransferExitProbes: ProbeBuilder = () => [
  { label: '37 (no transfer active)', request: Uint8Array.of(0x37), mutates: false, outcome: () => nrc(0x24) },
];
