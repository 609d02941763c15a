import { describe, it, expect, afterEach } from 'vitest';
import fc from 'fast-check';
import {
  getSecurityAlgorithm,
  listSecurityAlgorithms,
  registerSecurityAlgorithm,
  unregisterSecurityAlgorithm,
  secretFromConfig,
  type SecurityAlgorithm,
} from '../../../../src/uds/security/algorithms.js';
import { aes128Cmac } from '../../../../src/uds/security/aes-cmac.js';
import { ConfigError, InvalidArgumentError } from '../../../../src/core/errors.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'ascii'));

function key(name: string, seedHex: string, secret: Uint8Array, keyLength?: number): string {
  return toHex(getSecurityAlgorithm(name)(fromHex(seedHex), 1, secret, keyLength === undefined ? {} : { keyLength }));
}

describe('doipsimu-pin', () => {
  // key[i] = (seed[i] XOR (pin[i] + 0x20)) mod 255
  const table: [string, string, string, string][] = [
    // pin "2345" = 32 33 34 35, +0x20 = 52 53 54 55
    // 11^52=43, 22^53=71, 33^54=67, 44^55=11
    ['2345', '11 22 33 44', '43 71 67 11', 'plain xor with pin + 32'],
    // pin "4321" = 34 33 32 31, +0x20 = 54 53 52 51; FF^54=AB, FF^53=AC, FF^52=AD, FF^51=AE
    ['4321', 'FF FF FF FF', 'AB AC AD AE', 'all-ones seed'],
    // AD^52=FF, AC^53=FF, AB^54=FF, AA^55=FF, and 0xFF mod 255 = 0
    ['2345', 'AD AC AB AA', '00 00 00 00', 'the mod 255 step turns 0xFF into 0x00'],
    // seed longer than the PIN: the PIN repeats; 52^52=00, 53^53=00, 54^54=00, 55^55=00, 00^52=52
    ['2345', '52 53 54 55 00', '00 00 00 00 52', 'PIN repeats over a 5-byte seed'],
  ];
  for (const [pin, seed, expected, what] of table) {
    it(what, () => expect(key('doipsimu-pin', seed, ascii(pin))).toBe(expected));
  }
  it('refuses an empty PIN', () => {
    expect(() => key('doipsimu-pin', '11 22 33 44', new Uint8Array(0))).toThrow(InvalidArgumentError);
  });
});

describe('xor', () => {
  it('XORs with the secret repeated', () => {
    // 12^AA=B8, 34^55=61, 56^AA=FC, 78^55=2D
    expect(key('xor', '12 34 56 78', fromHex('AA 55'))).toBe('B8 61 FC 2D');
  });
  it('keeps the seed length when the secret is longer', () => {
    // 01^0F=0E, 02^F0=F2
    expect(key('xor', '01 02', fromHex('0F F0 FF FF'))).toBe('0E F2');
  });
  it('is its own inverse', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), (seed, secret) => {
        const xor = getSecurityAlgorithm('xor');
        expect(xor(xor(seed, 1, secret, {}), 1, secret, {})).toEqual(seed);
      }),
    );
  });
});

describe('shift-mul-xor', () => {
  it('seed 12 34 56 78, default constant, 2-byte key', () => {
    // seed >>> 5            = 0x0091A2B3
    // seed << 23 (low 9 bits 0x078 moved up) = 0x3C000000
    // OR                    = 0x3C91A2B3
    // * 7 = 0x1A7FB72E5     -> mod 2^32 = 0xA7FB72E5
    // ^ 0x464C4147          = 0xE1B733A2 -> low 2 bytes 33 A2
    expect(key('shift-mul-xor', '12 34 56 78', new Uint8Array(0))).toBe('33 A2');
  });
  it('a 2-byte seed is left-padded to a u32', () => {
    // seed 0x00001234: >>> 5 = 0x00000091, << 23 = 0x034 << 23 = 0x1A000000, OR = 0x1A000091
    // * 7 = 0xB60003F7, ^ 0x464C4147 = 0xF04C42B0 -> 42 B0
    expect(key('shift-mul-xor', '12 34', new Uint8Array(0))).toBe('42 B0');
  });
  it('secret as the constant, 4-byte key', () => {
    // seed 0xDEADBEEF: >>> 5 = 0x06F56DF7, low 9 bits 0x0EF << 23 = 0x77800000, OR = 0x77F56DF7
    // * 7 = 0x347B601C1 -> 0x47B601C1, ^ 0x11223344 = 0x56943285
    expect(key('shift-mul-xor', 'DE AD BE EF', fromHex('11 22 33 44'), 4)).toBe('56 94 32 85');
  });
  it('zero seed gives the constant', () => {
    // 0 shifted and multiplied stays 0; 0 ^ 0x464C4147 -> low 3 bytes 4C 41 47
    expect(key('shift-mul-xor', '00 00 00 00', new Uint8Array(0), 3)).toBe('4C 41 47');
  });
  it('validates keyLength, seed and secret length', () => {
    expect(() => key('shift-mul-xor', '12 34', new Uint8Array(0), 5)).toThrow(/keyLength must be an integer 1\.\.4/);
    expect(() => key('shift-mul-xor', '01 02 03 04 05', new Uint8Array(0))).toThrow(InvalidArgumentError);
    expect(() => key('shift-mul-xor', '01', fromHex('01 02 03 04 05'))).toThrow(/secret is the 32-bit constant/);
  });
});

