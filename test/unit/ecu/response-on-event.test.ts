import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { UdsClient } from '../../../src/uds/client/uds-client.js';
import { ECU, harness } from './helpers.js';

// ResponseOnEvent (0x86) through a SimulatedEcu on the memory bus with a FakeClock. The tester's link
// receives the event responses as unsolicited messages (ISO 14229-1:2020 10.9.1).

describe('ResponseOnEvent (0x86)', () => {
  it('onDTCStatusChange: set up, start, a low voltage sets the DTC -> the tester receives 59 0E ...', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('86 01 02 08 19 0E')).toEqual(['C6 01 00 02 08 19 0E']);
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.advance(0)).toEqual([]); // set up, not started
    h.ecu.setVehicleState({ voltage: 12.5 });
    expect(await h.req('86 05 02')).toEqual(['C6 05 00 02']);
    expect(await h.req('86 04 02')).toEqual(['C6 04 01 01 02 08 19 0E']);
    h.ecu.setVehicleState({ voltage: 17 }); // P0563-17 confirmed: bit 3 changes
    expect(await h.advance(0)).toEqual(['59 0E FF 05 63 17 2F']);
    h.ecu.setVehicleState({ voltage: 12.5 }); // only TF changes: not in the mask
    expect(await h.advance(0)).toEqual([]);
    expect(await h.req('86 00 02')).toEqual(['C6 00 00 02']);
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.advance(0)).toEqual([]); // stopped
    expect(await h.req('86 04 02')).toEqual(['C6 04 00']);
    h.ecu.close();
  });

  it('a status change of several DTCs at once gives one response when the execution is still queued', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('86 01 02 FF 19 02 01');
    await h.req('86 05 02');
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.advance(0)).toEqual(['59 02 FF 05 62 16 2F']);
    h.ecu.close();
  });

  it('onChangeOfDataIdentifier fires with 22 DID when the DID value changes', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('86 03 02 F1 86 22 F1 86')).toEqual(['C6 03 00 02 F1 86 22 F1 86']);
    await h.req('86 05 02');
    expect(await h.req('10 02')).toEqual(['50 02 00 32 01 F4', '62 F1 86 02']);
    expect(await h.req('3E 00')).toEqual(['7E 00']); // no change, no event
    h.ecu.close();
  });

  it('a doNotStoreEvent event stops on the return to the default session; a stored one keeps running', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('86 01 02 08 19 0E');
    await h.req('86 05 02');
    await h.req('10 01');
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.advance(0)).toEqual([]);

    await h.req('10 03');
    await h.req('86 06 02'); // clear
    expect(await h.req('86 41 02 08 19 0E')).toEqual(['C6 41 00 02 08 19 0E']);
    await h.req('86 05 02');
    await h.advance(6000); // S3 timeout: back to the default session
    expect(h.ecu.state.session).toBe(0x01);
    h.ecu.setVehicleState({ voltage: 17 });
    expect(await h.advance(0)).toEqual(['59 0E FF 05 63 17 2F']);
    h.ecu.close();
  });

  it('a stored event survives a reset; a doNotStoreEvent event is lost', async () => {
    const h = harness({ resetDurationMs: 50 });
    await h.req('10 03');
    await h.req('86 43 02 F1 86 22 F1 86'); // stored onChangeOfDataIdentifier
    await h.req('86 01 02 08 19 0E'); // not stored
    await h.req('86 05 02');
    expect(await h.req('86 04 02')).toEqual(['C6 04 02 43 02 F1 86 22 F1 86 01 02 08 19 0E']);
    await h.req('11 01', { advanceMs: 60 });
    h.ecu.setVehicleState({ voltage: 17 });
    expect(await h.advance(0)).toEqual([]); // the DTC event is gone
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4', '62 F1 86 03']);
    expect(await h.req('86 04 02')).toEqual(['C6 04 01 43 02 F1 86 22 F1 86']);
    h.ecu.close();
  });

  it('a finite window ends with the final response carrying numberOfIdentifiedEvents', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('86 01 03 08 19 0E'); // shortEventWindowTime (10 s here)
    await h.req('86 05 02');
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.advance(0)).toEqual(['59 0E FF 05 62 16 2F']);
    await h.req('3E 00');
    expect(await h.advance(4000)).toEqual([]);
    await h.req('3E 00');
    expect(await h.advance(4000)).toEqual([]);
    await h.req('3E 00');
    expect(await h.advance(2000)).toEqual(['C6 01 01 03 08 19 0E']);
    expect(await h.req('86 04 02')).toEqual(['C6 04 00']);
    h.ecu.close();
  });

  it('an ignition window closes at ignition off', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('86 03 07 F1 86 22 F1 86');
    await h.req('86 05 02');
    h.ecu.setVehicleState({ ignition: false });
    expect(await h.advance(0)).toEqual(['C6 03 00 07 F1 86 22 F1 86']);
    h.ecu.close();
  });

  it('event executions do not restart S3', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('86 41 02 01 19 02 01');
    await h.req('86 05 02');
    await h.advance(3000);
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.advance(0)).toEqual(['59 02 FF 05 62 16 2F']);
    await h.advance(2100);
    expect(h.ecu.state.session).toBe(0x01);
    h.ecu.close();
  });

  it('answers the NRCs of ISO 14229-1:2020 10.9.4', async () => {
    const h = harness();
    expect(await h.req('86 05 02')).toEqual(['7F 86 7F']); // extended session only
    await h.req('10 03');
    expect(await h.req('86 05 02')).toEqual(['7F 86 24']); // nothing set up
    expect(await h.req('86 05')).toEqual(['7F 86 13']);
    expect(await h.req('86 01 02 08')).toEqual(['7F 86 13']); // no serviceToRespondTo
    expect(await h.req('86 07 02 00')).toEqual(['7F 86 12']); // onComparisonOfValues not offered
    expect(await h.req('86 01 09 08 19 0E')).toEqual(['7F 86 31']); // unsupported window
    expect(await h.req('86 41 03 08 19 0E')).toEqual(['7F 86 31']); // stored with a finite window
    expect(await h.req('86 01 02 08 31 01 02 03')).toEqual(['7F 86 31']); // service not 19 / 22
    expect(await h.req('86 01 02 08 19 02')).toEqual(['7F 86 31']); // 19 02 without its mask
    expect(await h.req('86 03 02 12 34 22 12 34')).toEqual(['7F 86 31']); // unknown DID
    expect(await h.req('86 81 02 08 19 0E')).toEqual([]); // SPRMIB
    expect(await h.req('86 05 02')).toEqual(['C6 05 00 02']);
    h.ecu.close();
  });

  it('through UdsClient: typed set-up and start, the event response arrives as an unsolicited message', async () => {
    const h = harness();
    const client = new UdsClient(h.tester, { target: ECU, clock: h.clock });
    const unsolicited: string[] = [];
    client.events.on('ignored', (m) => unsolicited.push(toHex(m.data)));
    const run = async <T>(p: Promise<T>): Promise<T> => {
      await h.advance(0);
      return p;
    };
    await run(client.diagnosticSessionControl(0x03));
    const setupRes = await run(
      client.responseOnEvent({ event: 0x01, storeEvent: false, eventWindowTime: 0x02, dtcStatusMask: 0x01, serviceToRespondTo: Uint8Array.of(0x19, 0x02, 0x01) }),
    );
    expect(setupRes).toMatchObject({ event: 1, numberOfIdentifiedEvents: 0, dtcStatusMask: 1 });
    await run(client.responseOnEvent({ event: 0x05, storeEvent: false, eventWindowTime: 0x02 }));
    h.ecu.setVehicleState({ voltage: 8.5 });
    await h.advance(0);
    expect(unsolicited).toEqual(['59 02 FF 05 62 16 2F']);
    await client.close();
    h.ecu.close();
  });
});
