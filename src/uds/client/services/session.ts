/**
 * Typed client calls of the session-management services: DiagnosticSessionControl (0x10), ECUReset
 * (0x11), TesterPresent (0x3E), CommunicationControl (0x28) and ControlDTCSetting (0x85).
 */
import { communicationControl as ccCodec } from '../../codec/0x28-communication-control.js';
import {
  diagnosticSessionControl as dscCodec,
  type DiagnosticSessionControlResponse,
} from '../../codec/0x10-diagnostic-session-control.js';
import { ecuReset as resetCodec, type EcuResetResponse } from '../../codec/0x11-ecu-reset.js';
import { testerPresent as tpCodec } from '../../codec/0x3e-tester-present.js';
import { controlDtcSetting as dtcCodec } from '../../codec/0x85-control-dtc-setting.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** `10 SF` -> `50 SF P2 P2*`; checks the session echo. Undefined when suppressed and no response came. */
export async function diagnosticSessionControl(
  c: UdsRequester,
  sessionType: number,
  opts?: ServiceCallOptions,
): Promise<DiagnosticSessionControlResponse | undefined> {
  const req = dscCodec.encodeRequest({ sessionType, suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true, [sessionType]));
  if (!res) return undefined;
  const d = decodePositive(dscCodec, res, c.target);
  checkEcho(dscCodec.sid, c.target, res, 'sessionType', d.sessionType, sessionType);
  return d;
}

/** `11 SF` -> `51 SF [powerDownTime]`; checks the reset type echo. */
export async function ecuReset(c: UdsRequester, resetType: number, opts?: ServiceCallOptions): Promise<EcuResetResponse | undefined> {
  const req = resetCodec.encodeRequest({ resetType, suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true, [resetType]));
  if (!res) return undefined;
  const d = decodePositive(resetCodec, res, c.target);
  checkEcho(resetCodec.sid, c.target, res, 'resetType', d.resetType, resetType);
  return d;
}

/** `3E 00` -> `7E 00` (or `3E 80` and no positive response with `suppress`). */
export async function testerPresent(c: UdsRequester, opts?: ServiceCallOptions): Promise<void> {
  const req = tpCodec.encodeRequest({ suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true));
  if (res) decodePositive(tpCodec, res, c.target);
}

/** `28 SF commType [nodeId]` -> `68 SF`; checks the control type echo. */
export async function communicationControl(
  c: UdsRequester,
  controlType: number,
  communicationType: number,
  nodeIdentificationNumber?: number,
  opts?: ServiceCallOptions,
): Promise<void> {
  const req = ccCodec.encodeRequest({
    controlType,
    communicationType,
    ...(nodeIdentificationNumber === undefined ? {} : { nodeIdentificationNumber }),
    suppressPositiveResponse: opts?.suppress === true,
  });
  const res = await c.request(req, requestOptionsOf(opts, true, [controlType]));
  if (!res) return;
  const d = decodePositive(ccCodec, res, c.target);
  checkEcho(ccCodec.sid, c.target, res, 'controlType', d.controlType, controlType);
}

/** `85 SF [record]` -> `C5 SF`; checks the setting type echo. */
export async function controlDtcSetting(
  c: UdsRequester,
  settingType: number,
  record: Uint8Array = new Uint8Array(0),
  opts?: ServiceCallOptions,
): Promise<void> {
  const req = dtcCodec.encodeRequest({ settingType, record, suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true, [settingType]));
  if (!res) return;
  const d = decodePositive(dtcCodec, res, c.target);
  checkEcho(dtcCodec.sid, c.target, res, 'settingType', d.settingType, settingType);
}
