import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { diagnosticSessionControl as codec, SessionType } from '../../../../src/uds/codec/0x10-diagnostic-session-control.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('DiagnosticSessionControl (0x10)', () => {
  requestTable(codec, [
    {
      name: 'default session',
      object: { sessionType: SessionType.defaultSession },
      bytes: `10 // SID
              01 // defaultSession`,
      decoded: { sessionType: 1, suppressPositiveResponse: false },
    },
    {
      name: 'programming session with SPRMIB',
      object: { sessionType: 0x02, suppressPositiveResponse: true },
      bytes: `10 // SID
              82 // SPRMIB | programmingSession`,
    },
    {
      name: 'extended session',
      object: { sessionType: 0x03, suppressPositiveResponse: false },
      bytes: '10 03',
    },
  ]);

  responseTable(codec, [
    {
      name: 'extended session, P2 50 ms, P2* 5000 ms',
      object: { sessionType: 0x03, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 },
      bytes: `50    // SID + 0x40
              03    // extendedDiagnosticSession
              00 32 // P2server_max = 50 ms
              01 F4 // P2*server_max = 500 x 10 ms`,
    },
    {
      name: 'maximum values',
      object: { sessionType: 0x7f, p2ServerMaxMs: 0xffff, p2StarServerMaxMs: 655350 },
      bytes: '50 7F FF FF FF FF',
    },
  ]);

  it('rounds P2* up to the next 10 ms on encode', () => {
    expect(codec.encodeResponse({ sessionType: 1, p2ServerMaxMs: 25, p2StarServerMaxMs: 5001 })).toEqual(hex('50 01 00 19 01 F5'));
  });

  it('rejects values that do not fit on encode', () => {
    expect(() => codec.encodeRequest({ sessionType: 0x80 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ sessionType: 1, p2ServerMaxMs: 0x10000, p2StarServerMaxMs: 0 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeResponse({ sessionType: 1, p2ServerMaxMs: 0, p2StarServerMaxMs: 655351 })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '10', nrc: 0x13 },
    { name: 'extra byte', bytes: '10 03 00', nrc: 0x13 },
    { name: 'wrong SID', bytes: '11 01', nrc: 0x13 },
    { name: 'empty', bytes: '', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'missing P2*', bytes: '50 03 00 32' },
    { name: 'extra byte', bytes: '50 03 00 32 01 F4 00' },
    { name: 'wrong SID', bytes: '51 03 00 32 01 F4' },
    { name: 'negative response', bytes: '7F 10 12' },
  ]);
});
