/** Each shipped profile loads and answers as its seed says, over the memory link. */
import { describe, it, expect } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import type { EcuConfigInput } from '../../../src/ecu/config.js';
import { loadEcuProfile, readProfileDocument, resolveProfilePath } from '../../../src/ecu/profile-files.js';
import { profileServiceTable } from '../../../src/ecu/profile-service-table.js';
import { parseVehicleConfig } from '../../../src/vehicle/config.js';
import { ECU, harness } from './helpers.js';

const ascii = (s: string): string => toHex(new TextEncoder().encode(s));

/** A harness around a shipped ECU profile (moved to the harness's address). */
function shipped(name: string): ReturnType<typeof harness> {
  return harness({ ...(loadEcuProfile(name) as unknown as EcuConfigInput), address: ECU });
}

describe('profiles/generic-iso14229.yaml (seed 002)', () => {
  it('answers 10 01 and the identification DIDs read before flashing', async () => {
    const h = shipped('generic-iso14229');
    expect(await h.req('10 01')).toEqual(['50 01 00 32 01 F4']);
    expect(await h.req('22 F1 90')).toEqual([`62 F1 90 ${ascii('WUDSKIT0000000002')}`]);
    expect(await h.req('22 F1 80')).toEqual([`62 F1 80 ${ascii('BOOT-2.1.0')}`]);
    h.ecu.close();
  });

  it('enters programming from the extended session only, and keeps 28 / 85 in the extended session', async () => {
    const h = shipped('generic-iso14229');
    expect(await h.req('10 02')).toEqual(['7F 10 7E']);
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect(await h.req('85 02')).toEqual(['C5 02']);
    expect(await h.req('28 01 01')).toEqual(['68 01']);
    expect(await h.req('31 01 02 03')).toEqual(['71 01 02 03 00']);
    // 10 02 in the application: the jump into the bootloader, which answers 50 02 (docs/bootloader.md).
    expect(await h.req('10 02')).toEqual(['50 02 00 32 01 F4']);
    expect(h.ecu.bootState.mode).toBe('boot');
    expect(await h.req('85 01')).toEqual(['7F 85 7F']);
    await h.unlock(1);
    // Fingerprint F198 / F199 written after unlocking (seed 002 2.2.4).
    expect(await h.req('2E F1 98 31 32 33 34')).toEqual(['6E F1 98']);
    // The flash driver is required: no erase before it was downloaded and checked.
    expect(await h.req('31 01 FF 00 44 00 01 00 00 00 00 40 00')).toEqual(['7F 31 22']);
    h.ecu.close();
  });

  it('the VIN is written in the extended session with level 0x03', async () => {
    const h = shipped('generic-iso14229');
    await h.req('10 03');
    expect(await h.req(`2E F1 90 ${ascii('WUDSKIT0000000003')}`)).toEqual(['7F 2E 33']);
    await h.unlock(3);
    expect(await h.req(`2E F1 90 ${ascii('WUDSKIT0000000003')}`)).toEqual(['6E F1 90']);
    h.ecu.close();
  });
});

describe('profiles/stm32f103-uds-boot.yaml (seed 004)', () => {
  it('answers 10 01, 22 F1AA, and the app service set with its sub-functions', async () => {
    const h = shipped('stm32f103-uds-boot');
    expect(await h.req('10 01')).toEqual(['50 01 00 32 01 F4']);
    expect(await h.req('22 F1 AA')).toEqual([`62 F1 AA ${ascii('V1.0.0')}`]);
    expect(await h.req('11 02')).toEqual(['7F 11 12']);
    expect(await h.req('2E F1 5A 01')).toEqual(['7F 2E 11']); // 2E is a bootloader service
    expect(await h.req('34 00 44 08 00 80 00 00 00 04 00')).toEqual(['7F 34 11']);
    await h.req('10 03');
    expect(await h.req('31 01 02 01')).toEqual(['71 01 02 01 00']); // 0201 checkProgrammingPreconditions
    expect(await h.req('31 03 02 01')).toEqual(['7F 31 12']); // only 31 01 in the seed
    expect(await h.req('28 03 01')).toEqual(['68 03']);
    expect(await h.req('85 02')).toEqual(['C5 02']);
    h.ecu.close();
  });

  it('declares the bootloader set for boot mode and the memory map of the STM32F103RC', () => {
    const c = loadEcuProfile('stm32f103-uds-boot');
    expect([...profileServiceTable(c, 'boot').keys()].sort((a, b) => a - b)).toEqual([
      0x10, 0x11, 0x22, 0x27, 0x2e, 0x31, 0x34, 0x36, 0x37, 0x3e, 0x85,
    ]);
    expect(c.memory.map((r) => [r.name, r.kind, r.start, r.size, r.sectors])).toEqual([
      ['boot', 'boot', 0x08000000, 0x8000, [{ size: 0x800, count: 16 }]],
      ['app', 'app', 0x08008000, 0x38000, [{ size: 0x800, count: 112 }]],
      ['ram', 'ram', 0x20000000, 0xc000, [{ size: 0xc000, count: 1 }]],
    ]);
    expect(c.programming.routines.checkProgrammingPreconditions).toBe(0x0201);
    expect([c.p2ServerMs, c.p2StarServerMs, c.s3ServerMs]).toEqual([50, 5000, 5000]);
  });
});

describe('profiles/doipsimu.yaml (vehicle file)', () => {
  it('validates as a vehicle file and its ECUs answer 22 F190', async () => {
    const path = resolveProfilePath('doipsimu');
    const v = parseVehicleConfig(readProfileDocument(path), path);
    for (const ecu of v.ecus) {
      const h = harness({ ...(ecu as unknown as EcuConfigInput), address: ECU });
      expect((await h.req('22 F1 90'))[0]).toMatch(/^62 F1 90/);
      h.ecu.close();
    }
  });
});
