import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import type { DtcStatusChange } from '../../../src/ecu/dtc-store.js';
import { harness } from './helpers.js';

// Default profile DTCs: P0562-16 (05 62 16, voltage < 9 V), P0563-17 (05 63 17, voltage > 16 V),
// U0100-87 (C1 00 87, confirmed history, no monitor). Snapshot record 01 = F442 voltage (mV) + F40D speed.

describe('DTC store and services 0x14 / 0x19 (default profile)', () => {
  it('power-on: monitors pass, the history DTC is confirmed and untested this cycle', async () => {
    const h = harness();
    expect(await h.req('19 0A')).toEqual(['59 0A FF 05 62 16 00 05 63 17 00 C1 00 87 68']);
    expect(await h.req('19 01 08')).toEqual(['59 01 FF 01 00 01']); // one confirmed DTC, ISO 14229-1 format
    expect(await h.req('19 02 08')).toEqual(['59 02 FF C1 00 87 68']);
    expect(await h.req('19 02 01')).toEqual(['59 02 FF']); // nothing failing
    expect(await h.req('19 03')).toEqual(['59 03']);
    h.ecu.close();
  });

  it('a low supply voltage sets P0562-16 and captures the snapshot at that moment', async () => {
    const h = harness();
    const changes: DtcStatusChange[] = [];
    h.ecu.events.on('dtc', (c) => changes.push(c));
    h.ecu.setVehicleState({ voltage: 8.4 });
    expect(changes).toEqual([{ code: 0x056216, from: 0x00, to: 0x2f, reason: 'test' }]);
    h.ecu.setVehicleState({ voltage: 12.5 }); // fault gone: TF cleared, the rest stays
    expect(await h.req('19 02 FF')).toEqual(['59 02 FF 05 62 16 2E C1 00 87 68']);
    expect(await h.req('19 03')).toEqual(['59 03 05 62 16 01']);
    // Snapshot: record 01, 2 DIDs: F442 = 0x20D0 (8400 mV, not the 12.5 V of now), F40D = 0 km/h.
    expect(await h.req('19 04 05 62 16 FF')).toEqual(['59 04 05 62 16 2E 01 02 F4 42 20 D0 F4 0D 00']);
    expect(await h.req('19 04 05 62 16 01')).toEqual(['59 04 05 62 16 2E 01 02 F4 42 20 D0 F4 0D 00']);
    // Extended data: 01 occurrence counter = 1, 02 aging counter = 0.
    expect(await h.req('19 06 05 62 16 FF')).toEqual(['59 06 05 62 16 2E 01 01 02 00']);
    expect(await h.req('19 06 05 62 16 02')).toEqual(['59 06 05 62 16 2E 02 00']);
    // A second occurrence counts and captures again (record 01 is "latest").
    h.ecu.setVehicleState({ voltage: 7 });
    expect(await h.req('19 06 05 62 16 01')).toEqual(['59 06 05 62 16 2F 01 02']);
    expect(await h.req('19 04 05 62 16 01')).toEqual(['59 04 05 62 16 2F 01 02 F4 42 1B 58 F4 0D 00']);
    h.ecu.close();
  });

  it('19 04 / 06: no record stored yet, unknown DTC or record -> 0x31', async () => {
    const h = harness();
    expect(await h.req('19 04 05 62 16 FF')).toEqual(['59 04 05 62 16 00']);
    expect(await h.req('19 04 05 62 16 02')).toEqual(['7F 19 31']);
    expect(await h.req('19 04 12 34 56 FF')).toEqual(['7F 19 31']);
    expect(await h.req('19 04 12 34 56 FF', { functional: true })).toEqual([]); // 0x31 suppressed on functional
    expect(await h.req('19 06 C1 00 87 03')).toEqual(['7F 19 31']);
    expect(await h.req('19 06 C1 00 87 FE')).toEqual(['7F 19 31']); // no regulated records 0x90-0xEF
    expect(await h.req('19 06 C1 00 87 FF')).toEqual(['59 06 C1 00 87 68 01 00 02 01']);
    expect(await h.req('19 02')).toEqual(['7F 19 13']);
    expect(await h.req('19 05 01')).toEqual(['7F 19 12']);
    h.ecu.close();
  });

  it('19 0B..0E report the first / most recent failed and confirmed DTC since the last clear', async () => {
    const h = harness();
    expect(await h.req('19 0B')).toEqual(['59 0B FF']);
    h.ecu.setVehicleState({ voltage: 8 });
    h.ecu.setVehicleState({ voltage: 17 });
    expect(await h.req('19 0B')).toEqual(['59 0B FF 05 62 16 2E']);
    expect(await h.req('19 0D')).toEqual(['59 0D FF 05 63 17 2F']);
    expect(await h.req('19 0C')).toEqual(['59 0C FF 05 62 16 2E']);
    expect(await h.req('19 0E')).toEqual(['59 0E FF 05 63 17 2F']);
    h.ecu.close();
  });

  it('85 02 freezes every status change; 85 01 lets the monitors set the DTC again', async () => {
    const h = harness();
    await h.req('10 03');
    expect(await h.req('85 02')).toEqual(['C5 02']);
    h.ecu.setVehicleState({ voltage: 8 });
    await h.req('11 01', { advanceMs: 100 }); // the reset turns DTC setting back on
    expect(await h.req('19 02 01')).toEqual(['59 02 FF 05 62 16 2F']);
    await h.req('10 03');
    await h.req('85 02');
    h.ecu.setVehicleState({ voltage: 12 });
    expect(await h.req('19 02 01')).toEqual(['59 02 FF 05 62 16 2F']); // frozen: still failed
    await h.req('85 01');
    expect(await h.req('19 02 01')).toEqual(['59 02 FF']);
    h.ecu.close();
  });

  it('14 clears a group, one DTC, or all; unknown group or MemorySelection -> 0x31', async () => {
    const h = harness();
    h.ecu.setVehicleState({ voltage: 8 });
    expect(await h.req('14 12 34 56')).toEqual(['7F 14 31']);
    expect(await h.req('14 FF FF FF 00')).toEqual(['7F 14 31']);
    expect(await h.req('14 FF FF')).toEqual(['7F 14 13']);
    expect(await h.req('14 C1 00 87')).toEqual(['54']);
    expect(await h.req('19 0A')).toEqual(['59 0A FF 05 62 16 2F 05 63 17 00 C1 00 87 50']);
    h.ecu.setVehicleState({ voltage: 12.5 });
    expect(await h.req('14 FF FF FF')).toEqual(['54']);
    // Status 0x50 after the clear; the voltage monitors ran again after the response (passed -> 0x00).
    expect(await h.req('19 0A')).toEqual(['59 0A FF 05 62 16 00 05 63 17 00 C1 00 87 50']);
    expect(await h.req('19 04 05 62 16 FF')).toEqual(['59 04 05 62 16 00']);
    expect(await h.req('19 06 05 62 16 01')).toEqual(['59 06 05 62 16 00 01 00']);
    expect(await h.req('19 0B')).toEqual(['59 0B FF']);
    h.ecu.close();
  });

  it('14 answers 0x22 while the profile clear conditions fail; groups from the profile', async () => {
    const h = harness({
      dtcs: {
        clearConditions: { engineOff: true },
        list: [
          { code: 'B1000-11', groups: [0x800000] },
          { code: 'B1001-11', groups: [0x800000], status: 0x09 },
          { code: 'C0035-00', status: 0x09 },
        ],
      },
    });
    h.ecu.setVehicleState({ engineRunning: true });
    expect(await h.req('14 80 00 00')).toEqual(['7F 14 22']);
    h.ecu.setVehicleState({ engineRunning: false });
    expect(await h.req('14 80 00 00')).toEqual(['54']);
    expect(await h.req('19 0A')).toEqual(['59 0A FF 40 35 00 49 90 00 11 50 90 01 11 50']);
    h.ecu.close();
  });

  it('a reset starts a new operation cycle; ignition off stops the monitors, on starts a cycle', async () => {
    const h = harness({ resetDurationMs: 50 });
    h.ecu.setVehicleState({ voltage: 8 });
    h.ecu.setVehicleState({ voltage: 12 });
    expect(await h.req('19 02 FF')).toEqual(['59 02 FF 05 62 16 2E C1 00 87 68']);
    await h.req('11 01', { advanceMs: 60 });
    // New cycle: TFTOC cleared, TNCTOC set, then the monitor passed (TNCTOC cleared again); PDTC kept.
    expect(await h.req('19 02 FF')).toEqual(['59 02 FF 05 62 16 2C C1 00 87 68']);
    h.ecu.setVehicleState({ ignition: false, voltage: 5 }); // no monitor runs without ignition
    expect(await h.req('19 02 01')).toEqual(['59 02 FF']);
    h.ecu.setVehicleState({ voltage: 12.5 });
    h.ecu.setVehicleState({ ignition: true });
    // Cycle with a pass: PDTC cleared, the confirmed DTC ages by one.
    expect(await h.req('19 06 05 62 16 02')).toEqual(['59 06 05 62 16 28 02 01']);
    h.ecu.close();
  });

  it('serves 14 / 19 in the default and extended sessions only', async () => {
    const h = harness();
    await h.req('10 02');
    expect(await h.req('19 0A')).toEqual(['7F 19 7F']);
    expect(await h.req('14 FF FF FF')).toEqual(['7F 14 7F']);
    await h.req('10 03');
    expect(await h.req('14 FF FF FF')).toEqual(['54']);
    expect(await h.req('19 82 FF')).toEqual([]); // SPRMIB
    h.ecu.close();
  });

  it('a profile without DTCs answers empty lists', async () => {
    const h = harness({ dtcs: [] });
    expect(await h.req('19 0A')).toEqual(['59 0A FF']);
    expect(await h.req('19 01 FF')).toEqual(['59 01 FF 01 00 00']);
    expect(await h.req('14 FF FF FF')).toEqual(['54']);
    h.ecu.close();
  });
});

