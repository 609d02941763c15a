import { describe, it, expect } from 'vitest';
import { TimeoutError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { NegativeResponseError } from '../../../../src/uds/client/errors.js';
import { setup, track } from './helpers.js';

describe('UdsClient P2 / P2* timing (ISO 14229-2 7.2)', () => {
  it('answers within P2 resolve with the positive response', async () => {
    const { ecu, client } = setup();
    ecu.expect('22 F1 90', '62 F1 90 57 30 4C');
    expect(toHex(await client.request(fromHex('22 F1 90')))).toBe('62 F1 90 57 30 4C');
    ecu.assertDone();
  });

  it('times out after P2client (150 ms by default) with a message naming the service and P2', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('22 F1 90'); // the ECU stays silent
    const t = track(client.request(fromHex('22 F1 90')));
    await clock.advance(149);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect(t.error).toBeInstanceOf(TimeoutError);
    const e = t.error as TimeoutError;
    expect(e.code).toBe('UDSKIT_TIMEOUT');
    expect(e.details).toMatchObject({ sid: 0x22, phase: 'P2', timeoutMs: 150, target: 0x1010 });
    expect(e.message).toMatch(/^ReadDataByIdentifier \(0x22\) to ECU 0x1010: no response within P2client 150 ms; .*raise p2ClientMs/);
    ecu.assertDone();
  });

  it('timeoutMs overrides P2 for one request', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('22 F1 90');
    const t = track(client.request(fromHex('22 F1 90'), { timeoutMs: 1000 }));
    await clock.advance(999);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect((t.error as TimeoutError).details['timeoutMs']).toBe(1000);
  });

  it('0x78 then the response after 4 s: no timeout, and TesterPresent keeps going during the wait', async () => {
    const { ecu, client, clock } = setup();
    const pending: number[] = [];
    client.events.on('responsePending', (p) => pending.push(p.count));
    client.startTesterPresent({ intervalMs: 1000 });
    ecu.expect('31 01 FF 00 44 00 00 10 00 00 00 30 00', '7F 31 78', { afterMs: 4000, hex: '71 01 FF 00 00' });
    const t = track(client.routineControl(0x01, 0xff00, fromHex('44 00 00 10 00 00 00 30 00')));
    await clock.advance(3999);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(t.value).toMatchObject({ routineControlType: 1, routineId: 0xff00 });
    expect(pending).toEqual([1]);
    // 3E 80 went out every second, functionally, while the request waited on 0x78.
    expect(ecu.testerPresents).toEqual([
      { at: 1000, addressing: 'functional' },
      { at: 2000, addressing: 'functional' },
      { at: 3000, addressing: 'functional' },
      { at: 4000, addressing: 'functional' },
    ]);
    client.stopTesterPresent();
    ecu.assertDone();
  });

  it('every further 0x78 restarts P2*: a wait of 14 s in total (past P2* 5.5 s) succeeds', async () => {
    const { ecu, client, clock } = setup();
    let count = 0;
    client.events.on('responsePending', (p) => (count = p.count));
    ecu.expect(
      '31 01 FF 00',
      '7F 31 78',
      { afterMs: 5000, hex: '7F 31 78' },
      { afterMs: 10000, hex: '7F 31 78' },
      { afterMs: 14000, hex: '71 01 FF 00' },
    );
    const t = track(client.request(fromHex('31 01 FF 00')));
    await clock.advance(13999);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect(toHex(t.value as Uint8Array)).toBe('71 01 FF 00');
    expect(count).toBe(3);
  });

  it('0x78 and then silence times out P2*client after the last 0x78', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('31 01 FF 00', '7F 31 78', { afterMs: 3000, hex: '7F 31 78' });
    const t = track(client.request(fromHex('31 01 FF 00')));
    await clock.advance(3000 + 5499);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    const e = t.error as TimeoutError;
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e.details).toMatchObject({ phase: 'P2*', timeoutMs: 5500, responsePending: 2 });
    expect(e.message).toMatch(/RoutineControl \(0x31\) to ECU 0x1010: no final response within P2\*client 5500 ms after 2 NRC 0x78/);
  });

  it('a negative response after 0x78 is thrown', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('31 01 FF 00', '7F 31 78', { afterMs: 2000, hex: '7F 31 72' });
    const t = track(client.request(fromHex('31 01 FF 00')));
    await clock.advance(2000);
    await t.done;
    expect(t.error).toBeInstanceOf(NegativeResponseError);
    expect((t.error as NegativeResponseError).nrc).toBe(0x72);
  });

  it('adopts P2/P2* from the 0x50 response: P2server + 100 ms, P2*server + 500 ms', async () => {
    const { ecu, client, clock } = setup();
    const seen: unknown[] = [];
    client.events.on('timing', (v) => seen.push(v));
    // 50 03, P2server 0x0064 = 100 ms, P2*server 0x00C8 * 10 = 2000 ms
    ecu.expect('10 03', '50 03 00 64 00 C8');
    await client.diagnosticSessionControl(0x03);
    expect(client.timing).toEqual({ p2ClientMs: 200, p2StarClientMs: 2500 });
    expect(seen).toEqual([{ p2ClientMs: 200, p2StarClientMs: 2500 }]);

    ecu.expect('22 F1 90');
    const t = track(client.request(fromHex('22 F1 90')));
    await clock.advance(199);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect((t.error as TimeoutError).details['timeoutMs']).toBe(200);

    ecu.expect('22 F1 90', '7F 22 78');
    const t2 = track(client.request(fromHex('22 F1 90')));
    await clock.advance(2499);
    expect(t2.settled).toBe(false);
    await clock.advance(1);
    await t2.done;
    expect((t2.error as TimeoutError).details).toMatchObject({ phase: 'P2*', timeoutMs: 2500 });
  });

  it('keeps its own P2/P2* when adoptTimingFromSession is false', async () => {
    const { ecu, client } = setup({ adoptTimingFromSession: false, p2ClientMs: 300, p2StarClientMs: 9000 });
    ecu.expect('10 03', '50 03 00 64 00 C8');
    await client.diagnosticSessionControl(0x03);
    expect(client.timing).toEqual({ p2ClientMs: 300, p2StarClientMs: 9000 });
  });
});

