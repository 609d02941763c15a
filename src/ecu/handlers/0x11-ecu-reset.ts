/**
 * ECUReset (0x11), ISO 14229-1:2020 10.3: the positive response goes out first, then the ECU resets
 * (unavailable for resetDurationMs, default session, locked, transfer aborted, RAM cleared).
 */
import { ecuReset } from '../../uds/codec/0x11-ecu-reset.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x11. Supported reset types come from the service table. */
export const ecuResetHandler: EcuHandler = (ctx) => {
  const req = ecuReset.decodeRequest(ctx.data);
  // ISO 14229-1:2020 10.3.1 — the server sends the response before it performs the reset.
  ctx.afterResponse(() => ctx.env.reset(req.resetType));
  return ecuReset.encodeResponse({ resetType: req.resetType });
};
