/**
 * Application and bootloader modes (docs/bootloader.md, spec/bootloader-and-flashing.md "Bootloader
 * behaviour"): the jump on 10 02, forced flashing, the service set of each mode, the mode after resets
 * and power cycles, and the app-valid flag's life (cleared by erase, set by FF01, kept in NV).
 */
import { describe, it, expect } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { BOOT_NV_KEYS } from '../../../src/ecu/boot-manager.js';
import { enterBootloader, erase, expectReq, flashStm32, loadDriver, pattern, stm32, STM32 } from './boot-helpers.js';
import { harness, programmingUnlocked, u32 } from './helpers.js';

describe('boot and app modes (stm32f103-uds-boot)', () => {
  it('starts in the application; 10 02 jumps into the bootloader, which answers 50 02 and serves its own services', async () => {
    const h = stm32();
    const modes: string[] = [];
    h.ecu.events.on('mode', (m) => modes.push(`${m.from}->${m.to} ${m.reason}`));
    expect(h.ecu.bootState).toEqual({ mode: 'app', appValid: true, programmingRequest: false, flashDriver: 'absent' });
    expect(h.ecu.state).toMatchObject({ mode: 'app', appValid: true });
    // Application set (seed 004 "APP"): no 34 / 2E.
    await expectReq(h, `34 00 44 ${u32(STM32.app)} 00 00 04 00`, ['7F 34 11']);
    await expectReq(h, '2E F1 5A 01', ['7F 2E 11']);
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    expect(modes).toEqual(['app->boot programming-request']);
    // The bootloader read the programming request and cleared it.
    expect(h.ecu.bootState).toMatchObject({ mode: 'boot', programmingRequest: false });
    expect(h.ecu.state).toMatchObject({ mode: 'boot', session: 0x02, securityLevel: null });
    // Bootloader set: 34 exists (behind security), 28 and 14 do not.
    await expectReq(h, `34 00 44 ${u32(STM32.app)} 00 00 04 00`, ['7F 34 33']);
    await expectReq(h, '28 03 01', ['7F 28 11']);
    await expectReq(h, '14 FF FF FF', ['7F 14 11']);
    await expectReq(h, '22 F1 86', ['62 F1 86 02']);
    // 10 02 in the bootloader is a plain session change.
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    expect(modes).toHaveLength(1);
    // 11 01 without touching the application: back to it.
    await expectReq(h, '11 01', ['51 01']);
    await h.advance(50);
    expect(modes).toEqual(['app->boot programming-request', 'boot->app app-valid']);
    await expectReq(h, '2E F1 5A 01', ['7F 2E 11']);
    h.ecu.close();
  });

  it('answers 0x78 while the jump takes longer than P2, and is unavailable meanwhile', async () => {
    const h = stm32({ bootloader: { jumpTimeMs: 120 } });
    const events: string[] = [];
    h.ecu.events.on('ready', () => events.push('ready'));
    h.ecu.events.on('session', (s) => events.push(`session ${s.from}->${s.to} ${s.reason}`));
    // P2 50 ms: 0x78 is sent 10 ms before it, the bootloader answers after 120 ms.
    expect(await h.req('10 02', { advanceMs: 100 })).toEqual(['7F 10 78']);
    expect(h.ecu.available).toBe(false);
    expect(h.ecu.bootState.programmingRequest).toBe(true);
    expect(await h.advance(20)).toEqual(['50 02 00 32 01 F4']);
    expect(events).toEqual(['ready', 'session 1->2 request']);
    expect(h.ecu.bootState).toMatchObject({ mode: 'boot', programmingRequest: false });
    h.ecu.close();
  });

  it('timingProfile realistic makes the jump 50 ms (0x78 first with P2 = 50 ms)', async () => {
    const h = stm32({ timingProfile: 'realistic' });
    expect(await h.req('10 02', { advanceMs: 49 })).toEqual(['7F 10 78']);
    expect(await h.advance(1)).toEqual(['50 02 00 32 01 F4']);
    h.ecu.close();
  });

  it('a power loss during the jump loses the programming request: the application runs, 10 02 is not answered', async () => {
    const h = stm32({ bootloader: { jumpTimeMs: 120 } });
    expect(await h.req('10 02', { advanceMs: 60 })).toEqual(['7F 10 78']);
    h.ecu.powerCycle();
    expect(h.ecu.bootState.programmingRequest).toBe(false);
    expect(await h.advance(500)).toEqual([]);
    expect(h.ecu.bootState.mode).toBe('app');
    expect(h.ecu.available).toBe(true);
    await expectReq(h, '22 F1 86', ['62 F1 86 01']);
    h.ecu.close();
  });

  it('refuses the jump with 0x22 while the programming preconditions fail', async () => {
    const h = stm32();
    h.ecu.setVehicleState({ speedKmh: 30 });
    await expectReq(h, '10 02', ['7F 10 22']);
    expect(h.ecu.bootState.mode).toBe('app');
    h.ecu.close();
  });

  it('forced flashing: with the app invalid the ECU starts in the bootloader default session and accepts 10 02 directly', async () => {
    const h = stm32({ bootloader: { initialAppValid: false } });
    expect(h.ecu.bootState).toMatchObject({ mode: 'boot', appValid: false });
    await expectReq(h, '22 F1 86', ['62 F1 86 01']);
    await expectReq(h, '2E F1 5A 01', ['7F 2E 7F']); // a bootloader service, not in the default session
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    expect(h.ecu.bootState.mode).toBe('boot');
    // Whatever happens in between, it stays there until a successful FF01.
    await expectReq(h, '11 01', ['51 01']);
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('boot');
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('boot');
    h.ecu.close();
  });

  it('keeps services added with registerService across mode changes', async () => {
    const h = stm32();
    h.ecu.registerService(0xba, () => Uint8Array.of(0xfa, 0x01), { sessions: [0x01, 0x02] });
    await expectReq(h, 'BA', ['FA 01']);
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    await expectReq(h, 'BA', ['FA 01']);
    await expectReq(h, '11 01', ['51 01']);
    await h.advance(50);
    await expectReq(h, 'BA', ['FA 01']);
    h.ecu.close();
  });
});

