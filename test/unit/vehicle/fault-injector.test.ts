/**
 * FaultInjector on a simulated ECU over an in-memory link with a fake clock: each fault type fires on
 * the request it names, as many times as it says, and the tester sees what the fault promises
 * (an NRC instead of processing, a late response, a dropped connection, no response and a power cycle).
 */
import { describe, expect, it } from 'vitest';
import { toHex } from '../../../src/core/hex.js';
import { InvalidArgumentError } from '../../../src/core/errors.js';
import { UnknownEcuError } from '../../../src/vehicle/control-errors.js';
import { FaultInjector, type FaultFiredEvent } from '../../../src/vehicle/fault-injector.js';
import { harness, programmingUnlocked, TESTER, u32, type Harness } from '../ecu/helpers.js';

/** 16 data bytes per TransferData block. */
const SMALL_BLOCKS = { transfer: { maxNumberOfBlockLength: 0x12 } };

function setup(config = {}): { h: Harness; faults: FaultInjector; dropped: number[]; fired: FaultFiredEvent[] } {
  const h = harness(config);
  const dropped: number[] = [];
  const faults = new FaultInjector({
    ecus: [h.ecu],
    dropTester: (_ecu, tester) => {
      dropped.push(tester);
      return true;
    },
  });
  const fired: FaultFiredEvent[] = [];
  faults.events.on('fired', (e) => fired.push(e));
  return { h, faults, dropped, fired };
}

function pattern(n: number, seed = 0): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed + 1) & 0xff);
}

