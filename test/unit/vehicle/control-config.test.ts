/**
 * The `control:` key of the vehicle file and the loopback-only rule, on the server side (hosts it may
 * listen on) and on the client side (URLs it may talk to).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidArgumentError } from '../../../src/core/errors.js';
import { parseVehicleConfig } from '../../../src/vehicle/config.js';
import { ControlClient } from '../../../src/vehicle/control-client.js';
import { assertControlHost, assertControlPort } from '../../../src/vehicle/control-config.js';
import { resolveEcu } from '../../../src/vehicle/control-errors.js';

const ECUS = [{ name: 'engine', address: 0x1010 }];

describe('vehicle file control:', () => {
  it('is absent by default, and takes a port with host 127.0.0.1 or ::1', () => {
    expect(parseVehicleConfig({ ecus: ECUS }).control).toBeUndefined();
    expect(parseVehicleConfig({ ecus: ECUS, control: { port: 0 } }).control).toEqual({ port: 0, host: '127.0.0.1' });
    expect(parseVehicleConfig({ ecus: ECUS, control: { port: 13480, host: '::1' } }).control).toEqual({ port: 13480, host: '::1' });
  });

  it.each([
    [{ port: 80, host: '0.0.0.0' }, 'control.host: the control API listens on 127.0.0.1 or ::1 only'],
    [{ port: 70000 }, 'control.port'],
    [{ host: '127.0.0.1' }, 'control.port'],
    [{ port: 1, tls: true }, 'control: Unrecognized key: "tls"'],
  ])('refuses %j naming the field', (control, message) => {
    expect(() => parseVehicleConfig({ ecus: ECUS, control })).toThrow(ConfigError);
    expect(() => parseVehicleConfig({ ecus: ECUS, control })).toThrow(message);
  });
});

describe('loopback only', () => {
  it('the server listens on 127.0.0.1 or ::1 and nowhere else', () => {
    expect(assertControlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(assertControlHost('::1')).toBe('::1');
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.2', '']) {
      expect(() => assertControlHost(host)).toThrow(InvalidArgumentError);
    }
    expect(assertControlPort(0)).toBe(0);
    expect(() => assertControlPort(-1)).toThrow(/0\.\.65535/);
    expect(() => assertControlPort(1.5)).toThrow(InvalidArgumentError);
  });

  it('the client talks http to 127.0.0.1, [::1] or localhost only', () => {
    expect(new ControlClient('http://127.0.0.1:13480/').url).toBe('http://127.0.0.1:13480');
    expect(new ControlClient('http://[::1]:13480').url).toBe('http://[::1]:13480');
    expect(new ControlClient('http://localhost:1').url).toBe('http://localhost:1');
    for (const url of ['http://10.0.0.1:13480', 'https://127.0.0.1:1', 'http://example.com', '127.0.0.1:13480', 'nonsense']) {
      expect(() => new ControlClient(url), url).toThrow(InvalidArgumentError);
    }
  });
});

describe('resolveEcu', () => {
  it('finds an ECU by number, hex or decimal text, or name', () => {
    const ecus = [{ address: 0x1010, name: 'engine' }, { address: 0x1020, name: '0x1010' }] as unknown as Parameters<typeof resolveEcu>[0];
    expect(resolveEcu(ecus, 0x1010).name).toBe('engine');
    expect(resolveEcu(ecus, '0x1020').address).toBe(0x1020);
    expect(resolveEcu(ecus, '4128').address).toBe(0x1020);
    expect(resolveEcu(ecus, 'engine').address).toBe(0x1010);
    // Text that reads as an address is an address, even when an ECU has it as its name.
    expect(resolveEcu(ecus, '0x1010').name).toBe('engine');
    expect(() => resolveEcu(ecus, 'gearbox')).toThrow('no ECU "gearbox" in this vehicle; its ECUs are 0x1010 engine, 0x1020 0x1010');
    expect(() => resolveEcu(ecus, 0x7777)).toThrow('no ECU 0x7777');
  });
});
