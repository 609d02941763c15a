import { describe, expect, it } from 'vitest';
import {
  hasSubFunction,
  isKnownSid,
  NEGATIVE_RESPONSE_SID,
  POSITIVE_RESPONSE_OFFSET,
  serviceName,
  SID,
  SPRMIB,
  splitSubFunction,
  subFunctionByte,
} from '../../../../src/uds/codec/sid.js';

describe('sid', () => {
  it('has the message-shape constants of ISO 14229-1:2020 8', () => {
    expect(POSITIVE_RESPONSE_OFFSET).toBe(0x40);
    expect(NEGATIVE_RESPONSE_SID).toBe(0x7f);
    expect(SPRMIB).toBe(0x80);
  });

  it('names request and response SIDs', () => {
    expect(serviceName(0x22)).toBe('ReadDataByIdentifier');
    expect(serviceName(0x62)).toBe('ReadDataByIdentifier');
    expect(serviceName(0x85)).toBe('ControlDTCSetting');
    expect(serviceName(0xc5)).toBe('ControlDTCSetting');
    expect(serviceName(0x01)).toBe('service 0x01');
    expect(serviceName(0xaa)).toBe('service 0xAA');
  });

  it('knows request SIDs only', () => {
    expect(isKnownSid(SID.TransferData)).toBe(true);
    expect(isKnownSid(0x76)).toBe(false);
    expect(isKnownSid(0x00)).toBe(false);
  });

  it('marks the services with a sub-function', () => {
    for (const sid of [0x10, 0x11, 0x19, 0x27, 0x28, 0x29, 0x31, 0x3e, 0x85]) expect(hasSubFunction(sid)).toBe(true);
    for (const sid of [0x14, 0x22, 0x23, 0x2e, 0x34, 0x35, 0x36, 0x37, 0x3d]) expect(hasSubFunction(sid)).toBe(false);
  });

  it('splits and builds sub-function bytes', () => {
    expect(splitSubFunction(0x83)).toEqual({ value: 0x03, suppressPositiveResponse: true });
    expect(splitSubFunction(0x03)).toEqual({ value: 0x03, suppressPositiveResponse: false });
    expect(subFunctionByte(0x03, true)).toBe(0x83);
    expect(subFunctionByte(0x03)).toBe(0x03);
    for (let b = 0; b < 256; b++) {
      const s = splitSubFunction(b);
      expect(subFunctionByte(s.value, s.suppressPositiveResponse)).toBe(b);
    }
  });
});
