import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../../../src/core/clock.js';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { fromHex } from '../../../../src/core/hex.js';
import { MemoryBus } from '../../../../src/core/memory-link.js';
import { SimulatedEcu } from '../../../../src/ecu/simulated-ecu.js';
import { getSecurityAlgorithm } from '../../../../src/uds/security/algorithms.js';
import { InvalidResponseError, NegativeResponseError } from '../../../../src/uds/client/errors.js';
import { UdsClient } from '../../../../src/uds/client/uds-client.js';
import { setup, track } from './helpers.js';

type Call = (c: UdsClient) => Promise<unknown>;

// [what, call, request the ECU must see, response it sends, decoded result]
const table: [string, Call, string, string, unknown][] = [
  ['23 read 4 bytes', (c) => c.readMemoryByAddress({ address: 0x20000000, size: 4 }), '23 44 20 00 00 00 00 00 00 04', '63 01 02 03 04', fromHex('01 02 03 04')],
  [
    '23 with 2-byte address and 1-byte size',
    (c) => c.readMemoryByAddress({ address: 0x1000, size: 2, addressLength: 2, sizeLength: 1 }),
    '23 12 10 00 02',
    '63 AA BB',
    fromHex('AA BB'),
  ],
  [
    '3D write 2 bytes',
    (c) => c.writeMemoryByAddress({ address: 0x20000000, data: fromHex('AB CD'), sizeLength: 1 }),
    '3D 14 20 00 00 00 02 AB CD',
    '7D 14 20 00 00 00 02',
    { memoryAddress: 0x20000000, memorySize: 2, addressLength: 4, sizeLength: 1 },
  ],
  [
    '24 scaling of a DID',
    (c) => c.readScalingDataByIdentifier(0x0105),
    '24 01 05',
    '64 01 05 02 91 06 A1 2E',
    {
      did: 0x0105,
      records: [
        { scalingByte: 0x02, extension: new Uint8Array(0) },
        { scalingByte: 0x91, extension: fromHex('06') },
        { scalingByte: 0xa1, extension: fromHex('2E') },
      ],
    },
  ],
  [
    '2C 01 define by identifier',
    (c) => c.defineDynamicDidByIdentifier(0xf300, [{ sourceDid: 0xf190, position: 1, size: 4 }]),
    '2C 01 F3 00 F1 90 01 04',
    '6C 01 F3 00',
    { subFunction: 1, dddid: 0xf300 },
  ],
  [
    '2C 02 define by memory address',
    (c) => c.defineDynamicDidByMemoryAddress(0xf201, [{ memoryAddress: 0x20000000, memorySize: 2 }], { sizeLength: 1 }),
    '2C 02 F2 01 14 20 00 00 00 02',
    '6C 02 F2 01',
    { subFunction: 2, dddid: 0xf201 },
  ],
  ['2C 03 clear one', (c) => c.clearDynamicDid(0xf300), '2C 03 F3 00', '6C 03 F3 00', { subFunction: 3, dddid: 0xf300 }],
  ['2C 03 clear all', (c) => c.clearDynamicDid(), '2C 03', '6C 03', { subFunction: 3 }],
  [
    '2F short-term adjustment with mask',
    (c) => c.inputOutputControlByIdentifier(0x9b10, 0x03, { controlState: fromHex('AA BB CC'), controlEnableMask: fromHex('80') }),
    '2F 9B 10 03 AA BB CC 80',
    '6F 9B 10 03 AA 02 03',
    { did: 0x9b10, inputOutputControlParameter: 3, controlState: fromHex('AA 02 03') },
  ],
  [
    '2F return control',
    (c) => c.inputOutputControlByIdentifier(0x9b00, 0x00),
    '2F 9B 00 00',
    '6F 9B 00 00 10',
    { did: 0x9b00, inputOutputControlParameter: 0, controlState: fromHex('10') },
  ],
];

describe('UdsClient data and memory services: exact bytes both ways', () => {
  for (const [what, call, request, response, expected] of table) {
    it(what, async () => {
      const { ecu, client } = setup();
      ecu.expect(request, response);
      expect(await call(client)).toEqual(expected);
      ecu.assertDone();
    });
  }
});

