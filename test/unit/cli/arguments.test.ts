import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { describe, expect, it } from 'vitest';
import {
  didParser,
  hexBytesParser,
  parseDtcGroup,
  parseResetType,
  parseRoutineId,
  parseSecurityLevel,
  parseSessionType,
} from '../../../src/cli/arguments.js';
import { DID_BY_NAME } from '../../../src/cli/did-names.js';
import { parseSecret } from '../../../src/cli/session-security.js';
import { ConfigError, InvalidArgumentError } from '../../../src/core/errors.js';

describe('CLI argument parsers', () => {
  it('session: names, bare hex and 0x hex; bit 7 refused', () => {
    expect(parseSessionType('default')).toBe(0x01);
    expect(parseSessionType('Programming')).toBe(0x02);
    expect(parseSessionType('extended')).toBe(0x03);
    expect(parseSessionType('safety')).toBe(0x04);
    expect(parseSessionType('03')).toBe(0x03);
    expect(parseSessionType('0x60')).toBe(0x60);
    // Bare digits are hex, as on the wire: "10" is 0x10, not ten.
    expect(parseSessionType('10')).toBe(0x10);
    expect(() => parseSessionType('0x83')).toThrow(/bit 7 is the suppress-positive-response bit/);
    expect(() => parseSessionType('turbo')).toThrow(CommanderInvalidArgument);
    expect(() => parseSessionType('123')).toThrow(/a hex byte/);
  });

  it('reset types by name and hex', () => {
    expect(parseResetType('hard')).toBe(0x01);
    expect(parseResetType('key-off-on')).toBe(0x02);
    expect(parseResetType('soft')).toBe(0x03);
    expect(parseResetType('0x05')).toBe(0x05);
    expect(() => parseResetType('0x81')).toThrow(CommanderInvalidArgument);
  });

  it('security levels are the odd requestSeed values', () => {
    expect(parseSecurityLevel('01')).toBe(0x01);
    expect(parseSecurityLevel('0x11')).toBe(0x11);
    expect(() => parseSecurityLevel('02')).toThrow(/odd requestSeed value/);
    expect(() => parseSecurityLevel('0x81')).toThrow(/odd requestSeed value/);
  });

  it('DIDs in hex or by name (case-insensitive); RIDs in hex; DTC groups', () => {
    const parseDid = didParser(DID_BY_NAME);
    expect(parseDid('F190')).toBe(0xf190);
    expect(parseDid('0xf18c')).toBe(0xf18c);
    expect(parseDid('vin')).toBe(0xf190);
    expect(parseDid('BootSoftwareId')).toBe(0xf180);
    expect(parseDid('activeDiagnosticSession')).toBe(0xf186);
    expect(parseDid('calibrationDate')).toBe(0xf19b);
    expect(() => parseDid('F1900')).toThrow(/up to 4 hex digits/);
    expect(parseRoutineId('FF00')).toBe(0xff00);
    expect(parseRoutineId('0x203')).toBe(0x0203);
    expect(() => parseRoutineId('xyz')).toThrow(CommanderInvalidArgument);
    expect(parseDtcGroup('FFFFFF')).toBe(0xffffff);
    expect(parseDtcGroup('all')).toBe(0xffffff);
    expect(parseDtcGroup('0x000100')).toBe(0x100);
    expect(() => parseDtcGroup('1000000')).toThrow(/up to 6 hex digits/);
  });

  it('hex bytes', () => {
    expect(hexBytesParser('data')('01 02 0A')).toEqual(Uint8Array.of(1, 2, 10));
    expect(hexBytesParser('data')('0x01,0xFF')).toEqual(Uint8Array.of(1, 0xff));
    expect(() => hexBytesParser('data')('zz')).toThrow(/^data: "zz" is not hex/);
  });

  it('secrets: ASCII text, 32-bit numbers as 4 bytes, hex: bytes', () => {
    expect(parseSecret('2345')).toEqual(Uint8Array.of(0x32, 0x33, 0x34, 0x35));
    expect(parseSecret('0x464C4147')).toEqual(Uint8Array.of(0x46, 0x4c, 0x41, 0x47));
    expect(parseSecret('0x1')).toEqual(Uint8Array.of(0, 0, 0, 1));
    expect(parseSecret('hex:A5 5A C3 3C')).toEqual(Uint8Array.of(0xa5, 0x5a, 0xc3, 0x3c));
    expect(() => parseSecret('0x123456789')).toThrow(InvalidArgumentError);
    expect(() => parseSecret('0x123456789')).toThrow(/hex:123456789/);
    expect(() => parseSecret('hex:ABC')).toThrow(ConfigError);
  });
});
