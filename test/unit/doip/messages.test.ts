import { describe, expect, it } from 'vitest';
import { DecodeError, InvalidArgumentError } from '../../../src/core/errors.js';
import type { DoipMessage } from '../../../src/doip/message.js';
import { decodeMessage, decodePayload, encodeMessage, encodeMessageParts, encodePayload, payloadTypeOf } from '../../../src/doip/message.js';
import { concatBytes } from '../../../src/core/bytes.js';
import { decodeDiagnosticMessageView, FRAME_PARTS_MIN_DATA } from '../../../src/doip/diagnostic-message.js';
import { PAYLOAD_TYPE_TABLE } from '../../../src/doip/payload-types.js';
import { hex } from './helpers.js';

const VIN = 'WUDSKIT0000000001';
const VIN_HEX = '57 55 44 53 4B 49 54 30 30 30 30 30 30 30 30 30 31';
const EID = hex('00 1A 2B 3C 4D 5E');
const GID = hex('AA BB CC DD EE FF');

/** [name, message, whole frame (version 02) as commented hex]. Every row is checked in both directions. */
const TABLE: [string, DoipMessage, string][] = [
  ['0000 generic NACK 02', { kind: 'genericNack', code: 0x02 }, '02 FD 0000 00000001 | 02'],
  ['0001 vehicle identification request', { kind: 'vehicleIdentificationRequest' }, '02 FD 0001 00000000'],
  [
    '0002 vehicle identification request with EID',
    { kind: 'vehicleIdentificationRequestWithEid', eid: EID },
    '02 FD 0002 00000006 | 00 1A 2B 3C 4D 5E',
  ],
  [
    '0003 vehicle identification request with VIN',
    { kind: 'vehicleIdentificationRequestWithVin', vin: VIN },
    `02 FD 0003 00000011 | ${VIN_HEX}`,
  ],
  [
    '0004 vehicle announcement without sync status',
    { kind: 'vehicleAnnouncement', vin: VIN, logicalAddress: 0x1000, eid: EID, gid: GID, furtherAction: 0x00 },
    // VIN(17) | logical address | EID(6) | GID(6) | further action
    `02 FD 0004 00000020 | ${VIN_HEX} | 10 00 | 00 1A 2B 3C 4D 5E | AA BB CC DD EE FF | 00`,
  ],
  [
    '0004 vehicle announcement with sync status',
    { kind: 'vehicleAnnouncement', vin: VIN, logicalAddress: 0x1000, eid: EID, gid: GID, furtherAction: 0x10, syncStatus: 0x10 },
    `02 FD 0004 00000021 | ${VIN_HEX} | 10 00 | 00 1A 2B 3C 4D 5E | AA BB CC DD EE FF | 10 | 10`,
  ],
  [
    '0005 routing activation request',
    { kind: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 0x00, reserved: 0 },
    // source address | activation type | reserved
    '02 FD 0005 00000007 | 0E 00 | 00 | 00 00 00 00',
  ],
  [
    '0005 routing activation request with OEM field',
    { kind: 'routingActivationRequest', sourceAddress: 0x0e80, activationType: 0xe0, reserved: 0, oem: hex('DE AD BE EF') },
    '02 FD 0005 0000000B | 0E 80 | E0 | 00 00 00 00 | DE AD BE EF',
  ],
  [
    '0006 routing activation response',
    { kind: 'routingActivationResponse', testerAddress: 0x0e00, entityAddress: 0x1000, code: 0x10, reserved: 0 },
    // tester | entity | code | reserved
    '02 FD 0006 00000009 | 0E 00 | 10 00 | 10 | 00 00 00 00',
  ],
  [
    '0006 routing activation response with OEM field',
    { kind: 'routingActivationResponse', testerAddress: 0x0e00, entityAddress: 0x1000, code: 0x00, reserved: 0, oem: hex('01 02 03 04') },
    '02 FD 0006 0000000D | 0E 00 | 10 00 | 00 | 00 00 00 00 | 01 02 03 04',
  ],
  ['0007 alive check request', { kind: 'aliveCheckRequest' }, '02 FD 0007 00000000'],
  ['0008 alive check response', { kind: 'aliveCheckResponse', sourceAddress: 0x0e00 }, '02 FD 0008 00000002 | 0E 00'],
  ['4001 entity status request', { kind: 'entityStatusRequest' }, '02 FD 4001 00000000'],
  [
    '4002 entity status response without max data size',
    { kind: 'entityStatusResponse', nodeType: 0x00, maxOpenSockets: 16, openSockets: 1 },
    // node type | max sockets | open sockets
    '02 FD 4002 00000003 | 00 | 10 | 01',
  ],
  [
    '4002 entity status response with max data size',
    { kind: 'entityStatusResponse', nodeType: 0x01, maxOpenSockets: 16, openSockets: 0, maxDataSize: 0x400004 },
    '02 FD 4002 00000007 | 01 | 10 | 00 | 00 40 00 04',
  ],
  ['4003 diagnostic power mode request', { kind: 'powerModeRequest' }, '02 FD 4003 00000000'],
  ['4004 diagnostic power mode response', { kind: 'powerModeResponse', mode: 0x01 }, '02 FD 4004 00000001 | 01'],
  [
    '8001 diagnostic message',
    { kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data: hex('10 03') },
    // source | target | UDS bytes
    '02 FD 8001 00000006 | 0E 00 | 10 10 | 10 03',
  ],
  [
    '8002 diagnostic ACK without echo',
    { kind: 'diagnosticMessageAck', sourceAddress: 0x1010, targetAddress: 0x0e00, code: 0x00, echo: new Uint8Array(0) },
    // source (the request's target) | target (tester) | ACK code
    '02 FD 8002 00000005 | 10 10 | 0E 00 | 00',
  ],
  [
    '8002 diagnostic ACK with echo',
    { kind: 'diagnosticMessageAck', sourceAddress: 0x1010, targetAddress: 0x0e00, code: 0x00, echo: hex('10 03') },
    '02 FD 8002 00000007 | 10 10 | 0E 00 | 00 | 10 03',
  ],
  [
    '8003 diagnostic NACK 03 without echo',
    { kind: 'diagnosticMessageNack', sourceAddress: 0x1234, targetAddress: 0x0e00, code: 0x03, echo: new Uint8Array(0) },
    '02 FD 8003 00000005 | 12 34 | 0E 00 | 03',
  ],
  [
    '8003 diagnostic NACK 06 with echo',
    { kind: 'diagnosticMessageNack', sourceAddress: 0x1010, targetAddress: 0x0e00, code: 0x06, echo: hex('22') },
    '02 FD 8003 00000006 | 10 10 | 0E 00 | 06 | 22',
  ],
];

