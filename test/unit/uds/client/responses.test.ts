import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LinkError, TimeoutError, UdskitError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import { InvalidResponseError, NegativeResponseError } from '../../../../src/uds/client/errors.js';
import { setup, track } from './helpers.js';

describe('UdsClient negative responses', () => {
  it('7F 22 31 -> NegativeResponseError with every field and a message that says what to do', async () => {
    const { ecu, client } = setup();
    ecu.expect('22 F1 90', '7F 22 31');
    const e = (await client.request(fromHex('22 F1 90')).catch((x: unknown) => x)) as NegativeResponseError;
    expect(e).toBeInstanceOf(NegativeResponseError);
    expect(e).toBeInstanceOf(UdskitError);
    expect(e.code).toBe('UDSKIT_NRC');
    expect(e.sid).toBe(0x22);
    expect(e.serviceName).toBe('ReadDataByIdentifier');
    expect(e.nrc).toBe(0x31);
    expect(e.nrcName).toBe('requestOutOfRange');
    expect(e.source).toBe(0x1010);
    expect(e.meaning).toBe('the DID is not supported (or not readable in this session)');
    expect(e.hint).toMatch(/check identifiers/);
    expect(e.message).toBe(
      'ReadDataByIdentifier (0x22) refused by ECU 0x1010: requestOutOfRange (0x31) — the DID is not supported ' +
        "(or not readable in this session); check identifiers, address ranges and sizes against the ECU's memory map",
    );
    expect(e.toJSON()).toMatchObject({ code: 'UDSKIT_NRC', sid: 0x22, nrc: 0x31, nrcName: 'requestOutOfRange', source: 0x1010 });
  });

  it('uses the generic NRC meaning where no service-specific one exists', async () => {
    const { ecu, client } = setup();
    ecu.expect('11 01', '7F 11 7F');
    await expect(client.ecuReset(0x01)).rejects.toThrow(
      'ECUReset (0x11) refused by ECU 0x1010: serviceNotSupportedInActiveSession (0x7F) — the service is not allowed in the current session',
    );
  });
});