// [what, call, request, wrong response, error text]
const invalid: [string, Call, string, string, RegExp][] = [
  ['23 short data', (c) => c.readMemoryByAddress({ address: 0x10, size: 4, addressLength: 1, sizeLength: 1 }), '23 11 10 04', '63 01 02', /2 byte\(s\) read at 0x00000010, expected 4/],
  ['3D address echo', (c) => c.writeMemoryByAddress({ address: 0x10, data: fromHex('01'), addressLength: 1, sizeLength: 1 }), '3D 11 10 01 01', '7D 11 11 01', /echo 11 11 01 after the SID, expected 11 10 01/],
  ['24 DID echo', (c) => c.readScalingDataByIdentifier(0x0105), '24 01 05', '64 01 06 01', /echo 01 06 after the SID, expected 01 05/],
  ['24 truncated extension', (c) => c.readScalingDataByIdentifier(0x0105), '24 01 05', '64 01 05 93 00', /scalingByteExtension/],
  ['2C DDDID echo', (c) => c.clearDynamicDid(0xf300), '2C 03 F3 00', '6C 03 F3 01', /echo 03 F3 01 after the SID, expected 03 F3 00/],
  ['2F parameter echo', (c) => c.inputOutputControlByIdentifier(0x9b00, 0x01), '2F 9B 00 01', '6F 9B 00 02 00', /echo 9B 00 02 after the SID, expected 9B 00 01/],
];

describe('UdsClient data and memory services: response checks', () => {
  for (const [what, call, request, response, text] of invalid) {
    it(what, async () => {
      const { ecu, client } = setup();
      ecu.expect(request, response);
      const e = await call(client).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidResponseError);
      expect((e as Error).message).toMatch(text);
    });
  }

  it('2C with suppress sends SPRMIB and resolves undefined after P2', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('2C 83');
    const t = track(client.clearDynamicDid(undefined, { suppress: true }));
    await clock.advance(150);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(t.value).toBeUndefined();
    ecu.assertDone();
  });

  it('rejects bad arguments before sending', async () => {
    const { client, ecu } = setup();
    await expect(client.readMemoryByAddress({ address: 0, size: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(client.readMemoryByAddress({ address: 0x100, size: 1, addressLength: 1 })).rejects.toThrow(InvalidArgumentError);
    await expect(client.writeMemoryByAddress({ address: 0, data: new Uint8Array(0) })).rejects.toThrow(/non-empty/);
    await expect(client.readScalingDataByIdentifier(0x10000)).rejects.toThrow(/DID must be/);
    await expect(client.inputOutputControlByIdentifier(-1, 0)).rejects.toThrow(/DID must be/);
    await expect(client.defineDynamicDidByIdentifier(0xf300, [])).rejects.toThrow(/at least one source element/);
    expect(ecu.requests).toEqual([]);
  });
});

describe('UdsClient against a SimulatedEcu: memory, DDDID and IO control end to end', () => {
  it('writes RAM, defines a DDDID on it, reads it, controls an output and gets 0x31 as NegativeResponseError', async () => {
    const clock = new FakeClock();
    const bus = new MemoryBus();
    const ecu = new SimulatedEcu(
      { address: 0x1010, dids: [{ id: 0x9b00, codec: 'uint', length: 1, value: 5, ioControl: { default: 0 } }] },
      { clock, random: () => fromHex('11 22 33 44') },
    );
    ecu.attach(bus.attach(0x1010, { functionalAddresses: [0xe400] }));
    const client = new UdsClient(bus.attach(0x0e00), { target: 0x1010, clock });
    await client.diagnosticSessionControl(0x03);
    const level = ecu.config.security.levels[0];
    if (!level) throw new Error('no security level');
    const seed = await client.securityAccessRequestSeed(0x01);
    await client.securityAccessSendKey(0x01, getSecurityAlgorithm(level.algorithm)(seed, 1, level.secret, { keyLength: level.keyLength }));

    await client.writeMemoryByAddress({ address: 0x20000100, data: fromHex('CA FE') });
    expect(await client.readMemoryByAddress({ address: 0x20000100, size: 3 })).toEqual(fromHex('CA FE 00'));
    await client.defineDynamicDidByMemoryAddress(0xf210, [{ memoryAddress: 0x20000100, memorySize: 2 }]);
    await client.defineDynamicDidByIdentifier(0xf210, [{ sourceDid: 0x9b00, position: 1, size: 1 }]);
    expect(await client.readDataByIdentifier(0xf210)).toEqual([{ did: 0xf210, data: fromHex('CA FE 05') }]);
    expect(await client.inputOutputControlByIdentifier(0x9b00, 0x03, { controlState: fromHex('07') })).toMatchObject({ controlState: fromHex('07') });
    expect(await client.readDataByIdentifier(0xf210)).toEqual([{ did: 0xf210, data: fromHex('CA FE 07') }]);
    const e = await client.readMemoryByAddress({ address: 0x30000000, size: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NegativeResponseError);
    expect((e as NegativeResponseError).nrc).toBe(0x31);
    await client.diagnosticSessionControl(0x01);
    expect(await client.readDataByIdentifier(0x9b00)).toEqual([{ did: 0x9b00, data: fromHex('05') }]);
    await client.close();
    ecu.close();
  });
});
