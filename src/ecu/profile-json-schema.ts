/**
 * JSON Schema (draft 2020-12) of the ECU profile, for editors (`# yaml-language-server: $schema=...`).
 * Generated from the zod schema with `z.toJSONSchema(schema, { io: 'input' })` — what a file may say,
 * before defaults and transforms — and made useful where zod alone cannot: numbers are "an integer or a
 * string such as 0x1010 / 4K", byte values "text or { hex }", defaults are shown, and an entry may name
 * a `profile:` instead of an `address`. `profiles/schema/*.schema.json` are this module's output
 * (`udskit profile schema [--vehicle]`); a test keeps them equal.
 */
import { z } from 'zod';
import { toHex } from '../core/hex.js';
import { ecuConfigSchema } from './config.js';
import { configBytes, configNumber } from './config-values.js';
import { serviceMapSchema, serviceRefSchema, serviceRuleSchema, subFunctionMapSchema, subFunctionRefSchema, subFunctionRuleSchema } from './config-services.js';

/** A JSON Schema object. */
export type JsonSchema = { [key: string]: unknown };

/** Input (before the transform) of a number field, and of a bytes field. */
const NUMBER_INPUT = pipeInput(configNumber);
const BYTES_INPUT = pipeInput(configBytes);

/** What a number field accepts. */
const NUMBER_JSON: JsonSchema = {
  anyOf: [
    { type: 'integer', minimum: 0 },
    { type: 'string', pattern: '^\\s*(0[xX][0-9a-fA-F]+|[0-9]+[kKmM]?)\\s*$', description: 'e.g. "0x1010", "4096" or "64K"' },
  ],
};

/** What a bytes field accepts. */
const BYTES_JSON: JsonSchema = {
  anyOf: [
    { type: 'string', description: 'printable ASCII text' },
    {
      type: 'object',
      properties: { hex: { type: 'string', pattern: '^[\\s0-9a-fA-F]*$', description: 'hex bytes, e.g. "01 02" or "0102"' } },
      required: ['hex'],
      additionalProperties: false,
    },
  ],
};

/** A SID in a list. */
const SERVICE_REF_JSON: JsonSchema = {
  anyOf: [
    { type: 'integer', minimum: 0, maximum: 255, description: 'a SID' },
    { type: 'string', pattern: '^(0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3}|[A-Za-z]+)$', description: '"0x22" or a service name such as ReadDataByIdentifier' },
  ],
};

/** A sub-function value in a list. */
const SUB_FUNCTION_REF_JSON: JsonSchema = {
  anyOf: [
    { type: 'integer', minimum: 0, maximum: 127 },
    { type: 'string', pattern: '^(0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3})$' },
  ],
};

/** Descriptions of the ECU keys that do not carry their own (the key list of docs/ecu-config.md). */
const ECU_KEY_DESCRIPTIONS: Readonly<Record<string, string>> = {
  name: 'ECU name (default "ecu-<hex address>")',
  address: 'logical address (ISO 13400-2: 0x0001-0x0DFF or 0x1000-0x7FFF)',
  functionalAddresses: 'functional addresses the ECU answers (default [0xE400])',
  p2ServerMs: 'P2server_max in ms, reported in the 50 response (default 50)',
  p2StarServerMs: 'P2*server_max in ms; 0x78 is repeated before it runs out (default 5000)',
  s3ServerMs: 'a non-default session falls back to 01 after this long without a request (default 5000)',
  resetDurationMs: 'after 11 xx the ECU is unavailable for this long (default 50)',
  maxResponseLength: 'longest positive response (longer: 0x14); default the link decides',
  identification: 'the standard identification DIDs (F180, F181, F187, F188, F18C, F190, F191, F198, F199, F15A, F1AA)',
  dids: 'more DIDs, or overrides of the standard ones',
  security: 'security levels (SecurityAccess 0x27)',
  memory: 'memory regions (boot / app / calibration / flash / ram / nvm)',
  transfer: 'RequestDownload / TransferData parameters',
  programming: 'programming session, security level and routine identifiers',
  vehicleState: 'simulated vehicle conditions (programming preconditions)',
};

/**
 * `schema` as JSON Schema of its input, with the fixes above. `override` runs on each node after them
 * (the vehicle schema uses it for its own number type).
 */
