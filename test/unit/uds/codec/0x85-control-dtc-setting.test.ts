import { describe } from 'vitest';
import { controlDtcSetting as codec, DtcSettingType } from '../../../../src/uds/codec/0x85-control-dtc-setting.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ControlDTCSetting (0x85)', () => {
  requestTable(codec, [
    {
      name: 'off with SPRMIB',
      object: { settingType: DtcSettingType.off, record: new Uint8Array(0), suppressPositiveResponse: true },
      bytes: `85 // SID
              82 // SPRMIB | off`,
    },
    {
      name: 'on with DTC group record',
      object: { settingType: DtcSettingType.on, record: hex('FF FF FF'), suppressPositiveResponse: false },
      bytes: `85       // SID
              01       // on
              FF FF FF // DTCSettingControlOptionRecord: all groups`,
    },
  ]);

  responseTable(codec, [{ name: 'echo', object: { settingType: 0x02 }, bytes: 'C5 02 // SID + 0x40, off' }]);

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '85', nrc: 0x13 },
    { name: 'wrong SID', bytes: 'C5 02', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no sub-function', bytes: 'C5' },
    { name: 'extra byte', bytes: 'C5 02 00' },
    { name: 'negative response', bytes: '7F 85 22' },
  ]);
});
