import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { ecuReset as codec, ResetType } from '../../../../src/uds/codec/0x11-ecu-reset.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ECUReset (0x11)', () => {
  requestTable(codec, [
    {
      name: 'hard reset',
      object: { resetType: ResetType.hardReset },
      bytes: `11 // SID
              01 // hardReset`,
      decoded: { resetType: 1, suppressPositiveResponse: false },
    },
    {
      name: 'soft reset with SPRMIB',
      object: { resetType: 0x03, suppressPositiveResponse: true },
      bytes: `11 // SID
              83 // SPRMIB | softReset`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'hard reset',
      object: { resetType: 0x01 },
      bytes: `51 // SID + 0x40
              01 // hardReset`,
    },
    {
      name: 'enableRapidPowerShutDown with powerDownTime',
      object: { resetType: 0x04, powerDownTimeS: 10 },
      bytes: `51 // SID + 0x40
              04 // enableRapidPowerShutDown
              0A // powerDownTime = 10 s`,
    },
  ]);

  it('writes powerDownTime 0xFF (not available) when missing for 0x04', () => {
    expect(codec.encodeResponse({ resetType: 0x04 })).toEqual(hex('51 04 FF'));
  });

  it('refuses powerDownTimeS for other reset types', () => {
    expect(() => codec.encodeResponse({ resetType: 0x01, powerDownTimeS: 1 })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '11', nrc: 0x13 },
    { name: 'extra byte', bytes: '11 01 00', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'powerDownTime missing for 0x04', bytes: '51 04' },
    { name: 'powerDownTime for 0x01', bytes: '51 01 0A' },
    { name: 'no sub-function', bytes: '51' },
    { name: 'negative response', bytes: '7F 11 22' },
  ]);
});
