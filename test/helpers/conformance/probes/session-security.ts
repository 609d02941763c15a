/**
 * Probes of the session and security services: 10 DiagnosticSessionControl, 11 ECUReset,
 * 27 SecurityAccess, 28 CommunicationControl, 3E TesterPresent, 85 ControlDTCSetting.
 */
import { getSecurityAlgorithm } from '../../../../src/uds/security/algorithms.js';
import { timingValue } from '../../../../src/ecu/config-timing.js';
import {
  be,
  conformanceRandom,
  isSlow,
  nrc,
  pendingIf,
  positive,
  tableSubFunctions,
  timingOf,
  type Probe,
  type ProbeBuilder,
  type ProbeEnv,
} from './types.js';

/** spec/bootloader-and-flashing.md — programming needs 9-16 V, ignition on, speed 0, engine off. */
function programmingPreconditionsHold(env: ProbeEnv): boolean {
  const v = env.config.vehicleState;
  return v.voltage >= 9 && v.voltage <= 16 && v.ignition && v.speedKmh === 0 && !v.engineRunning;
}

/** 10 s for every session the table lists. */
export const sessionControlProbes: ProbeBuilder = (env) =>
  tableSubFunctions(env, 0x10, [0x01, 0x02, 0x03]).map(
    (s): Probe => ({
      label: `10 ${hex(s)}`,
      request: Uint8Array.of(0x10, s),
      mutates: true,
      outcome: (state) => {
        // ISO 14229-1:2020 10.2.4 NRC 0x22 — the programming session needs the vehicle preconditions.
        if (s === env.config.programming.session && !programmingPreconditionsHold(env)) return nrc(0x22);
        // ISO 14229-1:2020 10.2.3 — 50 s P2server_max(2, ms) P2*server_max(2, 10 ms) of the new session.
        const t = timingOf(env.config, s);
        const response = positive(0x50, s, be(t.p2, 2), be(Math.ceil(t.p2Star / 10), 2));
        // docs/bootloader.md — in the application of an ECU with a bootloader the programming session is a
        // jump into the bootloader, which answers after bootloader.jumpTimeMs (0x78 first when slow).
        const jumps = state.mode !== 'boot' && env.config.bootloader !== undefined && s === env.config.programming.session;
        const jumpMs = timingValue(env.config.timingProfile, env.config.bootloader?.jumpTimeMs, 'jumpTimeMs');
        return jumps ? pendingIf(response, isSlow(env.config, state.session, jumpMs)) : response;
      },
    }),
  );

/** 11 r for every reset type the table lists; the response goes out before the reset (ISO 14229-1:2020 10.3.1). */
export const ecuResetProbes: ProbeBuilder = (env) =>
  tableSubFunctions(env, 0x11, [0x01]).map(
    (r): Probe => ({
      label: `11 ${hex(r)}`,
      request: Uint8Array.of(0x11, r),
      mutates: true,
      resets: true,
      // ISO 14229-1:2020 10.3.3 — powerDownTime only for 04 enableRapidPowerShutDown (FF = not available).
      outcome: () => (r === 0x04 ? positive(0x51, r, 0xff) : positive(0x51, r)),
    }),
  );

