/**
 * The memory rules of the bootloader (spec/bootloader-and-flashing.md "Memory model", spec/uds.md
 * "Transfer services in detail"): the flash driver before erase / download, protected and partial
 * sectors, programming granularity, erase sector by sector with a power loss in the middle, realistic
 * timing, and the profile checks of the new keys.
 */
import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import { ConfigError } from '../../../src/core/errors.js';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { PAGE_SIZE } from '../../../src/ecu/sparse-memory.js';
import { checkMemory, download, DRIVER, enterBootloader, erase, expectReq, loadDriver, pattern, stm32, STM32 } from './boot-helpers.js';
import { harness, programmingUnlocked, u32 } from './helpers.js';

describe('flash driver (bootloader.flashDriver.required)', () => {
  it('FF00 answers 0x22 and 34 into flash 0x70 until the driver is downloaded into RAM and checked', async () => {
    const h = stm32();
    await enterBootloader(h);
    expect(h.ecu.bootState.flashDriver).toBe('absent');
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.app)} ${u32(STM32.page)}`, ['7F 31 22']);
    await expectReq(h, `34 00 44 ${u32(STM32.app)} ${u32(0x400)}`, ['7F 34 70']);
    // Downloaded but not yet checked (or checked with a wrong CRC): still refused.
    await download(h, STM32.ram, DRIVER);
    expect(h.ecu.bootState.flashDriver).toBe('downloaded');
    await expectReq(h, `31 01 02 02 ${u32(crc32(DRIVER) ^ 0xff)}`, ['71 01 02 02 01']);
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.app)} ${u32(STM32.page)}`, ['7F 31 22']);
    await checkMemory(h, DRIVER);
    expect(h.ecu.bootState.flashDriver).toBe('checked');
    await erase(h, STM32.app, STM32.page);
    await expectReq(h, `34 00 44 ${u32(STM32.app)} ${u32(0x400)}`, ['74 20 04 02']);
    h.ecu.close();
  });

  it('a reset erases the driver from RAM; downloading over it makes it absent again', async () => {
    const h = stm32();
    await enterBootloader(h);
    await loadDriver(h);
    await expectReq(h, `34 00 44 ${u32(STM32.ram)} ${u32(16)}`, ['74 20 04 02']);
    expect(h.ecu.bootState.flashDriver).toBe('absent');
    await expectReq(h, `36 01 ${toHex(pattern(16))}`, ['76 01']);
    await expectReq(h, '37', [`77 ${u32(crc32(pattern(16)))}`]);
    await checkMemory(h, pattern(16));
    expect(h.ecu.bootState.flashDriver).toBe('checked');
    await expectReq(h, '11 01', ['51 01']);
    await h.advance(50);
    expect(h.ecu.bootState.flashDriver).toBe('absent');
    expect(toHex(h.ecu.memory.read(STM32.ram, 4))).toBe('00 00 00 00');
    h.ecu.close();
  });

  it('is not needed when the profile does not require it (built-in driver)', async () => {
    const h = stm32({ bootloader: { flashDriver: { required: false } } });
    await enterBootloader(h);
    await erase(h, STM32.app, STM32.page);
    h.ecu.close();
  });
});

