/**
 * InputOutputControlByIdentifier (0x2F), ISO 14229-1:2020 13.2: takes over (or gives back) an input or
 * output of the ECU represented by a DID with `ioControl` in its profile; the state lives in io-control.ts
 * and 0x22 reads the controlled value.
 */
import { hexByte, hexNum } from '../../core/hex.js';
import {
  inputOutputControlByIdentifier as codec,
  IoControlParameter,
  splitControlOptionRecord,
} from '../../uds/codec/0x2f-input-output-control-by-identifier.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed } from '../../uds/server/service-table.js';
import { didValueProblem } from '../did-codec.js';
import { ioConditionProblem, maskLengthOf } from '../io-control.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x2F. The response is `6F DID parameter controlState` with the DID's value after the request. */
export const inputOutputControlByIdentifierHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 13.2.4 NRC 0x13 — shorter than SID + DID + parameter (codec).
  const req = codec.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const { session, securityLevel } = ecu.access();
  const def = ecu.dids.get(req.did);
  const io = def?.ioControl;
  // ISO 14229-1:2020 13.2.4 NRC 0x31 — DID not supported for IO control (in the active session).
  if (!def || !io || !sessionAllowed(io, session)) {
    throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(req.did)} cannot be controlled${io ? ' in this session' : ''}`);
  }
  // ISO 14229-1:2020 13.2.4 NRC 0x33 — the DID's IO control is secured and its level is not unlocked.
  if (!securityGranted(io, securityLevel)) {
    throw new NrcError(NRC.securityAccessDenied, `controlling DID ${hexNum(req.did)} needs security level ${io.securityLevels?.join('/')}`);
  }
  const parameter = req.inputOutputControlParameter;
  // ISO 14229-1:2020 13.2.4 NRC 0x31 — inputOutputControlParameter not supported for this DID.
  if (!io.parameters.includes(parameter)) {
    throw new NrcError(NRC.requestOutOfRange, `DID ${hexNum(req.did)} does not support inputOutputControlParameter 0x${hexByte(parameter)}`);
  }
  const length = ecu.dids.read(req.did).length;
  const short = parameter === IoControlParameter.shortTermAdjustment;
  // ISO 14229-1:2020 13.2.4 NRC 0x13 — controlState (03 only) and controlEnableMask of the DID's lengths.
  const split = splitControlOptionRecord(req, { stateLength: short ? length : 0, maskLength: maskLengthOf(io) });
  // ISO 14229-1:2020 13.2.4 NRC 0x22 — the vehicle conditions for this control are not met.
  const condition = ioConditionProblem(io.conditions, ecu.vehicle);
  if (condition) throw new NrcError(NRC.conditionsNotCorrect, `cannot control DID ${hexNum(req.did)}: ${condition}`);
  // ISO 14229-1:2020 13.2.4 NRC 0x31 — a mask bit for a signal the DID does not have.
  const signals = io.signals?.length ?? 0;
  for (let bit = signals; bit < split.controlEnableMask.length * 8; bit++) {
    if ((((split.controlEnableMask[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1) === 1) {
      throw new NrcError(NRC.requestOutOfRange, `controlEnableMask bit for signal ${bit + 1}, but DID ${hexNum(req.did)} has ${signals} signal(s)`);
    }
  }
  // ISO 14229-1:2020 13.2.4 NRC 0x31 — a controlState the DID's codec does not accept.
  const problem = short && def.codec ? didValueProblem({ codec: def.codec, min: def.min, max: def.max }, split.controlState) : undefined;
  if (problem) throw new NrcError(NRC.requestOutOfRange, `controlState for DID ${hexNum(req.did)} (${def.codec}): ${problem}`);
  const now = ecu.ioControl.apply({ did: req.did, parameter, state: split.controlState, mask: split.controlEnableMask });
  return codec.encodeResponse({ did: req.did, inputOutputControlParameter: parameter, controlState: now });
};
