/**
 * Probes of the DID services 22 ReadDataByIdentifier and 2E WriteDataByIdentifier, with the rules of each
 * DID read from the ECU's DID table as data.
 */
import type { DidDefinition } from '../../../../src/ecu/did-store.js';
import type { ServiceOutcome } from '../oracle.js';
import { hex } from './session-security.js';
import { admits, be, firstFree, nrc, positive, type Probe, type ProbeBuilder, type ProbeEnv, type ProbeState } from './types.js';

/** DID F186 activeDiagnosticSession (computed from the session). */
const ACTIVE_SESSION = 0xf186;
/** DID F190 VIN. */
const VIN = 0xf190;

/** The DIDs the 22/2E probes address: the VIN, the active session, and every DID of the profile. */
function probedDids(env: ProbeEnv): number[] {
  return [...new Set([VIN, ACTIVE_SESSION, ...env.config.dids.map((d) => d.id)])].filter((id) => env.model.dids.get(id) !== undefined);
}

/** A DID the ECU does not have (0x31 in 22 and 2E). */
export function unknownDid(env: ProbeEnv): number {
  return firstFree([0x0000, 0x0001, 0xabcd, 0xfefe, 0x1234], (id) => env.model.dids.get(id) !== undefined) ?? 0x0000;
}

/** The value a fresh ECU answers for `def` in `state`. */
function valueIn(env: ProbeEnv, def: DidDefinition, state: ProbeState): Uint8Array {
  if (def.id === ACTIVE_SESSION) return Uint8Array.of(state.session);
  return env.model.dids.read(def.id);
}

/**
 * ISO 14229-1:2020 11.2 — the records of the readable DIDs in request order; a DID not readable in the
 * session is left out (0x31 when none is left); a readable DID behind security -> 0x33.
 */
function readOutcome(env: ProbeEnv, dids: readonly number[], state: ProbeState): ServiceOutcome {
  const records: number[] = [];
  for (const id of dids) {
    const def = env.model.dids.get(id);
    if (!def) continue;
    const access = admits(def.read, state);
    if (!access.session) continue;
    // ISO 14229-1:2020 11.2.4 NRC 0x33 — a requested DID needs an unlocked level.
    if (!access.security) return nrc(0x33);
    records.push(...be(id, 2), ...valueIn(env, def, state));
  }
  // ISO 14229-1:2020 11.2.4 NRC 0x31 — no requested DID is supported in the active session.
  return records.length === 0 ? nrc(0x31) : positive(0x62, records);
}

/** 22 for each probed DID, two DIDs at once, an unknown DID, and a request of odd length. */
export const readDataByIdentifierProbes: ProbeBuilder = (env) => {
  const dids = probedDids(env);
  const probes: Probe[] = dids.map((id) => ({
    label: `22 ${hex(id >> 8)} ${hex(id & 0xff)}`,
    request: Uint8Array.of(0x22, ...be(id, 2)),
    mutates: false,
    outcome: (state) => readOutcome(env, [id], state),
  }));
  const unknown = unknownDid(env);
  probes.push(
    {
      label: '22 F1 90 F1 86 (two DIDs)',
      request: Uint8Array.of(0x22, 0xf1, 0x90, 0xf1, 0x86),
      mutates: false,
      outcome: (state) => readOutcome(env, [VIN, ACTIVE_SESSION], state),
    },
    {
      label: `22 ${hex(unknown >> 8)} ${hex(unknown & 0xff)} (unknown DID)`,
      request: Uint8Array.of(0x22, ...be(unknown, 2)),
      mutates: false,
      outcome: () => nrc(0x31),
    },
    {
      label: '22 F1 90 F1 (odd length)',
      request: Uint8Array.of(0x22, 0xf1, 0x90, 0xf1),
      mutates: false,
      // ISO 14229-1:2020 11.2.4 NRC 0x13 — the request is not SID + 2n bytes.
      outcome: () => nrc(0x13),
    },
  );
  return probes;
};

/**
 * ISO 14229-1:2020 11.7.4 order: DID not writable here 0x31, security 0x33, length 0x13. The probe writes
 * the DID's current value, which its codec accepts.
 */
function writeOutcome(def: DidDefinition | undefined, data: Uint8Array, state: ProbeState): ServiceOutcome {
  if (!def || !def.write || typeof def.value === 'function') return nrc(0x31);
  const access = admits(def.write, state);
  if (!access.session) return nrc(0x31);
  if (!access.security) return nrc(0x33);
  const variable = def.minLength !== undefined || def.maxLength !== undefined;
  const fixed = def.length ?? (variable ? undefined : def.value.length);
  const lengthOk = fixed !== undefined ? data.length === fixed : data.length >= (def.minLength ?? 1) && data.length <= (def.maxLength ?? Infinity);
  if (!lengthOk) return nrc(0x13);
  return positive(0x6e, be(def.id, 2));
}