describe('protected memory, sectors and granularity', () => {
  it('erase of a boot sector, a partial sector, RAM or outside memory is 0x31; 34 into the bootloader is 0x31', async () => {
    const h = stm32();
    await enterBootloader(h);
    await loadDriver(h);
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.boot)} ${u32(STM32.page)}`, ['7F 31 31']);
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.app)} ${u32(0x400)}`, ['7F 31 31']); // half a page
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.app + 0x400)} ${u32(STM32.page)}`, ['7F 31 31']); // unaligned
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.ram)} ${u32(0x1000)}`, ['7F 31 31']);
    await expectReq(h, `31 01 FF 00 44 ${u32(STM32.app - STM32.page)} ${u32(2 * STM32.page)}`, ['7F 31 31']); // spans boot + app
    await expectReq(h, `34 00 44 ${u32(STM32.boot)} ${u32(0x100)}`, ['7F 34 31']);
    // Nothing was cleared by the refused erases.
    expect(h.ecu.bootState.appValid).toBe(true);
    h.ecu.close();
  });

  it('a protected app region is refused like the bootloader', async () => {
    const h = harness({
      memory: [
        { name: 'app', kind: 'app', start: 0, size: 0x10000, sectorSize: 0x1000, protected: true },
        { name: 'ram', kind: 'ram', start: 0x20000000, size: 0x1000 },
      ],
    });
    await programmingUnlocked(h);
    await expectReq(h, `31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`, ['7F 31 31']);
    await expectReq(h, `34 00 44 ${u32(0)} ${u32(0x10)}`, ['7F 34 31']);
    h.ecu.close();
  });

  it('a TransferData block that does not start and end on the programming granularity (2 on the STM32F1) is 0x72', async () => {
    const h = stm32();
    await enterBootloader(h);
    await loadDriver(h);
    await erase(h, STM32.app, STM32.page);
    // Odd length: the block (the last one) ends on an odd address.
    await expectReq(h, `34 00 44 ${u32(STM32.app)} ${u32(3)}`, ['74 20 04 02']);
    await expectReq(h, '36 01 11 22 33', ['7F 36 72']);
    expect(toHex(h.ecu.memory.read(STM32.app, 3))).toBe('FF FF FF');
    // Odd start address.
    await expectReq(h, `34 00 44 ${u32(STM32.app + 1)} ${u32(4)}`, ['7F 34 22']); // the first transfer is still active
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']); // ends it (and relocks)
    await h.unlock(0x01);
    await expectReq(h, `34 00 44 ${u32(STM32.app + 1)} ${u32(4)}`, ['74 20 04 02']);
    await expectReq(h, '36 01 11 22 33 44', ['7F 36 72']);
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    await h.unlock(0x01);
    // Aligned: accepted.
    await expectReq(h, `34 00 44 ${u32(STM32.app)} ${u32(4)}`, ['74 20 04 02']);
    await expectReq(h, '36 01 11 22 33 44', ['76 01']);
    await expectReq(h, '37', [`77 ${u32(crc32(Uint8Array.of(0x11, 0x22, 0x33, 0x44)))}`]);
    // Programming over it again (not erased) is 0x70 at 34.
    await expectReq(h, `34 00 44 ${u32(STM32.app)} ${u32(4)}`, ['7F 34 70']);
    h.ecu.close();
  });

  it('the flash driver and an nvm region are written like RAM: no granularity, no erase', async () => {
    const h = harness({
      memory: [
        { name: 'flash', kind: 'app', start: 0, size: 0x10000, sectorSize: 0x1000, programmingGranularity: 8 },
        { name: 'eeprom', kind: 'nvm', start: 0x10000000, size: 0x1000, download: true },
        { name: 'ram', kind: 'ram', start: 0x20000000, size: 0x1000 },
      ],
    });
    await programmingUnlocked(h);
    await expectReq(h, `34 00 44 ${u32(0x10000000)} ${u32(3)}`, ['74 20 10 02']);
    await expectReq(h, '36 01 01 02 03', ['76 01']);
    await expectReq(h, '37', [`77 ${u32(crc32(Uint8Array.of(1, 2, 3)))}`]);
    await expectReq(h, `31 01 FF 00 44 ${u32(0x10000000)} ${u32(0x1000)}`, ['7F 31 31']);
    await expectReq(h, `34 00 44 ${u32(0)} ${u32(12)}`, ['74 20 10 02']);
    await expectReq(h, `36 01 ${toHex(pattern(12))}`, ['7F 36 72']);
    h.ecu.close();
  });
});