/** Programming session, unlocked, `size` bytes at 0 erased and a download of them started. */
async function startDownload(h: Harness, size: number): Promise<void> {
  await programmingUnlocked(h);
  expect(await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`)).toEqual(['71 01 FF 00 00']);
  expect(await h.req(`34 00 44 ${u32(0)} ${u32(size)}`)).toEqual(['74 10 12']);
}

describe('nrc fault', () => {
  it('answers the Nth request of the SID with 7F SID NRC without processing it, once', async () => {
    const { h, faults, fired } = setup();
    faults.add({ type: 'nrc', ecu: 0x1010, sid: 0x10, nth: 2, nrc: '0x22' });
    expect(await h.req('10 03')).toEqual(['50 03 00 32 01 F4']);
    expect(await h.req('22 F1 86')).toEqual(['62 F1 86 03']); // another SID is not counted
    expect(await h.req('10 01')).toEqual(['7F 10 22']);
    expect(await h.req('22 F1 86')).toEqual(['62 F1 86 03']); // 10 01 was not processed
    expect(await h.req('10 01')).toEqual(['50 01 00 32 01 F4']); // fired once
    expect(fired).toEqual([{ id: 'f1', type: 'nrc', ecu: 0x1010, request: '10 01', fired: 1, description: 'answer the 2nd request 0x10 to 0x1010 ecu-1010 with 7F 10 22' }]);
    expect(faults.list()[0]).toMatchObject({ id: 'f1', seen: 3, fired: 1, remaining: 0 });
    h.ecu.close();
  });

  it('without a SID counts every physical request but the keep-alive 3E 80 and functional requests, count times', async () => {
    const { h, faults } = setup();
    faults.add({ type: 'nrc', ecu: 'ecu-1010', nth: 2, nrc: 0x72, count: 2 });
    expect(await h.req('3E 80')).toEqual([]);
    expect(await h.req('3E 00', { functional: true })).toEqual(['7E 00']);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    expect(await h.req('22 F1 86')).toEqual(['7F 22 72']);
    expect(await h.req('3E 00')).toEqual(['7F 3E 72']);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    expect(faults.list()[0]).toMatchObject({ seen: 4, fired: 2, remaining: 0 });
    h.ecu.close();
  });
});

describe('delay fault', () => {
  it('sends the responses ms later on the ECU clock, for count requests', async () => {
    const { h, faults } = setup();
    faults.add({ type: 'delay', ecu: 0x1010, ms: 300, count: 1 });
    expect(await h.req('3E 00', { advanceMs: 299 })).toEqual([]);
    expect(await h.advance(1)).toEqual(['7E 00']);
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    expect(faults.list()[0]).toMatchObject({ fired: 1, remaining: 0 });
    h.ecu.close();
  });

  it('lasts until removed without a count, and delays after an earlier fault let the request through', async () => {
    const { h, faults } = setup();
    const d = faults.add({ type: 'delay', ecu: 0x1010, ms: 100 });
    expect(d).toMatchObject({ remaining: null, description: 'delay the responses of 0x1010 ecu-1010 by 100 ms until removed' });
    for (let i = 0; i < 3; i++) {
      expect(await h.req('3E 00', { advanceMs: 99 })).toEqual([]);
      expect(await h.advance(1)).toEqual(['7E 00']);
    }
    expect(faults.remove(d.id)).toMatchObject({ fired: 3 });
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    h.ecu.close();
  });
});

describe('drop-connection fault', () => {
  it('drops the tester at the Nth TransferData, which is not processed', async () => {
    const { h, faults, dropped } = setup(SMALL_BLOCKS);
    faults.add({ type: 'drop-connection', ecu: 0x1010, atTransferData: 2 });
    await startDownload(h, 48);
    expect(await h.req(`36 01 ${toHex(pattern(16))}`)).toEqual(['76 01']);
    expect(await h.req(`36 02 ${toHex(pattern(16, 1))}`)).toEqual([]);
    expect(dropped).toEqual([TESTER]);
    expect(h.ecu.state.transfer).toMatchObject({ transferred: 16, blocks: 1 });
    // Fired once: the repeat goes through.
    expect(await h.req(`36 02 ${toHex(pattern(16, 1))}`)).toEqual(['76 02']);
    h.ecu.close();
  });
});

describe('power-loss fault', () => {
  it('during erase: the first half of the sectors is erased, nothing is answered, the ECU powers up again', async () => {
    const { h, faults } = setup();
    const old = pattern(4 * 0x1000);
    h.ecu.memory.write(0x4000, old);
    faults.add({ type: 'power-loss', ecu: 0x1010, during: 'erase', nth: 2 });
    await programmingUnlocked(h);
    expect(await h.req(`31 01 FF 00 44 ${u32(0x10000)} ${u32(0x1000)}`)).toEqual(['71 01 FF 00 00']);
    const resets: number[] = [];
    h.ecu.events.on('reset', (r) => resets.push(r.resetType));
    expect(await h.req(`31 01 FF 00 44 ${u32(0x4000)} ${u32(0x4000)}`)).toEqual([]);
    expect(resets).toHaveLength(1);
    expect(h.ecu.available).toBe(false);
    expect(h.ecu.memory.isErased(0x4000, 0x2000, 0xff)).toBe(true);
    expect(toHex(h.ecu.memory.read(0x6000, 0x2000))).toBe(toHex(old.subarray(0x2000)));
    await h.advance(50);
    expect(h.ecu.available).toBe(true);
    expect(h.ecu.state).toMatchObject({ session: 1, securityLevel: null });
    expect(faults.list()[0]).toMatchObject({ seen: 2, fired: 1, remaining: 0 });
    h.ecu.close();
  });

  it('during erase of one sector in the 8-byte option format: that sector is erased', async () => {
    const { h, faults } = setup();
    h.ecu.memory.write(0x1000, pattern(0x1000));
    faults.add({ type: 'power-loss', ecu: 0x1010, during: 'erase' });
    await programmingUnlocked(h);
    expect(await h.req(`31 01 FF 00 ${u32(0x1000)} ${u32(0x1000)}`)).toEqual([]);
    expect(h.ecu.memory.isErased(0x1000, 0x1000, 0xff)).toBe(true);
    h.ecu.close();
  });

  it('does not count an erase that names no whole sectors', async () => {
    const { h, faults } = setup();
    faults.add({ type: 'power-loss', ecu: 0x1010, during: 'erase' });
    await programmingUnlocked(h);
    expect(await h.req(`31 01 FF 00 44 ${u32(0x10)} ${u32(0x1000)}`)).toEqual(['7F 31 31']);
    expect(faults.list()[0]).toMatchObject({ seen: 0, fired: 0 });
    h.ecu.close();
  });

  it('during programming: half of the Nth block to flash is written, then the ECU powers up without the transfer', async () => {
    const { h, faults } = setup(SMALL_BLOCKS);
    faults.add({ type: 'power-loss', ecu: 0x1010, during: 'programming', nth: 2 });
    // A download into RAM does not count.
    await programmingUnlocked(h);
    expect(await h.req(`34 00 44 ${u32(0x20000000)} ${u32(16)}`)).toEqual(['74 10 12']);
    expect(await h.req(`36 01 ${toHex(pattern(16, 5))}`)).toEqual(['76 01']);
    expect(await h.req('37')).toHaveLength(1);
    expect(await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`)).toEqual(['71 01 FF 00 00']);
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(48)}`)).toEqual(['74 10 12']);
    expect(await h.req(`36 01 ${toHex(pattern(16))}`)).toEqual(['76 01']);
    expect(await h.req(`36 02 ${toHex(pattern(16, 1))}`)).toEqual([]);
    expect(h.ecu.available).toBe(false);
    expect(h.ecu.state.transfer).toBeUndefined();
    expect(toHex(h.ecu.memory.read(0, 24))).toBe(toHex([...pattern(16), ...pattern(16, 1).subarray(0, 8)]));
    expect(h.ecu.memory.isErased(24, 0x1000 - 24, 0xff)).toBe(true);
    // While the ECU is off, requests are neither answered nor counted.
    expect(await h.req('3E 00')).toEqual([]);
    await h.advance(50);
    expect(await h.req('22 F1 86')).toEqual(['62 F1 86 01']);
    h.ecu.close();
  });
});

describe('power-loss fault and the programming granularity', () => {
  it('cuts the torn block at the granularity: half of 48 bytes with 16-byte units writes 16', async () => {
    const { h, faults } = setup({
      transfer: { maxNumberOfBlockLength: 0x32 },
      memory: [
        { name: 'flash', kind: 'flash', start: 0, size: 0x10000, sectorSize: 0x1000, programmingGranularity: 16 },
        { name: 'ram', kind: 'ram', start: 0x20000000, size: 0x1000 },
      ],
    });
    faults.add({ type: 'power-loss', ecu: 0x1010, during: 'programming' });
    await programmingUnlocked(h);
    expect(await h.req(`31 01 FF 00 44 ${u32(0)} ${u32(0x1000)}`)).toEqual(['71 01 FF 00 00']);
    expect(await h.req(`34 00 44 ${u32(0)} ${u32(48)}`)).toEqual(['74 10 32']);
    expect(await h.req(`36 01 ${toHex(pattern(48))}`)).toEqual([]);
    expect(toHex(h.ecu.memory.read(0, 16))).toBe(toHex(pattern(16)));
    expect(h.ecu.memory.isErased(16, 0x1000 - 16, 0xff)).toBe(true);
    h.ecu.close();
  });
});

describe('FaultInjector bookkeeping', () => {
  it('lists, gets, removes and clears faults; validates them', () => {
    const { h, faults } = setup();
    const a = faults.add({ type: 'delay', ecu: '0x1010', ms: 5 });
    const b = faults.add({ type: 'power-loss', ecu: 4112, during: 'programming' });
    expect(faults.list().map((f) => f.id)).toEqual([a.id, b.id]);
    expect(b).toMatchObject({ type: 'power-loss', ecu: 4112, ecuAddress: 0x1010, nth: 1, remaining: 1, seen: 0, fired: 0 });
    expect(faults.get(b.id)?.description).toBe('cut the power of 0x1010 ecu-1010 during the 1st TransferData (0x36) to flash');
    expect(faults.remove('f99')).toBeUndefined();
    expect(faults.remove(a.id)?.id).toBe(a.id);
    expect(faults.clear()).toBe(1);
    expect(faults.list()).toEqual([]);
    expect(() => faults.add({ type: 'nrc', ecu: 0x2000, nrc: 0x22 })).toThrow(UnknownEcuError);
    expect(() => faults.add({ type: 'nrc', ecu: 0x1010, nrc: 0x00 })).toThrow(/nrc: NRC 0x00 is the positive response code/);
    expect(() => faults.add({ type: 'delay', ecu: 0x1010, ms: 5, extra: 1 } as never)).toThrow(InvalidArgumentError);
    expect(() => faults.add({ type: 'drop-connection', ecu: 0x1010, atTransferData: 0 })).toThrow(/atTransferData: counts start at 1/);
    expect(() => faults.add({ type: 'power-loss', ecu: 0x1010, during: 'boot' } as never)).toThrow(/during must be "erase"/);
    h.ecu.close();
  });

  it('dispose removes the interceptor: requests are served as without faults', async () => {
    const { h, faults } = setup();
    faults.add({ type: 'nrc', ecu: 0x1010, nrc: 0x22 });
    faults.dispose();
    expect(h.ecu.requestInterceptor).toBeUndefined();
    expect(await h.req('3E 00')).toEqual(['7E 00']);
    h.ecu.close();
  });
});