describe('the app-valid flag', () => {
  it('is cleared by an erase of the application (before any byte changes) and set only by FF01; it survives power cycles', async () => {
    const h = stm32();
    await enterBootloader(h);
    await loadDriver(h);
    await erase(h, STM32.app, STM32.page);
    expect(h.ecu.bootState.appValid).toBe(false);
    expect(h.ecu.model.nv.get(BOOT_NV_KEYS.appValid)).toBe(false);
    // Reset before programming: the bootloader stays (forced flashing) and the driver is gone.
    await expectReq(h, '11 01', ['51 01']);
    await h.advance(50);
    expect(h.ecu.bootState).toMatchObject({ mode: 'boot', appValid: false, flashDriver: 'absent' });
    await expectReq(h, '10 02', ['50 02 00 32 01 F4']);
    await h.unlock(0x01);
    const image = pattern(3000);
    await flashStm32(h, image);
    expect(h.ecu.bootState.appValid).toBe(true);
    expect(h.ecu.model.nv.get(BOOT_NV_KEYS.appBlocks)).toEqual([{ address: STM32.app, size: 3000, crc: expect.any(Number) as number }]);
    // Still in the bootloader until the reset; then the new application runs, also after a power cycle.
    expect(h.ecu.bootState.mode).toBe('boot');
    await expectReq(h, '11 01', ['51 01']);
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('app');
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState).toMatchObject({ mode: 'app', appValid: true });
    expect(toHex(h.ecu.memory.read(STM32.app, 16))).toBe(toHex(image.subarray(0, 16)));
    h.ecu.close();
  });

  it('appValidation crc: the bootloader also checks the CRC32 of the verified blocks at start-up', async () => {
    const h = stm32({ bootloader: { appValidation: 'crc' } });
    await enterBootloader(h);
    await flashStm32(h, pattern(2048, 5));
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('app');
    // A changed byte (flash corruption): the flag still says valid, the CRC does not match -> bootloader.
    h.ecu.memory.write(STM32.app + 100, Uint8Array.of(0x00));
    const modes: string[] = [];
    h.ecu.events.on('mode', (m) => modes.push(`${m.from}->${m.to} ${m.reason}`));
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState).toMatchObject({ mode: 'boot', appValid: true });
    expect(modes).toEqual(['app->boot app-invalid']);
    h.ecu.close();
  });

  it('appValidation flag (default) does not read the application: the same change keeps the application running', async () => {
    const h = stm32();
    await enterBootloader(h);
    await flashStm32(h, pattern(2048, 5));
    h.ecu.memory.write(STM32.app + 100, Uint8Array.of(0x00));
    h.ecu.powerCycle();
    await h.advance(50);
    expect(h.ecu.bootState.mode).toBe('app');
    h.ecu.close();
  });

  it('is tracked on an ECU without a bootloader too (always the application)', async () => {
    const h = harness({ transfer: { maxNumberOfBlockLength: 0x12 } });
    expect(h.ecu.bootState).toEqual({ mode: 'app', appValid: true, programmingRequest: false, flashDriver: 'absent' });
    await programmingUnlocked(h);
    await erase(h, 0, 0x1000);
    expect(h.ecu.state).toMatchObject({ mode: 'app', appValid: false });
    await expectReq(h, `34 00 44 ${u32(0)} ${u32(4)}`, ['74 10 12']);
    await expectReq(h, '36 01 01 02 03 04', ['76 01']);
    await expectReq(h, '37', ['77 B6 3C FB CD']);
    await expectReq(h, '31 01 02 02 B6 3C FB CD', ['71 01 02 02 00']);
    await expectReq(h, '31 01 FF 01', ['71 01 FF 01 00 00']);
    expect(h.ecu.state).toMatchObject({ mode: 'app', appValid: true });
    h.ecu.close();
  });
});