describe('erase and programming time', () => {
  it('erases sector by sector: a power loss in the middle leaves the sectors erased so far, the flag cleared, no answer', async () => {
    const h = stm32({ timingProfile: 'realistic' });
    await enterBootloader(h);
    await loadDriver(h);
    // Four pages that hold an application.
    h.ecu.memory.write(STM32.app, pattern(4 * STM32.page));
    // realistic: 30 ms per page; 0x78 at 40 ms (P2 50 ms); two pages erased after 60 ms.
    expect(await h.req(`31 01 FF 00 44 ${u32(STM32.app)} ${u32(4 * STM32.page)}`, { advanceMs: 65 })).toEqual(['7F 31 78']);
    expect(h.ecu.bootState.appValid).toBe(false);
    h.ecu.powerCycle();
    expect(await h.advance(200)).toEqual([]);
    const erased = (page: number): boolean => h.ecu.memory.isErased(STM32.app + page * STM32.page, STM32.page, 0xff);
    expect([0, 1, 2, 3].map(erased)).toEqual([true, true, false, false]);
    expect(h.ecu.bootState).toMatchObject({ mode: 'boot', appValid: false, flashDriver: 'absent' });
    h.ecu.close();
  });

  it('a complete erase of four pages answers after 4 x 30 ms', async () => {
    const h = stm32({ timingProfile: 'realistic' });
    await enterBootloader(h);
    await loadDriver(h);
    expect(await h.req(`31 01 FF 00 44 ${u32(STM32.app)} ${u32(4 * STM32.page)}`, { advanceMs: 119 })).toEqual(['7F 31 78']);
    expect(await h.advance(1)).toEqual(['71 01 FF 00 00']);
    h.ecu.close();
  });

  it('programs at writeTimePerKiBMs (2 ms per KiB with the realistic profile; a profile value wins)', async () => {
    const h = stm32({ timingProfile: 'realistic' });
    await enterBootloader(h);
    await loadDriver(h);
    expect(await h.req(`31 01 FF 00 44 ${u32(STM32.app)} ${u32(STM32.page)}`, { advanceMs: 30 })).toHaveLength(1);
    await expectReq(h, `34 00 44 ${u32(STM32.app)} ${u32(0x400)}`, ['74 20 04 02']);
    expect(await h.req(`36 01 ${toHex(pattern(0x400))}`, { advanceMs: 1 })).toEqual([]);
    expect(await h.advance(1)).toEqual(['76 01']);
    h.ecu.close();
    const slow = harness({ timingProfile: 'realistic', memory: [{ name: 'f', kind: 'app', start: 0, size: 0x1000, writeTimePerKiBMs: 0, eraseTimePerSectorMs: 0 }] });
    await programmingUnlocked(slow);
    await expectReq(slow, `31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`, ['71 01 FF 00 00']);
    slow.ecu.close();
  });

  it('erasing a 3.75 GiB region costs no memory and walks no bytes', async () => {
    const h = harness({ memory: [{ name: 'big', kind: 'app', start: 0x10000000, size: 0xf0000000, sectorSize: 0x10000 }] });
    await programmingUnlocked(h);
    h.ecu.memory.write(0x10000000, pattern(3 * PAGE_SIZE));
    h.ecu.memory.write(0xfffff000, pattern(PAGE_SIZE));
    expect(h.ecu.memory.usedBytes).toBe(4 * PAGE_SIZE);
    await erase(h, 0x10000000, 0xf0000000);
    expect(h.ecu.memory.usedBytes).toBe(0);
    expect(h.ecu.memory.isErased(0xfffff000, PAGE_SIZE, 0xff)).toBe(true);
    h.ecu.close();
  });
});

describe('profile checks of the memory and bootloader keys', () => {
  const problems = (input: unknown): string => {
    try {
      parseEcuConfig(input, 'ecu.yaml');
    } catch (e) {
      if (e instanceof ConfigError) return e.message;
      throw e;
    }
    return '';
  };

  it('names the field and what is allowed', () => {
    const memory = [
      { name: 'boot', kind: 'boot', start: 0, size: 0x4000, download: true },
      { name: 'a', kind: 'app', start: 0x10000, size: 0x10000 },
      { name: 'b', kind: 'app', start: 0x20000, size: 0x8000 },
      { name: 'ram', kind: 'ram', start: 0x20000000, size: 0x1000 },
      { name: 'odd', kind: 'app', start: 0x30000, size: 0x1000, sectorSize: 0x1000, programmingGranularity: 3 },
    ];
    const msg = problems({ address: 0x10, memory });
    expect(msg).toContain('memory[0].download: a boot region is read-only to UDS');
    expect(msg).toContain('memory[4].programmingGranularity: 3 does not divide every sector size');
    // Cross-field checks run once every field is valid.
    const valid = memory.slice(1, 4);
    const cross = problems({ address: 0x10, memory: valid, bootloader: { flashDriver: { required: true, region: 'a' }, dualBank: { banks: ['a', 'b'] } } });
    expect(cross).toContain('bootloader.flashDriver.region: "a" is not a ram region (ram)');
    expect(cross).toContain('bootloader.dualBank.banks: banks "a" (65536 bytes) and "b" (32768 bytes) must have the same size');
    expect(problems({ address: 0x10, bootloader: { flashDriver: { required: true } } })).toContain(
      'bootloader.flashDriver.region: a required flash driver needs the ram region it is downloaded into (ram)',
    );
    expect(problems({ address: 0x10, timingProfile: 'slow' })).toContain('timingProfile');
    expect(problems({ address: 0x10, bootloader: { dualBank: { banks: ['flash', 'ram'] } } })).toContain('bootloader.dualBank.banks[1]: "ram" is not an unprotected app (or flash) region (flash)');
  });

  it('parses to itself with the new keys', () => {
    const once = parseEcuConfig({ address: 0x10, timingProfile: 'realistic', bootloader: { appValidation: 'crc', flashDriver: { required: true, region: 'ram' }, jumpTimeMs: 70 } });
    expect(parseEcuConfig(once)).toEqual(once);
    expect(once.bootloader).toMatchObject({ appValidation: 'crc', initialAppValid: true, jumpTimeMs: 70, flashDriver: { required: true, region: 'ram' } });
    expect(once.memory[0]).toMatchObject({ kind: 'flash', programmingGranularity: 1, protected: false });
  });
});
