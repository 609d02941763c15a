/**
 * Errors of the control API and the lookup of an ECU by address or name, shared by the fault injector,
 * the routes (which turn them into 4xx answers) and the client.
 */
import { InvalidArgumentError, UdskitError } from '../core/errors.js';
import { hexNum, parseIntAuto } from '../core/hex.js';
import { formatPath, schemaIssues } from '../ecu/config-values.js';
import type { SimulatedEcu } from '../ecu/simulated-ecu.js';

/** No ECU of the vehicle has that address or name (HTTP 404). */
export class UnknownEcuError extends InvalidArgumentError {
  constructor(ref: string | number, ecus: readonly SimulatedEcu[], address?: number) {
    const known = ecus.map((e) => `${hexNum(e.address)} ${e.name}`).join(', ');
    super(`no ECU ${address !== undefined ? hexNum(address) : `"${ref}"`} in this vehicle; its ECUs are ${known}`, { ecu: ref, known });
  }
}

/** The parts of a zod issue {@link issuesText} reads. */
export interface SchemaIssue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly keys?: readonly string[];
  readonly errors?: readonly (readonly SchemaIssue[])[];
}

/** Schema issues as `{path, message}`, an unknown key reported at its own path (`every: unknown field`). */
export function issueList(issues: readonly SchemaIssue[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  const rest: SchemaIssue[] = [];
  for (const i of issues) {
    if (i.code === 'unrecognized_keys' && i.keys) {
      for (const k of i.keys) out.push({ path: formatPath([...i.path, k]), message: 'unknown field' });
    } else {
      rest.push(i);
    }
  }
  return [...out, ...schemaIssues(rest)];
}

/** `a: message; b.c: message` (a message alone when it concerns the whole body). */
export function issuesText(issues: readonly SchemaIssue[]): string {
  return issueList(issues)
    .map((i) => (i.path && i.path !== '(top level)' ? `${i.path}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * The ECU `ref` names: a logical address (number, `0x1010`, or decimal digits) or an ECU name.
 * Throws {@link UnknownEcuError}.
 */
export function resolveEcu(ecus: readonly SimulatedEcu[], ref: string | number): SimulatedEcu {
  let address: number | undefined;
  if (typeof ref === 'number') address = ref;
  else if (/^\s*(0x[0-9a-f]+|\d+)\s*$/i.test(ref)) address = parseIntAuto(ref.trim(), 'ecu');
  const found = address !== undefined ? ecus.find((e) => e.address === address) : ecus.find((e) => e.name === ref);
  if (!found) throw new UnknownEcuError(ref, ecus, address);
  return found;
}

/** A control API request failed with an HTTP status (thrown by routes, answered as `{error, hint}`). */
export class ControlRequestError extends UdskitError {
  constructor(
    /** HTTP status: 400, 403, 404, 405, 413, 415. */
    readonly status: number,
    message: string,
    /** What the caller should do. */
    readonly hint: string,
    details: Record<string, unknown> = {},
  ) {
    super(message, 'UDSKIT_CONTROL_REQUEST', { status, hint, ...details });
  }
}

/** The control API answered with an error (seen by `ControlClient`): the server's `error` and `hint`. */
export class ControlApiError extends UdskitError {
  constructor(
    /** HTTP status of the answer. */
    readonly status: number,
    message: string,
    /** The server's advice. */
    readonly hint: string,
  ) {
    super(`${message}${hint ? ` (${hint})` : ''}`, 'UDSKIT_CONTROL_API', { status, hint });
  }
}
