import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { fromHex } from '../../../src/core/hex.js';
import { NegativeResponseError } from '../../../src/uds/client/errors.js';
import type { SecurityAlgorithm } from '../../../src/uds/security/algorithms.js';
import { Tester } from '../../../src/tester/tester.js';
import type { UnlockOptions } from '../../../src/tester/security.js';
import { setup } from '../uds/client/helpers.js';

// [algorithm, options, seed the ECU sends, key the ECU must receive] — keys computed by hand in
// test/unit/uds/security/algorithms.test.ts
const cases: [string, UnlockOptions, string, string][] = [
  // pin "2345" + 0x20 = 52 53 54 55; 11^52=43 22^53=71 33^54=67 44^55=11
  ['doipsimu-pin', { algorithm: 'doipsimu-pin', secret: '2345' }, '11 22 33 44', '43 71 67 11'],
  // 12^AA=B8 34^55=61 56^AA=FC 78^55=2D
  ['xor', { algorithm: 'xor', secret: { hex: 'AA 55' } }, '12 34 56 78', 'B8 61 FC 2D'],
  // 0x12345678 -> rotate 0x3C91A2B3 -> *7 0xA7FB72E5 -> ^0x464C4147 0xE1B733A2 -> 33 A2
  ['shift-mul-xor (default constant, WORD key)', { algorithm: 'shift-mul-xor', secret: new Uint8Array(0) }, '12 34 56 78', '33 A2'],
  // 0xDEADBEEF -> 0x77F56DF7 -> 0x47B601C1 -> ^0x11223344 = 0x56943285
  ['shift-mul-xor (number secret, 4-byte key)', { algorithm: 'shift-mul-xor', secret: 0x11223344, keyLength: 4 }, 'DE AD BE EF', '56 94 32 85'],
  // RFC 4493 example 2, truncated to 4 bytes
  [
    'aes128-cmac',
    { algorithm: 'aes128-cmac', secret: { hex: '2b7e151628aed2a6abf7158809cf4f3c' }, keyLength: 4 },
    '6b c1 be e2 2e 40 9f 96 e9 3d 7e 11 73 93 17 2a',
    '07 0A 16 B4',
  ],
];

describe('Tester.unlock', () => {
  for (const [what, opts, seed, key] of cases) {
    it(`unlocks with ${what}`, async () => {
      const { ecu, client } = setup();
      ecu.expect('27 01', `67 01 ${seed}`).expect(`27 02 ${key}`, '67 02');
      const r = await new Tester(client).unlock(0x01, opts);
      expect(r).toEqual({ level: 1, seed: fromHex(seed), key: fromHex(key), alreadyUnlocked: false });
      ecu.assertDone();
    });
  }

  it('unlocks level 0x03 with a user function (sendKey 0x04)', async () => {
    const { ecu, client } = setup();
    const invert: SecurityAlgorithm = (seed, level) => seed.map((b) => (~b + level) & 0xff);
    ecu.expect('27 03', '67 03 00 FF').expect('27 04 02 03', '67 04');
    await new Tester(client).unlock(0x03, { algorithm: invert, secret: new Uint8Array(0) });
    ecu.assertDone();
  });

  it('an all-zero seed means already unlocked: no key is sent', async () => {
    const { ecu, client } = setup();
    ecu.expect('27 01', '67 01 00 00 00 00');
    const r = await new Tester(client).unlock(0x01, { algorithm: 'xor', secret: { hex: '01' } });
    expect(r.alreadyUnlocked).toBe(true);
    expect(r.key).toBeUndefined();
    ecu.assertDone();
  });

  it('a wrong key surfaces the NRC 0x35 with its meaning', async () => {
    const { ecu, client } = setup();
    ecu.expect('27 01', '67 01 11 22 33 44').expect('27 02 43 71 67 11', '7F 27 35');
    const e = (await new Tester(client).unlock(0x01, { algorithm: 'doipsimu-pin', secret: '2345' }).catch((x: unknown) => x)) as NegativeResponseError;
    expect(e).toBeInstanceOf(NegativeResponseError);
    expect(e.message).toMatch(/SecurityAccess \(0x27\) refused by ECU 0x1010: invalidKey \(0x35\) — the key does not match the seed/);
  });

  it('an unknown algorithm fails before any request', async () => {
    const { ecu, client } = setup();
    await expect(new Tester(client).unlock(0x01, { algorithm: 'nope', secret: '1' })).rejects.toBeInstanceOf(ConfigError);
    expect(ecu.requests).toEqual([]);
  });

  it('requestSeed and sendKey are available on their own', async () => {
    const { ecu, client } = setup();
    ecu.expect('27 05', '67 05 AB CD').expect('27 06 01 02', '67 06');
    const tester = new Tester(client);
    expect(await tester.requestSeed(0x05)).toEqual(fromHex('AB CD'));
    await tester.sendKey(0x05, fromHex('01 02'));
    ecu.assertDone();
  });
});
