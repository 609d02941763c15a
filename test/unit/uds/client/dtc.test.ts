import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { fromHex } from '../../../../src/core/hex.js';
import { InvalidResponseError, NegativeResponseError } from '../../../../src/uds/client/errors.js';
import type { UdsClient } from '../../../../src/uds/client/uds-client.js';
import { setup, track } from './helpers.js';

type Call = (c: UdsClient) => Promise<unknown>;

// [what, call, request the ECU must see, response it sends, decoded result]
const table: [string, Call, string, string, unknown][] = [
  ['14 all groups', (c) => c.clearDiagnosticInformation(0xffffff), '14 FF FF FF', '54', undefined],
  ['14 with MemorySelection', (c) => c.clearDiagnosticInformation(0x056216, 0x01), '14 05 62 16 01', '54', undefined],
  [
    '19 01 count',
    (c) => c.readNumberOfDtcByStatusMask(0x09),
    '19 01 09',
    '59 01 FF 01 00 02',
    { subFunction: 1, statusAvailabilityMask: 0xff, formatIdentifier: 1, count: 2 },
  ],
  [
    '19 02 by mask',
    (c) => c.readDtcByStatusMask(0xff),
    '19 02 FF',
    '59 02 7F 05 62 16 2F',
    { subFunction: 2, statusAvailabilityMask: 0x7f, dtcs: [{ dtc: 0x056216, status: 0x2f }] },
  ],
  ['19 03 snapshot identification', (c) => c.readDtcSnapshotIdentification(), '19 03', '59 03 05 62 16 01', { subFunction: 3, records: [{ dtc: 0x056216, recordNumber: 1 }] }],
  [
    '19 04 snapshot split by didLengths',
    (c) => c.readDtcSnapshotRecord(0x056216, 0xff, { didLengths: { 0xf442: 2 } }),
    '19 04 05 62 16 FF',
    '59 04 05 62 16 2F 01 02 F4 42 20 D0 F4 0D 00',
    {
      subFunction: 4,
      dtc: 0x056216,
      status: 0x2f,
      records: [
        {
          recordNumber: 1,
          dids: [
            { did: 0xf442, data: fromHex('20 D0') },
            { did: 0xf40d, data: fromHex('00') },
          ],
        },
      ],
    },
  ],
  [
    '19 06 extended data split by extendedDataLengths',
    (c) => c.readDtcExtendedDataRecord(0x056216, undefined, { extendedDataLengths: new Map([[1, 1]]) }),
    '19 06 05 62 16 FF',
    '59 06 05 62 16 2F 01 03 02 00',
    {
      subFunction: 6,
      dtc: 0x056216,
      status: 0x2f,
      records: [
        { recordNumber: 1, data: fromHex('03') },
        { recordNumber: 2, data: fromHex('00') },
      ],
    },
  ],
  ['19 0A supported', (c) => c.readSupportedDtcs(), '19 0A', '59 0A FF', { subFunction: 0x0a, statusAvailabilityMask: 0xff, dtcs: [] }],
  [
    '19 0E generic',
    (c) => c.readDtcInformation({ subFunction: 0x0e }),
    '19 0E',
    '59 0E FF C1 00 87 28',
    { subFunction: 0x0e, statusAvailabilityMask: 0xff, dtcs: [{ dtc: 0xc10087, status: 0x28 }] },
  ],
  [
    '86 01 set-up',
    (c) => c.responseOnEvent({ event: 0x01, storeEvent: false, eventWindowTime: 0x02, dtcStatusMask: 0x08, serviceToRespondTo: fromHex('19 0E') }),
    '86 01 02 08 19 0E',
    'C6 01 00 02 08 19 0E',
    { event: 1, storeEvent: false, numberOfIdentifiedEvents: 0, eventWindowTime: 2, dtcStatusMask: 8, serviceToRespondTo: fromHex('19 0E') },
  ],
  [
    '86 45 start, stored',
    (c) => c.responseOnEvent({ event: 0x05, storeEvent: true, eventWindowTime: 0x02 }),
    '86 45 02',
    'C6 45 00 02',
    { event: 5, storeEvent: true, numberOfIdentifiedEvents: 0, eventWindowTime: 2 },
  ],
];

describe('UdsClient DTC services: exact bytes both ways', () => {
  for (const [what, call, request, response, expected] of table) {
    it(what, async () => {
      const { clock, ecu, client } = setup();
      ecu.expect(request, response);
      const t = track(call(client));
      await clock.advance(0);
      await t.done;
      expect(t.error).toBeUndefined();
      expect(t.value).toEqual(expected);
      ecu.assertDone();
    });
  }
});

describe('UdsClient DTC services: checks', () => {
  it('rejects a reportType or DTC echo that differs, and a negative response', async () => {
    const { clock, ecu, client } = setup();
    ecu.expect('19 04 05 62 16 FF', '59 04 05 62 17 2F');
    const t1 = track(client.readDtcSnapshotRecord(0x056216));
    await clock.advance(0);
    await t1.done;
    expect(t1.error).toBeInstanceOf(InvalidResponseError);
    ecu.expect('19 02 08', '7F 19 31');
    const t2 = track(client.readDtcByStatusMask(0x08));
    await clock.advance(0);
    await t2.done;
    expect(t2.error).toBeInstanceOf(NegativeResponseError);
    ecu.expect('86 45 02', 'C6 05 00 02'); // storageState echo missing
    const t3 = track(client.responseOnEvent({ event: 0x05, storeEvent: true, eventWindowTime: 2 }));
    await clock.advance(0);
    await t3.done;
    expect(t3.error).toBeInstanceOf(InvalidResponseError);
    ecu.assertDone();
  });

  it('checks arguments before sending', async () => {
    const { client } = setup();
    await expect(client.readDtcSnapshotRecord(0x1000000)).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(client.clearDiagnosticInformation(-1)).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('readDtcInformation with suppress resolves undefined when no response comes', async () => {
    const { clock, ecu, client } = setup();
    const t = track(client.readDtcInformation({ subFunction: 0x0a }, { suppress: true }));
    await clock.advance(1000);
    await t.done;
    expect(t.value).toBeUndefined();
    expect(ecu.requests.map((r) => r.hex)).toEqual(['19 8A']);
  });
});
