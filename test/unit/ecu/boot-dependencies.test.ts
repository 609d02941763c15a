/**
 * 31 01 FF01 checkProgrammingDependencies and what it decides (spec/bootloader-and-flashing.md): a
 * missing or corrupted block is `01 reason` and the application stays invalid; a success sets the
 * app-valid flag; on a dual-bank ECU it switches banks, so a failed update leaves the old application.
 */
import { describe, it, expect } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import type { EcuConfigInput } from '../../../src/ecu/config.js';
import { DEPENDENCY_FAILURE } from '../../../src/ecu/programming-log.js';
import { checkMemory, download, enterBootloader, erase, expectReq, loadDriver, pattern } from './boot-helpers.js';
import { harness, u32, type Harness } from './helpers.js';

const RAM = 0x20000000;

/** An ECU with a bootloader, an app and a calibration region, and a required flash driver. */
const SPLIT: Partial<EcuConfigInput> = {
  memory: [
    { name: 'boot', kind: 'boot', start: 0x0, size: 0x8000, sectorSize: 0x1000 },
    { name: 'app', kind: 'app', start: 0x10000, size: 0x20000, sectorSize: 0x1000 },
    { name: 'cal', kind: 'calibration', start: 0x30000, size: 0x4000, sectorSize: 0x1000 },
    { name: 'ram', kind: 'ram', start: RAM, size: 0x10000 },
  ],
  transfer: { maxNumberOfBlockLength: 0x402 },
  bootloader: { flashDriver: { required: true, region: 'ram' } },
};

/** A dual-bank ECU: bank-a active at the first start. */
const DUAL: Partial<EcuConfigInput> = {
  memory: [
    { name: 'boot', kind: 'boot', start: 0x0, size: 0x8000, sectorSize: 0x1000 },
    { name: 'bank-a', kind: 'app', start: 0x10000, size: 0x10000, sectorSize: 0x1000 },
    { name: 'bank-b', kind: 'app', start: 0x20000, size: 0x10000, sectorSize: 0x1000 },
    { name: 'ram', kind: 'ram', start: RAM, size: 0x10000 },
  ],
  transfer: { maxNumberOfBlockLength: 0x402 },
  bootloader: { dualBank: { banks: ['bank-a', 'bank-b'] } },
};

async function resetAndWait(h: Harness): Promise<void> {
  await expectReq(h, '11 01', ['51 01']);
  await h.advance(50);
}

describe('FF01 checkProgrammingDependencies with a bootloader', () => {
  it('an erased region without a block is a missing block (01 05): the application stays invalid', async () => {
    const h = harness(SPLIT);
    await enterBootloader(h);
    await loadDriver(h, RAM);
    await erase(h, 0x10000, 0x2000);
    await erase(h, 0x30000, 0x1000);
    const app = pattern(0x1800, 2);
    await download(h, 0x10000, app);
    await checkMemory(h, app);
    await expectReq(h, '31 01 FF 01', [`71 01 FF 01 01 ${DEPENDENCY_FAILURE.blockMissing.toString(16).padStart(2, '0')}`]);
    expect(h.ecu.bootState.appValid).toBe(false);
    await resetAndWait(h);
    expect(h.ecu.bootState.mode).toBe('boot');
    // Program the calibration too (a reset lost the driver and the log: the whole sequence again).
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    await h.unlock(0x01);
    await loadDriver(h, RAM);
    await erase(h, 0x30000, 0x1000);
    const cal = pattern(0x100, 3);
    await download(h, 0x30000, cal);
    await checkMemory(h, cal);
    // The application blocks of before the reset are not known any more: only the calibration is verified.
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 00 00']);
    expect(h.ecu.bootState.appValid).toBe(true);
    h.ecu.close();
  });

  it('a block corrupted after its check is 01 04, one not finished 01 02, one not checked 01 03; the flash driver in RAM does not count', async () => {
    const h = harness(SPLIT);
    await enterBootloader(h);
    await loadDriver(h, RAM);
    // Only the driver so far: nothing of the application was downloaded.
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 01 01']);
    await erase(h, 0x10000, 0x1000);
    const a = pattern(0x400, 4);
    await download(h, 0x10000, a);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 01 03']);
    await checkMemory(h, a);
    h.ecu.memory.write(0x10010, Uint8Array.of(0x00)); // flipped byte
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 01 04']);
    expect(h.ecu.bootState.appValid).toBe(false);
    await erase(h, 0x10000, 0x1000);
    await expectReq(h, `34 00 44 ${u32(0x10000)} ${u32(0x800)}`, ['74 20 04 02']);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 01 02']);
    expect(h.ecu.bootState.appValid).toBe(false);
    h.ecu.close();
  });
});

