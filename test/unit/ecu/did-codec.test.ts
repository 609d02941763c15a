import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/hex.js';
import { parseEcuConfig, type EcuConfigInput } from '../../../src/ecu/config.js';
import { decodeDidValue, didValueProblem, DidValueError, encodeDidValue, type DidCodecSpec } from '../../../src/ecu/did-codec.js';
import { harness } from './helpers.js';

function configError(dids: EcuConfigInput['dids']): string {
  try {
    parseEcuConfig({ address: 0x1010, dids }, 'engine.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).message;
  }
  throw new Error('expected a ConfigError');
}

describe('DID codecs (did-codec.ts)', () => {
  const rows: [string, DidCodecSpec, Parameters<typeof encodeDidValue>[1], string][] = [
    ['uint 2 bytes', { codec: 'uint', length: 2 }, 12345, '30 39'],
    ['uint from a hex string', { codec: 'uint', length: 3 }, '0x012345', '01 23 45'],
    ['int -2 on 2 bytes', { codec: 'int', length: 2 }, -2, 'FF FE'],
    ['int -128 on 1 byte', { codec: 'int', length: 1 }, '-128', '80'],
    ['bcd date', { codec: 'bcd' }, '20240101', '20 24 01 01'],
    ['bcd with separators, padded to the length', { codec: 'bcd', length: 4 }, '24-01-01', '00 24 01 01'],
    ['bcd from a number, odd digit count', { codec: 'bcd' }, 12345, '01 23 45'],
    ['ascii', { codec: 'ascii' }, 'AB 1', '41 42 20 31'],
    ['bytes from { hex }', { codec: 'bytes' }, { hex: '00 FF' }, '00 FF'],
    ['bytes text keeps control characters', { codec: 'bytes' }, 'A\tB', '41 09 42'],
  ];
  for (const [name, spec, value, hex] of rows) {
    it(`encodes ${name}`, () => {
      const bytes = encodeDidValue(spec, value);
      expect(toHex(bytes)).toBe(hex);
      expect(didValueProblem(spec, bytes)).toBeUndefined();
    });
  }

  it('decodes to the natural value', () => {
    expect(decodeDidValue({ codec: 'uint', length: 2 }, Uint8Array.of(0x30, 0x39))).toBe(12345);
    expect(decodeDidValue({ codec: 'int', length: 2 }, Uint8Array.of(0xff, 0xfe))).toBe(-2);
    expect(decodeDidValue({ codec: 'bcd' }, Uint8Array.of(0x20, 0x24))).toBe('2024');
    expect(decodeDidValue({ codec: 'ascii' }, Uint8Array.of(0x41, 0x42))).toBe('AB');
  });

  const bad: [string, DidCodecSpec, Parameters<typeof encodeDidValue>[1], RegExp][] = [
    ['uint without length', { codec: 'uint' }, 1, /needs a length/],
    ['uint too large', { codec: 'uint', length: 1 }, 256, /does not fit uint of 1 byte/],
    ['int too small', { codec: 'int', length: 1 }, -129, /-128\.\.127/],
    ['uint negative', { codec: 'uint', length: 2 }, -1, /does not fit/],
    ['uint not a number', { codec: 'uint', length: 2 }, 'twelve', /not an integer/],
    ['bcd letters', { codec: 'bcd' }, '2024AB', /not decimal digits/],
    ['bcd too long for the length', { codec: 'bcd', length: 1 }, '123', /do not fit 1 BCD byte/],
    ['bcd { hex } with a bad digit', { codec: 'bcd' }, { hex: '20 2A' }, /byte 2 \(0x2A\) is not two BCD digits/],
    ['ascii with a control character', { codec: 'ascii' }, 'A\nB', /not printable ASCII/],
    ['ascii of the wrong length', { codec: 'ascii', length: 3 }, 'AB', /is 2 byte\(s\) but length is 3/],
    ['a number for bytes', { codec: 'bytes' }, 5, /takes text or \{ hex \}/],
    ['uint above max', { codec: 'uint', length: 1, max: 100 }, 101, /above the maximum 100/],
  ];
  for (const [name, spec, value, message] of bad) {
    it(`refuses ${name}`, () => {
      expect(() => encodeDidValue(spec, value)).toThrow(DidValueError);
      expect(() => encodeDidValue(spec, value)).toThrow(message);
    });
  }
});

describe('DID schema (config-dids.ts)', () => {
  it('accepts natural values with a codec and keeps the old forms working', () => {
    const c = parseEcuConfig({
      address: 0x1010,
      dids: [
        { id: 0x0100, codec: 'uint', length: 2, value: 12345 },
        { id: 0xf199, codec: 'bcd', value: '20240101' },
        { id: 0x0101, value: 'TEXT' },
        { id: 0x0102, value: { hex: '01 02' }, length: 2 },
        { id: '0x0103', codec: 'int', length: 1, value: -5, min: -10, max: 10, write: { sessions: [3] } },
      ],
    });
    expect(c.dids.map((d) => toHex(d.value ?? new Uint8Array(0)))).toEqual(['30 39', '20 24 01 01', '54 45 58 54', '01 02', 'FB']);
    expect(c.dids[4]).toMatchObject({ codec: 'int', min: -10, max: 10 });
    expect(parseEcuConfig(c)).toEqual(c);
  });

  it('names the field and the problem of a bad value', () => {
    expect(configError([{ id: 0x0100, codec: 'uint', length: 1, value: 300 }])).toMatch(/engine\.yaml[\s\S]*dids\[0\]\.value: 300 does not fit uint of 1 byte/);
    expect(configError([{ id: 0x0100, codec: 'uint', value: 3 }])).toContain('dids[0].length: codec uint needs a length of 1..6 bytes');
    expect(configError([{ id: 0x0100, codec: 'ascii', value: 'x', max: 3 }])).toContain('dids[0].max: min / max apply to codec uint or int only');
    expect(configError([{ id: 0x0100, codec: 'hex' as 'bytes', value: 'x' }])).toMatch(/dids\[0\]\.codec: .*"bytes"\|"ascii"\|"bcd"\|"uint"\|"int"/);
    expect(configError([{ id: 0x0100, codec: 'bcd', value: { hex: 'AB' } }])).toContain('is not two BCD digits');
  });

  it('parses ioControl: default value through the codec, signals that must cover the DID', () => {
    const c = parseEcuConfig({
      address: 0x1010,
      dids: [{ id: 0x9b00, codec: 'uint', length: 2, value: 0, ioControl: { parameters: [3, 0, 3], default: 500, signals: [1, 1] } }],
    });
    expect(c.dids[0]?.ioControl).toMatchObject({ parameters: [0, 3], signals: [1, 1] });
    expect(toHex(c.dids[0]?.ioControl?.default ?? new Uint8Array(0))).toBe('01 F4');
    expect(parseEcuConfig(c)).toEqual(c);
    expect(configError([{ id: 0x9b00, value: { hex: '00 00' }, ioControl: { signals: [1] } }])).toContain(
      'dids[0].ioControl.signals: signals cover 1 byte(s) but the DID is 2 byte(s) long',
    );
    expect(configError([{ id: 0x9b00, value: { hex: '00' }, ioControl: { parameters: [4] } }])).toContain('dids[0].ioControl.parameters[0]: must be 0..3');
  });

  it('parses scaling as bytes or typed records', () => {
    const c = parseEcuConfig({
      address: 0x1010,
      dids: [
        {
          id: 0x0105,
          value: { hex: '01 90' },
          scaling: [
            { type: 'unsignedNumeric', length: 2 },
            { type: 'formula', formula: 0, constants: [0.1, -40] },
            { type: 'unit', unit: 0x2e },
          ],
        },
        { id: 0x0106, value: 'A', scaling: { hex: '61' } },
        { id: 0x0107, value: 'A', scaling: [{ type: 'bitMappedReportedWithOutMask', mask: { hex: '0F' } }, { type: 'raw', scalingByte: 0x50 }] },
      ],
    });
    expect(c.dids.map((d) => toHex(d.scaling ?? new Uint8Array(0)))).toEqual(['02 95 00 F0 01 1F FC A1 2E', '61', '21 0F 50']);
    expect(parseEcuConfig(c)).toEqual(c);
    expect(configError([{ id: 1, value: 'A', scaling: [{ type: 'formula', formula: 0, constants: [1] }] }])).toContain(
      'formula 0 takes 2 constant(s), got 1',
    );
    expect(configError([{ id: 1, value: 'A', scaling: [{ type: 'formula', formula: 6, constants: [1 / 3] }] }])).toContain('cannot be written exactly');
    expect(configError([{ id: 1, value: 'A', scaling: { hex: '95 00' } }])).toContain('not well-formed scaling records');
  });
});

describe('WriteDataByIdentifier (0x2E) checks the value against the codec', () => {
  it('0x13 for the length first, then 0x31 for a value the codec refuses', async () => {
    const h = harness({ dids: [{ id: 0x0100, codec: 'uint', length: 1, value: 10, max: 100, write: { sessions: [3] } }] });
    await h.req('10 03');
    expect(await h.req('2E 01 00 65')).toEqual(['7F 2E 31']); // 101 > max
    expect(await h.req('2E 01 00 00 64')).toEqual(['7F 2E 13']);
    expect(await h.req('2E 01 00 64')).toEqual(['6E 01 00']);
    expect(await h.req('22 01 00')).toEqual(['62 01 00 64']);
    h.ecu.close();
  });

  it('F199 is BCD and the VIN is ASCII by default', async () => {
    const h = harness();
    await h.req('10 02');
    await h.unlock();
    expect(await h.req('2E F1 99 24 06 3A')).toEqual(['7F 2E 31']);
    expect(await h.req('2E F1 99 24 06')).toEqual(['7F 2E 13']);
    expect(await h.req('2E F1 99 24 06 30')).toEqual(['6E F1 99']);
    await h.req('10 03');
    await h.unlock();
    const vin = 'WUDSKIT000000004'.split('').map((ch) => ch.charCodeAt(0).toString(16).toUpperCase()).join(' ');
    expect(await h.req(`2E F1 90 ${vin} 0A`)).toEqual(['7F 2E 31']);
    expect(await h.req(`2E F1 90 ${vin} 32`)).toEqual(['6E F1 90']);
    h.ecu.close();
  });
});

describe('ReadScalingDataByIdentifier (0x24)', () => {
  it('answers the scaling records of a DID, 0x31 without scaling, 0x33 behind security, 0x13 for the length', async () => {
    const h = harness({
      dids: [
        { id: 0x0105, codec: 'uint', length: 2, value: 400, scaling: [{ type: 'unsignedNumeric', length: 2 }, { type: 'formula', formula: 0, constants: [0.1, -40] }] },
        { id: 0x0106, value: 'A', scaling: { hex: '61' }, read: { securityLevels: [1] } },
        { id: 0x0107, value: 'A', scaling: { hex: '61' }, read: { sessions: [3] } },
      ],
    });
    expect(await h.req('24 01 05')).toEqual(['64 01 05 02 95 00 F0 01 1F FC']);
    expect(await h.req('24 F1 90')).toEqual(['7F 24 31']);
    expect(await h.req('24 12 34')).toEqual(['7F 24 31']);
    expect(await h.req('24 01 06')).toEqual(['7F 24 33']);
    expect(await h.req('24 01 07')).toEqual(['7F 24 31']);
    expect(await h.req('24 01')).toEqual(['7F 24 13']);
    expect(await h.req('24 01 05 01 06')).toEqual(['7F 24 13']);
    await h.req('10 03');
    expect(await h.req('24 01 07')).toEqual(['64 01 07 61']);
    await h.unlock();
    expect(await h.req('24 01 06')).toEqual(['64 01 06 61']);
    await h.req('10 02');
    expect(await h.req('24 01 05')).toEqual(['7F 24 7F']);
    h.ecu.close();
  });
});
