/** Typed client calls of SecurityAccess (0x27): requestSeed and sendKey. */
import { InvalidArgumentError } from '../../../core/errors.js';
import { securityAccess as saCodec } from '../../codec/0x27-security-access.js';
import { InvalidResponseError } from '../errors.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** Throws unless `level` is an odd requestSeed sub-function 0x01..0x7D (ISO 14229-1:2020 10.4.2, table 42). */
export function checkSeedLevel(level: number, field = 'level'): void {
  if (!Number.isInteger(level) || level < 0x01 || level > 0x7d || level % 2 === 0) {
    throw new InvalidArgumentError(`SecurityAccess: ${field} must be an odd requestSeed level 0x01..0x7D, got ${String(level)}`, { field });
  }
}

/**
 * The sendKey sub-function for `level`: an odd (requestSeed) level becomes level + 1, an even one is
 * used as is (ISO 14229-1:2020 10.4.2 — sendKey = requestSeed + 1).
 */
export function sendKeySubFunction(level: number): number {
  if (!Number.isInteger(level) || level < 0x01 || level > 0x7e) {
    throw new InvalidArgumentError(`SecurityAccess: level must be 0x01..0x7E, got ${String(level)}`, { field: 'level' });
  }
  return level % 2 === 1 ? level + 1 : level;
}

/** `27 L [record]` -> `67 L seed`; returns the seed (all zeros = level already unlocked). */
export async function securityAccessRequestSeed(
  c: UdsRequester,
  level: number,
  data: Uint8Array = new Uint8Array(0),
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<Uint8Array> {
  checkSeedLevel(level);
  const req = saCodec.encodeRequest({ subFunction: level, data });
  const res = await c.request(req, requestOptionsOf(opts, true, [level]));
  if (!res) throw new InvalidResponseError({ sid: saCodec.sid, source: c.target, response: new Uint8Array(0), reason: 'no response' });
  const d = decodePositive(saCodec, res, c.target);
  checkEcho(saCodec.sid, c.target, res, 'securityAccessType', d.subFunction, level);
  if (d.seed.length === 0) {
    throw new InvalidResponseError({ sid: saCodec.sid, source: c.target, response: res, reason: 'requestSeed response carries no seed' });
  }
  return d.seed;
}

/** `27 L+1 key` -> `67 L+1`. `level` may be the requestSeed level (odd) or the sendKey sub-function (even). */
export async function securityAccessSendKey(
  c: UdsRequester,
  level: number,
  key: Uint8Array,
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<void> {
  const sf = sendKeySubFunction(level);
  if (key.length === 0) throw new InvalidArgumentError('SecurityAccess sendKey: the key is empty', { field: 'key' });
  const req = saCodec.encodeRequest({ subFunction: sf, data: key });
  const res = await c.request(req, requestOptionsOf(opts, true, [sf]));
  if (!res) return;
  const d = decodePositive(saCodec, res, c.target);
  checkEcho(saCodec.sid, c.target, res, 'securityAccessType', d.subFunction, sf);
}
