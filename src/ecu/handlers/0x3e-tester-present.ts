/**
 * TesterPresent (0x3E), ISO 14229-1:2020 10.7: keeps the session alive (every request restarts S3;
 * the dispatcher does that). Only sub-function 00 exists (the service table answers 0x12 otherwise).
 */
import { testerPresent } from '../../uds/codec/0x3e-tester-present.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x3E. */
export const testerPresentHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 10.7.4 NRC 0x13 — exactly two bytes (codec).
  testerPresent.decodeRequest(ctx.data);
  return testerPresent.encodeResponse({});
};
