/**
 * Helpers of the bootloader tests (boot-*.test.ts): the shipped STM32F103 profile on the memory-link
 * harness, and the steps of its flashing sequence as hex requests with their expected answers.
 */
import { expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { toHex } from '../../../src/core/hex.js';
import type { EcuConfigInput } from '../../../src/ecu/config.js';
import { loadEcuProfile } from '../../../src/ecu/profile-files.js';
import { ECU, harness, u32, type Harness } from './helpers.js';

/** STM32F103 memory map (profiles/stm32f103-uds-boot.yaml). */
export const STM32 = { boot: 0x08000000, app: 0x08008000, appSize: 0x38000, page: 0x800, ram: 0x20000000 } as const;

/** A flash driver image: 256 bytes of code-looking bytes. */
export const DRIVER = Uint8Array.from({ length: 256 }, (_, i) => (i * 13 + 7) & 0xff);

/** `n` bytes of a recognisable pattern. */
export function pattern(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17) & 0xff);
}

/** The shipped stm32f103-uds-boot profile at the harness address, with `patch` applied (e.g. bootloader keys). */
export function stm32(patch: Partial<EcuConfigInput> = {}): Harness {
  const base = loadEcuProfile('stm32f103-uds-boot');
  const bootloader = { ...(base.bootloader ?? {}), ...((patch.bootloader as object | undefined) ?? {}) };
  return harness({ ...(base as unknown as EcuConfigInput), ...patch, bootloader, address: ECU } as Partial<EcuConfigInput>);
}

/** Sends `hex` and expects exactly `expected`. */
export async function expectReq(h: Harness, hex: string, expected: string[]): Promise<void> {
  expect(await h.req(hex), hex).toEqual(expected);
}

/** Downloads `data` to `address` with 34 / 36 (blocks of `blockData` bytes) / 37; expects every step to succeed. */
export async function download(h: Harness, address: number, data: Uint8Array, blockData = 0x400): Promise<void> {
  const [rsp] = await h.req(`34 00 44 ${u32(address)} ${u32(data.length)}`);
  expect(rsp, `34 at ${address.toString(16)}`).toMatch(/^74 /);
  for (let i = 0, counter = 1; i < data.length; i += blockData, counter = (counter + 1) & 0xff) {
    const c = toHex([counter]);
    await expectReq(h, `36 ${c} ${toHex(data.subarray(i, i + blockData))}`, [`76 ${c}`]);
  }
  await expectReq(h, '37', [`77 ${u32(crc32(data))}`]);
}

/** 31 01 0202 with the CRC32 of `data`: status 00. */
export async function checkMemory(h: Harness, data: Uint8Array): Promise<void> {
  await expectReq(h, `31 01 02 02 ${u32(crc32(data))}`, ['71 01 02 02 00']);
}

/** The flash driver into RAM and its check (seed 004 / spec step 9). */
export async function loadDriver(h: Harness, ram: number = STM32.ram): Promise<void> {
  await download(h, ram, DRIVER);
  await checkMemory(h, DRIVER);
}

/** 31 01 FF00 of `[address, address + size)` (ALFID 44): status 00. */
export async function erase(h: Harness, address: number, size: number): Promise<void> {
  await expectReq(h, `31 01 FF 00 44 ${u32(address)} ${u32(size)}`, ['71 01 FF 00 00']);
}

/** From the application: 10 02 (the jump), unlock level 1 in the bootloader. */
export async function enterBootloader(h: Harness): Promise<void> {
  // Time for the jump (bootloader.jumpTimeMs): 0x78 first when it is longer than P2.
  const rsp = await h.req('10 02', { advanceMs: 1000 });
  expect(rsp.filter((r) => r !== '7F 10 78')).toEqual(['50 02 00 32 01 F4']);
  expect(h.ecu.bootState.mode).toBe('boot');
  await h.unlock(0x01);
}

/** The whole programming of `image` at the start of the app region of the STM32 profile, ending with FF01 ok. */
export async function flashStm32(h: Harness, image: Uint8Array): Promise<void> {
  await loadDriver(h);
  await erase(h, STM32.app, Math.ceil(image.length / STM32.page) * STM32.page);
  await download(h, STM32.app, image);
  await checkMemory(h, image);
  await expectReq(h, '31 01 FF 01', ['71 01 FF 01 00 00']);
}