describe('UdsClient SPRMIB (suppressPosRspMsgIndicationBit)', () => {
  it('resolves with undefined when no response comes within P2', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('10 83');
    const t = track(client.diagnosticSessionControl(0x03, { suppress: true }));
    await clock.advance(149);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(t.value).toBeUndefined();
    ecu.assertDone();
  });

  it('after 0x78 it still waits for the final positive response (python-udsoncan #252)', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('10 82', '7F 10 78', { afterMs: 1200, hex: '50 02 00 32 01 F4' });
    const t = track(client.diagnosticSessionControl(0x02, { suppress: true }));
    await clock.advance(1199);
    expect(t.settled).toBe(false);
    await clock.advance(1);
    await t.done;
    expect(t.value).toEqual({ sessionType: 2, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 });
  });

  it('a negative response is still thrown', async () => {
    const { ecu, client } = setup();
    ecu.expect('10 82', '7F 10 22');
    await expect(client.diagnosticSessionControl(0x02, { suppress: true })).rejects.toMatchObject({ code: 'UDSKIT_NRC', nrc: 0x22 });
  });

  it('a negative response arriving after P2 to a suppressed request is ignored as late', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('10 83', { afterMs: 200, hex: '7F 10 22' });
    const t = track(client.diagnosticSessionControl(0x03, { suppress: true }));
    await clock.advance(150);
    await t.done;
    ecu.expect('22 F1 90', { afterMs: 100, hex: '62 F1 90 01' });
    const t2 = track(client.readDataByIdentifier(0xf190));
    await clock.advance(100);
    await t2.done;
    expect(t2.error).toBeUndefined();
    expect(t2.value).toEqual([{ did: 0xf190, data: Uint8Array.of(1) }]);
  });

  it('SPRMIB already set in raw bytes is honoured', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('3E 80');
    const t = track(client.request(fromHex('3E 80')));
    await clock.advance(150);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(t.value).toBeUndefined();
  });

  it('the option sets bit 7 in the sent bytes', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('85 82');
    const t = track(client.request(fromHex('85 02'), { suppressPositiveResponse: true }));
    await clock.advance(150);
    await t.done;
    expect(t.value).toBeUndefined();
    ecu.assertDone();
  });
});