export function editorJsonSchema(schema: z.ZodType, override?: (zodSchema: z.ZodType, json: JsonSchema) => void): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const zs = ctx.zodSchema as unknown as z.ZodType;
      const json = ctx.jsonSchema as JsonSchema;
      const def = (zs as unknown as { _zod: { def: ZodDefLike } })._zod.def;
      if (def.type === 'pipe' && (def.in === NUMBER_INPUT || def.in === BYTES_INPUT)) {
        replace(json, def.in === NUMBER_INPUT ? NUMBER_JSON : BYTES_JSON);
      } else if (ctx.zodSchema === (serviceRefSchema as unknown) || ctx.zodSchema === (subFunctionRefSchema as unknown)) {
        replace(json, ctx.zodSchema === (serviceRefSchema as unknown) ? SERVICE_REF_JSON : SUB_FUNCTION_REF_JSON);
      } else if (ctx.zodSchema === (serviceMapSchema as unknown) || ctx.zodSchema === (subFunctionMapSchema as unknown)) {
        // The maps check their values in a transform (for readable paths); describe the values here.
        const value = editorJsonSchema(ctx.zodSchema === (serviceMapSchema as unknown) ? serviceRuleSchema : subFunctionRuleSchema);
        delete value['$schema'];
        json['additionalProperties'] = value;
      } else if (def.type === 'union' && Array.isArray(json['anyOf']) && def.options) {
        // z.instanceof(Uint8Array) (bytes from TypeScript) has no JSON form: drop that alternative.
        const keep = def.options.map((o) => o._zod.def.type !== 'custom');
        json['anyOf'] = (json['anyOf'] as unknown[]).filter((_, i) => keep[i] !== false);
      }
      if ((def.type === 'default' || def.type === 'prefault') && json['default'] === undefined) {
        // Defaults of transformed fields (numbers, bytes) are dropped by zod for io: 'input'; show them.
        const value = jsonDefault(def.type === 'default' ? def.defaultValue : undefined);
        if (value !== undefined) json['default'] = value;
      }
      override?.(zs, json);
    },
  }) as JsonSchema;
  return out;
}

interface ZodDefLike {
  readonly type: string;
  readonly in?: unknown;
  readonly options?: readonly { _zod: { def: { type: string } } }[];
  readonly defaultValue?: unknown;
}

/** A default as JSON: numbers, booleans, strings, lists of them; bytes as text or { hex }. */
function jsonDefault(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') return v;
  if (v instanceof Uint8Array) {
    const printable = v.length > 0 && v.every((b) => b >= 0x20 && b <= 0x7e);
    return printable ? String.fromCharCode(...v) : { hex: toHex(v) };
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'string')) return v;
  return undefined;
}

function pipeInput(schema: z.ZodType): unknown {
  return (schema as unknown as { _zod: { def: { in?: unknown } } })._zod.def.in;
}

function replace(target: JsonSchema, source: JsonSchema): void {
  const keep = target['description'];
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, structuredClone(source));
  if (keep !== undefined) target['description'] = keep;
}

/**
 * Lets an ECU object schema name a `profile:` instead of giving an `address` (the profile or the
 * entry must give one), and adds descriptions to the keys that have none.
 */
export function withProfileReference(ecu: JsonSchema): JsonSchema {
  const properties = (ecu['properties'] ?? {}) as Record<string, JsonSchema>;
  for (const [k, d] of Object.entries(ECU_KEY_DESCRIPTIONS)) {
    const p = properties[k];
    if (p && p['description'] === undefined) p['description'] = d;
  }
  properties['profile'] = {
    type: 'string',
    minLength: 1,
    description: 'base this ECU on an ECU profile: a shipped name (generic-iso14229) or a path; the keys here override its keys',
  };
  ecu['properties'] = properties;
  const required = Array.isArray(ecu['required']) ? (ecu['required'] as string[]).filter((r) => r !== 'address') : [];
  if (required.length) ecu['required'] = required;
  else delete ecu['required'];
  ecu['anyOf'] = [{ required: ['address'] }, { required: ['profile'] }];
  return ecu;
}

/** The JSON Schema of an ECU profile file (profiles/schema/ecu-profile.schema.json). */
export function ecuProfileJsonSchema(): JsonSchema {
  const json = withProfileReference(editorJsonSchema(ecuConfigSchema));
  return {
    $schema: json['$schema'],
    title: 'udskit ECU profile',
    description: 'One simulated ECU: sessions, services, security, DIDs, routines, memory, timing (docs/ecu-config.md, docs/profiles.md)',
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')),
  };
}
