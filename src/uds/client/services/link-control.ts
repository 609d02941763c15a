/** Typed client calls of LinkControl (0x87, ISO 14229-1:2020 10.10). */
import { InvalidArgumentError } from '../../../core/errors.js';
import { linkControl as lcCodec, LinkControlType } from '../../codec/0x87-link-control.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** What to verify: a fixed mode (linkControlModeIdentifier, e.g. 0x13 CAN 1 Mbit/s) or a baud rate in bit/s. */
export type LinkModeTarget = { readonly mode: number } | { readonly baudrate: number };

async function send(
  c: UdsRequester,
  type: number,
  fields: { linkControlModeIdentifier?: number; linkBaudrate?: number },
  opts?: ServiceCallOptions,
): Promise<void> {
  const req = lcCodec.encodeRequest({ linkControlType: type, ...fields, suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true, [type]));
  if (!res) return;
  const d = decodePositive(lcCodec, res, c.target);
  checkEcho(lcCodec.sid, c.target, res, 'linkControlType', d.linkControlType, type);
}

/** `87 01 mode` (fixed) or `87 02 baud(3)` (specific) -> `C7 01` / `C7 02`. */
export function verifyLinkMode(c: UdsRequester, target: LinkModeTarget, opts?: ServiceCallOptions): Promise<void> {
  if ('mode' in target) return send(c, LinkControlType.verifyModeTransitionWithFixedParameter, { linkControlModeIdentifier: target.mode }, opts);
  if ('baudrate' in target) return send(c, LinkControlType.verifyModeTransitionWithSpecificParameter, { linkBaudrate: target.baudrate }, opts);
  return Promise.reject(new InvalidArgumentError('verifyLinkMode: give { mode } or { baudrate }', { field: 'target' }));
}

/**
 * `87 03` -> `C7 03`: performs the verified transition. Typically sent functionally with SPRMIB
 * (`{ addressing: 'functional', suppress: true }`, on the wire `87 83`) so that every node switches at once.
 */
export function transitionLinkMode(c: UdsRequester, opts?: ServiceCallOptions): Promise<void> {
  return send(c, LinkControlType.transitionMode, {}, opts);
}
