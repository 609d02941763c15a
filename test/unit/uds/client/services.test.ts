import { describe, it, expect } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { InvalidResponseError } from '../../../../src/uds/client/errors.js';
import { UdsClient } from '../../../../src/uds/client/uds-client.js';
import { MemoryBus } from '../../../../src/core/memory-link.js';
import { setup, track } from './helpers.js';

type Call = (c: UdsClient) => Promise<unknown>;

// [what, call, request the ECU must see, response it sends, decoded result]
const table: [string, Call, string, string, unknown][] = [
  ['10 03 session with P2 50 ms / P2* 5000 ms', (c) => c.diagnosticSessionControl(0x03), '10 03', '50 03 00 32 01 F4', { sessionType: 3, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 }],
  ['11 01 hard reset', (c) => c.ecuReset(0x01), '11 01', '51 01', { resetType: 1 }],
  ['22 F190 VIN', (c) => c.readDataByIdentifier(0xf190), '22 F1 90', '62 F1 90 57 30 4C', [{ did: 0xf190, data: fromHex('57 30 4C') }]],
  [
    '22 F180 F187 split by didLengths',
    (c) => c.readDataByIdentifier(0xf180, 0xf187, { didLengths: { 0xf180: 2 } }),
    '22 F1 80 F1 87',
    // F180 = F1 87 (looks like the next DID, but its length is known), F187 = 41 42
    '62 F1 80 F1 87 F1 87 41 42',
    [{ did: 0xf180, data: fromHex('F1 87') }, { did: 0xf187, data: fromHex('41 42') }],
  ],
  ['2E F198 write', (c) => c.writeDataByIdentifier(0xf198, fromHex('01 02')), '2E F1 98 01 02', '6E F1 98', undefined],
  ['27 01 request seed', (c) => c.securityAccessRequestSeed(0x01), '27 01', '67 01 11 22 33 44', fromHex('11 22 33 44')],
  ['27 02 send key (odd level given)', (c) => c.securityAccessSendKey(0x01, fromHex('AA BB')), '27 02 AA BB', '67 02', undefined],
  ['27 04 send key (even level given)', (c) => c.securityAccessSendKey(0x04, fromHex('AA')), '27 04 AA', '67 04', undefined],
  ['28 03 03 disable rx/tx', (c) => c.communicationControl(0x03, 0x03), '28 03 03', '68 03', undefined],
  ['28 05 01 with node id', (c) => c.communicationControl(0x05, 0x01, 0x1234), '28 05 01 12 34', '68 05', undefined],
  [
    '31 01 0202 check memory',
    (c) => c.routineControl(0x01, 0x0202, fromHex('12 34 56 78')),
    '31 01 02 02 12 34 56 78',
    '71 01 02 02 00',
    { routineControlType: 1, routineId: 0x0202, statusRecord: fromHex('00') },
  ],
  [
    '34 download 0x2000 bytes at 0x1000',
    (c) => c.requestDownload({ address: 0x1000, size: 0x2000 }),
    '34 00 44 00 00 10 00 00 00 20 00',
    '74 20 0F FF',
    { maxNumberOfBlockLength: 0x0fff, lengthFormatIdentifier: 0x20 },
  ],
  [
    '34 with 3-byte address and 2-byte size, DFI 0x10',
    (c) => c.requestDownload({ address: 0x012345, size: 0x0100, addressLength: 3, sizeLength: 2, dataFormatIdentifier: 0x10 }),
    '34 10 23 01 23 45 01 00',
    '74 10 82',
    { maxNumberOfBlockLength: 0x82, lengthFormatIdentifier: 0x10 },
  ],
  ['35 upload', (c) => c.requestUpload({ address: 0x1000, size: 0x10 }), '35 00 44 00 00 10 00 00 00 00 10', '75 20 01 02', { maxNumberOfBlockLength: 0x0102, lengthFormatIdentifier: 0x20 }],
  ['36 01 download block', (c) => c.transferData(0x01, fromHex('DE AD')), '36 01 DE AD', '76 01', new Uint8Array(0)],
  ['36 02 upload block', (c) => c.transferData(0x02), '36 02', '76 02 CA FE', fromHex('CA FE')],
  ['37 exit with CRC', (c) => c.requestTransferExit(), '37', '77 12 34 56 78', fromHex('12 34 56 78')],
  ['3E 00 tester present', (c) => c.testerPresent(), '3E 00', '7E 00', undefined],
  ['85 02 DTC off', (c) => c.controlDtcSetting(0x02), '85 02', 'C5 02', undefined],
];

