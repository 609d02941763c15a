/** Client side of 0x2A (with the periodic data receiver), 0x83 and 0x87 against a scripted ECU. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { InvalidResponseError } from '../../../../src/uds/client/errors.js';
import type { PeriodicData } from '../../../../src/uds/client/services/periodic.js';
import { subscribePeriodicData } from '../../../../src/uds/client/services/periodic.js';
import type { UdsClient } from '../../../../src/uds/client/uds-client.js';
import { ScriptedEcu } from './scripted-ecu.js';
import { setup, track } from './helpers.js';

type Call = (c: UdsClient) => Promise<unknown>;

// [what, call, request the ECU must see, response it sends, decoded result]
const table: [string, Call, string, string, unknown][] = [
  ['2A fast F201 F202 (DIDs)', (c) => c.readDataByPeriodicIdentifier('fast', [0xf201, 0xf202]), '2A 03 01 02', '6A', undefined],
  ['2A slow by pDID', (c) => c.readDataByPeriodicIdentifier('slow', [0xe3]), '2A 01 E3', '6A', undefined],
  ['2A raw mode byte', (c) => c.readDataByPeriodicIdentifier(0x02, [0x10]), '2A 02 10', '6A', undefined],
  ['2A 04 stop all', (c) => c.stopPeriodicData(), '2A 04', '6A', undefined],
  ['2A 04 stop one', (c) => c.stopPeriodicData([0xf201]), '2A 04 01', '6A', undefined],
  ['83 01 raw', (c) => c.accessTimingParameter(0x01), '83 01', 'C3 01 01 F4 03 E8', { timingParameterAccessType: 1, timingParameterResponseRecord: fromHex('01 F4 03 E8') }],
  ['83 01 read extended', (c) => c.readTimingParameters('extended'), '83 01', 'C3 01 01 F4 03 E8', { p2ServerMs: 500, p2StarServerMs: 10000 }],
  ['83 03 read active', (c) => c.readTimingParameters('active'), '83 03', 'C3 03 00 32 01 F4', { p2ServerMs: 50, p2StarServerMs: 5000 }],
  ['83 04 set', (c) => c.setTimingParameters({ p2ServerMs: 200, p2StarServerMs: 8000 }), '83 04 00 C8 03 20', 'C3 04', undefined],
  ['83 02 defaults', (c) => c.setTimingParameters('defaults'), '83 02', 'C3 02', undefined],
  ['87 01 fixed mode', (c) => c.verifyLinkMode({ mode: 0x13 }), '87 01 13', 'C7 01', undefined],
  ['87 02 baud rate', (c) => c.verifyLinkMode({ baudrate: 250_000 }), '87 02 03 D0 90', 'C7 02', undefined],
  ['87 03 transition', (c) => c.transitionLinkMode(), '87 03', 'C7 03', undefined],
];

describe('UdsClient 2A / 83 / 87: exact bytes both ways', () => {
  for (const [what, call, request, response, expected] of table) {
    it(what, async () => {
      const { ecu, client } = setup();
      ecu.expect(request, response);
      expect(await call(client)).toEqual(expected);
      ecu.assertDone();
    });
  }

  it('87 83 functional with SPRMIB resolves without a response', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('87 83');
    const t = track(client.transitionLinkMode({ addressing: 'functional', suppress: true }));
    await clock.advance(200);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(ecu.requests[0]).toMatchObject({ hex: '87 83', addressing: 'functional' });
  });

  it('checks echoes and records', async () => {
    const { ecu, client } = setup();
    ecu.expect('83 03', 'C3 01 00 32 01 F4').expect('83 03', 'C3 03 00 32').expect('87 01 13', 'C7 02');
    await expect(client.readTimingParameters('active')).rejects.toThrow(InvalidResponseError);
    await expect(client.readTimingParameters('active')).rejects.toThrow(InvalidResponseError);
    await expect(client.verifyLinkMode({ mode: 0x13 })).rejects.toThrow(InvalidResponseError);
  });

  it('rejects bad arguments before sending', async () => {
    const { ecu, client } = setup();
    await expect(client.readDataByPeriodicIdentifier('fast', [0xf301])).rejects.toThrow(InvalidArgumentError);
    await expect(client.readDataByPeriodicIdentifier('fast', [])).rejects.toThrow(InvalidArgumentError);
    await expect(client.readDataByPeriodicIdentifier('turbo' as 'fast', [1])).rejects.toThrow(InvalidArgumentError);
    await expect(client.verifyLinkMode({ baudrate: 0x1000000 })).rejects.toThrow(InvalidArgumentError);
    expect(ecu.requests).toEqual([]);
  });

  it('adopts P2 / P2* from 83 04 and 83 03 (plus margins), unless disabled', async () => {
    const { ecu, client } = setup();
    ecu.expect('83 04 01 F4 03 E8', 'C3 04').expect('83 03', 'C3 03 00 32 01 F4');
    await client.setTimingParameters({ p2ServerMs: 500, p2StarServerMs: 10000 });
    expect(client.timing).toEqual({ p2ClientMs: 600, p2StarClientMs: 10500 });
    await client.readTimingParameters('active');
    expect(client.timing).toEqual({ p2ClientMs: 150, p2StarClientMs: 5500 });

    const other = setup({ adoptTimingFromSession: false });
    other.ecu.expect('83 04 01 F4 03 E8', 'C3 04');
    const before = other.client.timing;
    await other.client.setTimingParameters({ p2ServerMs: 500, p2StarServerMs: 10000 });
    expect(other.client.timing).toEqual(before);
  });
});

describe('periodic data on the client', () => {
  it('delivers 6A pDID data to onPeriodicData and never takes it as the answer to a request in flight', async () => {
    const { ecu, client, clock } = setup();
    const got: PeriodicData[] = [];
    const off = client.onPeriodicData((m) => got.push(m));
    // A 22 is pending; periodic messages arrive before its answer.
    ecu.expect('22 F1 90', '6A 01 11 22', '6A 02 33', { afterMs: 10, hex: '62 F1 90 41' });
    const read = track(client.readDataByIdentifier(0xf190));
    await clock.advance(20);
    await read.done;
    expect(read.error).toBeUndefined();
    expect(read.value).toEqual([{ did: 0xf190, data: fromHex('41') }]);
    expect(got).toEqual([
      { source: 0x1010, periodicDataIdentifier: 0x01, did: 0xf201, data: fromHex('11 22') },
      { source: 0x1010, periodicDataIdentifier: 0x02, did: 0xf202, data: fromHex('33') },
    ]);
    off();
    ecu.send('6A 01 00');
    await clock.advance(1);
    expect(got.length).toBe(2);
  });

  it('a 2A request in flight waits for the lone 6A, not for periodic data', async () => {
    const { ecu, client, clock } = setup();
    const got: string[] = [];
    client.onPeriodicData((m) => got.push(toHex(m.data)));
    ecu.expect('2A 03 01', '6A 01 99', { afterMs: 5, hex: '6A' }, { afterMs: 6, hex: '6A 01 98' });
    const req = track(client.readDataByPeriodicIdentifier('fast', [1]));
    await clock.advance(10);
    await req.done;
    expect(req.error).toBeUndefined();
    expect(got).toEqual(['99', '98']);
  });

  it('filters by the client ECU; subscribePeriodicData can listen to every source', async () => {
    const { bus, client, clock, testerLink } = setup();
    const other = new ScriptedEcu(bus, 0x1011, clock);
    const mine: number[] = [];
    const all: number[] = [];
    client.onPeriodicData((m) => mine.push(m.source));
    const off = subscribePeriodicData(testerLink, (m) => all.push(m.source));
    other.send('6A 05 01');
    await clock.advance(1);
    expect(mine).toEqual([]);
    expect(all).toEqual([0x1011]);
    off();
  });

  it('isolates a listener that throws', async () => {
    const { ecu, client, clock } = setup();
    const seen: number[] = [];
    client.onPeriodicData(() => {
      throw new Error('listener bug');
    });
    client.onPeriodicData((m) => seen.push(m.periodicDataIdentifier));
    ecu.send('6A 07 00');
    await clock.advance(1);
    expect(seen).toEqual([7]);
    expect(() => client.onPeriodicData(undefined as unknown as () => void)).toThrow(InvalidArgumentError);
  });
});
