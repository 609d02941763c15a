/**
 * Probes of 83 AccessTimingParameter (ISO 14229-1:2013 9.7) and 87 LinkControl (ISO 14229-1:2020 10.10),
 * with the profile's `accessTiming` and `linkControl` sections as data.
 */
import { hex } from './session-security.js';
import { be, nrc, positive, tableSubFunctions, timingOf, type Probe, type ProbeBuilder, type ProbeEnv } from './types.js';

/** The 4-byte timing record: P2server_max (u16, ms) and P2*server_max (u16, 10 ms), as in the 50 response. */
function timingRecord(p2: number, p2Star: number): number[] {
  return [...be(p2, 2), ...be(Math.ceil(p2Star / 10), 2)];
}

/**
 * 83 01 reads the extended set, 83 02 returns to the defaults, 83 03 reads the active (here: default)
 * timing, 83 04 sets given values: the session's defaults (always acceptable), values above every limit
 * (0x31), and a record of the wrong length (0x13).
 */
export const accessTimingParameterProbes: ProbeBuilder = (env) => {
  const t = env.config.accessTiming;
  const probes: Probe[] = [];
  for (const type of tableSubFunctions(env, 0x83, [0x01, 0x02, 0x03, 0x04])) {
    if (type === 0x01) {
      probes.push({
        label: '83 01 (read extended timing)',
        request: Uint8Array.of(0x83, 0x01),
        mutates: false,
        outcome: () => positive(0xc3, 0x01, timingRecord(t.extendedP2ServerMs, t.extendedP2StarServerMs)),
      });
    } else if (type === 0x02) {
      probes.push({ label: '83 02 (set defaults)', request: Uint8Array.of(0x83, 0x02), mutates: true, outcome: () => positive(0xc3, 0x02) });
    } else if (type === 0x03) {
      probes.push({
        label: '83 03 (read active timing)',
        request: Uint8Array.of(0x83, 0x03),
        mutates: false,
        outcome: (s) => {
          const d = timingOf(env.config, s.session);
          return positive(0xc3, 0x03, timingRecord(d.p2, d.p2Star));
        },
      });
    } else if (type === 0x04) {
      probes.push(...setTimingProbes(env));
    }
  }
  return probes;
};

function setTimingProbes(env: ProbeEnv): Probe[] {
  const t = env.config.accessTiming;
  const probes: Probe[] = [];
  // The defaults of the session the probe runs in are always within the limits (access-timing.ts widens them).
  const seen = new Set<string>();
  for (const session of env.config.sessions.map((s) => s.id)) {
    const d = timingOf(env.config, session);
    const record = timingRecord(d.p2, d.p2Star).map(hex).join(' ');
    if (seen.has(record)) continue;
    seen.add(record);
    probes.push({
      label: `83 04 ${record} (defaults of session ${hex(session)})`,
      request: Uint8Array.of(0x83, 0x04, ...timingRecord(d.p2, d.p2Star)),
      mutates: true,
      outcome: (s) => {
        const cur = timingOf(env.config, s.session);
        const min = { p2: Math.min(t.minP2ServerMs, cur.p2), p2Star: Math.min(t.minP2StarServerMs, cur.p2Star) };
        const max = { p2: Math.max(t.extendedP2ServerMs, cur.p2), p2Star: Math.max(t.extendedP2StarServerMs, cur.p2Star) };
        const p2Star = Math.ceil(d.p2Star / 10) * 10;
        // ISO 14229-1:2013 9.7.4 NRC 0x31 — values outside the server's limits.
        const ok = d.p2 >= min.p2 && d.p2 <= max.p2 && p2Star >= min.p2Star && p2Star <= max.p2Star && d.p2 <= p2Star;
        return ok ? positive(0xc3, 0x04) : nrc(0x31);
      },
    });
  }
  if (t.extendedP2ServerMs < 0xffff) {
    probes.push({
      label: '83 04 FF FF FF FF (beyond the limits)',
      request: Uint8Array.of(0x83, 0x04, 0xff, 0xff, 0xff, 0xff),
      mutates: false,
      outcome: () => nrc(0x31),
    });
  }
  probes.push({
    label: '83 04 00 32 (record too short)',
    request: Uint8Array.of(0x83, 0x04, 0x00, 0x32),
    mutates: false,
    // ISO 14229-1:2013 9.7.4 NRC 0x13 — the record does not have the timing record's length.
    outcome: () => nrc(0x13),
  });
  return probes;
}

/** ISO 14229-1:2020 10.10.2 — the linkControlModeIdentifier values with a fixed baud rate (PC and CAN). */
const ISO_FIXED_MODES: ReadonlyMap<number, number> = new Map([
  [0x01, 9_600],
  [0x02, 19_200],
  [0x03, 38_400],
  [0x04, 57_600],
  [0x05, 115_200],
  [0x10, 125_000],
  [0x11, 250_000],
  [0x12, 500_000],
  [0x13, 1_000_000],
]);

/**
 * 87 01 mode (a supported and an unsupported fixed rate), 87 02 baud (a supported and an unsupported
 * rate), 87 03 without a verification before it (0x24).
 */
export const linkControlProbes: ProbeBuilder = (env) => {
  const lc = env.config.linkControl;
  const supported = (baud: number): boolean => lc.supportedBaudrates.includes(baud);
  // ISO 14229-1:2020 10.10.4 NRC 0x22 — the profile forbids switching while the vehicle moves.
  const conditions = (): number | undefined => (lc.requireStandstill && env.config.vehicleState.speedKmh > 0 ? 0x22 : undefined);
  const probes: Probe[] = [];
  for (const type of tableSubFunctions(env, 0x87, [0x01, 0x02, 0x03])) {
    if (type === 0x01) {
      const good = [...ISO_FIXED_MODES].find(([, baud]) => supported(baud));
      const bad = [...ISO_FIXED_MODES].find(([, baud]) => !supported(baud));
      for (const entry of [good, bad]) {
        if (!entry) continue;
        const [mode, baud] = entry;
        probes.push({
          label: `87 01 ${hex(mode)} (${baud} bit/s${supported(baud) ? '' : ', not supported'})`,
          request: Uint8Array.of(0x87, 0x01, mode),
          mutates: supported(baud),
          // ISO 14229-1:2020 10.10.4 NRC 0x31 — mode not supported.
          outcome: () => (supported(baud) ? (conditions() === undefined ? positive(0xc7, 0x01) : nrc(0x22)) : nrc(0x31)),
        });
      }
    } else if (type === 0x02) {
      const good = lc.supportedBaudrates[0];
      const bad = [12_345, 1, 0xffffff].find((b) => !supported(b));
      for (const baud of [good, bad]) {
        if (baud === undefined) continue;
        probes.push({
          label: `87 02 ${be(baud, 3).map(hex).join(' ')} (${baud} bit/s${supported(baud) ? '' : ', not supported'})`,
          request: Uint8Array.of(0x87, 0x02, ...be(baud, 3)),
          mutates: supported(baud),
          outcome: () => (supported(baud) ? (conditions() === undefined ? positive(0xc7, 0x02) : nrc(0x22)) : nrc(0x31)),
        });
      }
    } else if (type === 0x03) {
      probes.push({
        label: '87 03 (no verification before)',
        request: Uint8Array.of(0x87, 0x03),
        mutates: false,
        // ISO 14229-1:2020 10.10.4 NRC 0x24 — transitionMode without a preceding verification.
        outcome: () => nrc(0x24),
      });
    }
  }
  return probes;
};