describe('UdsClient invalid responses', () => {
  it('a positive response of another SID is passed over as unsolicited (ResponseOnEvent), then P2 runs out', async () => {
    const { ecu, client, clock } = setup();
    const ignored: string[] = [];
    client.events.on('ignored', (_m, reason) => ignored.push(reason));
    ecu.expect('22 F1 90', '59 0E FF');
    const t = track(client.request(fromHex('22 F1 90')));
    await clock.advance(150);
    await t.done;
    expect(t.error).toBeInstanceOf(TimeoutError);
    expect(ignored).toEqual(['unsolicited positive response of SID 0x19 (e.g. ResponseOnEvent)']);
  });

  it('an unsolicited positive response does not disturb the answer that follows it', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('22 F1 90', '59 0E FF', { afterMs: 5, hex: '62 F1 90 41' });
    const t = track(client.readDataByIdentifier(0xf190));
    await clock.advance(10);
    await t.done;
    expect(t.error).toBeUndefined();
    expect(toHex((t.value as { data: Uint8Array }[])[0]?.data ?? new Uint8Array())).toBe('41');
  });

  it('a negative response for another SID -> InvalidResponseError', async () => {
    const { ecu, client } = setup();
    ecu.expect('22 F1 90', '7F 11 11');
    const e = (await client.request(fromHex('22 F1 90')).catch((x: unknown) => x)) as InvalidResponseError;
    expect(e).toBeInstanceOf(InvalidResponseError);
    expect(e.code).toBe('UDSKIT_INVALID_RESPONSE');
    expect(e.sid).toBe(0x22);
    expect(toHex(e.response)).toBe('7F 11 11');
    expect(e.message).toMatch(/ReadDataByIdentifier \(0x22\): invalid response from ECU 0x1010: /);
  });

  it('a negative response of the wrong length -> InvalidResponseError', async () => {
    const { ecu, client } = setup();
    ecu.expect('22 F1 90', '7F 22 31 00');
    await expect(client.request(fromHex('22 F1 90'))).rejects.toMatchObject({ code: 'UDSKIT_INVALID_RESPONSE' });
  });

  it('a wrong echo (RID) -> InvalidResponseError', async () => {
    const { ecu, client } = setup();
    ecu.expect('31 01 FF 00', '71 01 FF 01 00');
    await expect(client.routineControl(0x01, 0xff00)).rejects.toThrow(/echo 01 FF 01 after the SID, expected 01 FF 00/);
  });

  it('a response from another ECU is ignored, the right one is taken', async () => {
    const { ecu, client, bus, clock } = setup();
    const other = bus.attach(0x1020);
    const ignored: string[] = [];
    client.events.on('ignored', (_m, reason) => ignored.push(reason));
    ecu.expect('22 F1 90', { afterMs: 20, hex: '62 F1 90 01' });
    const t = track(client.request(fromHex('22 F1 90')));
    await other.send({ target: 0x0e00, data: fromHex('62 F1 90 99') });
    await clock.advance(20);
    await t.done;
    expect(toHex(t.value as Uint8Array)).toBe('62 F1 90 01');
    expect(ignored).toEqual(['from ECU 0x1020, waiting for ECU 0x1010']);
  });

  it('a late answer to a timed-out request is ignored during the next request', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('10 03'); // silent: times out
    const t1 = track(client.request(fromHex('10 03')));
    await clock.advance(150);
    await t1.done;
    expect(t1.error).toBeInstanceOf(TimeoutError);

    const ignored: string[] = [];
    client.events.on('ignored', (_m, reason) => ignored.push(reason));
    ecu.expect('22 F1 90', { afterMs: 30, hex: '62 F1 90 01' });
    const t2 = track(client.readDataByIdentifier(0xf190));
    ecu.send('50 03 00 32 01 F4'); // the late answer to 10 03
    await clock.advance(30);
    await t2.done;
    expect(t2.error).toBeUndefined();
    expect(ignored).toEqual(['late answer to an earlier request that timed out']);
  });

  it('a late answer with the same SID but the old echo is ignored', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('22 F1 90');
    const t1 = track(client.readDataByIdentifier(0xf190));
    await clock.advance(150);
    await t1.done;
    ecu.expect('22 F1 91', { afterMs: 30, hex: '62 F1 91 02' });
    const t2 = track(client.readDataByIdentifier(0xf191));
    ecu.send('62 F1 90 01');
    await clock.advance(30);
    await t2.done;
    expect(t2.value).toEqual([{ did: 0xf191, data: Uint8Array.of(0x02) }]);
  });

  it('unsolicited messages with no request in flight are ignored', async () => {
    const { ecu, client } = setup();
    const ignored: string[] = [];
    client.events.on('ignored', (_m, reason) => ignored.push(reason));
    ecu.send('62 F1 90 01');
    await new Promise((r) => setImmediate(r));
    expect(ignored).toEqual(['unsolicited: no request in flight']);
  });

  it('a link error on send passes through', async () => {
    const { client, bus } = setup({ target: 0x2222 });
    void bus;
    await expect(client.request(fromHex('22 F1 90'))).rejects.toBeInstanceOf(LinkError);
  });

  it('the link closing while waiting rejects with LinkError', async () => {
    const { ecu, client, testerLink } = setup();
    ecu.expect('22 F1 90');
    const t = track(client.request(fromHex('22 F1 90')));
    await new Promise((r) => setImmediate(r));
    await testerLink.close();
    await t.done;
    expect(t.error).toBeInstanceOf(LinkError);
    expect((t.error as Error).message).toMatch(/link closed while waiting for a response from ECU 0x1010/);
  });

  it('random response bytes only ever give the documented errors', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 12 }), async (bytes) => {
        const { ecu, client, clock } = setup();
        ecu.expect('31 01 FF 00', toHex(bytes) === '' ? { afterMs: 0, hex: '' } : toHex(bytes));
        const t = track(client.routineControl(0x01, 0xff00));
        await clock.advance(6000);
        await t.done;
        if (t.error !== undefined) {
          const ok =
            t.error instanceof NegativeResponseError || t.error instanceof InvalidResponseError || t.error instanceof TimeoutError;
          expect(ok).toBe(true);
        } else {
          expect(t.value).toMatchObject({ routineControlType: 1, routineId: 0xff00 });
        }
      }),
      { numRuns: 200 },
    );
  });
});
