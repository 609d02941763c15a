/**
 * The service table an ECU really uses: the default table (service-table.ts, with every SID other
 * modules add there) with the profile's `sessions`, `supportedServices` and `services` applied on top,
 * and the per-session P2 / P2* of the profile. The dispatcher applies the result as steps 1-7 of the
 * order of checks (spec/uds.md; ISO 14229-1:2020 7.5).
 *
 * Modes (boot-manager.ts): `app` (the application) uses the top-level keys; `boot` (the bootloader) uses
 * `bootloader.supportedServices` / `bootloader.services` instead when the profile has `bootloader`.
 */
import type { ServerTiming } from '../uds/server/response-pending.js';
import { ruleHasSubFunction, type AccessRule, type ServiceRule, type ServiceTable, type SubFunctionRule } from '../uds/server/service-table.js';
import type { EcuConfig } from './config.js';
import { defaultServiceTable } from './service-table.js';
import type { ServiceOverlay, SessionConfig, SubFunctionOverlay } from './config-services.js';

/** Which program the ECU runs: its application or its bootloader (spec/bootloader-and-flashing.md). */
export type EcuMode = 'app' | 'boot';

/** DiagnosticSessionControl and TesterPresent: ISO 14229-1:2020 10.2 / 10.7 — available in every session. */
const EVERY_SESSION_SIDS = [0x10, 0x3e] as const;

/**
 * The table for `mode`: `base` (default: {@link defaultServiceTable}) with the profile applied in this
 * order: sessions (`like` copies, 0x10 sub-functions = the declared sessions), `supportedServices`,
 * then each `services` entry (false removes; sessions / securityLevels replace; a sub-function list
 * replaces the sub-functions, a map changes them one by one).
 */
export function profileServiceTable(config: EcuConfig, mode: EcuMode = 'app', base: ServiceTable = defaultServiceTable(config)): Map<number, ServiceRule> {
  const sessions = config.sessions;
  const ids = sessions.map((s) => s.id);
  const table = new Map<number, ServiceRule>();
  for (const [sid, rule] of base) table.set(sid, withLikeSessions(rule, sessions));

  for (const sid of EVERY_SESSION_SIDS) {
    const rule = table.get(sid);
    if (rule?.sessions) table.set(sid, { ...rule, sessions: union(rule.sessions, ids) });
  }
  // ISO 14229-1:2020 10.2.2 — the diagnosticSessionType values are the sessions the ECU offers.
  const dsc = table.get(0x10);
  if (dsc) {
    const subs = new Map<number, SubFunctionRule>();
    for (const id of ids) subs.set(id, dsc.subFunctions?.get(id) ?? {});
    table.set(0x10, { ...dsc, subFunctions: subs });
  }

  const set = mode === 'boot' && config.bootloader ? config.bootloader : config;
  if (set.supportedServices) {
    // Step 1 — ISO 14229-1:2020 7.5: a SID the ECU does not offer in this mode -> 0x11.
    const offered = new Set(set.supportedServices);
    for (const sid of [...table.keys()]) if (!offered.has(sid)) table.delete(sid);
  }
  for (const [key, overlay] of Object.entries(set.services ?? {})) {
    const sid = parseInt(key, 16);
    if (overlay === false) {
      table.delete(sid);
      continue;
    }
    table.set(sid, applyServiceOverlay(sid, table.get(sid) ?? {}, overlay));
  }
  return table;
}

/** `rule` with the profile's `overlay`: given fields replace, absent ones keep the default. */
function applyServiceOverlay(sid: number, rule: ServiceRule, overlay: ServiceOverlay): ServiceRule {
  const out: { -readonly [K in keyof ServiceRule]: ServiceRule[K] } = { ...rule };
  if (overlay.sessions) out.sessions = overlay.sessions;
  if (overlay.securityLevels) out.securityLevels = overlay.securityLevels;
  if (overlay.subFunctions) {
    // A supplier SID (0xBA..0xBE) configured with sub-functions carries a sub-function byte.
    if (!ruleHasSubFunction(sid, rule)) out.hasSubFunction = true;
    out.subFunctions = applySubFunctionOverlay(rule.subFunctions, overlay.subFunctions);
  }
  return out;
}

function applySubFunctionOverlay(
  base: ReadonlyMap<number, SubFunctionRule> | undefined,
  overlay: number[] | Record<string, SubFunctionOverlay | false>,
): Map<number, SubFunctionRule> {
  if (Array.isArray(overlay)) return new Map(overlay.map((v) => [v, base?.get(v) ?? {}]));
  const out = new Map(base ?? []);
  for (const [key, rule] of Object.entries(overlay)) {
    const v = parseInt(key, 16);
    if (rule === false) out.delete(v);
    else out.set(v, accessWith(out.get(v) ?? {}, rule));
  }
  return out;
}

function accessWith(rule: AccessRule, overlay: SubFunctionOverlay): AccessRule {
  return {
    ...rule,
    ...(overlay.sessions ? { sessions: overlay.sessions } : {}),
    ...(overlay.securityLevels ? { securityLevels: overlay.securityLevels } : {}),
  };
}

/** Adds each session with `like: X` wherever X appears in the rule and its sub-functions. */
function withLikeSessions(rule: ServiceRule, sessions: readonly SessionConfig[]): ServiceRule {
  const likes = sessions.filter((s) => s.like !== undefined);
  if (likes.length === 0) return rule;
  const expand = (list: readonly number[] | undefined): readonly number[] | undefined => {
    if (!list) return list;
    const extra = likes.filter((s) => list.includes(s.like as number)).map((s) => s.id);
    return extra.length ? union(list, extra) : list;
  };
  const subFunctions = rule.subFunctions
    ? new Map([...rule.subFunctions].map(([v, r]) => [v, r.sessions ? { ...r, sessions: expand(r.sessions) } : r]))
    : undefined;
  return { ...rule, ...(rule.sessions ? { sessions: expand(rule.sessions) } : {}), ...(subFunctions ? { subFunctions } : {}) };
}

function union(a: readonly number[], b: readonly number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/**
 * P2server_max / P2*server_max of `session`: the session's own values from `sessions`, else the ECU's
 * `p2ServerMs` / `p2StarServerMs` (ISO 14229-1:2020 10.2.3 — reported in the 50 response, and the
 * deadlines of NRC 0x78).
 */
export function sessionTiming(config: EcuConfig, session: number): ServerTiming {
  const s = config.sessions.find((x) => x.id === session);
  return { p2ServerMs: s?.p2ServerMs ?? config.p2ServerMs, p2StarServerMs: s?.p2StarServerMs ?? config.p2StarServerMs };
}

/** The name of `session` in the profile (`defaultSession`, ...), or `session 0xNN`. */
export function sessionName(config: EcuConfig, session: number): string {
  return config.sessions.find((s) => s.id === session)?.name ?? `session 0x${session.toString(16).padStart(2, '0')}`;
}
