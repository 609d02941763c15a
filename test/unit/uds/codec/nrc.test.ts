import { describe, expect, it } from 'vitest';
import { NRC, NRC_TABLE, nrcInfo, nrcName, NRCS_SUPPRESSED_ON_FUNCTIONAL } from '../../../../src/uds/codec/nrc.js';

/** Every NRC of spec/uds.md ("Negative response codes") with its name; 50-5D are the authentication codes. */
const SPEC_NRCS: readonly [number, string][] = [
  [0x10, 'generalReject'],
  [0x11, 'serviceNotSupported'],
  [0x12, 'subFunctionNotSupported'],
  [0x13, 'incorrectMessageLengthOrInvalidFormat'],
  [0x14, 'responseTooLong'],
  [0x21, 'busyRepeatRequest'],
  [0x22, 'conditionsNotCorrect'],
  [0x24, 'requestSequenceError'],
  [0x25, 'noResponseFromSubnetComponent'],
  [0x26, 'failurePreventsExecutionOfRequestedAction'],
  [0x31, 'requestOutOfRange'],
  [0x33, 'securityAccessDenied'],
  [0x34, 'authenticationRequired'],
  [0x35, 'invalidKey'],
  [0x36, 'exceededNumberOfAttempts'],
  [0x37, 'requiredTimeDelayNotExpired'],
  [0x38, 'secureDataTransmissionRequired'],
  [0x39, 'secureDataTransmissionNotAllowed'],
  [0x3a, 'secureDataVerificationFailed'],
  [0x70, 'uploadDownloadNotAccepted'],
  [0x71, 'transferDataSuspended'],
  [0x72, 'generalProgrammingFailure'],
  [0x73, 'wrongBlockSequenceCounter'],
  [0x78, 'requestCorrectlyReceivedResponsePending'],
  [0x7e, 'subFunctionNotSupportedInActiveSession'],
  [0x7f, 'serviceNotSupportedInActiveSession'],
  [0x81, 'rpmTooHigh'],
  [0x82, 'rpmTooLow'],
  [0x83, 'engineIsRunning'],
  [0x84, 'engineIsNotRunning'],
  [0x85, 'engineRunTimeTooLow'],
  [0x86, 'temperatureTooHigh'],
  [0x87, 'temperatureTooLow'],
  [0x88, 'vehicleSpeedTooHigh'],
  [0x89, 'vehicleSpeedTooLow'],
  [0x8a, 'throttlePedalTooHigh'],
  [0x8b, 'throttlePedalTooLow'],
  [0x8c, 'transmissionRangeNotInNeutral'],
  [0x8d, 'transmissionRangeNotInGear'],
  [0x8f, 'brakeSwitchNotClosed'],
  [0x90, 'shifterLeverNotInPark'],
  [0x91, 'torqueConverterClutchLocked'],
  [0x92, 'voltageTooHigh'],
  [0x93, 'voltageTooLow'],
  [0x94, 'resourceTemporarilyNotAvailable'],
];

describe('nrc', () => {
  it.each(SPEC_NRCS)('NRC %i (%s) is in the table with its spec name', (code, name) => {
    const entry = NRC_TABLE.find((e) => e.code === code);
    expect(entry?.name).toBe(name);
    expect(NRC[name as keyof typeof NRC]).toBe(code);
    expect(nrcName(code)).toBe(name);
  });

  it('has every authentication code 0x50..0x5D', () => {
    for (let code = 0x50; code <= 0x5d; code++) {
      expect(NRC_TABLE.some((e) => e.code === code)).toBe(true);
    }
  });

  it('gives every entry a name, a meaning and a hint, in code order without duplicates', () => {
    let previous = 0;
    for (const e of NRC_TABLE) {
      expect(e.code).toBeGreaterThan(previous);
      previous = e.code;
      expect(e.name).toMatch(/^[a-z][A-Za-z]+$/);
      expect(e.meaning.length).toBeGreaterThan(5);
      expect(e.hint.length).toBeGreaterThan(5);
      expect(NRC[e.name as keyof typeof NRC]).toBe(e.code);
    }
    expect(Object.keys(NRC)).toHaveLength(NRC_TABLE.length);
  });

  it('names reserved and manufacturer-specific codes', () => {
    expect(nrcInfo(0xf3).name).toBe('vehicleManufacturerSpecific_F3');
    expect(nrcInfo(0x95).name).toBe('reservedByDocument_95');
    expect(nrcName(0x00)).toBe('reservedByDocument_00');
  });

  it('lists the NRCs suppressed on functional requests (ISO 14229-1:2020 7.5.2)', () => {
    expect([...NRCS_SUPPRESSED_ON_FUNCTIONAL].sort((a, b) => a - b)).toEqual([0x11, 0x12, 0x31, 0x7e, 0x7f]);
  });
});
