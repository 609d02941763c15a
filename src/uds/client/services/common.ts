/** Helpers the typed service methods share: decoding a positive response and checking echoes. */
import { DecodeError } from '../../../core/errors.js';
import type { ServiceCodec } from '../../codec/service-codec.js';
import { InvalidResponseError } from '../errors.js';
import type { RequestOptions, ServiceCallOptions } from '../types.js';

/**
 * Decodes a positive response with `codec`; a {@link DecodeError} becomes an
 * {@link InvalidResponseError} naming the service and the ECU.
 */
export function decodePositive<Res, Ctx>(
  codec: ServiceCodec<unknown, Res, Ctx>,
  response: Uint8Array,
  source: number,
  ctx?: Ctx,
): Res {
  try {
    return codec.decodeResponse(response, ctx);
  } catch (e) {
    if (e instanceof DecodeError) {
      throw new InvalidResponseError({ sid: codec.sid, source, response, reason: e.message });
    }
    throw e;
  }
}

/** Throws {@link InvalidResponseError} when an echoed field differs from the request (ISO 14229-1:2020 8.2). */
export function checkEcho(
  sid: number,
  source: number,
  response: Uint8Array,
  field: string,
  got: number,
  expected: number,
  digits = 2,
): void {
  if (got === expected) return;
  const h = (v: number): string => '0x' + v.toString(16).toUpperCase().padStart(digits, '0');
  throw new InvalidResponseError({ sid, source, response, reason: `${field} echo ${h(got)}, expected ${h(expected)}` });
}

/** Maps the options of a typed service method onto the raw request options. */
export function requestOptionsOf(opts: ServiceCallOptions | undefined, hasSubFunction: boolean, echo?: readonly number[]): RequestOptions {
  const out: RequestOptions = {};
  if (echo) out.echo = Uint8Array.from(echo);
  if (opts?.addressing !== undefined) out.addressing = opts.addressing;
  if (opts?.timeoutMs !== undefined) out.timeoutMs = opts.timeoutMs;
  if (opts?.signal !== undefined) out.signal = opts.signal;
  if (hasSubFunction && opts?.suppress) out.suppressPositiveResponse = true;
  return out;
}
