/**
 * ReadScalingDataByIdentifier (0x24), ISO 14229-1:2020 11.4: the scaling records of one DID (its
 * `scaling` in the profile).
 */
import { hexNum } from '../../core/hex.js';
import { readScalingDataByIdentifier } from '../../uds/codec/0x24-read-scaling-data-by-identifier.js';
import { NRC } from '../../uds/codec/nrc.js';
import { SID } from '../../uds/codec/sid.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed } from '../../uds/server/service-table.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x24. */
export const readScalingDataByIdentifierHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 11.4.4 NRC 0x13 — exactly one 2-byte DID (codec).
  const { did } = readScalingDataByIdentifier.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const access = ecu.access();
  const def = ecu.dids.get(did);
  // ISO 14229-1:2020 11.4.4 NRC 0x31 — DID not supported, without scaling data, or not readable in this session.
  if (!def || !def.scaling || (def.read && !sessionAllowed(def.read, access.session))) {
    throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(did)} has no scaling data${def?.scaling ? ' in this session' : ''}`);
  }
  // ISO 14229-1:2020 11.4.4 NRC 0x33 — the DID is secured and its level is not unlocked.
  if (def.read && !securityGranted(def.read, access.securityLevel)) {
    throw new NrcError(NRC.securityAccessDenied, `DID ${hexNum(did)} needs security level ${def.read.securityLevels?.join('/')}`);
  }
  // ISO 14229-1:2020 11.4.3 — DID, then the scaling records as the profile holds them (checked when it was parsed).
  return Uint8Array.from([SID.ReadScalingDataByIdentifier + 0x40, did >> 8, did & 0xff, ...def.scaling]);
};
