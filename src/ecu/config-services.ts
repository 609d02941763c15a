/**
 * The service-table keys of an ECU profile: the sessions the ECU offers, which services and
 * sub-functions exist in which session behind which security level (steps 1-7 of the order of checks,
 * spec/uds.md), the bootloader's own service set, and data routines. Applied on top of the default
 * table by `profileServiceTable` (profile-service-table.ts).
 *
 * ```yaml
 * sessions:                                  # default: 0x01, 0x02, 0x03 with the ECU's P2 / P2*
 *   - { id: 0x01 }
 *   - { id: 0x02, p2StarServerMs: 10000 }
 *   - { id: 0x03 }
 *   - { id: 0x40, name: endOfLine, like: 0x03 }   # gets every service 0x03 has in the default table
 * supportedServices: [0x10, 0x11, ReadDataByIdentifier, 0x27, 0x2E, 0x31, 0x3E]  # others: 0x11
 * services:                                  # keys "0x22" (YAML: 0x22 = 34), a decimal number, or a name
 *   WriteDataByIdentifier: { sessions: [0x03], securityLevels: [0x01] }
 *   RequestUpload: false                     # not supported: 0x11
 *   0x10: { subFunctions: { 0x02: { sessions: [0x02, 0x03] } } }   # 10 02 from 01 -> 0x7E
 *   0x11: { subFunctions: [0x01] }           # exactly these sub-functions (a list replaces, a map merges)
 * bootloader:                                # boot mode (boot-manager.ts): replaces the two keys above there
 *   supportedServices: [...]
 *   services: { ... }
 * ```
 */
import { z } from 'zod';
import { hasSubFunction, isKnownSid, serviceName, SERVICES_WITH_SUB_FUNCTION, SID } from '../uds/codec/sid.js';
import { boundedNumber, configByte } from './config-values.js';
import { routineProblems, routinesSchema, sessionIdSchema, type BuiltInRoutineIds, type RoutineConfig } from './config-routines.js';

/** ISO 14229-1:2020 10.2.2 — the names of the diagnosticSessionType values. */
export const ISO_SESSION_NAMES: Readonly<Record<number, string>> = {
  0x01: 'defaultSession',
  0x02: 'programmingSession',
  0x03: 'extendedDiagnosticSession',
  0x04: 'safetySystemDiagnosticSession',
};

/** ISO 14229-1:2020 table 23 — 0xBA..0xBE are systemSupplierSpecific service identifiers. */
const SUPPLIER_SIDS = { min: 0xba, max: 0xbe } as const;

const SERVICE_BY_NAME = new Map<string, number>(Object.entries(SID).map(([name, sid]) => [name.toLowerCase(), sid]));

