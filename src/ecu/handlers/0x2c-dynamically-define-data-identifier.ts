/**
 * DynamicallyDefineDataIdentifier (0x2C), ISO 14229-1:2020 11.6: defines DIDs from other DIDs (01) or
 * memory (02), or clears them (03); the rules are in dynamic-dids.ts. Sub-functions 01-03 are checked
 * by the service table (0x12 / 0x7E) before this handler runs.
 */
import { dynamicallyDefineDataIdentifier } from '../../uds/codec/0x2c-dynamically-define-data-identifier.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x2C. */
export const dynamicallyDefineDataIdentifierHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 11.6.4 NRC 0x13 — element lengths, one ALFID with nibbles 1..4, optional 2-byte DDDID (codec).
  const req = dynamicallyDefineDataIdentifier.decodeRequest(ctx.data);
  const dyn = ctx.env.dynamicDids;
  switch (req.kind) {
    case 'defineByIdentifier':
      dyn.defineByIdentifier(req.dddid, req.sources);
      return dynamicallyDefineDataIdentifier.encodeResponse({ subFunction: 0x01, dddid: req.dddid });
    case 'defineByMemoryAddress':
      dyn.defineByMemoryAddress(req.dddid, req.sources);
      return dynamicallyDefineDataIdentifier.encodeResponse({ subFunction: 0x02, dddid: req.dddid });
    case 'clear':
      dyn.clear(req.dddid);
      return dynamicallyDefineDataIdentifier.encodeResponse(req.dddid === undefined ? { subFunction: 0x03 } : { subFunction: 0x03, dddid: req.dddid });
    default:
      // ISO 14229-1:2020 11.6.4 NRC 0x12 — reached only when a profile allows a sub-function udskit does not implement.
      throw new NrcError(NRC.subFunctionNotSupported, `definitionType 0x${req.subFunction.toString(16)} is not implemented`);
  }
};