/** 2E for each probed DID (its current value), and an unknown DID. */
export const writeDataByIdentifierProbes: ProbeBuilder = (env) => {
  const probes: Probe[] = [];
  for (const id of probedDids(env)) {
    const def = env.model.dids.get(id);
    if (!def) continue;
    const data = typeof def.value === 'function' ? Uint8Array.of(0x01) : def.value.slice();
    probes.push({
      label: `2E ${hex(id >> 8)} ${hex(id & 0xff)} (current value)`,
      request: Uint8Array.of(0x2e, ...be(id, 2), ...data),
      mutates: true,
      outcome: (state) => writeOutcome(env.model.dids.get(id), data, state),
    });
  }
  const unknown = unknownDid(env);
  probes.push({
    label: `2E ${hex(unknown >> 8)} ${hex(unknown & 0xff)} 00 (unknown DID)`,
    request: Uint8Array.of(0x2e, ...be(unknown, 2), 0x00),
    mutates: false,
    outcome: () => nrc(0x31),
  });
  return probes;
};

/** ISO 14229-1:2020 11.5.2 — the periodicDataIdentifier xx is DID F2xx. */
const periodicDid = (pDid: number): number => 0xf200 | pDid;

/**
 * 2A 04 (stop all), 2A 03 for a pDID of the profile (6A, then the first periodic message `6A pDID data`),
 * an unsupported pDID (0x31), a reserved transmissionMode (0x31), no pDID (0x13), and more pDIDs than
 * the ECU schedules (0x13).
 */
export const readDataByPeriodicIdentifierProbes: ProbeBuilder = (env) => {
  const defined = env.model.dids.ids().filter((id) => id >> 8 === 0xf2).map((id) => id & 0xff);
  const unsupported = firstFree([0x90, 0x01, 0xfe, 0x42], (p) => defined.includes(p)) ?? 0x90;
  const probes: Probe[] = [
    { label: '2A 04 (stop all)', request: Uint8Array.of(0x2a, 0x04), mutates: false, outcome: () => positive(0x6a) },
    {
      label: `2A 03 ${hex(unsupported)} (pDID not supported)`,
      request: Uint8Array.of(0x2a, 0x03, unsupported),
      mutates: false,
      // ISO 14229-1:2020 11.5.4 NRC 0x31 — none of the requested pDIDs is supported.
      outcome: () => nrc(0x31),
    },
    {
      label: `2A 05 ${hex(unsupported)} (reserved transmissionMode)`,
      request: Uint8Array.of(0x2a, 0x05, unsupported),
      mutates: false,
      // ISO 14229-1:2020 11.5.4 NRC 0x31 — transmissionMode not supported.
      outcome: () => nrc(0x31),
    },
    // ISO 14229-1:2020 11.5.4 NRC 0x13 — a rate without any pDID.
    { label: '2A 03 (no pDID)', request: Uint8Array.of(0x2a, 0x03), mutates: false, outcome: () => nrc(0x13) },
  ];
  const max = env.config.periodic.maxScheduled;
  if (max < 0xff) {
    const many = Array.from({ length: max + 1 }, (_, i) => i);
    probes.push({
      label: `2A 03 with ${max + 1} pDIDs (more than maxScheduled ${max})`,
      request: Uint8Array.of(0x2a, 0x03, ...many),
      mutates: false,
      // ISO 14229-1:2020 11.5.4 NRC 0x13 — more pDIDs in one request than the server schedules.
      outcome: () => nrc(0x13),
    });
  }
  for (const pDid of defined.slice(0, 2)) {
    probes.push({
      label: `2A 03 ${hex(pDid)} (DID F2${hex(pDid)})`,
      request: Uint8Array.of(0x2a, 0x03, pDid),
      mutates: true,
      outcome: (state) => {
        const def = env.model.dids.get(periodicDid(pDid));
        const access = admits(def?.read, state);
        if (!def || !access.session) return nrc(0x31);
        if (!access.security) return nrc(0x33);
        // ISO 14229-1:2020 11.5.1 — the 6A response, then the periodic data message (type 1, `6A pDID data`).
        return { ...positive(0x6a), followUps: [Uint8Array.of(0x6a, pDid, ...valueIn(env, def, state))] };
      },
    });
  }
  return probes;
};
