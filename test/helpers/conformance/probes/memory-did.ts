/**
 * Probes of 23 ReadMemoryByAddress and 3D WriteMemoryByAddress (each memory region's `read` / `write`
 * rules), 24 ReadScalingDataByIdentifier, 2C DynamicallyDefineDataIdentifier and 2F
 * InputOutputControlByIdentifier (each DID's rules), read from the profile as data.
 */
import type { MemoryRegionConfig } from '../../../../src/ecu/config.js';
import type { AccessRule } from '../../../../src/uds/server/service-table.js';
import type { ServiceOutcome } from '../oracle.js';
import { unknownDid } from './data.js';
import { alfid44, unmappedAddress } from './routine-transfer.js';
import { hex } from './session-security.js';
import { admits, be, nrc, positive, positivePrefix, type Probe, type ProbeBuilder, type ProbeEnv, type ProbeState } from './types.js';

/**
 * The documented default access of a region (memory-access.ts, docs/ecu-config.md): RAM / NVM read/write
 * and flash (flash, app, calibration) read in the extended session behind the programming level; flash
 * write and boot never.
 */
function regionRule(env: ProbeEnv, region: MemoryRegionConfig, op: 'read' | 'write'): AccessRule | null {
  const given = op === 'read' ? region.read : region.write;
  if (given === false) return null;
  if (given) return given;
  const guarded = { sessions: [0x03], securityLevels: [env.config.programming.securityLevel] };
  const flash = region.kind === 'flash' || region.kind === 'app' || region.kind === 'calibration';
  if (region.kind === 'ram' || region.kind === 'nvm' || (flash && op === 'read')) return guarded;
  return null;
}

/** ISO 14229-1:2020 11.3.4 / 11.8.4 — region not accessible (here) 0x31, secured 0x33. */
function regionAccess(env: ProbeEnv, region: MemoryRegionConfig, op: 'read' | 'write', state: ProbeState): ServiceOutcome | undefined {
  const rule = regionRule(env, region, op);
  if (!rule) return nrc(0x31);
  const a = admits(rule, state);
  if (!a.session) return nrc(0x31);
  if (!a.security) return nrc(0x33);
  return undefined;
}

/** One region of each kind (the first one). */
function regionsByKind(env: ProbeEnv): MemoryRegionConfig[] {
  const seen = new Set<string>();
  return env.model.memoryMap.regions.filter((r) => !seen.has(r.kind) && seen.add(r.kind));
}

/** 23 for 16 bytes at the start of one region of each kind, outside every region, and size 0. */
export const readMemoryByAddressProbes: ProbeBuilder = (env) => {
  const probes: Probe[] = regionsByKind(env).map((region) => ({
    label: `23 44 ${region.start.toString(16).toUpperCase()} 10 (${region.kind} "${region.name}")`,
    request: Uint8Array.of(0x23, ...alfid44(region.start, 0x10)),
    mutates: false,
    outcome: (state) => regionAccess(env, region, 'read', state) ?? positive(0x63, env.model.memory.read(region.start, 0x10)),
  }));
  const bad = unmappedAddress(env);
  probes.push(
    { label: `23 44 ${bad.toString(16).toUpperCase()} 10 (no region)`, request: Uint8Array.of(0x23, ...alfid44(bad, 0x10)), mutates: false, outcome: () => nrc(0x31) },
    // ISO 14229-1:2020 11.3.4 NRC 0x31 — memorySize 0.
    { label: '23 44 ... 00000000 (size 0)', request: Uint8Array.of(0x23, ...alfid44(env.model.memoryMap.regions[0]?.start ?? 0, 0)), mutates: false, outcome: () => nrc(0x31) },
    // ISO 14229-1:2020 11.3.4 NRC 0x13 — ALFID with a 0 nibble.
    { label: '23 00 ... (ALFID 00)', request: Uint8Array.of(0x23, 0x00, 0x00, 0x00), mutates: false, outcome: () => nrc(0x13) },
  );
  return probes;
};

/** 3D of 4 erased-value bytes at the start of one region of each kind, and outside every region. */
export const writeMemoryByAddressProbes: ProbeBuilder = (env) => {
  const probes: Probe[] = regionsByKind(env).map((region) => {
    const data = new Array<number>(4).fill(region.erasedValue);
    return {
      label: `3D 44 ${region.start.toString(16).toUpperCase()} 04 (${region.kind} "${region.name}")`,
      request: Uint8Array.of(0x3d, ...alfid44(region.start, 4), ...data),
      mutates: true,
      // The response echoes ALFID, memoryAddress and memorySize (ISO 14229-1:2020 11.8.3).
      outcome: (state) => regionAccess(env, region, 'write', state) ?? positive(0x7d, alfid44(region.start, 4)),
    };
  });
  const bad = unmappedAddress(env);
  probes.push({
    label: `3D 44 ${bad.toString(16).toUpperCase()} 01 (no region)`,
    request: Uint8Array.of(0x3d, ...alfid44(bad, 1), 0x00),
    mutates: false,
    outcome: () => nrc(0x31),
  });
  return probes;
};

/** 24 for every DID with scaling data, the VIN (none: 0x31) and an unknown DID (0x31). */
export const readScalingDataByIdentifierProbes: ProbeBuilder = (env) => {
  const scaled = env.model.dids.ids().filter((id) => env.model.dids.get(id)?.scaling !== undefined);
  const ids = [...new Set([...scaled, 0xf190, unknownDid(env)])];
  return ids.map((id) => ({
    label: `24 ${hex(id >> 8)} ${hex(id & 0xff)}`,
    request: Uint8Array.of(0x24, ...be(id, 2)),
    mutates: false,
    outcome: (state): ServiceOutcome => {
      const def = env.model.dids.get(id);
      const a = admits(def?.read, state);
      // ISO 14229-1:2020 11.4.4 NRC 0x31 — DID unknown, without scaling, or not readable in the session; 0x33 secured.
      if (!def?.scaling || !a.session) return nrc(0x31);
      if (!a.security) return nrc(0x33);
      return positive(0x64, be(id, 2), def.scaling);
    },
  }));
};

