/**
 * LinkControl (0x87), ISO 14229-1:2020 10.10: 87 01 / 87 02 verify that the link can switch to a fixed
 * mode or a specific baud rate and remember it; 87 03 performs the switch after its response (usually sent
 * functionally with SPRMIB, `87 83`, so every node switches at once). The baud rate in force is in
 * `SimulatedEcu.state.linkControl`.
 *
 * Checks after the codec's length check (0x13): the mode or baud rate is supported 0x31, a transition
 * has a preceding verification 0x24, the vehicle conditions allow it 0x22 (ISO 14229-1:2020 10.10.4).
 */
import { FIXED_BAUDRATES, linkControl, LinkControlModeIdentifier, LinkControlType } from '../../uds/codec/0x87-link-control.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuRuntime } from '../ecu-runtime.js';
import type { EcuHandler } from './types.js';

/**
 * The baud rate 87 01 / 87 02 asks for when this ECU supports it, else undefined: a fixed mode's rate must
 * be among `supportedBaudrates`, ProgrammingSetup (0x20) needs `programmingSetupBaudrate`.
 */
function requestedBaudrate(ecu: EcuRuntime, fixed: boolean, mode: number | undefined, specific: number | undefined): number | undefined {
  const link = ecu.linkControl;
  if (fixed && mode === LinkControlModeIdentifier.ProgrammingSetup) return link.programmingSetupBaudrate;
  const baud = fixed ? FIXED_BAUDRATES.get(mode ?? -1) : specific;
  return baud !== undefined && link.supports(baud) ? baud : undefined;
}

/** ISO 14229-1:2020 10.10.4 NRC 0x22 — the link is not switched while the vehicle moves (profile `requireStandstill`). */
function checkConditions(ecu: EcuRuntime): void {
  if (ecu.linkControl.requireStandstill && ecu.vehicle.speedKmh > 0) {
    throw new NrcError(NRC.conditionsNotCorrect, `the link is not switched while the vehicle moves (speed ${ecu.vehicle.speedKmh} km/h)`);
  }
}

/** Handler of 0x87 (sub-functions 01-03 via the service table). */
export const linkControlHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 10.10.4 NRC 0x13 — wrong length for the linkControlType (the codec checks it).
  const req = linkControl.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const link = ecu.linkControl;
  const type = req.linkControlType;

  if (type === LinkControlType.verifyModeTransitionWithFixedParameter || type === LinkControlType.verifyModeTransitionWithSpecificParameter) {
    const fixed = type === LinkControlType.verifyModeTransitionWithFixedParameter;
    const baud = requestedBaudrate(ecu, fixed, req.linkControlModeIdentifier, req.linkBaudrate);
    // ISO 14229-1:2020 10.10.4 NRC 0x31 — the requested mode / baud rate is not supported.
    if (baud === undefined) {
      const what = fixed ? `linkControlModeIdentifier 0x${(req.linkControlModeIdentifier ?? 0).toString(16)}` : `baud rate ${String(req.linkBaudrate)} bit/s`;
      throw new NrcError(NRC.requestOutOfRange, `${what} is not supported (supported: ${ecu.config.linkControl.supportedBaudrates.join(', ')} bit/s)`);
    }
    checkConditions(ecu);
    link.verify(baud);
    return linkControl.encodeResponse({ linkControlType: type });
  }

  if (type === LinkControlType.transitionMode) {
    // ISO 14229-1:2020 10.10.4 NRC 0x24 — transitionMode without a preceding successful verification.
    if (link.pendingBaudrate === null) {
      throw new NrcError(NRC.requestSequenceError, 'transitionMode (87 03) needs a preceding 87 01 or 87 02 verification');
    }
    checkConditions(ecu);
    // ISO 14229-1:2020 10.10.1 — the switch happens after the positive response (or the suppressed one).
    ctx.afterResponse(() => {
      const baud = link.transition();
      ecu.logger.info('link control: transition', { baudrate: baud });
    });
    return linkControl.encodeResponse({ linkControlType: type });
  }

  // Other types never pass the service table (0x12); a custom table that lets one through gets 0x12 here.
  throw new NrcError(NRC.subFunctionNotSupported, `linkControlType 0x${type.toString(16)} is not supported`);
};
