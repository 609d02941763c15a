/**
 * The default template for an ECU (`udskit flash --ecu 0x1010 FILE` without `--template`): each template's
 * `match:` says which ECUs it is for — an ECU profile name, a firmware format, identification DIDs whose
 * values match patterns (any one of them suffices; every DID pattern must match). Templates with rules are
 * tried in name order; the one with `match: {}` is the fallback (iso14229-generic).
 */
import { basename, extname } from 'node:path';
import { ConfigError } from '../core/errors.js';
import { hexNum } from '../core/hex.js';
import { readProfileDocument } from '../ecu/profile-files.js';
import type { FirmwareFormat } from '../firmware/image.js';
import { listTemplates, SHIPPED_TEMPLATES_DIR } from './job-files.js';

/** What is known about the ECU and the files. */
export interface ChooseTemplateInput {
  /** The ECU profile given (`--profile`), a name or a path. */
  readonly profile?: string;
  /** Formats of the firmware files. */
  readonly formats?: readonly FirmwareFormat[];
  /** Reads an identification DID from the ECU (undefined when it cannot be read). */
  readonly readDid?: (did: number) => Promise<Uint8Array | undefined>;
}

/** The chosen template and why. */
export interface TemplateChoice {
  readonly name: string;
  readonly path: string;
  readonly reason: string;
}

interface MatchRules {
  profiles?: string[];
  formats?: string[];
  dids?: { did: number | string; pattern: string }[];
}

function rulesOf(doc: unknown): MatchRules | undefined {
  if (typeof doc !== 'object' || doc === null || !('match' in doc)) return undefined;
  const m = (doc as { match: unknown }).match;
  return typeof m === 'object' && m !== null ? (m as MatchRules) : undefined;
}

function isEmpty(m: MatchRules): boolean {
  return !m.profiles?.length && !m.formats?.length && !m.dids?.length;
}

async function why(m: MatchRules, input: ChooseTemplateInput, values: Map<number, Uint8Array | undefined>): Promise<string | undefined> {
  const profile = input.profile === undefined ? undefined : basename(input.profile, extname(input.profile));
  if (profile !== undefined && m.profiles?.includes(profile)) return `profile ${profile}`;
  const format = input.formats?.find((f) => m.formats?.includes(f));
  if (format !== undefined) return `${format} firmware`;
  if (m.dids?.length && input.readDid) {
    const found: string[] = [];
    for (const rule of m.dids) {
      const did = typeof rule.did === 'number' ? rule.did : parseInt(String(rule.did).replace(/^0x/i, ''), 16);
      if (!values.has(did)) values.set(did, await input.readDid(did).catch(() => undefined));
      const v = values.get(did);
      if (!v || !new RegExp(rule.pattern).test(String.fromCharCode(...v))) return undefined;
      found.push(`${hexNum(did)} = ${String.fromCharCode(...v)}`);
    }
    return `identification ${found.join(', ')}`;
  }
  return undefined;
}

/** Chooses the template for `input` among the templates of `dir` (default the shipped ones). */
export async function chooseTemplate(input: ChooseTemplateInput, dir: string = SHIPPED_TEMPLATES_DIR): Promise<TemplateChoice> {
  const templates = listTemplates(dir).map((t) => ({ ...t, rules: rulesOf(readProfileDocument(t.path)) }));
  const values = new Map<number, Uint8Array | undefined>();
  for (const t of templates) {
    if (!t.rules || isEmpty(t.rules)) continue;
    const reason = await why(t.rules, input, values);
    if (reason !== undefined) return { name: t.name, path: t.path, reason };
  }
  const fallback = templates.find((t) => t.rules && isEmpty(t.rules));
  if (!fallback) throw new ConfigError(`no flash job template matches this ECU and none is the default (match: {}); pass --template (${templates.map((t) => t.name).join(', ')})`);
  return { name: fallback.name, path: fallback.path, reason: 'the default template' };
}
