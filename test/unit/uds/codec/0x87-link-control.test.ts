import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import {
  FIXED_BAUDRATES,
  linkControl as codec,
  LinkControlModeIdentifier,
  LinkControlType,
} from '../../../../src/uds/codec/0x87-link-control.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('LinkControl (0x87)', () => {
  requestTable(codec, [
    {
      name: 'verify a fixed CAN 500 kbit/s mode',
      object: {
        linkControlType: LinkControlType.verifyModeTransitionWithFixedParameter,
        linkControlModeIdentifier: LinkControlModeIdentifier.CAN500000Baud,
        suppressPositiveResponse: false,
      },
      bytes: `87 // SID
              01 // verifyModeTransitionWithFixedParameter
              12 // CAN500000Baud`,
    },
    {
      name: 'verify a specific baud rate (linkRecord)',
      object: { linkControlType: 0x02, linkBaudrate: 1_000_000, suppressPositiveResponse: false },
      bytes: `87       // SID
              02       // verifyModeTransitionWithSpecificParameter
              0F 42 40 // 1 000 000 bit/s`,
    },
    {
      name: 'transition, functional style with SPRMIB',
      object: { linkControlType: LinkControlType.transitionMode, suppressPositiveResponse: true },
      bytes: `87 83 // SID, SPRMIB | transitionMode`,
    },
    {
      name: 'a manufacturer-specific type keeps its bytes',
      object: { linkControlType: 0x40, record: hex('01 02'), suppressPositiveResponse: false },
      bytes: `87 40 01 02`,
    },
  ]);

  responseTable(codec, [{ name: 'echo', object: { linkControlType: 0x03 }, bytes: 'C7 03 // SID + 0x40, transitionMode' }]);

  requestErrorTable(codec, [
    { name: 'SID only', bytes: '87', nrc: 0x13 },
    { name: '01 without a mode', bytes: '87 01', nrc: 0x13 },
    { name: '01 with two bytes', bytes: '87 01 12 00', nrc: 0x13 },
    { name: '02 with a short linkRecord', bytes: '87 02 07 A1', nrc: 0x13 },
    { name: '02 with a long linkRecord', bytes: '87 02 07 A1 20 00', nrc: 0x13 },
    { name: '03 with a parameter', bytes: '87 03 12', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no sub-function', bytes: 'C7' },
    { name: 'extra byte', bytes: 'C7 01 12' },
    { name: 'negative response', bytes: '7F 87 31' },
  ]);

  it('checks fields against the link control type on encode', () => {
    expect(() => codec.encodeRequest({ linkControlType: 0x01 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ linkControlType: 0x02, linkBaudrate: 0x1000000 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ linkControlType: 0x03, linkControlModeIdentifier: 0x12 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ linkControlType: 0x01, linkControlModeIdentifier: 0x12, linkBaudrate: 1 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ linkControlType: 0x03, record: hex('00') })).toThrow(InvalidArgumentError);
  });

  it('knows the baud rate of each fixed mode (ProgrammingSetup has none)', () => {
    expect(FIXED_BAUDRATES.get(LinkControlModeIdentifier.CAN125000Baud)).toBe(125_000);
    expect(FIXED_BAUDRATES.get(LinkControlModeIdentifier.CAN1000000Baud)).toBe(1_000_000);
    expect(FIXED_BAUDRATES.get(LinkControlModeIdentifier.PC115200Baud)).toBe(115_200);
    expect(FIXED_BAUDRATES.has(LinkControlModeIdentifier.ProgrammingSetup)).toBe(false);
  });
});
