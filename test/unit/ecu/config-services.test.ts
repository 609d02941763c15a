/** The service-table keys of a profile (sessions, supportedServices, services, bootloader, routines): parsing and messages. */
import { describe, it, expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/hex.js';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { parseServiceRef } from '../../../src/ecu/config-services.js';

/** Every problem of `input` as `path: message`, sorted; compare with {@link sorted}. */
function problems(input: unknown): string[] {
  try {
    parseEcuConfig(input, 'ecu.yaml');
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    expect(e.message.startsWith('ecu.yaml: invalid ECU configuration:')).toBe(true);
    // Sorted: the order of zod's passes is not part of the contract.
    return (e.details['issues'] as { path: string; message: string }[]).map((i) => `${i.path}: ${i.message}`).sort();
  }
  throw new Error('expected a ConfigError');
}

const sorted = (lines: string[]): string[] => [...lines].sort();

describe('profile keys: sessions and services', () => {
  it('defaults: sessions 01/02/03 with their ISO names, no overlay, no routines', () => {
    const c = parseEcuConfig({ address: 0x1010 });
    expect(c.sessions).toEqual([
      { id: 1, name: 'defaultSession' },
      { id: 2, name: 'programmingSession' },
      { id: 3, name: 'extendedDiagnosticSession' },
    ]);
    expect(c.services).toEqual({});
    expect(c.supportedServices).toBeUndefined();
    expect(c.bootloader).toBeUndefined();
    expect(c.routines).toEqual([]);
  });

  it('reads SIDs written as hex keys (YAML numbers), quoted hex, decimal and service names; sub-functions as a list or a map', () => {
    const c = parseEcuConfig(
      parseYaml(`
address: 0x1010
sessions: [{ id: 1 }, { id: 2, p2StarServerMs: 10000 }, { id: 3 }, { id: 0x40, name: endOfLine, like: 3, p2ServerMs: "0x64" }]
supportedServices: [0x10, "0x11", ReadDataByIdentifier, 39, securityaccess, 0x3E]
services:
  0x10: { subFunctions: { 0x02: { sessions: [2, 3] }, 0x40: true } }
  "0x11": { subFunctions: [0x01, 3] }
  ReadDataByIdentifier: { sessions: [0x01, 0x03] }
  39: { securityLevels: [] }
  TesterPresent: true
bootloader:
  supportedServices: [0x10, 0x34]
  services: { RequestDownload: false }
`) as unknown,
      'ecu.yaml',
    );
    expect(c.sessions[3]).toEqual({ id: 0x40, name: 'endOfLine', like: 3, p2ServerMs: 100 });
    expect(c.sessions[1]).toMatchObject({ id: 2, p2StarServerMs: 10000 });
    expect(c.supportedServices).toEqual([0x10, 0x11, 0x22, 0x27, 0x3e]);
    expect(c.services).toEqual({
      '0x10': { subFunctions: { '0x02': { sessions: [2, 3] }, '0x40': {} } },
      '0x11': { subFunctions: [1, 3] },
      '0x22': { sessions: [1, 3] },
      '0x27': { securityLevels: [] },
      '0x3E': {},
    });
    expect(c.bootloader).toEqual({ supportedServices: [0x10, 0x34], services: { '0x34': false }, appValidation: 'flag', initialAppValid: true });
  });

  it('is idempotent with the new keys', () => {
    const once = parseEcuConfig({
      address: 1,
      sessions: [{ id: 1 }, { id: 3, p2ServerMs: 20 }],
      services: { ECUReset: { subFunctions: [1] }, '0x28': { subFunctions: { '0x03': false } }, '0x35': false },
      routines: [{ id: 0x0301, start: { result: { hex: '00 2A' } }, requiresStart: false }],
    });
    expect(parseEcuConfig(once)).toEqual(once);
  });

  it('names a service reference it cannot read, and hints that a plain number is decimal', () => {
    expect(parseServiceRef('0x2e')).toBe(0x2e);
    expect(parseServiceRef('writedatabyidentifier')).toBe(0x2e);
    expect(parseServiceRef(0xba)).toBe(0xba);
    expect(parseServiceRef('22')).toEqual({
      error: '0x16 is not a UDS service identifier udskit knows (a plain number is decimal: 22 = 0x16; write "0x22" for hex); allowed: the SIDs of ISO 14229-1 or 0xBA..0xBE',
    });
  });

  it('reports each bad key with its path and the allowed values', () => {
    expect(
      problems(
        parseYaml(`
address: 0x1010
supportedServices: [0x10, Nope]
services:
  22: { sessions: [1] }
  0x22: { subFunctions: [1] }
  0x28: { subFunctions: { 0x80: true, 0x01: 7 } }
  0x31: maybe
  0x2E: { session: [3] }
sessions: [{ id: 0 }]
`) as unknown,
      ),
    ).toEqual(sorted([
      'supportedServices[1]: "Nope" is not a service: write a SID ("0x22") or a name such as ReadDataByIdentifier (DiagnosticSessionControl, ECUReset, ClearDiagnosticInformation, ReadDTCInformation, ReadDataByIdentifier, ReadMemoryByAddress, ReadScalingDataByIdentifier, SecurityAccess, CommunicationControl, Authentication, ReadDataByPeriodicIdentifier, DynamicallyDefineDataIdentifier, WriteDataByIdentifier, InputOutputControlByIdentifier, RoutineControl, RequestDownload, RequestUpload, TransferData, RequestTransferExit, RequestFileTransfer, WriteMemoryByAddress, TesterPresent, AccessTimingParameter, SecuredDataTransmission, ControlDTCSetting, ResponseOnEvent, LinkControl)',
      'services.22: 0x16 is not a UDS service identifier udskit knows (a plain number is decimal: 22 = 0x16; write "0x22" for hex); allowed: the SIDs of ISO 14229-1 or 0xBA..0xBE',
      'services.0x22.subFunctions: ReadDataByIdentifier has no sub-function byte (ISO 14229-1:2020: only 0x10 0x11 0x19 0x27 0x28 0x29 0x2C 0x31 0x3E 0x83 0x85 0x86 0x87 have one); remove subFunctions',
      'services.0x28.subFunctions.0x80: 0x80 is not a sub-function value: write 0x00..0x7F ("0x01" or 1); bit 7 is SPRMIB, which the request sets',
      'services.0x28.subFunctions.0x01: must be true, false, or { sessions, securityLevels }',
      'services.0x31: must be true, false (not supported: 0x11), or { sessions, securityLevels, subFunctions }',
      'services.0x2E: Unrecognized key: "session"',
      'sessions[0].id: a session id must be 1..0x7F',
    ]));
  });

  it('checks sessions, security levels and supportedServices across the profile', () => {
    expect(
      problems({
        address: 1,
        sessions: [{ id: 3 }, { id: 0x40, like: 0x05 }, { id: 3 }],
        supportedServices: ['0x10', '0x22'],
        services: { '0x2E': { sessions: [2], securityLevels: [5] }, '0x10': { subFunctions: { '0x01': { sessions: [9] } } } },
      }),
    ).toEqual(sorted([
      'sessions: must include 0x01 (defaultSession, the session after power-on)',
      'sessions[1].like: must name another declared session without its own "like" (0x03)',
      'sessions[2].id: session 0x03 is declared twice',
      'services.0x2E: WriteDataByIdentifier (0x2E) is configured but not listed in supportedServices; add it there or remove this entry',
      'services.0x2E.sessions[0]: session 0x02 is not one of this profile\'s sessions (0x03 extendedDiagnosticSession, 0x40 session0x40)',
      'services.0x2E.securityLevels[0]: security level 0x05 is not defined under security (0x01)',
      'services.0x10.subFunctions.0x01.sessions[0]: session 0x09 is not one of this profile\'s sessions (0x03 extendedDiagnosticSession, 0x40 session0x40)',
    ]));
    expect(problems({ address: 1, bootloader: { supportedServices: [0x10], services: { '0x22': { sessions: [4] } } } })).toEqual(sorted([
      'bootloader.services.0x22: ReadDataByIdentifier (0x22) is configured but not listed in bootloader.supportedServices; add it there or remove this entry',
      "bootloader.services.0x22.sessions[0]: session 0x04 is not one of this profile's sessions (0x01 defaultSession, 0x02 programmingSession, 0x03 extendedDiagnosticSession)",
    ]));
  });
});

describe('profile keys: routines', () => {
  it('reads data routines and access rules of built-in ones', () => {
    const c = parseEcuConfig({
      address: 1,
      routines: [
        { id: '0x0301', name: 'selfTest', sessions: [3], securityLevels: [1], start: { status: 0, durationMs: 200, optionLength: 2 }, stop: { result: 'OK' } },
        { id: 0xff00, sessions: [2, 3] },
        { id: 0x0203, supported: false },
      ],
    });
    expect(c.routines[0]).toMatchObject({ id: 0x0301, name: 'selfTest', start: { status: 0, durationMs: 200, optionLength: 2 } });
    expect(toHex(c.routines[0]?.stop?.result ?? [])).toBe('4F 4B');
    expect(c.routines[1]).toEqual({ id: 0xff00, sessions: [2, 3] });
  });

  it('reports duplicates, code on built-in ids, a missing start and bad actions', () => {
    expect(
      problems({
        address: 1,
        routines: [
          { id: 0x1234, sessions: [3] },
          { id: 0xff00, start: { status: 0 }, requiresStart: false },
          { id: 0x1234, start: { status: 0 } },
          { id: 0x0400, sessions: [7], securityLevels: [3], start: { status: 0 } },
        ],
      }),
    ).toEqual(sorted([
      'routines[0].start: routine 0x1234 is not built in (0xFF00, 0x0202, 0xFF01, 0x0203): give start, e.g. { status: 0x00 }',
      'routines[1].start: routine 0xFF00 is the built-in eraseMemory: an entry with its id changes only name, sessions, securityLevels and supported; remove start',
      'routines[1].requiresStart: routine 0xFF00 is the built-in eraseMemory: an entry with its id changes only name, sessions, securityLevels and supported; remove requiresStart',
      'routines[2].id: routine 0x1234 is defined twice',
      "routines[3].sessions[0]: session 0x07 is not one of this profile's sessions (0x01 defaultSession, 0x02 programmingSession, 0x03 extendedDiagnosticSession)",
      'routines[3].securityLevels[0]: security level 0x03 is not defined under security (0x01)',
    ]));
    expect(problems({ address: 1, routines: [{ id: 0x0400, start: { status: 1, result: { hex: '00' }, nrc: 0x78 } }] })).toEqual(sorted([
      'routines[0].start.nrc: must be a negative response code 0x10..0xFF other than 0x78 (e.g. 0x22 conditionsNotCorrect)',
      'routines[0].start.result: give either status (one byte) or result (the whole record), not both',
    ]));
  });
});
