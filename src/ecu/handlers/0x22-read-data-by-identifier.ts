/**
 * ReadDataByIdentifier (0x22), ISO 14229-1:2020 11.2: the records of every requested DID the ECU
 * supports in the active session, in request order.
 */
import { readDataByIdentifier, type DidRecord } from '../../uds/codec/0x22-read-data-by-identifier.js';
import { NRC } from '../../uds/codec/nrc.js';
import { hexNum } from '../../core/hex.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed } from '../../uds/server/service-table.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x22. A response longer than the link allows becomes 0x14 in the dispatcher. */
export const readDataByIdentifierHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 11.2.4 NRC 0x13 — not 1 + 2n bytes (the codec checks it).
  const { dids } = readDataByIdentifier.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const access = ecu.access();
  const records: DidRecord[] = [];
  for (const did of dids) {
    const def = ecu.dids.get(did);
    // A DID unknown or not readable in this session is skipped (ISO 14229-1:2020 11.2.1).
    if (!def || (def.read && !sessionAllowed(def.read, access.session))) continue;
    // ISO 14229-1:2020 11.2.4 NRC 0x33 — a requested DID needs an unlocked security level.
    if (def.read && !securityGranted(def.read, access.securityLevel)) {
      throw new NrcError(NRC.securityAccessDenied, `DID ${hexNum(did)} needs security level ${def.read.securityLevels?.join('/')}`);
    }
    records.push({ did, data: ecu.dids.read(did) });
  }
  // ISO 14229-1:2020 11.2.4 NRC 0x31 — none of the requested DIDs is supported.
  if (records.length === 0) throw new NrcError(NRC.requestOutOfRange, `no supported DID among ${dids.map((d) => hexNum(d)).join(', ')}`);
  return readDataByIdentifier.encodeResponse({ records });
};
