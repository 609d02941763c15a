/**
 * CommunicationControl (0x28), ISO 14229-1:2020 10.5: enables/disables reception and transmission of
 * normal and/or network-management messages. The state is readable in `SimulatedEcu.state`.
 */
import { communicationControl } from '../../uds/codec/0x28-communication-control.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { RxTxState } from '../ecu-events.js';
import type { EcuHandler } from './types.js';

/** rx/tx per controlType 00..03 (ISO 14229-1:2020 10.5.2). */
const CONTROL: Readonly<Record<number, RxTxState>> = {
  0x00: { rx: true, tx: true },
  0x01: { rx: true, tx: false },
  0x02: { rx: false, tx: true },
  0x03: { rx: false, tx: false },
};

/** Handler of 0x28 (sub-functions 00-03 via the service table). */
export const communicationControlHandler: EcuHandler = (ctx) => {
  const req = communicationControl.decodeRequest(ctx.data);
  const state = CONTROL[req.controlType];
  // ISO 14229-1:2020 annex B.1 — communicationType bits 0-1: 01 normal, 10 network management, 11 both.
  const kinds = req.communicationType & 0x03;
  // ISO 14229-1:2020 10.5.4 NRC 0x31 — communicationType names no message kind.
  if (!state || kinds === 0) {
    throw new NrcError(NRC.requestOutOfRange, `communicationType 0x${req.communicationType.toString(16)} names no message kind`);
  }
  const cur = ctx.env.communication;
  ctx.env.communication = {
    normal: kinds & 0x01 ? state : cur.normal,
    networkManagement: kinds & 0x02 ? state : cur.networkManagement,
  };
  return communicationControl.encodeResponse({ controlType: req.controlType });
};
