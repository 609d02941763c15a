import { describe, expect, it } from 'vitest';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { memoryAccessRule } from '../../../src/ecu/memory-access.js';
import { harness } from './helpers.js';

/** Extended session, level 1 unlocked. */
async function extendedUnlocked(h: ReturnType<typeof harness>): Promise<void> {
  expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
  await h.unlock();
}

describe('ReadMemoryByAddress (0x23)', () => {
  it('reads RAM and flash in the extended session with security (default rules)', async () => {
    const h = harness();
    // Default session: the service exists, the regions are extended-only.
    expect(await h.req('23 14 20 00 00 00 04')).toEqual(['7F 23 31']);
    await h.req('10 03');
    expect(await h.req('23 14 20 00 00 00 04')).toEqual(['7F 23 33']);
    await h.unlock();
    expect(await h.req('23 14 20 00 00 00 04')).toEqual(['63 00 00 00 00']);
    expect(await h.req('23 12 00 00 10 00 00 02')).toEqual(['7F 23 13']);
    expect(await h.req('23 21 10 00 03')).toEqual(['63 FF FF FF']);
    h.ecu.close();
  });

  it('is not offered in the programming session (0x7F)', async () => {
    const h = harness();
    await h.req('10 02');
    expect(await h.req('23 14 20 00 00 00 04')).toEqual(['7F 23 7F']);
    h.ecu.close();
  });

  it('answers 0x31 for size 0, a range outside every region or spanning two regions, and 0x13 for format errors', async () => {
    const h = harness({
      memory: [
        { name: 'flash', kind: 'flash', start: 0, size: 0x2000 },
        { name: 'ram', kind: 'ram', start: 0x2000, size: 0x1000 },
      ],
    });
    await extendedUnlocked(h);
    expect(await h.req('23 12 00 00 00')).toEqual(['7F 23 31']); // memorySize 0
    expect(await h.req('23 14 10 00 00 00 04')).toEqual(['7F 23 31']); // nowhere
    expect(await h.req('23 12 1F FE 04')).toEqual(['7F 23 31']); // flash end into RAM
    expect(await h.req('23 12 2F FE 04')).toEqual(['7F 23 31']); // RAM past its end
    expect(await h.req('23 12 2F FC 04')).toEqual(['63 00 00 00 00']);
    expect(await h.req('23 04 00 00 00 04')).toEqual(['7F 23 13']); // size nibble 0
    expect(await h.req('23 15 00 00 00 00 00 04')).toEqual(['7F 23 13']); // address nibble 5
    expect(await h.req('23 12 2F FC')).toEqual(['7F 23 13']); // size missing
    expect(await h.req('23 12 2F FC 04', { functional: true })).toEqual(['63 00 00 00 00']);
    expect(await h.req('23 14 10 00 00 00 04', { functional: true })).toEqual([]); // 0x31 is suppressed on functional requests
    h.ecu.close();
  });

  it('answers 0x14 when the data does not fit the response, before reading anything', async () => {
    const h = harness({ maxResponseLength: 8 });
    await extendedUnlocked(h);
    expect(await h.req('23 14 20 00 00 00 07')).toEqual(['63 00 00 00 00 00 00 00']);
    expect(await h.req('23 14 20 00 00 00 08')).toEqual(['7F 23 14']);
    h.ecu.close();
  });

  it('follows the read rules of a region: boot only when configured, `{}` = anywhere, `false` = never', async () => {
    const h = harness({
      memory: [
        { name: 'boot', kind: 'boot', start: 0, size: 0x1000, sectorSize: 0x1000 },
        { name: 'cal', kind: 'flash', start: 0x1000, size: 0x1000, read: {} },
        { name: 'app', kind: 'flash', start: 0x2000, size: 0x1000, read: false },
        { name: 'boot2', kind: 'boot', start: 0x3000, size: 0x1000, sectorSize: 0x1000, read: { sessions: [3], securityLevels: [1] } },
      ],
    });
    expect(await h.req('23 12 10 00 02')).toEqual(['63 FF FF']); // cal: default session, no security
    expect(await h.req('23 12 00 00 02')).toEqual(['7F 23 31']); // boot without a rule
    await extendedUnlocked(h);
    expect(await h.req('23 12 00 00 02')).toEqual(['7F 23 31']);
    expect(await h.req('23 12 20 00 02')).toEqual(['7F 23 31']); // read: false
    expect(await h.req('23 12 30 00 02')).toEqual(['63 FF FF']);
    h.ecu.close();
  });
});

