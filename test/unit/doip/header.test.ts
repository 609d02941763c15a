import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../src/core/errors.js';
import { diagnosticNackInfo, genericNackInfo, routingActivationInfo, activationTypeName, powerModeName, isRoutingActivationSuccess } from '../../../src/doip/codes.js';
import type { HeaderRules } from '../../../src/doip/header.js';
import { ANY_VERSION_PAYLOAD_TYPES, assertProtocolVersion, checkHeader, decodeHeader, encodeHeader } from '../../../src/doip/header.js';
import { checkDatagram } from '../../../src/doip/message.js';
import { describePayloadType, isValidPayloadLength, PAYLOAD_TYPE_TABLE } from '../../../src/doip/payload-types.js';
import { hex } from './helpers.js';

const TCP_RULES: HeaderRules = {
  protocolVersion: 0x02,
  supportedPayloadTypes: new Set([0x0005, 0x0008, 0x8001]),
  maxDataSize: 4096,
};
const UDP_RULES: HeaderRules = {
  protocolVersion: 0x02,
  supportedPayloadTypes: new Set([0x0001, 0x0002, 0x0003, 0x4001, 0x4003]),
  maxDataSize: 4096,
  anyVersionPayloadTypes: ANY_VERSION_PAYLOAD_TYPES,
};

describe('generic DoIP header', () => {
  it('encodes and decodes', () => {
    // version 02 | inverse FD | payload type 8001 | length 0x00010002
    const bytes = hex('02 FD 80 01 00 01 00 02');
    expect(encodeHeader(0x02, 0x8001, 0x10002)).toEqual(bytes);
    expect(decodeHeader(bytes)).toEqual({ version: 2, inverseVersion: 0xfd, payloadType: 0x8001, payloadLength: 0x10002 });
    // length FFFFFFFF decodes as a number
    expect(decodeHeader(hex('02 FD 8001 FFFFFFFF')).payloadLength).toBe(0xffffffff);
  });

  it('decodeHeader of fewer than 8 bytes throws DecodeError', () => {
    expect(() => decodeHeader(hex('02 FD 80 01 00 00 00'))).toThrow(DecodeError);
  });

  /** [name, header hex, rules, expected NACK code or undefined, close?] — checks in ISO order. */
  const cases: [string, string, HeaderRules, number | undefined, boolean][] = [
    ['valid routing activation request', '02 FD 0005 00000007', TCP_RULES, undefined, false],
    ['valid routing activation with OEM', '02 FD 0005 0000000B', TCP_RULES, undefined, false],
    ['inverse version wrong -> 00 close', '02 FE 0005 00000007', TCP_RULES, 0x00, true],
    ['other version (03 FC) -> 00 close', '03 FC 0005 00000007', TCP_RULES, 0x00, true],
    ['version FF on TCP -> 00 close', 'FF 00 0005 00000007', TCP_RULES, 0x00, true],
    ['version FF for a TCP type even on UDP rules -> 00', 'FF 00 4001 00000000', UDP_RULES, 0x00, true],
    ['version FF for vehicle identification on UDP is fine', 'FF 00 0001 00000000', UDP_RULES, undefined, false],
    ['version FF with EID request on UDP is fine', 'FF 00 0002 00000006', UDP_RULES, undefined, false],
    ['pattern checked before type: bad inverse + unknown type -> 00', '02 00 1234 00000000', TCP_RULES, 0x00, true],
    ['unknown payload type -> 01 discard', '02 FD 1234 00000003', TCP_RULES, 0x01, false],
    ['known type not supported here (UDP type on TCP) -> 01', '02 FD 0001 00000000', TCP_RULES, 0x01, false],
    ['type checked before length: unknown type huge length -> 01', '02 FD 9999 FFFFFFFF', TCP_RULES, 0x01, false],
    ['too large -> 02 discard', '02 FD 8001 00001001', TCP_RULES, 0x02, false],
    ['max data size exactly is fine', '02 FD 8001 00001000', TCP_RULES, undefined, false],
    ['length checked before validity: 0005 with huge length -> 02', '02 FD 0005 FFFFFFFF', TCP_RULES, 0x02, false],
    ['routing activation of 5 bytes -> 04 close', '02 FD 0005 00000005', TCP_RULES, 0x04, true],
    ['alive check response of 3 bytes -> 04 close', '02 FD 0008 00000003', TCP_RULES, 0x04, true],
    ['diagnostic message of 4 bytes -> 04 close', '02 FD 8001 00000004', TCP_RULES, 0x04, true],
    ['vehicle identification with payload -> 04', '02 FD 0001 00000001', UDP_RULES, 0x04, true],
    ['generic NACK of another version accepted when allowed', '03 FC 0000 00000001', { ...TCP_RULES, supportedPayloadTypes: new Set([0]), otherVersionPayloadTypes: new Set([0]) }, undefined, false],
    ['... but not with a wrong inverse', '03 FD 0000 00000001', { ...TCP_RULES, supportedPayloadTypes: new Set([0]), otherVersionPayloadTypes: new Set([0]) }, 0x00, true],
    ['... nor version FF', 'FF 00 0000 00000001', { ...TCP_RULES, supportedPayloadTypes: new Set([0]), otherVersionPayloadTypes: new Set([0]) }, 0x00, true],
  ];
  it.each(cases)('%s', (_name, header, rules, code, close) => {
    const problem = checkHeader(decodeHeader(hex(header)), rules);
    if (code === undefined) {
      expect(problem).toBeUndefined();
    } else {
      expect(problem?.code).toBe(code);
      expect(problem?.close).toBe(close);
      expect(problem?.reason.length).toBeGreaterThan(10);
    }
  });

  it('checkDatagram: NACK 04 when the length field disagrees with the datagram, none for runts', () => {
    const mismatch = checkDatagram(hex('02 FD 0002 00000006 | 00 1A 2B'), UDP_RULES);
    expect(mismatch.ok).toBe(false);
    if (!mismatch.ok) expect(mismatch.problem?.code).toBe(0x04);
    const runt = checkDatagram(hex('02 FD 00'), UDP_RULES);
    expect(runt).toEqual({ ok: false, header: undefined, problem: undefined });
    const fine = checkDatagram(hex('FF 00 0001 00000000'), UDP_RULES);
    expect(fine.ok && fine.message).toEqual({ kind: 'vehicleIdentificationRequest' });
  });

  it('assertProtocolVersion accepts 1..4 only', () => {
    for (const v of [1, 2, 3, 4]) expect(() => assertProtocolVersion(v)).not.toThrow();
    for (const v of [0, 5, 0xff, 2.5]) expect(() => assertProtocolVersion(v)).toThrow(InvalidArgumentError);
  });
});

