import { describe, it, expect } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../../src/core/errors.js';
import { toHex } from '../../../src/core/hex.js';
import { parseEcuConfig } from '../../../src/ecu/config.js';

function configError(input: unknown): ConfigError {
  try {
    parseEcuConfig(input, 'engine.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('parseEcuConfig', () => {
  it('applies the documented defaults', () => {
    const c = parseEcuConfig({ address: 0x1010 });
    expect(c.name).toBe('ecu-1010');
    expect(c.functionalAddresses).toEqual([0xe400]);
    expect([c.p2ServerMs, c.p2StarServerMs, c.s3ServerMs, c.resetDurationMs]).toEqual([50, 5000, 5000, 50]);
    expect(toHex(c.identification.vin)).toBe(toHex(new TextEncoder().encode('WUDSKIT0000000001')));
    expect(c.security).toMatchObject({ attemptsSurviveReset: true, powerOnDelayMs: 0 });
    expect(c.security.levels).toHaveLength(1);
    expect(c.security.levels[0]).toMatchObject({ level: 1, algorithm: 'shift-mul-xor', seedLength: 4, maxAttempts: 3, delayMs: 10_000, sessions: [2, 3] });
    expect(c.memory.map((r) => [r.name, r.kind, r.start, r.size, r.erasedValue, r.download, r.upload])).toEqual([
      ['flash', 'flash', 0, 0x100000, 0xff, true, true],
      ['ram', 'ram', 0x20000000, 0x10000, 0x00, true, true],
    ]);
    expect(c.transfer).toEqual({
      maxNumberOfBlockLength: 0x1002,
      acceptMaxBlockLengthAsData: false,
      overflowNrc: 0x31,
      busyNrc: 0x22,
      dataFormatIdentifiers: [0],
    });
    expect(c.programming).toEqual({
      session: 2,
      securityLevel: 1,
      routines: { eraseMemory: 0xff00, checkMemory: 0x0202, checkProgrammingDependencies: 0xff01, checkProgrammingPreconditions: 0x0203 },
    });
  });

  it('reads the YAML shape of the contract, with hex strings and secrets', () => {
    const yaml = `
name: engine
address: "0x1010"
functionalAddresses: [0xE400]
identification:
  vin: "WUDSKIT0000000009"
  serialNumber: { hex: "01 02 03" }
dids:
  - id: 0xF190
    length: 17
    write: { sessions: [0x03], securityLevels: [0x01] }
  - id: "0x0100"
    value: { hex: "0102" }
security:
  levels:
    - level: 0x01
      algorithm: shift-mul-xor
      secret: "0x464C4147"
      keyLength: 4
    - level: 0x03
      algorithm: doipsimu-pin
      secret: "2345"
    - level: 0x05
      algorithm: xor
      secret: { hex: "AA55" }
  attemptsSurviveReset: false
memory:
  - name: flash
    kind: flash
    start: 0x08000000
    size: 64K
    sectors: [{ size: 0x4000, count: 4 }]
transfer:
  maxNumberOfBlockLength: 0x0FFF
  overflowNrc: 0x71
  busyNrc: 0x70
`;
    const c = parseEcuConfig(parseYaml(yaml) as unknown, 'engine.yaml');
    expect(c.name).toBe('engine');
    expect(c.address).toBe(0x1010);
    expect(toHex(c.identification.serialNumber)).toBe('01 02 03');
    expect(c.dids[1]).toMatchObject({ id: 0x0100 });
    expect(toHex(c.security.levels[0]?.secret ?? [])).toBe('46 4C 41 47');
    expect(toHex(c.security.levels[1]?.secret ?? [])).toBe('32 33 34 35');
    expect(toHex(c.security.levels[2]?.secret ?? [])).toBe('AA 55');
    expect(c.security.attemptsSurviveReset).toBe(false);
    expect(c.memory[0]).toMatchObject({ start: 0x08000000, size: 0x10000, erasedValue: 0xff, sectors: [{ size: 0x4000, count: 4 }] });
    expect(c.transfer).toMatchObject({ maxNumberOfBlockLength: 0xfff, overflowNrc: 0x71, busyNrc: 0x70 });
  });

  it('accepts security as a plain list of levels', () => {
    const c = parseEcuConfig({ address: 1, security: [{ level: 1 }, { level: 0x11, algorithm: 'xor', secret: 0x01020304 }] });
    expect(c.security.levels.map((l) => l.level)).toEqual([1, 0x11]);
    expect(c.security.attemptsSurviveReset).toBe(true);
  });

  it('is idempotent: a parsed config parses to an equal config', () => {
    const once = parseEcuConfig({ address: 0x1010, security: [{ level: 1, algorithm: 'doipsimu-pin', secret: '2345' }] });
    expect(parseEcuConfig(once)).toEqual(once);
  });

  it('names the source, every bad field path and the allowed values', () => {
    const e = configError({
      address: 'x',
      security: [{ level: 2 }],
      transfer: { busyNrc: 0x31, overflowNrc: 0x22 },
      memory: [{ name: 'flash', kind: 'eeprom', start: 0, size: 0x1000 }],
      bogus: 1,
    });
    expect(e.code).toBe('UDSKIT_CONFIG');
    expect(e.message).toContain('engine.yaml');
    expect(e.message).toContain('address: "x" is not a non-negative integer');
    expect(e.message).toContain('security[0].level: must be an odd requestSeed value');
    expect(e.message).toContain('transfer.busyNrc: must be 0x22 or 0x70');
    expect(e.message).toContain('transfer.overflowNrc: must be 0x31 or 0x71');
    expect(e.message).toMatch(/memory\[0\]\.kind: .*"flash"\|"app"\|"calibration"\|"boot"\|"ram"\|"nvm"/);
    expect(e.message).toContain('bogus');
  });

  it('reports algorithm problems found by running the algorithm once', () => {
    expect(configError({ address: 1, security: [{ level: 1, algorithm: 'nope' }] }).message).toMatch(
      /security\[0\]\.algorithm: unknown security algorithm "nope"; known: doipsimu-pin, xor, shift-mul-xor/,
    );
    expect(configError({ address: 1, security: [{ level: 1, algorithm: 'xor' }] }).message).toMatch(/security\[0\]\.algorithm: xor: the secret is empty/);
    expect(configError({ address: 1, security: [{ level: 1, seedLength: 8 }] }).message).toMatch(/seed must be 1\.\.4 bytes/);
  });

  it('rejects overlapping regions, bad sector tables and an unknown programming level', () => {
    expect(
      configError({
        address: 1,
        memory: [
          { name: 'a', start: 0, size: 0x2000 },
          { name: 'b', start: 0x1000, size: 0x1000 },
        ],
      }).message,
    ).toContain('memory[1].start: region "b" overlaps region "a"');
    expect(configError({ address: 1, memory: [{ name: 'a', start: 0, size: 0x1800 }] }).message).toContain('not a multiple of the sector size');
    expect(configError({ address: 1, memory: [{ name: 'a', start: 0, size: 0x2000, sectors: [{ size: 0x1000 }] }] }).message).toContain(
      'sectors cover 4096 bytes but the region size is 8192',
    );
    expect(configError({ address: 1, programming: { securityLevel: 3 } }).message).toContain('programming.securityLevel: level 3 is not among');
    expect(configError({ address: 1, dids: [{ id: 0x1234 }] }).message).toContain('dids[0].value: a new DID needs a value');
  });
});
