/**
 * WriteDataByIdentifier (0x2E), ISO 14229-1:2020 11.7: writes a DID under its own session, security
 * and length rules.
 */
import { writeDataByIdentifier } from '../../uds/codec/0x2e-write-data-by-identifier.js';
import { NRC } from '../../uds/codec/nrc.js';
import { hexNum } from '../../core/hex.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed } from '../../uds/server/service-table.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x2E. */
export const writeDataByIdentifierHandler: EcuHandler = (ctx) => {
  const req = writeDataByIdentifier.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const access = ecu.access();
  const def = ecu.dids.get(req.did);
  // ISO 14229-1:2020 11.7.4 NRC 0x31 — DID unknown, read-only, or not writable in the active session.
  if (!def || !def.write || !sessionAllowed(def.write, access.session)) {
    throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(req.did)} is not writable in session 0x${access.session.toString(16)}`);
  }
  // ISO 14229-1:2020 11.7.4 NRC 0x33 — the DID needs an unlocked security level.
  if (!securityGranted(def.write, access.securityLevel)) {
    throw new NrcError(NRC.securityAccessDenied, `writing DID ${hexNum(req.did)} needs security level ${def.write.securityLevels?.join('/')}`);
  }
  ecu.dids.write(req.did, req.data);
  return writeDataByIdentifier.encodeResponse({ did: req.did });
};