/** ISO 14229-1:2020 Annex C.1 — the first dynamically defined DID the ECU has free. */
function freeDddid(env: ProbeEnv): number {
  for (let d = 0xf200; d <= 0xf3ff; d++) if (!env.model.dids.get(d)) return d;
  return 0xf200;
}

/** 2C 01 from the VIN, 2C 01 beyond the VIN, 2C 01 outside F200-F3FF, 2C 02 from memory, 2C 03. */
export const dynamicallyDefineDataIdentifierProbes: ProbeBuilder = (env) => {
  const dddid = freeDddid(env);
  const d = be(dddid, 2);
  const vin = env.model.dids.get(0xf190);
  const vinLength = vin ? env.model.dids.read(0xf190).length : 0;
  const probes: Probe[] = [];
  const fromVin = (state: ProbeState, position: number, size: number): ServiceOutcome => {
    const a = admits(vin?.read, state);
    // ISO 14229-1:2020 11.6.4 — source not supported here 0x31, secured 0x33, outside its record 0x31.
    if (!vin || !a.session) return nrc(0x31);
    if (!a.security) return nrc(0x33);
    return position - 1 + size <= vinLength ? positive(0x6c, 0x01, d) : nrc(0x31);
  };
  probes.push(
    { label: `2C 01 ${hex(d[0] ?? 0)} ${hex(d[1] ?? 0)} F1 90 01 04 (from the VIN)`, request: Uint8Array.of(0x2c, 0x01, ...d, 0xf1, 0x90, 0x01, 0x04), mutates: true, outcome: (s) => fromVin(s, 1, 4) },
    { label: '2C 01 ... F1 90 7F 04 (beyond the VIN)', request: Uint8Array.of(0x2c, 0x01, ...d, 0xf1, 0x90, 0x7f, 0x04), mutates: false, outcome: (s) => fromVin(s, 0x7f, 4) },
    // ISO 14229-1:2020 11.6.4 NRC 0x31 — DDDID outside F200-F3FF.
    { label: '2C 01 12 34 F1 90 01 04 (DDDID out of range)', request: Uint8Array.of(0x2c, 0x01, 0x12, 0x34, 0xf1, 0x90, 0x01, 0x04), mutates: false, outcome: () => nrc(0x31) },
    { label: '2C 03 (clear all)', request: Uint8Array.of(0x2c, 0x03), mutates: true, outcome: () => positive(0x6c, 0x03) },
    { label: `2C 03 ${hex(d[0] ?? 0)} ${hex(d[1] ?? 0)} (clear one, not defined)`, request: Uint8Array.of(0x2c, 0x03, ...d), mutates: true, outcome: () => positive(0x6c, 0x03, d) },
  );
  const region = env.model.memoryMap.regions[0];
  if (region) {
    probes.push({
      label: `2C 02 ... 44 ${region.start.toString(16).toUpperCase()} 04 (from "${region.name}")`,
      request: Uint8Array.of(0x2c, 0x02, ...d, ...alfid44(region.start, 4)),
      mutates: true,
      outcome: (s) => regionAccess(env, region, 'read', s) ?? positive(0x6c, 0x02, d),
    });
  }
  return probes;
};

/** 2F for every DID with IO control (returnControlToECU), the VIN (no IO control: 0x31) and a parameter it lacks. */
export const inputOutputControlByIdentifierProbes: ProbeBuilder = (env) => {
  const controlled = env.model.dids.ids().filter((id) => env.model.dids.get(id)?.ioControl !== undefined);
  const probes: Probe[] = [
    // ISO 14229-1:2020 13.2.4 NRC 0x31 — DID not supported for IO control.
    { label: '2F F1 90 00 (no IO control)', request: Uint8Array.of(0x2f, 0xf1, 0x90, 0x00), mutates: false, outcome: () => nrc(0x31) },
  ];
  for (const id of controlled.slice(0, 3)) {
    const io = env.model.dids.get(id)?.ioControl;
    if (!io) continue;
    const mask = new Array<number>(io.signals ? Math.ceil(io.signals.length / 8) : 0).fill(0);
    for (const parameter of [0x00, 0x01, 0x02]) {
      probes.push({
        label: `2F ${hex(id >> 8)} ${hex(id & 0xff)} ${hex(parameter)}`,
        request: Uint8Array.of(0x2f, ...be(id, 2), parameter, ...mask),
        mutates: true,
        outcome: (state) => {
          const a = admits(io, state);
          // ISO 14229-1:2020 13.2.4 — not controllable here 0x31, secured 0x33, parameter not supported 0x31, conditions 0x22.
          if (!a.session) return nrc(0x31);
          if (!a.security) return nrc(0x33);
          if (!io.parameters.includes(parameter)) return nrc(0x31);
          const v = env.config.vehicleState;
          const c = io.conditions;
          if (c && ((c.engineOff && v.engineRunning) || (c.vehicleStopped && v.speedKmh !== 0) || (c.ignitionOn && !v.ignition))) return nrc(0x22);
          return positivePrefix(0x6f, be(id, 2), parameter);
        },
      });
    }
  }
  return probes;
};
