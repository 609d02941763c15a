/** LinkControl (0x87) in the simulated ECU: verify, transition, NRCs, return to the default. */
import { describe, expect, it } from 'vitest';
import { parseEcuConfig } from '../../../src/ecu/config.js';
import { ConfigError } from '../../../src/core/errors.js';
import { harness } from './helpers.js';

describe('0x87 LinkControl (ECU)', () => {
  it('verifies a fixed mode, switches after 87 03, and shows the baud rate in the state', async () => {
    const h = harness();
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 500_000, pendingBaudrate: null });
    await h.req('10 03');
    expect(await h.req('87 01 13')).toEqual(['C7 01']);
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 500_000, pendingBaudrate: 1_000_000 });
    expect(await h.req('87 03')).toEqual(['C7 03']);
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 1_000_000, pendingBaudrate: null });
  });

  it('verifies a specific baud rate and transitions on a functional 87 83 (no response)', async () => {
    const h = harness();
    await h.req('10 02');
    expect(await h.req('87 02 03 D0 90')).toEqual(['C7 02']);
    expect(await h.req('87 83', { functional: true })).toEqual([]);
    expect(h.ecu.state.linkControl.baudrate).toBe(250_000);
  });

  it('ProgrammingSetup (0x20) needs programmingSetupBaudrate in the profile', async () => {
    const without = harness();
    await without.req('10 03');
    expect(await without.req('87 01 20')).toEqual(['7F 87 31']);
    const withIt = harness({ linkControl: { programmingSetupBaudrate: 2_000_000 } });
    await withIt.req('10 03');
    expect(await withIt.req('87 01 20')).toEqual(['C7 01']);
    await withIt.req('87 03');
    expect(withIt.ecu.state.linkControl.baudrate).toBe(2_000_000);
  });

  it('answers the NRCs of ISO 14229-1:2020 10.10.4 in order: 0x13, 0x31, 0x24, 0x22', async () => {
    const h = harness({ linkControl: { supportedBaudrates: [500_000, 1_000_000] } });
    expect(await h.req('87 01 12')).toEqual(['7F 87 7F']);
    await h.req('10 03');
    expect(await h.req('87 04')).toEqual(['7F 87 12']);
    expect(await h.req('87 01')).toEqual(['7F 87 13']);
    expect(await h.req('87 02 07 A1')).toEqual(['7F 87 13']);
    expect(await h.req('87 03 00')).toEqual(['7F 87 13']);
    // Unknown mode, a CAN rate not in supportedBaudrates, a PC rate, an unsupported specific rate -> 0x31.
    expect(await h.req('87 01 99')).toEqual(['7F 87 31']);
    expect(await h.req('87 01 10')).toEqual(['7F 87 31']);
    expect(await h.req('87 01 01')).toEqual(['7F 87 31']);
    expect(await h.req('87 02 01 C2 00')).toEqual(['7F 87 31']);
    // Transition without a verification -> 0x24 (also on a functional request: 0x24 is not suppressed).
    expect(await h.req('87 03')).toEqual(['7F 87 24']);
    expect(await h.req('87 83', { functional: true })).toEqual(['7F 87 24']);
    // The vehicle moves -> 0x22, for verify and for transition.
    expect(await h.req('87 01 13')).toEqual(['C7 01']);
    h.ecu.setVehicleState({ speedKmh: 30 });
    expect(await h.req('87 03')).toEqual(['7F 87 22']);
    expect(await h.req('87 01 12')).toEqual(['7F 87 22']);
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 500_000, pendingBaudrate: 1_000_000 });
  });

  it('requireStandstill: false lets the link switch while the vehicle moves', async () => {
    const h = harness({ linkControl: { requireStandstill: false }, vehicleState: { speedKmh: 50 } });
    await h.req('10 03');
    expect(await h.req('87 01 11')).toEqual(['C7 01']);
  });

  it('returns to the default on the default session (S3 too) and on reset; forgets a pending verify on 10 xx', async () => {
    const h = harness();
    await h.req('10 03');
    await h.req('87 01 13');
    await h.req('87 03');
    await h.req('10 01');
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 500_000, pendingBaudrate: null });

    await h.req('10 03');
    await h.req('87 01 13');
    await h.req('87 03');
    await h.advance(5000);
    expect(h.ecu.state.session).toBe(0x01);
    expect(h.ecu.state.linkControl.baudrate).toBe(500_000);

    await h.req('10 03');
    await h.req('87 01 11');
    await h.req('87 03');
    await h.req('87 01 13');
    await h.req('10 02');
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 250_000, pendingBaudrate: null });
    expect(await h.req('87 03')).toEqual(['7F 87 24']);
    await h.req('11 01');
    expect(h.ecu.state.linkControl).toEqual({ baudrate: 500_000, pendingBaudrate: null });
  });

  it('validates the profile section', () => {
    expect(() => parseEcuConfig({ address: 0x1010, linkControl: { supportedBaudrates: [0x1000000] } })).toThrow(ConfigError);
    expect(() => parseEcuConfig({ address: 0x1010, linkControl: { baud: 1 } })).toThrow(/baud/);
  });
});
