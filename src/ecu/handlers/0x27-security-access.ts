/**
 * SecurityAccess (0x27), ISO 14229-1:2020 10.4: requestSeed (odd) / sendKey (even), delegated to the
 * ECU's `SecurityAccess` state machine.
 */
import { isRequestSeed, securityAccess } from '../../uds/codec/0x27-security-access.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x27. Which levels exist in which session comes from the service table. */
export const securityAccessHandler: EcuHandler = (ctx) => {
  const req = securityAccess.decodeRequest(ctx.data);
  const security = ctx.env.security;
  if (isRequestSeed(req.subFunction)) {
    const seed = security.requestSeed(req.subFunction);
    return securityAccess.encodeResponse({ subFunction: req.subFunction, seed });
  }
  // ISO 14229-1:2020 10.4.4 NRC 0x13 — sendKey without a key.
  if (req.data.length === 0) throw new NrcError(NRC.incorrectMessageLengthOrInvalidFormat, 'sendKey without key bytes');
  security.sendKey(req.subFunction, req.data);
  return securityAccess.encodeResponse({ subFunction: req.subFunction, seed: new Uint8Array(0) });
};