describe('DoIP payload types and code tables', () => {
  it('every payload type has a name, meaning and a length rule that accepts its documented lengths', () => {
    for (const info of PAYLOAD_TYPE_TABLE) {
      expect(info.meaning.length).toBeGreaterThan(10);
      expect(describePayloadType(info.type)).toContain(info.name);
    }
    expect(isValidPayloadLength(0x0004, 32) && isValidPayloadLength(0x0004, 33)).toBe(true);
    expect(isValidPayloadLength(0x8001, 5) && !isValidPayloadLength(0x8001, 4)).toBe(true);
    expect(describePayloadType(0x1234)).toBe('unknown payload type 0x1234');
  });

  it('generic NACK codes 00-04 have names, meanings and hints', () => {
    expect([0, 1, 2, 3, 4].map((c) => genericNackInfo(c).name)).toEqual([
      'incorrectPatternFormat',
      'unknownPayloadType',
      'messageTooLarge',
      'outOfMemory',
      'invalidPayloadLength',
    ]);
    expect(genericNackInfo(0x05).name).toBe('reserved_05');
  });

  it('routing activation codes', () => {
    expect(routingActivationInfo(0x00).hint).toContain('0x0E00-0x0FFF');
    expect(routingActivationInfo(0x06).name).toBe('unsupportedActivationType');
    expect(routingActivationInfo(0x07).name).toBe('tlsRequired');
    expect(routingActivationInfo(0x11).name).toBe('successConfirmationRequired');
    expect(routingActivationInfo(0xe5).name).toBe('vehicleManufacturerSpecific_E5');
    expect(routingActivationInfo(0x08).name).toBe('reserved_08');
    expect([0x10, 0x11, 0x00, 0x03].map(isRoutingActivationSuccess)).toEqual([true, true, false, false]);
  });

  it('diagnostic NACK codes 02-08', () => {
    expect([2, 3, 4, 5, 6, 7, 8].map((c) => diagnosticNackInfo(c).name)).toEqual([
      'invalidSourceAddress',
      'unknownTargetAddress',
      'diagnosticMessageTooLarge',
      'outOfMemory',
      'targetUnreachable',
      'unknownNetwork',
      'transportProtocolError',
    ]);
    expect(diagnosticNackInfo(0x00).name).toBe('reserved_00');
  });

  it('activation type and power mode names', () => {
    expect([0x00, 0x01, 0xe0, 0xe1, 0x02].map(activationTypeName)).toEqual(['default', 'wwhObd', 'centralSecurity', 'oem_E1', 'reserved_02']);
    expect([0, 1, 2, 3].map(powerModeName)).toEqual(['notReady', 'ready', 'notSupported', 'reserved_03']);
  });
});