describe('DoIP message codec table', () => {
  it.each(TABLE)('%s encodes to its bytes', (_name, message, bytes) => {
    expect(encodeMessage(message)).toEqual(hex(bytes));
  });

  it.each(TABLE)('%s decodes from its bytes', (_name, message, bytes) => {
    const { header, message: decoded } = decodeMessage(hex(bytes));
    expect(header.version).toBe(0x02);
    expect(header.payloadType).toBe(payloadTypeOf(message));
    expect(decoded).toEqual(message);
  });

  it('covers every payload type of the table', () => {
    const covered = new Set(TABLE.map(([, m]) => payloadTypeOf(m)));
    expect([...covered].sort()).toEqual(PAYLOAD_TYPE_TABLE.map((i) => i.type).sort());
  });

  it('encodes with another protocol version and its inverse', () => {
    // version 03 | inverse FC | 0007 | length 0
    expect(encodeMessage({ kind: 'aliveCheckRequest' }, 0x03)).toEqual(hex('03 FC 0007 00000000'));
    // vehicle identification request with "any version" FF | 00
    expect(encodeMessage({ kind: 'vehicleIdentificationRequest' }, 0xff)).toEqual(hex('FF 00 0001 00000000'));
  });

  it('routing activation request without a reserved field encodes zeros', () => {
    expect(encodePayload({ kind: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 1 })).toEqual(hex('0E 00 01 00 00 00 00'));
  });

  it('writes a diagnostic message with large UDS bytes as header + the bytes themselves, else as one frame', () => {
    const small = { kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data: hex('36 01 AA') } as const;
    expect(encodeMessageParts(small)).toEqual([hex('02 FD 8001 00000007 | 0E 00 | 10 10 | 36 01 AA')]);
    const data = new Uint8Array(FRAME_PARTS_MIN_DATA).fill(0x5a);
    const large = { kind: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1010, data } as const;
    const parts = encodeMessageParts(large, 0x03);
    // version 03 | inverse FC | 8001 | length 4 + 1024 = 0x404 | SA | TA, then the UDS bytes (same array, no copy)
    expect(parts[0]).toEqual(hex('03 FC 8001 00000404 | 0E 00 | 10 10'));
    expect(parts[1]).toBe(data);
    expect(concatBytes(...parts)).toEqual(encodeMessage(large, 0x03));
    expect(encodeMessageParts({ kind: 'aliveCheckRequest' })).toEqual([encodeMessage({ kind: 'aliveCheckRequest' })]);
  });

  it('decodeDiagnosticMessageView keeps the UDS bytes as a view of the payload', () => {
    const payload = hex('0E 00 | 10 10 | 76 01 AA');
    const m = decodeDiagnosticMessageView(payload);
    expect([m.sourceAddress, m.targetAddress, [...m.data]]).toEqual([0x0e00, 0x1010, [0x76, 0x01, 0xaa]]);
    payload[5] = 0x02;
    expect(m.data[1]).toBe(0x02);
    expect(() => decodeDiagnosticMessageView(hex('0E 00 10 10'))).toThrow(DecodeError);
  });

  it('decoded byte fields are owned copies, also from Node Buffers', () => {
    const frame = Buffer.from(hex('02 FD 8001 00000006 | 0E 00 | 10 10 | 10 03'));
    const m = decodeMessage(frame).message;
    expect(m.kind).toBe('diagnosticMessage');
    if (m.kind !== 'diagnosticMessage') return;
    expect(Object.getPrototypeOf(m.data)).toBe(Uint8Array.prototype);
    frame[12] = 0x99;
    expect([...m.data]).toEqual([0x10, 0x03]);
  });
});

