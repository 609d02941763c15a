/**
 * The routes of the control API (docs/control-api.md), independent of HTTP: {@link handleControlRequest}
 * takes a method, a path and the parsed JSON body and returns a status and a JSON body. The server
 * (control-server.ts) reads and writes the bytes around it.
 *
 * | route                                   | methods             |
 * |-----------------------------------------|---------------------|
 * | `/api/v1`                               | GET (route list)    |
 * | `/api/v1/ecus`                          | GET                 |
 * | `/api/v1/ecus/{address or name}`        | GET                 |
 * | `/api/v1/ecus/{address or name}/power-cycle` | POST           |
 * | `/api/v1/vehicle`                       | GET, PATCH          |
 * | `/api/v1/faults`                        | GET, POST, DELETE   |
 * | `/api/v1/faults/{id}`                   | GET, DELETE         |
 *
 * Errors are `{error, hint}`: 400 bad body or unknown field, 404 unknown route / ECU / fault, 405 wrong method.
 */
import { z } from 'zod';
import { InvalidArgumentError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { silentLogger } from '../core/logger.js';
import type { SimulatedEcu } from '../ecu/simulated-ecu.js';
import { ControlRequestError, issueList, issuesText, resolveEcu, UnknownEcuError } from './control-errors.js';
import { ecuView, vehicleView } from './control-state.js';
import { CONTROL_API_PREFIX, type ControlErrorBody, type FaultView } from './control-types.js';
import type { FaultInjector } from './fault-injector.js';
import { powerCycleEcu } from './fault-power-loss.js';
import { FAULT_TYPES, type FaultSpecInput } from './fault-spec.js';

/** What the routes work on. */
export interface ControlContext {
  /** Vehicle name (from the vehicle file). */
  readonly name: string;
  readonly ecus: readonly SimulatedEcu[];
  readonly faults: FaultInjector;
  /** Where requests and errors are logged. Default `silentLogger`. */
  readonly logger?: Logger;
}

/** One request, its body already parsed (undefined when empty). */
export interface ControlRequest {
  readonly method: string;
  /** Path, with or without a query string. */
  readonly path: string;
  readonly body?: unknown;
}

/** The answer: status, JSON body, extra headers. */
export interface ControlResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type Handler = (ctx: ControlContext, params: readonly string[], body: unknown) => ControlResponse;

interface Route {
  readonly pattern: RegExp;
  /** `/api/v1/ecus/{ecu}` */
  readonly template: string;
  readonly methods: Readonly<Record<string, Handler>>;
}

/** `PATCH /api/v1/vehicle`: the VehicleState fields of the ECU profile (src/ecu/config.ts). */
const vehiclePatchSchema = z
  .strictObject({
    voltage: z.number().min(0).max(100).optional(),
    ignition: z.boolean().optional(),
    speedKmh: z.number().min(0).max(1000).optional(),
    engineRunning: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, 'give at least one of voltage, ignition, speedKmh, engineRunning');

/** Routes without a body accept none or `{}`. */
const noBody = z.union([z.undefined(), z.strictObject({})]);

const FAULT_HINT =
  'a fault is {"type": "' + FAULT_TYPES.join('" | "') + '", "ecu": "0x1010", ...}; see docs/control-api.md, e.g. {"type": "nrc", "ecu": "0x1010", "sid": "0x36", "nth": 2, "nrc": "0x72"}';

const ok = (body: unknown, status = 200, headers?: Record<string, string>): ControlResponse => ({ status, body, ...(headers ? { headers } : {}) });

/** The JSON body `schema` accepts, or a 400 naming each bad field. */
function bodyOf<T>(schema: z.ZodType<T>, body: unknown, hint: string): T {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  throw new ControlRequestError(400, `invalid request body: ${issuesText(r.error.issues)}`, hint, { issues: issueList(r.error.issues) });
}

function ecuOf(ctx: ControlContext, ref: string): SimulatedEcu {
  return resolveEcu(ctx.ecus, ref);
}

const ROUTES: readonly Route[] = [
  {
    pattern: /^\/api\/v1$/,
    template: '/api/v1',
    methods: { GET: () => ok({ routes: ROUTES.map((r) => ({ path: r.template, methods: Object.keys(r.methods) })) }) },
  },
  {
    pattern: /^\/api\/v1\/ecus$/,
    template: '/api/v1/ecus',
    methods: { GET: (ctx) => ok({ ecus: ctx.ecus.map(ecuView) }) },
  },
  {
    pattern: /^\/api\/v1\/ecus\/([^/]+)$/,
    template: '/api/v1/ecus/{address or name}',
    methods: { GET: (ctx, [ref]) => ok(ecuView(ecuOf(ctx, ref as string))) },
  },
  {
    pattern: /^\/api\/v1\/ecus\/([^/]+)\/power-cycle$/,
    template: '/api/v1/ecus/{address or name}/power-cycle',
    methods: {
      POST: (ctx, [ref], body) => {
        bodyOf(noBody, body, 'power-cycle takes no body');
        const ecu = ecuOf(ctx, ref as string);
        powerCycleEcu(ecu);
        return ok(ecuView(ecu));
      },
    },
  },
  {
    pattern: /^\/api\/v1\/vehicle$/,
    template: '/api/v1/vehicle',
    methods: {
      GET: (ctx) => ok(vehicleView(ctx.name, ctx.ecus)),
      PATCH: (ctx, _p, body) => {
        const patch = bodyOf(vehiclePatchSchema, body, 'e.g. {"voltage": 8.5} or {"speedKmh": 30, "engineRunning": true, "ignition": true}');
        const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
        // Every ECU reads the same vehicle: their DTC monitors and ResponseOnEvent react (dtc-binding.ts).
        for (const ecu of ctx.ecus) ecu.setVehicleState(clean);
        return ok(vehicleView(ctx.name, ctx.ecus));
      },
    },
  },
  {
    pattern: /^\/api\/v1\/faults$/,
    template: '/api/v1/faults',
    methods: {
      GET: (ctx) => ok({ faults: ctx.faults.list() }),
      POST: (ctx, _p, body) => {
        const fault = addFault(ctx, body);
        return ok(fault, 201, { location: `${CONTROL_API_PREFIX}/faults/${fault.id}` });
      },
      DELETE: (ctx, _p, body) => {
        bodyOf(noBody, body, 'DELETE takes no body');
        return ok({ removed: ctx.faults.clear() });
      },
    },
  },
  {
    pattern: /^\/api\/v1\/faults\/([^/]+)$/,
    template: '/api/v1/faults/{id}',
    methods: {
      GET: (ctx, [id]) => ok(ctx.faults.get(id as string) ?? unknownFault(ctx, id as string)),
      DELETE: (ctx, [id], body) => {
        bodyOf(noBody, body, 'DELETE takes no body');
        return ok({ removed: ctx.faults.remove(id as string) ?? unknownFault(ctx, id as string) });
      },
    },
  },
];

function addFault(ctx: ControlContext, body: unknown): FaultView {
  if (body === undefined) throw new ControlRequestError(400, 'POST /api/v1/faults needs a JSON body', FAULT_HINT);
  try {
    return ctx.faults.add(body as FaultSpecInput);
  } catch (e) {
    if (e instanceof InvalidArgumentError && !(e instanceof UnknownEcuError)) throw new ControlRequestError(400, e.message, FAULT_HINT, { ...e.details });
    throw e;
  }
}

function unknownFault(ctx: ControlContext, id: string): never {
  const ids = ctx.faults.list().map((f) => f.id);
  throw new ControlRequestError(404, `no fault "${id}"`, ids.length > 0 ? `the faults are ${ids.join(', ')}` : 'there are no faults; GET /api/v1/faults lists them');
}

/** The path without query string and trailing slash. */
function cleanPath(path: string): string {
  const p = path.split('?')[0] ?? '';
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** Answers one control API request. Never throws: failures become `{error, hint}` with their status. */
export function handleControlRequest(ctx: ControlContext, req: ControlRequest): ControlResponse {
  const logger = ctx.logger ?? silentLogger;
  const path = cleanPath(req.path);
  const method = req.method.toUpperCase();
  try {
    for (const route of ROUTES) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      const handler = route.methods[method];
      if (!handler) {
        const allowed = Object.keys(route.methods).join(', ');
        throw new ControlRequestError(405, `${method} is not allowed on ${route.template}`, `use ${allowed}`, { allow: allowed });
      }
      let params: string[];
      try {
        params = m.slice(1).map((s) => decodeURIComponent(s));
      } catch {
        throw new ControlRequestError(400, `bad escape in the path ${path}`, 'percent-encode the path as a URL does');
      }
      const res = handler(ctx, params, req.body);
      logger.debug('control API', { method, path, status: res.status });
      return res;
    }
    throw new ControlRequestError(404, `no route ${path}`, `the routes are under ${CONTROL_API_PREFIX}: ${ROUTES.map((r) => r.template).join(', ')}`);
  } catch (e) {
    const res = errorResponse(e);
    logger.info('control API request failed', { method, path, status: res.status, error: (res.body as ControlErrorBody).error });
    return res;
  }
}

/** The answer for an error thrown by a route. */
export function errorResponse(e: unknown): ControlResponse {
  if (e instanceof ControlRequestError) {
    const allow = e.details['allow'];
    return { status: e.status, body: { error: e.message, hint: e.hint }, ...(typeof allow === 'string' ? { headers: { allow } } : {}) };
  }
  if (e instanceof UnknownEcuError) return { status: 404, body: { error: e.message, hint: 'GET /api/v1/ecus lists the ECUs' } };
  if (e instanceof InvalidArgumentError) return { status: 400, body: { error: e.message, hint: 'see docs/control-api.md' } };
  return {
    status: 500,
    body: { error: `internal error: ${e instanceof Error ? e.message : String(e)}`, hint: 'this is a bug in udskit; the simulator keeps running' },
  };
}