describe('dual bank', () => {
  async function programBankB(h: Harness, image: Uint8Array, check = true): Promise<void> {
    await erase(h, 0x20000, 0x1000);
    await download(h, 0x20000, image);
    if (check) await checkMemory(h, image);
  }

  it('programs the inactive bank; the active one is protected while valid; FF01 switches banks', async () => {
    const h = harness(DUAL);
    expect(h.ecu.bootState).toMatchObject({ mode: 'app', appValid: true, activeBank: 0 });
    await enterBootloader(h);
    await expectReq(h, `31 01 FF 00 44 ${u32(0x10000)} ${u32(0x1000)}`, ['7F 31 31']);
    await expectReq(h, `34 00 44 ${u32(0x10000)} ${u32(0x10)}`, ['7F 34 31']);
    const image = pattern(0x600, 6);
    await programBankB(h, image);
    // Erasing the inactive bank leaves the running application valid.
    expect(h.ecu.bootState.appValid).toBe(true);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 00 00']);
    expect(h.ecu.bootState).toMatchObject({ appValid: true, activeBank: 1 });
    // Now bank B runs: it is protected, bank A may be programmed.
    await expectReq(h, `31 01 FF 00 44 ${u32(0x20000)} ${u32(0x1000)}`, ['7F 31 31']);
    await erase(h, 0x10000, 0x1000);
    await resetAndWait(h);
    expect(h.ecu.bootState).toMatchObject({ mode: 'app', appValid: true, activeBank: 1 });
    h.ecu.close();
  });

  it('a failed update (power lost while programming, or FF01 failing) leaves the old application running', async () => {
    const h = harness(DUAL);
    await enterBootloader(h);
    const image = pattern(0x800, 7);
    await erase(h, 0x20000, 0x1000);
    await expectReq(h, `34 00 44 ${u32(0x20000)} ${u32(image.length)}`, ['74 20 04 02']);
    await expectReq(h, `36 01 ${toHex(image.subarray(0, 0x400))}`, ['76 01']);
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState).toMatchObject({ mode: 'app', appValid: true, activeBank: 0 });
    // Again, up to an FF01 that fails (block not checked).
    await enterBootloader(h);
    await programBankB(h, image, false);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 01 03']);
    await resetAndWait(h);
    expect(h.ecu.bootState).toMatchObject({ mode: 'app', appValid: true, activeBank: 0 });
    h.ecu.close();
  });

  it('with appValidation crc, start-up checks the blocks of the active bank only', async () => {
    const h = harness({ ...DUAL, bootloader: { dualBank: { banks: ['bank-a', 'bank-b'] }, appValidation: 'crc' } });
    await enterBootloader(h);
    const image = pattern(0x400, 8);
    await programBankB(h, image);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 00 00']);
    // Bank A (inactive now) changes: irrelevant. Bank B changes: the bootloader refuses to start it.
    h.ecu.memory.write(0x10000, Uint8Array.of(1, 2, 3));
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('app');
    h.ecu.memory.write(0x20000, Uint8Array.of((image[0] ?? 0) ^ 0xff));
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('boot');
    h.ecu.close();
  });

  it('blocks in both banks are a bank conflict (01 06) when the application is invalid and both may be programmed', async () => {
    const h = harness({ ...DUAL, bootloader: { dualBank: { banks: ['bank-a', 'bank-b'] }, initialAppValid: false } });
    expect(h.ecu.bootState.mode).toBe('boot');
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    await h.unlock(0x01);
    const a = pattern(0x400, 9);
    await erase(h, 0x10000, 0x1000);
    await download(h, 0x10000, a);
    await checkMemory(h, a);
    await programBankB(h, a);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 01 06']);
    expect(h.ecu.bootState).toMatchObject({ appValid: false, activeBank: 0 });
    h.ecu.close();
  });
});
