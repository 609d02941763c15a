/**
 * ControlDTCSetting (0x85), ISO 14229-1:2020 10.8: 01 on / 02 off. While off, DTC status bits do not
 * change; the default session turns it back on.
 */
import { controlDtcSetting } from '../../uds/codec/0x85-control-dtc-setting.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x85 (sub-functions 01/02 via the service table). */
export const controlDtcSettingHandler: EcuHandler = (ctx) => {
  const req = controlDtcSetting.decodeRequest(ctx.data);
  ctx.env.dtcSettingOn = req.settingType === 0x01;
  return controlDtcSetting.encodeResponse({ settingType: req.settingType });
};