describe('DoIP payload decoding errors', () => {
  const bad: [string, number, string][] = [
    ['generic NACK too long', 0x0000, '01 02'],
    ['vehicle identification request with payload', 0x0001, '00'],
    ['EID of 5 bytes', 0x0002, '00 1A 2B 3C 4D'],
    ['VIN of 16 bytes', 0x0003, '57 55 44 53 4B 49 54 30 30 30 30 30 30 30 30 30'],
    ['announcement of 31 bytes', 0x0004, '00'.repeat(31)],
    ['announcement of 34 bytes', 0x0004, '00'.repeat(34)],
    ['routing activation request of 8 bytes', 0x0005, '0E 00 00 00 00 00 00 00'],
    ['routing activation response of 10 bytes', 0x0006, '00'.repeat(10)],
    ['alive check request with payload', 0x0007, '00'],
    ['alive check response of 1 byte', 0x0008, '0E'],
    ['entity status response of 4 bytes', 0x4002, '00 10 01 00'],
    ['power mode response of 2 bytes', 0x4004, '01 01'],
    ['diagnostic message without UDS bytes', 0x8001, '0E 00 10 10'],
    ['diagnostic ACK without code', 0x8002, '10 10 0E 00'],
    ['diagnostic NACK without code', 0x8003, '10 10 0E 00'],
    ['unknown payload type', 0x1234, ''],
  ];
  it.each(bad)('%s -> DecodeError', (_name, type, bytes) => {
    expect(() => decodePayload(type, hex(bytes))).toThrow(DecodeError);
  });

  it('decodeMessage rejects a wrong inverse version, a length mismatch and a short header', () => {
    expect(() => decodeMessage(hex('02 FE 0007 00000000'))).toThrow(/pattern is incorrect/);
    expect(() => decodeMessage(hex('02 FD 0008 00000002 | 0E'))).toThrow(/says 2 bytes but 1 follow/);
    expect(() => decodeMessage(hex('02 FD 00 07'))).toThrow(DecodeError);
  });

  it('encoders refuse fields that do not fit', () => {
    expect(() => encodePayload({ kind: 'vehicleIdentificationRequestWithVin', vin: 'SHORT' })).toThrow(InvalidArgumentError);
    expect(() => encodePayload({ kind: 'vehicleIdentificationRequestWithEid', eid: hex('00 01') })).toThrow(/6 bytes/);
    expect(() => encodePayload({ kind: 'routingActivationRequest', sourceAddress: 0x10000, activationType: 0 })).toThrow(InvalidArgumentError);
    expect(() => encodePayload({ kind: 'routingActivationResponse', testerAddress: 1, entityAddress: 2, code: 0x10, oem: hex('01') })).toThrow(/OEM/);
    expect(() =>
      encodePayload({ kind: 'vehicleAnnouncement', vin: 'WUDSKIT000000000\u0100', logicalAddress: 1, eid: EID, gid: GID, furtherAction: 0 }),
    ).toThrow(/ASCII/);
  });
});