describe('dtcs profile section', () => {
  it('takes codes as numbers, hex strings or J2012 text, and applies the defaults', () => {
    const c = parseEcuConfig({ address: 0x10, dtcs: [{ code: 0x056216 }, { code: '0xC10087' }, { code: 'p0563-17', snapshots: [{ record: 1, dids: [0xf442] }] }] });
    expect(c.dtcs.list.map((d) => d.code)).toEqual([0x056216, 0xc10087, 0x056317]);
    expect(c.dtcs).toMatchObject({ statusAvailabilityMask: 0xff, formatIdentifier: 0x01, confirmationThreshold: 1, agingThreshold: 40 });
    expect(c.dtcs.list[2]).toMatchObject({ status: 0x50, snapshots: [{ record: 1, dids: [0xf442], capture: 'latest' }] });
    expect(parseEcuConfig(c)).toEqual(c);
    expect(parseEcuConfig({ address: 0x10 }).dtcs.list.map((d) => d.code)).toEqual([0x056216, 0x056317, 0xc10087]);
  });

  it('names the field of a bad entry', () => {
    const bad = (dtcs: unknown): string => {
      try {
        parseEcuConfig({ address: 0x10, dtcs }, 'ecu.yaml');
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad([{ code: 'X123' }])).toMatch(/ecu\.yaml: .*dtcs\[0\]\.code: "X123" is not a 3-byte DTC/s);
    expect(bad([{ code: 1 }, { code: 1 }])).toMatch(/dtcs\.list\[1\]\.code: DTC 0x1 is defined twice/);
    expect(bad([{ code: 1, snapshots: [{ record: 0xff, dids: [1] }] }])).toMatch(/snapshots\[0\]\.record/);
    expect(bad([{ code: 1, extendedData: [{ record: 1 }] }])).toMatch(/counter .* or a fixed value/);
    expect(bad([{ code: 1, monitor: {} }])).toMatch(/at least one condition/);
    expect(bad({ list: [], agingThreshold: 300 })).toMatch(/agingThreshold/);
  });
});
