import { describe, it, expect } from 'vitest';
import { TimeoutError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { NegativeResponseError } from '../../../../src/uds/client/errors.js';
import { ScriptedEcu } from './scripted-ecu.js';
import { setup, track } from './helpers.js';

function twoEcus(): ReturnType<typeof setup> & { ecu2: ScriptedEcu } {
  const s = setup();
  return { ...s, ecu2: new ScriptedEcu(s.bus, 0x1020, s.clock) };
}

describe('UdsClient.requestFunctional', () => {
  it('collects the answers of two ECUs, waiting P2* for the one that sent 0x78', async () => {
    const { ecu, ecu2, client, clock } = twoEcus();
    ecu.expect('3E 00', '7E 00');
    ecu2.expect('3E 00', '7F 3E 78', { afterMs: 3000, hex: '7E 00' });
    const t = track(client.requestFunctional(fromHex('3E 00')));
    await clock.advance(2999);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    const answers = t.value ?? [];
    expect(answers.map((a) => [a.source, a.response && toHex(a.response), a.error])).toEqual([
      [0x1010, '7E 00', undefined],
      [0x1020, '7E 00', undefined],
    ]);
    expect(ecu.requests[0]?.addressing).toBe('functional');
    expect(ecu2.requests[0]?.addressing).toBe('functional');
    ecu.assertDone();
    ecu2.assertDone();
  });

  it('ends after P2 when nobody is pending, with NRCs as entries', async () => {
    const { ecu, ecu2, client, clock } = twoEcus();
    ecu.expect('22 F1 90', '62 F1 90 41');
    ecu2.expect('22 F1 90', { afterMs: 40, hex: '7F 22 22' });
    const t = track(client.requestFunctional(fromHex('22 F1 90')));
    await clock.advance(149);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    const [a, b] = t.value ?? [];
    expect(a?.source).toBe(0x1010);
    expect(toHex(a?.response ?? new Uint8Array())).toBe('62 F1 90 41');
    expect(b?.source).toBe(0x1020);
    expect(b?.error).toBeInstanceOf(NegativeResponseError);
    expect(b?.error?.nrc).toBe(0x22);
  });

  it('an ECU that sends 0x78 and then nothing gets a timeout entry after P2*', async () => {
    const { ecu, ecu2, client, clock } = twoEcus();
    ecu.expect('31 01 02 03', '71 01 02 03 00');
    ecu2.expect('31 01 02 03', '7F 31 78');
    const t = track(client.requestFunctional(fromHex('31 01 02 03')));
    await clock.advance(5499);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    const b = t.value?.[1];
    expect(b?.source).toBe(0x1020);
    expect(b?.timeout).toBeInstanceOf(TimeoutError);
    expect(b?.timeout?.message).toMatch(/ECU 0x1020 sent 1 NRC 0x78 and then nothing within P2\*client 5500 ms/);
  });

  it('with SPRMIB only negative and 0x78-then-positive answers are collected', async () => {
    const { ecu, ecu2, client, clock } = twoEcus();
    ecu.expect('85 82'); // stays silent: fine
    ecu2.expect('85 82', '7F 85 78', { afterMs: 500, hex: 'C5 02' });
    const t = track(client.requestFunctional(fromHex('85 82')));
    await clock.advance(500);
    await t.done;
    expect(t.value?.map((a) => [a.source, a.response && toHex(a.response)])).toEqual([[0x1020, 'C5 02']]);
  });

  it('nobody answering gives an empty list after P2', async () => {
    const { ecu, ecu2, client, clock } = twoEcus();
    ecu.expect('3E 00');
    ecu2.expect('3E 00');
    const t = track(client.requestFunctional(fromHex('3E 00')));
    await clock.advance(150);
    await t.done;
    expect(t.value).toEqual([]);
  });

  it("request() with functional addressing returns the target's answer", async () => {
    const { ecu, ecu2, client, clock } = twoEcus();
    ecu.expect('10 03', { afterMs: 10, hex: '50 03 00 32 01 F4' });
    ecu2.expect('10 03', '50 03 00 32 01 F4');
    const t = track(client.diagnosticSessionControl(0x03, { addressing: 'functional' }));
    await clock.advance(10);
    await t.done;
    expect(t.value).toEqual({ sessionType: 3, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 });
    expect(ecu.requests[0]?.addressing).toBe('functional');
  });
});