/** 27 L (requestSeed) and 27 L+1 (sendKey without a seed) for every configured level. */
export const securityAccessProbes: ProbeBuilder = (env) => {
  const probes: Probe[] = [];
  for (const sf of tableSubFunctions(env, 0x27, [])) {
    const odd = sf % 2 === 1;
    const level = odd ? sf : sf - 1;
    const cfg = env.config.security.levels.find((l) => l.level === level);
    if (odd) {
      probes.push({
        label: `27 ${hex(sf)} (requestSeed)`,
        request: Uint8Array.of(0x27, sf),
        mutates: true,
        outcome: (state) => {
          // The table lists the sub-functions of configured levels; another one is the handler's 0x12.
          if (!cfg) return nrc(0x12);
          // ISO 14229-1:2020 10.4.1 — an unlocked level answers an all-zero seed.
          if (state.securityLevel === level) return positive(0x67, sf, new Uint8Array(cfg.seedLength));
          return positive(0x67, sf, conformanceRandom(cfg.seedLength));
        },
      });
      continue;
    }
    const keyLength = cfg ? keyLengthOf(cfg) : 4;
    probes.push({
      label: `27 ${hex(sf)} (sendKey without requestSeed)`,
      request: Uint8Array.of(0x27, sf, ...new Uint8Array(keyLength)),
      mutates: false,
      // ISO 14229-1:2020 10.4.4 NRC 0x24 — sendKey not preceded by a requestSeed of the level.
      outcome: () => (cfg ? nrc(0x24) : nrc(0x12)),
    });
    probes.push({
      label: `27 ${hex(sf)} (sendKey without key)`,
      request: Uint8Array.of(0x27, sf),
      mutates: false,
      // ISO 14229-1:2020 10.4.4 NRC 0x13 — sendKey without securityKey bytes.
      outcome: () => (cfg ? nrc(0x13) : nrc(0x12)),
    });
  }
  return probes;
};

/** Length of the key the level's algorithm computes (run once on a sample seed). */
function keyLengthOf(cfg: ProbeEnv['config']['security']['levels'][number]): number {
  return getSecurityAlgorithm(cfg.algorithm)(conformanceRandom(cfg.seedLength), cfg.level, cfg.secret, { keyLength: cfg.keyLength }).length;
}

/** 28 c 01 (normal messages) for every control type; 28 00 00 names no message kind. */
export const communicationControlProbes: ProbeBuilder = (env) => {
  const probes: Probe[] = tableSubFunctions(env, 0x28, [0x00, 0x01, 0x02, 0x03]).map((c) => {
    // ISO 14229-1:2020 10.5.2 — 04/05 carry a nodeIdentificationNumber (2 bytes).
    const node = c === 0x04 || c === 0x05 ? [0x00, 0x01] : [];
    return {
      label: `28 ${hex(c)} 01`,
      request: Uint8Array.of(0x28, c, 0x01, ...node),
      mutates: true,
      // The simulator implements control types 00-03 (ISO 14229-1:2020 10.5.4: others 0x31).
      outcome: () => (c <= 0x03 ? positive(0x68, c) : nrc(0x31)),
    };
  });
  const first = tableSubFunctions(env, 0x28, [0x00])[0];
  if (first !== undefined && first <= 0x03) {
    probes.push({
      label: `28 ${hex(first)} 00 (no message kind)`,
      request: Uint8Array.of(0x28, first, 0x00),
      mutates: false,
      // ISO 14229-1:2020 10.5.4 NRC 0x31 — communicationType 0 (reserved) names no message kind.
      outcome: () => nrc(0x31),
    });
  }
  return probes;
};

/** 3E 00 -> 7E 00; 3E 00 00 is too long (ISO 14229-1:2020 10.7.4 NRC 0x13). */
export const testerPresentProbes: ProbeBuilder = () => [
  { label: '3E 00', request: Uint8Array.of(0x3e, 0x00), mutates: false, outcome: () => positive(0x7e, 0x00) },
  { label: '3E 00 00 (too long)', request: Uint8Array.of(0x3e, 0x00, 0x00), mutates: false, outcome: () => nrc(0x13) },
];

/** 85 01 / 85 02 -> C5 xx. */
export const controlDtcSettingProbes: ProbeBuilder = (env) =>
  tableSubFunctions(env, 0x85, [0x01, 0x02]).map(
    (s): Probe => ({
      label: `85 ${hex(s)}`,
      request: Uint8Array.of(0x85, s),
      mutates: true,
      outcome: () => positive(0xc5, s),
    }),
  );

/** Two-digit upper-case hex. */
export function hex(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