/** `0x22` as the canonical key of a SID or sub-function in a parsed profile. */
export function canonicalKey(n: number): string {
  return `0x${n.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** True for a SID a profile may configure: a SID of ISO 14229-1 known to udskit, or a supplier SID. */
export function isConfigurableSid(sid: number): boolean {
  return isKnownSid(sid) || (sid >= SUPPLIER_SIDS.min && sid <= SUPPLIER_SIDS.max);
}

/**
 * The SID a profile names by `ref`: `"0x22"`, a decimal number (YAML turns an unquoted `0x22:` key into
 * 34) or a service name (case-insensitive). Returns an error message instead when it names none.
 */
export function parseServiceRef(ref: string | number): number | { error: string } {
  let sid: number | undefined;
  const text = String(ref).trim();
  if (typeof ref === 'number') sid = ref;
  else if (/^0x[0-9a-f]{1,2}$/i.test(text)) sid = parseInt(text.slice(2), 16);
  else if (/^\d{1,3}$/.test(text)) sid = parseInt(text, 10);
  else {
    sid = SERVICE_BY_NAME.get(text.toLowerCase());
    if (sid === undefined) {
      return { error: `"${text}" is not a service: write a SID ("0x22") or a name such as ReadDataByIdentifier (${Object.keys(SID).join(', ')})` };
    }
  }
  if (!Number.isInteger(sid) || !isConfigurableSid(sid)) {
    const decimal = typeof ref === 'number' || /^\d+$/.test(text) ? ` (a plain number is decimal: ${text} = ${canonicalKey(sid)}; write "0x${text}" for hex)` : '';
    return { error: `${canonicalKey(sid)} is not a UDS service identifier udskit knows${decimal}; allowed: the SIDs of ISO 14229-1 or 0xBA..0xBE` };
  }
  return sid;
}

/** A sub-function value 0x00..0x7F written `"0x01"` or as a number; an error message otherwise. */
function parseSubFunctionRef(ref: string | number): number | { error: string } {
  const text = String(ref).trim();
  let v: number | undefined;
  if (typeof ref === 'number') v = ref;
  else if (/^0x[0-9a-f]{1,2}$/i.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^\d{1,3}$/.test(text)) v = parseInt(text, 10);
  // ISO 14229-1:2020 8.2.2 — bit 7 of the sub-function byte is SPRMIB, so values are 0x00..0x7F.
  if (v === undefined || !Number.isInteger(v) || v < 0 || v > 0x7f) {
    const shown = v !== undefined && Number.isInteger(v) ? canonicalKey(v) : `"${text}"`;
    return { error: `${shown} is not a sub-function value: write 0x00..0x7F ("0x01" or 1); bit 7 is SPRMIB, which the request sets` };
  }
  return v;
}

/** How a list names a SID (`"0x22"`, 34, `ReadDataByIdentifier`); checked by {@link parseServiceRef}. */
export const serviceRefSchema = z.union([z.number(), z.string()]);
/** How a list names a sub-function value (`"0x01"`, 1). */
export const subFunctionRefSchema = z.union([z.number(), z.string()]);

const SUB_FUNCTION_KEY_PATTERN = '^(0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3})$';

const securityLevelsSchema = z
  .array(configByte)
  .meta({ description: 'security levels (odd requestSeed values) of which one must be unlocked (else 0x33); [] = none' });
const sessionsListSchema = z.array(sessionIdSchema).meta({ description: 'sessions where it is allowed (else 0x7F / 0x7E)' });

/** One sub-function's rule as written: true, false, or { sessions, securityLevels }. */
export const subFunctionRuleSchema = z.union(
  [z.boolean(), z.strictObject({ sessions: sessionsListSchema.optional(), securityLevels: securityLevelsSchema.optional() })],
  { error: 'must be true, false, or { sessions, securityLevels }' },
);

/** Rules of one sub-function in a parsed profile. */
export interface SubFunctionOverlay {
  readonly sessions?: number[];
  readonly securityLevels?: number[];
}

/** The transform context zod hands to `.transform`. */
type TransformCtx = z.core.$RefinementCtx;

/**
 * The path segment of a map key in messages: YAML reads an unquoted `0x31:` key as the number 49, so
 * a decimal key is shown in hex (`0x31`), as it was most likely written.
 */
function keySegment(key: string): string {
  return /^\d{1,3}$/.test(key) && Number(key) <= 0xff ? canonicalKey(Number(key)) : key;
}

/** Parses `value` with `schema`; its issues are reported under `path`. */
function parseInto<T extends z.ZodType>(schema: T, value: unknown, path: PropertyKey[], ctx: TransformCtx): z.output<T> | undefined {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: [...path, ...issue.path] } as Parameters<TransformCtx['addIssue']>[0]);
  return undefined;
}

/** The map form of `subFunctions` (values checked in the transform, so paths show the key as written). */
export const subFunctionMapSchema = z.record(z.string(), z.unknown()).meta({
  description: 'changes to the default sub-functions: false removes, true adds, an object sets sessions/securityLevels',
  propertyNames: { pattern: SUB_FUNCTION_KEY_PATTERN },
});

const subFunctionsSchema = z
  .union([z.array(subFunctionRefSchema).meta({ description: 'exactly these sub-functions (rules from the default table)' }), subFunctionMapSchema], {
    error: 'must be a list of sub-function values (exactly these) or a map { 0x01: { sessions, securityLevels } | false } (changes)',
  })
  .transform((v, ctx): number[] | Record<string, SubFunctionOverlay | false> => {
    if (Array.isArray(v)) {
      const out = new Set<number>();
      v.forEach((ref, i) => {
        const r = parseSubFunctionRef(ref);
        if (typeof r === 'number') out.add(r);
        else ctx.addIssue({ code: 'custom', path: [i], message: r.error });
      });
      return [...out].sort((a, b) => a - b);
    }
    const out: Record<string, SubFunctionOverlay | false> = {};
    for (const [key, value] of Object.entries(v)) {
      const r = parseSubFunctionRef(key);
      if (typeof r !== 'number') {
        ctx.addIssue({ code: 'custom', path: [keySegment(key)], message: r.error });
        continue;
      }
      const rule = parseInto(subFunctionRuleSchema, value, [keySegment(key)], ctx);
      if (rule !== undefined) out[canonicalKey(r)] = rule === true ? {} : rule;
    }
    return out;
  });

/** What the profile says about one SID, in a parsed profile (`false` = not supported). */
export interface ServiceOverlay {
  readonly sessions?: number[];
  readonly securityLevels?: number[];
  /** A list = exactly these; a map = changes to the default sub-functions. */
  readonly subFunctions?: number[] | Record<string, SubFunctionOverlay | false>;
}

/** One SID's rule as written: true, false (not supported), or { sessions, securityLevels, subFunctions }. */
export const serviceRuleSchema = z.union(
  [
    z.boolean(),
    z.strictObject({
      sessions: sessionsListSchema.optional(),
      securityLevels: securityLevelsSchema.optional(),
      subFunctions: subFunctionsSchema.optional(),
    }),
  ],
  { error: 'must be true, false (not supported: 0x11), or { sessions, securityLevels, subFunctions }' },
);

const SERVICE_KEY_PATTERN = '^(0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3}|[A-Za-z]+)$';

/** The `services` map as written (values checked in the transform, so paths show the key as written). */
export const serviceMapSchema = z.record(z.string(), z.unknown()).meta({
  description: 'changes to the default service table, by SID ("0x22", decimal 34, or ReadDataByIdentifier)',
  propertyNames: { pattern: SERVICE_KEY_PATTERN },
});

/** `services`: SID (key "0x22", a number, or a name) -> false | true | { sessions, securityLevels, subFunctions }. */
const servicesSchema = serviceMapSchema.transform((v, ctx): Record<string, ServiceOverlay | false> => {
  const out: Record<string, ServiceOverlay | false> = {};
  for (const [key, value] of Object.entries(v)) {
    const sid = parseServiceRef(key);
    if (typeof sid !== 'number') {
      ctx.addIssue({ code: 'custom', path: [key], message: sid.error });
      continue;
    }
    const canonical = canonicalKey(sid);
    const segment = keySegment(key);
    if (canonical in out) {
      ctx.addIssue({ code: 'custom', path: [segment], message: `${serviceName(sid)} (${canonical}) is configured twice` });
      continue;
    }
    const rule = parseInto(serviceRuleSchema, value, [segment], ctx);
    if (rule === undefined) continue;
    if (typeof rule === 'object' && rule.subFunctions !== undefined && isKnownSid(sid) && !hasSubFunction(sid)) {
      ctx.addIssue({
        code: 'custom',
        path: [segment, 'subFunctions'],
        message: `${serviceName(sid)} has no sub-function byte (ISO 14229-1:2020: only ${[...SERVICES_WITH_SUB_FUNCTION].map((x) => canonicalKey(x)).join(' ')} have one); remove subFunctions`,
      });
      continue;
    }
    out[canonical] = rule === true ? {} : rule;
  }
  return out;
});

/** `supportedServices`: the only SIDs the ECU offers (every other one answers 0x11). */
const supportedServicesSchema = z
  .array(serviceRefSchema)
  .meta({ description: 'the only services offered (others answer 0x11): SIDs ("0x22") or names' })
  .transform((v, ctx) => {
    const out = new Set<number>();
    v.forEach((ref, i) => {
      const sid = parseServiceRef(ref);
      if (typeof sid === 'number') out.add(sid);
      else ctx.addIssue({ code: 'custom', path: [i], message: sid.error });
    });
    return [...out].sort((a, b) => a - b);
  });

const sessionSchema = z
  .strictObject({
    id: sessionIdSchema,
    name: z.string().min(1).optional(),
    p2ServerMs: boundedNumber(0, 0xffff, 'p2ServerMs').optional().meta({ description: 'P2server_max in this session (default: p2ServerMs)' }),
    p2StarServerMs: boundedNumber(0, 655_350, 'p2StarServerMs')
      .optional()
      .meta({ description: 'P2*server_max in this session (default: p2StarServerMs)' }),
    like: sessionIdSchema.optional().meta({ description: 'this session offers every service and sub-function that session offers in the default table' }),
  })
  .transform((s) => ({ ...s, name: s.name ?? ISO_SESSION_NAMES[s.id] ?? `session${canonicalKey(s.id)}` }));

const DEFAULT_SESSIONS = [{ id: 0x01 }, { id: 0x02 }, { id: 0x03 }];

/** `sessions`: the sessions the ECU offers (10 xx); default 01, 02, 03. */
const sessionsSchema = z
  .array(sessionSchema)
  .prefault(DEFAULT_SESSIONS)
  .meta({ description: 'the diagnostic sessions the ECU offers (DiagnosticSessionControl sub-functions)' });

/** `bootloader`: what the ECU offers while it runs its bootloader (boot mode; extended by config-bootloader.ts). */
export const bootloaderSchema = z
  .strictObject({
    supportedServices: supportedServicesSchema.optional(),
    services: servicesSchema.optional(),
  })
  .meta({ description: 'boot mode: its own supportedServices / services, used instead of the top-level ones while in the bootloader' });

/** One session of a parsed profile. */
export type SessionConfig = z.output<typeof sessionSchema>;

/** The profile keys of this module, spread into the ECU profile schema. */
export const serviceProfileShape = {
  description: z.string().optional().meta({ description: 'one line about the ECU (udskit profile list shows it)' }),
  sessions: sessionsSchema,
  supportedServices: supportedServicesSchema.optional(),
  services: servicesSchema.default(() => ({})),
  bootloader: bootloaderSchema.optional(),
  routines: routinesSchema,
};

/** The parts of a parsed profile that {@link serviceProfileProblems} reads. */
export interface ServiceProfileView {
  readonly sessions: readonly SessionConfig[];
  readonly supportedServices?: readonly number[];
  readonly services: Readonly<Record<string, ServiceOverlay | false>>;
  readonly bootloader?: { readonly supportedServices?: readonly number[]; readonly services?: Readonly<Record<string, ServiceOverlay | false>> };
  readonly routines: readonly RoutineConfig[];
  readonly security: { readonly levels: readonly { readonly level: number }[] };
  readonly programming: { readonly routines: BuiltInRoutineIds };
}

/** A problem found by {@link serviceProfileProblems}: the full field path and a message with the allowed values. */
export interface ServiceProfileProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/**
 * Cross-field checks of the keys above: declared sessions (0x01 present, no duplicates, `like`), every
 * session and security level named in services and routines exists, the services of a
 * `supportedServices` list, and the routine rules.
 */
export function serviceProfileProblems(c: ServiceProfileView): ServiceProfileProblem[] {
  const out: ServiceProfileProblem[] = [];
  const ids = c.sessions.map((s) => s.id);
  const sessionList = c.sessions
    .filter((s, i) => ids.indexOf(s.id) === i)
    .map((s) => `${canonicalKey(s.id)} ${s.name}`)
    .join(', ');
  const levels = c.security.levels.map((l) => l.level);
  const levelList = levels.length ? levels.map(canonicalKey).join(', ') : 'none';
  // ISO 14229-1:2020 10.2.1 — the server starts in the defaultSession, so every ECU has 0x01.
  if (!ids.includes(0x01)) out.push({ path: ['sessions'], message: 'must include 0x01 (defaultSession, the session after power-on)' });
  c.sessions.forEach((s, i) => {
    if (ids.indexOf(s.id) !== i) out.push({ path: ['sessions', i, 'id'], message: `session ${canonicalKey(s.id)} is declared twice` });
    if (s.like === undefined) return;
    const target = c.sessions.find((t) => t.id === s.like);
    if (s.like === s.id || !target || target.like !== undefined) {
      out.push({
        path: ['sessions', i, 'like'],
        message: `must name another declared session without its own "like" (${[...new Set(c.sessions.filter((t) => t.like === undefined && t.id !== s.id).map((t) => canonicalKey(t.id)))].join(', ')})`,
      });
    }
  });
  const checkAccess = (path: (string | number)[], rule: { sessions?: readonly number[]; securityLevels?: readonly number[] }): void => {
    rule.sessions?.forEach((s, i) => {
      if (!ids.includes(s)) out.push({ path: [...path, 'sessions', i], message: `session ${canonicalKey(s)} is not one of this profile's sessions (${sessionList})` });
    });
    rule.securityLevels?.forEach((l, i) => {
      if (!levels.includes(l)) out.push({ path: [...path, 'securityLevels', i], message: `security level ${canonicalKey(l)} is not defined under security (${levelList})` });
    });
  };
  const checkServices = (prefix: string[], set: { supportedServices?: readonly number[]; services?: Readonly<Record<string, ServiceOverlay | false>> }): void => {
    for (const [key, rule] of Object.entries(set.services ?? {})) {
      const sid = parseInt(key, 16);
      if (set.supportedServices && !set.supportedServices.includes(sid)) {
        out.push({
          path: [...prefix, 'services', key],
          message: `${serviceName(sid)} (${key}) is configured but not listed in ${[...prefix, 'supportedServices'].join('.')}; add it there or remove this entry`,
        });
      }
      if (rule === false) continue;
      checkAccess([...prefix, 'services', key], rule);
      if (rule.subFunctions && !Array.isArray(rule.subFunctions)) {
        for (const [sub, subRule] of Object.entries(rule.subFunctions)) {
          if (subRule !== false) checkAccess([...prefix, 'services', key, 'subFunctions', sub], subRule);
        }
      }
    }
  };
  checkServices([], c);
  if (c.bootloader) checkServices(['bootloader'], c.bootloader);
  c.routines.forEach((r, i) => checkAccess(['routines', i], r));
  for (const p of routineProblems(c.routines, c.programming.routines)) out.push({ path: ['routines', ...p.path], message: p.message });
  return out;
}