describe('WriteMemoryByAddress (0x3D)', () => {
  it('writes RAM in the extended session with security and echoes ALFID, address and size', async () => {
    const h = harness();
    expect(await h.req('3D 14 20 00 00 10 02 AB CD')).toEqual(['7F 3D 7F']);
    await h.req('10 03');
    expect(await h.req('3D 14 20 00 00 10 02 AB CD')).toEqual(['7F 3D 33']);
    await h.unlock();
    expect(await h.req('3D 14 20 00 00 10 02 AB CD')).toEqual(['7D 14 20 00 00 10 02']);
    expect(await h.req('23 14 20 00 00 0F 04')).toEqual(['63 00 AB CD 00']);
    // RAM does not survive a reset.
    expect(await h.req('11 01', { advanceMs: 100 })).toEqual(['51 01']);
    await extendedUnlocked(h);
    expect(await h.req('23 14 20 00 00 10 02')).toEqual(['63 00 00']);
    h.ecu.close();
  });

  it('answers 0x13 when the data does not match memorySize and 0x31 for size 0 or a range outside RAM', async () => {
    const h = harness();
    await extendedUnlocked(h);
    expect(await h.req('3D 14 20 00 00 00 03 01 02')).toEqual(['7F 3D 13']);
    expect(await h.req('3D 14 20 00 00 00 01 01 02')).toEqual(['7F 3D 13']);
    expect(await h.req('3D 14 20 00 00 00 00')).toEqual(['7F 3D 31']);
    expect(await h.req('3D 14 20 00 FF FF 02 01 02')).toEqual(['7F 3D 31']); // past the end of RAM
    expect(await h.req('3D 04 20 00 00 00 01')).toEqual(['7F 3D 13']);
    h.ecu.close();
  });

  it('never writes flash by default (0x31); a writable flash takes writes only where erased (0x72)', async () => {
    const h = harness({
      memory: [
        { name: 'flash', kind: 'flash', start: 0, size: 0x2000 },
        { name: 'eeprom', kind: 'flash', start: 0x2000, size: 0x1000, write: { sessions: [3], securityLevels: [1] } },
      ],
    });
    await extendedUnlocked(h);
    expect(await h.req('3D 12 00 10 01 00')).toEqual(['7F 3D 31']);
    expect(await h.req('3D 12 20 00 02 12 34')).toEqual(['7D 12 20 00 02']);
    expect(await h.req('23 12 20 00 03')).toEqual(['63 12 34 FF']);
    expect(await h.req('3D 12 20 01 01 00')).toEqual(['7F 3D 72']);
    h.ecu.close();
  });
});

describe('memory region access rules (profile)', () => {
  it('parses read / write as a rule, {} or false, with the documented defaults', () => {
    const c = parseEcuConfig({
      address: 0x1010,
      programming: { securityLevel: 1 },
      memory: [
        { name: 'flash', kind: 'flash', start: 0, size: 0x1000 },
        { name: 'ram', kind: 'ram', start: 0x1000, size: 0x1000, write: false },
        { name: 'boot', kind: 'boot', start: 0x2000, size: 0x1000, sectorSize: 0x1000, read: {} },
      ],
    });
    const [flash, ram, boot] = c.memory;
    if (!flash || !ram || !boot) throw new Error('regions missing');
    expect(memoryAccessRule(flash, 'read', 1)).toEqual({ sessions: [3], securityLevels: [1] });
    expect(memoryAccessRule(flash, 'write', 1)).toBeNull();
    expect(memoryAccessRule(ram, 'read', 1)).toEqual({ sessions: [3], securityLevels: [1] });
    expect(memoryAccessRule(ram, 'write', 1)).toBeNull();
    expect(memoryAccessRule(boot, 'read', 1)).toEqual({});
    expect(memoryAccessRule(boot, 'write', 1)).toBeNull();
    expect(parseEcuConfig(c)).toEqual(c);
  });

  it('names the field of a bad rule', () => {
    expect(() => parseEcuConfig({ address: 1, memory: [{ name: 'ram', kind: 'ram', start: 0, size: 0x100, read: 'yes' }] }, 'engine.yaml')).toThrow(
      /engine\.yaml[\s\S]*memory\[0\]\.read/,
    );
    expect(() => parseEcuConfig({ address: 1, memory: [{ name: 'ram', kind: 'ram', start: 0, size: 0x100, write: { level: 1 } }] })).toThrow(
      /memory\[0\]\.write/,
    );
  });
});
