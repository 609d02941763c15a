/**
 * DiagnosticSessionControl (0x10), ISO 14229-1:2020 10.2: switches the session (with every side effect
 * of a transition, see `EcuRuntime.changeSession`) and reports P2server / P2*server. On an ECU with a
 * bootloader, the programming session requested in the application makes it jump into the bootloader
 * first (boot-manager.ts); the bootloader then sends the response.
 */
import { diagnosticSessionControl } from '../../uds/codec/0x10-diagnostic-session-control.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { programmingPreconditionFailures } from '../vehicle-state.js';
import { sessionTiming } from '../profile-service-table.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x10. Sub-function support per session comes from the service table. */
export const diagnosticSessionControlHandler: EcuHandler = async (ctx) => {
  const req = diagnosticSessionControl.decodeRequest(ctx.data);
  const ecu = ctx.env;
  if (req.sessionType === ecu.config.programming.session) {
    const failures = programmingPreconditionFailures(ecu.vehicle);
    // ISO 14229-1:2020 10.2.4 NRC 0x22 — programming preconditions (voltage, ignition, speed) not met.
    if (failures.length > 0) {
      throw new NrcError(NRC.conditionsNotCorrect, 'programming preconditions are not met', { failures });
    }
  }
  if (ecu.boot.jumpsFor(req.sessionType)) {
    // spec/bootloader-and-flashing.md / ISO 14229-1:2020 10.2.1 — the application sets the programming
    // request and resets into the bootloader, which answers 50 02; the dispatcher sends 0x78 first while
    // the jump takes longer than P2server (ISO 14229-1:2020 7.5). RAM, security and transfer are reset.
    await ecu.jumpToBootloader();
  }
  ecu.changeSession(req.sessionType, 'request');
  // ISO 14229-1:2020 10.2.3 — the response carries P2server_max and P2*server_max of the new session.
  const timing = sessionTiming(ecu.config, req.sessionType);
  return diagnosticSessionControl.encodeResponse({
    sessionType: req.sessionType,
    p2ServerMaxMs: timing.p2ServerMs,
    p2StarServerMaxMs: timing.p2StarServerMs,
  });
};