describe('aes128-cmac', () => {
  const k = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
  it('matches RFC 4493 section 4 examples', () => {
    // Example 1: empty message
    expect(toHex(aes128Cmac(k, new Uint8Array(0)), '')).toBe('BB1D6929E95937287FA37D129B756746');
    // Example 2: one complete block
    expect(toHex(aes128Cmac(k, fromHex('6bc1bee22e409f96e93d7e117393172a')), '')).toBe('070A16B46B4D4144F79BDD9DD04A287C');
    // Example 3: 40 bytes (incomplete last block)
    const m40 = fromHex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411');
    expect(toHex(aes128Cmac(k, m40), '')).toBe('DFA66747DE9AE63030CA32611497C827');
  });
  it('truncates to keyLength', () => {
    expect(key('aes128-cmac', '6bc1bee22e409f96e93d7e117393172a', k, 4)).toBe('07 0A 16 B4');
  });
  it('refuses a secret that is not 16 bytes', () => {
    expect(() => key('aes128-cmac', '01 02 03 04', ascii('short'))).toThrow(/16-byte AES-128 key/);
  });
});

describe('registry', () => {
  afterEach(() => {
    unregisterSecurityAlgorithm('test-add-one');
    unregisterSecurityAlgorithm('xor');
  });

  it('lists the built-in algorithms', () => {
    expect(listSecurityAlgorithms()).toEqual(expect.arrayContaining(['doipsimu-pin', 'xor', 'shift-mul-xor', 'aes128-cmac']));
  });
  it('unknown names raise ConfigError listing the known ones', () => {
    let err: unknown;
    try {
      getSecurityAlgorithm('rot13');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).code).toBe('UDSKIT_CONFIG');
    expect((err as Error).message).toMatch(/unknown security algorithm "rot13"; known: doipsimu-pin, xor, shift-mul-xor/);
  });
  it('registers a user algorithm and refuses a duplicate without replace', () => {
    const addOne: SecurityAlgorithm = (seed) => seed.map((b) => (b + 1) & 0xff);
    registerSecurityAlgorithm('test-add-one', addOne);
    expect(toHex(getSecurityAlgorithm('test-add-one')(fromHex('01 FF'), 1, new Uint8Array(0), {}))).toBe('02 00');
    expect(listSecurityAlgorithms()).toContain('test-add-one');
    expect(() => registerSecurityAlgorithm('test-add-one', addOne)).toThrow(ConfigError);
    expect(() => registerSecurityAlgorithm('bad name!', addOne)).toThrow(InvalidArgumentError);
  });
  it('replace swaps a built-in and unregister restores it', () => {
    registerSecurityAlgorithm('xor', () => Uint8Array.of(0xee), { replace: true });
    expect(key('xor', '01', fromHex('01'))).toBe('EE');
    unregisterSecurityAlgorithm('xor');
    expect(key('xor', '01', fromHex('01'))).toBe('00');
  });
});

describe('secretFromConfig', () => {
  it('ASCII string', () => expect(toHex(secretFromConfig('2345'))).toBe('32 33 34 35'));
  it('number as 4 bytes big endian', () => expect(toHex(secretFromConfig(0x464c4147))).toBe('46 4C 41 47'));
  it('small number is zero-padded', () => expect(toHex(secretFromConfig(1))).toBe('00 00 00 01'));
  it('hex in several spellings', () => {
    expect(toHex(secretFromConfig({ hex: '2B7E1516' }))).toBe('2B 7E 15 16');
    expect(toHex(secretFromConfig({ hex: '0x2b 0x7e:15-16' }))).toBe('2B 7E 15 16');
  });
  it('rejects bad values with ConfigError', () => {
    expect(() => secretFromConfig('pässword')).toThrow(ConfigError);
    expect(() => secretFromConfig(-1)).toThrow(ConfigError);
    expect(() => secretFromConfig(2 ** 32)).toThrow(ConfigError);
    expect(() => secretFromConfig({ hex: 'ABC' })).toThrow(/not whole hex bytes/);
  });
});