describe('UdsClient typed services: exact bytes both ways', () => {
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
const echoTable: [string, Call, string, string, RegExp][] = [
  ['session echo', (c) => c.diagnosticSessionControl(0x02), '10 02', '50 03 00 32 01 F4', /echo 03 after the SID, expected 02/],
  ['reset type echo', (c) => c.ecuReset(0x01), '11 01', '51 03', /echo 03 after the SID, expected 01/],
  ['seed level echo', (c) => c.securityAccessRequestSeed(0x01), '27 01', '67 03 11 22', /echo 03 after the SID, expected 01/],
  ['routine type echo', (c) => c.routineControl(0x01, 0xff00), '31 01 FF 00', '71 03 FF 00', /echo 03 FF 00 after the SID, expected 01 FF 00/],
  ['block counter echo', (c) => c.transferData(0x01, fromHex('00')), '36 01 00', '76 02', /echo 02 after the SID, expected 01/],
  ['DID echo on write', (c) => c.writeDataByIdentifier(0xf198, fromHex('01')), '2E F1 98 01', '6E F1 99', /echo F1 99 after the SID, expected F1 98/],
  ['DID not requested', (c) => c.readDataByIdentifier(0xf190, 0xf191), '22 F1 90 F1 91', '62 F1 92 00', /DID 0xF192 that was not requested/],
  ['requestSeed without a seed', (c) => c.securityAccessRequestSeed(0x01), '27 01', '67 01', /has no seed/],
  ['malformed 74', (c) => c.requestDownload({ address: 0, size: 1 }), '34 00 44 00 00 00 00 00 00 00 01', '74 25 0F', /lengthFormatIdentifier 0x25 is invalid/],
];

describe('UdsClient typed services: echo and format checks', () => {
  for (const [what, call, request, response, text] of echoTable) {
    it(what, async () => {
      const { ecu, client } = setup();
      ecu.expect(request, response);
      const e = await call(client).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(InvalidResponseError);
      expect((e as Error).message).toMatch(text);
    });
  }
});

describe('UdsClient typed services: suppress and argument checks', () => {
  it('communicationControl with suppress sends 28 83 03 and resolves after P2', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('28 83 03');
    const t = track(client.communicationControl(0x03, 0x03, undefined, { suppress: true }));
    await clock.advance(150);
    await t.done;
    expect(t.error).toBeUndefined();
    ecu.assertDone();
  });

  it('routineControl with suppress and no answer resolves undefined', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('31 81 FF 01');
    const t = track(client.routineControl(0x01, 0xff01, undefined, { suppress: true }));
    await clock.advance(150);
    await t.done;
    expect(t.value).toBeUndefined();
  });

  it('rejects bad arguments before sending', async () => {
    const { client, ecu } = setup();
    await expect(client.securityAccessRequestSeed(0x02)).rejects.toThrow(/odd requestSeed level/);
    await expect(client.transferData(0x100)).rejects.toThrow(InvalidArgumentError);
    await expect(client.readDataByIdentifier()).rejects.toThrow(/at least one DID/);
    await expect(client.readDataByIdentifier(0x10000)).rejects.toThrow(/DID must be/);
    await expect(client.request(new Uint8Array(0))).rejects.toThrow(/non-empty/);
    await expect(client.request(fromHex('22 F1 90'), { suppressPositiveResponse: true })).rejects.toThrow(/has no sub-function/);
    await expect(client.request(fromHex('3E 80'), { suppressPositiveResponse: false })).rejects.toThrow(/SPRMIB/);
    await expect(client.request(fromHex('3E 00'), { timeoutMs: 0 })).rejects.toThrow(/timeoutMs/);
    expect(ecu.requests).toEqual([]);
  });
});

describe('UdsClient options', () => {
  const link = (): ReturnType<MemoryBus['attach']> => new MemoryBus().attach(0x0e00);
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ['target missing', {}, /target must be a logical address/],
    ['target too large', { target: 0x10000 }, /target must be a logical address/],
    ['functionalTarget', { target: 1, functionalTarget: -1 }, /functionalTarget/],
    ['p2ClientMs', { target: 1, p2ClientMs: 0 }, /p2ClientMs must be a number of ms/],
    ['p2StarClientMs', { target: 1, p2StarClientMs: 'x' }, /p2StarClientMs/],
    ['adoptTimingFromSession', { target: 1, adoptTimingFromSession: 'yes' }, /adoptTimingFromSession must be true or false/],
    ['testerPresentIntervalMs', { target: 1, testerPresentIntervalMs: Number.NaN }, /testerPresentIntervalMs/],
    ['clock', { target: 1, clock: {} }, /clock must implement/],
  ];
  for (const [what, opts, text] of bad) {
    it(`rejects ${what} with InvalidArgumentError naming the field`, () => {
      expect(() => new UdsClient(link(), opts as never)).toThrow(InvalidArgumentError);
      expect(() => new UdsClient(link(), opts as never)).toThrow(text);
    });
  }
  it('has the documented defaults', () => {
    const c = new UdsClient(link(), { target: 0x1010 });
    expect(c.timing).toEqual({ p2ClientMs: 150, p2StarClientMs: 5500 });
    expect(c.functionalTarget).toBe(0xe400);
    expect(c.target).toBe(0x1010);
  });
  it('setTiming changes P2/P2* and validates them', () => {
    const c = new UdsClient(link(), { target: 0x1010 });
    c.setTiming({ p2ClientMs: 1000 });
    expect(c.timing).toEqual({ p2ClientMs: 1000, p2StarClientMs: 5500 });
    expect(() => c.setTiming({ p2StarClientMs: -5 })).toThrow(InvalidArgumentError);
  });
  it('toHex of requests is stable (sanity of the fake)', () => {
    expect(toHex(fromHex('3e80'))).toBe('3E 80');
  });
});
