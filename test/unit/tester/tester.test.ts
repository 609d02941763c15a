import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import { uintToBytes } from '../../../src/core/bytes.js';
import { Tester } from '../../../src/tester/tester.js';
import { RoutineFailedError } from '../../../src/tester/errors.js';
import { setup, track } from '../uds/client/helpers.js';

describe('Tester sessions and keep-alive', () => {
  it('openSession(0x02) starts 3E 80 functionally, closeSession stops it and sends 10 01', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('10 02', '50 02 00 32 01 F4').expect('10 01', '50 01 00 32 01 F4');
    const tester = new Tester(client);
    expect(await tester.openSession(0x02)).toEqual({ sessionType: 2, p2ServerMaxMs: 50, p2StarServerMaxMs: 5000 });
    expect(tester.session).toBe(2);
    expect(client.testerPresentRunning).toBe(true);
    await clock.advance(4000);
    expect(ecu.testerPresents).toEqual([
      { at: 2000, addressing: 'functional' },
      { at: 4000, addressing: 'functional' },
    ]);
    await tester.closeSession();
    expect(client.testerPresentRunning).toBe(false);
    expect(tester.session).toBe(1);
    await clock.advance(4000);
    expect(ecu.testerPresents).toHaveLength(2);
    ecu.assertDone();
  });

  it('openSession defaults to the extended session; keepAlive options are used; false disables', async () => {
    const a = setup();
    a.ecu.expect('10 03', '50 03 00 32 01 F4');
    await new Tester(a.client, { keepAlive: { intervalMs: 500, functional: false } }).openSession();
    await a.clock.advance(1000);
    expect(a.ecu.testerPresents).toEqual([
      { at: 500, addressing: 'physical' },
      { at: 1000, addressing: 'physical' },
    ]);
    a.client.stopTesterPresent();

    const b = setup();
    b.ecu.expect('10 03', '50 03 00 32 01 F4');
    await new Tester(b.client, { keepAlive: false }).openSession(0x03);
    expect(b.client.testerPresentRunning).toBe(false);
  });

  it('openSession(0x01) does not start the keep-alive', async () => {
    const { ecu, client } = setup();
    ecu.expect('10 01', '50 01 00 32 01 F4');
    await new Tester(client).openSession(0x01);
    expect(client.testerPresentRunning).toBe(false);
  });

  it('reset sends 11 01 and stops the keep-alive (the ECU is back in the default session)', async () => {
    const { ecu, client } = setup();
    ecu.expect('10 02', '50 02 00 32 01 F4').expect('11 01', '51 01');
    const tester = new Tester(client);
    await tester.openSession(0x02);
    expect(await tester.reset()).toEqual({ resetType: 1 });
    expect(client.testerPresentRunning).toBe(false);
    expect(tester.session).toBe(1);
  });
});

describe('Tester routines', () => {
  it('eraseMemory with ALFID 0x44 (default), waiting through 0x78', async () => {
    const { ecu, client, clock } = setup();
    ecu.expect('31 01 FF 00 44 00 00 10 00 00 00 30 00', '7F 31 78', { afterMs: 3000, hex: '71 01 FF 00 00' });
    const t = track(new Tester(client).eraseMemory(0x1000, 0x3000));
    await clock.advance(3000);
    await t.done;
    expect(t.error).toBeUndefined();
    ecu.assertDone();
  });

  it("eraseMemory in seed 000's addr(4) size(4) format with another routine id", async () => {
    const { ecu, client } = setup();
    ecu.expect('31 01 FF 02 00 00 10 00 00 00 30 00', '71 01 FF 02');
    await new Tester(client).eraseMemory(0x1000, 0x3000, { format: 'addr4size4', routineId: 0xff02 });
    ecu.assertDone();
  });

  it('an erase that reports status 01 -> RoutineFailedError', async () => {
    const { ecu, client } = setup();
    ecu.expect('31 01 FF 00 44 00 00 10 00 00 00 30 00', '71 01 FF 00 01');
    const e = (await new Tester(client).eraseMemory(0x1000, 0x3000).catch((x: unknown) => x)) as RoutineFailedError;
    expect(e).toBeInstanceOf(RoutineFailedError);
    expect(e.code).toBe('UDSKIT_ROUTINE_FAILED');
    expect(e.message).toMatch(/^eraseMemory \(routine 0xFF00\) on ECU 0x1010 reported failure: status 01; /);
  });

  it('checkMemory sends the CRC32 and checks the status', async () => {
    const { ecu, client } = setup();
    ecu.expect('31 01 02 02 12 34 56 78', '71 01 02 02 00').expect('31 01 02 02 12 34 56 78', '71 01 02 02 01');
    const tester = new Tester(client);
    await tester.checkMemory(0x12345678);
    await expect(tester.checkMemory(0x12345678)).rejects.toThrow(/checkMemory \(routine 0x0202\) .* status 01; the downloaded data differs/);
  });

  it('checkDependencies sends 31 01 FF01', async () => {
    const { ecu, client } = setup();
    ecu.expect('31 01 FF 01', '71 01 FF 01 00');
    await new Tester(client).checkDependencies();
    ecu.assertDone();
  });
});

describe('Tester: the seed 000 sequence against the scripted ECU', () => {
  it('session, unlock, erase, download, check, reset, upload, close', async () => {
    const { ecu, client } = setup();
    const image = Uint8Array.from({ length: 40 }, (_, i) => i);
    const crc = toHex(uintToBytes(crc32(image), 4));
    ecu
      .expect('10 02', '50 02 00 32 01 F4')
      .expect('27 01', '67 01 11 22 33 44')
      .expect('27 02 43 71 67 11', '67 02')
      .expect('31 01 FF 00 44 00 00 10 00 00 00 00 28', '71 01 FF 00 00')
      .expect('34 00 44 00 00 10 00 00 00 00 28', '74 10 16') // 22 - 2 = 20 bytes per block
      .expect(`36 01 ${toHex(image.subarray(0, 20))}`, '76 01')
      .expect(`36 02 ${toHex(image.subarray(20))}`, '76 02')
      .expect('37', `77 ${crc}`)
      .expect(`31 01 02 02 ${crc}`, '71 01 02 02 00')
      .expect('11 01', '51 01')
      .expect('35 00 44 00 00 10 00 00 00 00 28', '75 10 2A') // 40 bytes per block
      .expect('36 01', `76 01 ${toHex(image)}`)
      .expect('37', `77 ${crc}`)
      .expect('10 01', '50 01 00 32 01 F4');
    const tester = new Tester(client);
    await tester.openSession(0x02);
    await tester.unlock(0x01, { algorithm: 'doipsimu-pin', secret: '2345' });
    await tester.eraseMemory(0x1000, 40);
    const r = await tester.download(0x1000, image);
    expect(r).toMatchObject({ bytes: 40, blocks: 2, crc32: crc32(image) });
    await tester.checkMemory(r.crc32);
    await tester.reset(0x01);
    expect(await tester.upload(0x1000, 40)).toEqual(image);
    await tester.closeSession();
    ecu.assertDone();
  });
});
