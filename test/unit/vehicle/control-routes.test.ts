/**
 * The control API routes (handleControlRequest) against an in-process default vehicle on 127.0.0.1
 * port 0 with a fake clock: every route, its answer, and its 400 / 404 / 405 errors with a hint.
 * No HTTP here (test/integration/control-api.test.ts does that).
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/core/clock.js';
import { fromHex, toHex } from '../../../src/core/hex.js';
import { defaultVehicle } from '../../../src/vehicle/default-vehicle.js';
import { handleControlRequest, type ControlContext, type ControlResponse } from '../../../src/vehicle/control-routes.js';
import type { EcuView, FaultView, VehicleView } from '../../../src/vehicle/control-types.js';
import { Vehicle } from '../../../src/vehicle/vehicle.js';

let vehicle: Vehicle;
let clock: FakeClock;
let ctx: ControlContext;

beforeEach(async () => {
  clock = new FakeClock();
  vehicle = await Vehicle.start(defaultVehicle, { port: 0, udpPort: null, clock, controlPort: 0 });
  const control = vehicle.control;
  if (!control) throw new Error('the control server did not start');
  ctx = { name: vehicle.config.name, ecus: vehicle.ecus, faults: control.faults };
});

afterEach(async () => {
  await vehicle.stop();
});

const call = (method: string, path: string, body?: unknown): ControlResponse => handleControlRequest(ctx, { method, path, ...(body !== undefined ? { body } : {}) });

/** Sends UDS `hex` to the ECU as tester 0x0E00 and returns the responses, as hex. */
async function uds(address: number, hex: string): Promise<string[]> {
  const ecu = vehicle.ecu(address);
  if (!ecu) throw new Error('no ECU');
  const out: string[] = [];
  await ecu.handle({ source: 0x0e00, target: address, addressing: 'physical', data: fromHex(hex) }, async (d) => void out.push(toHex(d)));
  return out;
}

describe('ECU routes', () => {
  it('GET /api/v1/ecus lists every ECU with its state and memory map', () => {
    const r = call('GET', '/api/v1/ecus');
    expect(r.status).toBe(200);
    const ecus = (r.body as { ecus: EcuView[] }).ecus;
    expect(ecus.map((e) => [e.addressHex, e.name])).toEqual([
      ['0x1010', 'engine'],
      ['0x1020', 'body'],
    ]);
    expect(ecus[1]).toMatchObject({ session: 1, securityLevel: null, failedAttempts: 0, available: true, transfer: null });
    expect(ecus[1]?.memory[0]).toMatchObject({ name: 'app-flash', range: '0x08000000-0x080FFFFF', summary: { erased: 512, programmed: 0, partial: 0 } });
  });

  it('GET /api/v1/ecus/{ecu} takes 0x1010, decimal 4112 or the name, with or without a trailing slash', async () => {
    await uds(0x1010, '10 03');
    for (const ref of ['0x1010', '4112', 'engine', 'engine/', '0x1010?pretty']) {
      const r = call('GET', `/api/v1/ecus/${ref}`);
      expect(r.status, ref).toBe(200);
      expect(r.body).toMatchObject({ address: 0x1010, session: 3 });
    }
  });

  it('answers 404 with the list of ECUs for an unknown one, 404 for an unknown route, 405 with Allow for a wrong method', () => {
    const unknown = call('GET', '/api/v1/ecus/0x2000');
    expect(unknown).toEqual({
      status: 404,
      body: { error: 'no ECU 0x2000 in this vehicle; its ECUs are 0x1010 engine, 0x1020 body', hint: 'GET /api/v1/ecus lists the ECUs' },
    });
    const route = call('GET', '/api/v2/ecus');
    expect(route.status).toBe(404);
    expect((route.body as { hint: string }).hint).toContain('/api/v1/faults/{id}');
    expect(call('DELETE', '/api/v1/ecus')).toEqual({
      status: 405,
      body: { error: 'DELETE is not allowed on /api/v1/ecus', hint: 'use GET' },
      headers: { allow: 'GET' },
    });
    expect(call('GET', '/api/v1/ecus/%E0%A4%A/x').status).toBe(404);
    expect(call('GET', '/api/v1/ecus/%E0%A4%A').status).toBe(400);
  });

  it('POST power-cycle resets the ECU: unavailable, then back in the default session after its reset time', async () => {
    expect(await uds(0x1020, '10 03')).toEqual(['50 03 00 32 01 F4']);
    const r = call('POST', '/api/v1/ecus/body/power-cycle');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ address: 0x1020, available: false, session: 1 });
    await clock.advance(50);
    expect(call('GET', '/api/v1/ecus/body').body).toMatchObject({ available: true, session: 1 });
    expect(call('POST', '/api/v1/ecus/body/power-cycle', { now: true })).toMatchObject({ status: 400, body: { error: 'invalid request body: now: unknown field' } });
    expect(call('GET', '/api/v1/ecus/body/power-cycle').status).toBe(405);
  });

  it('GET /api/v1 lists the routes', () => {
    const r = call('GET', '/api/v1');
    expect((r.body as { routes: { path: string; methods: string[] }[] }).routes).toContainEqual({ path: '/api/v1/faults', methods: ['GET', 'POST', 'DELETE'] });
  });
});

describe('vehicle routes', () => {
  it('PATCH changes every ECU, and 31 01 0203 then reports the failing preconditions', async () => {
    expect(await uds(0x1010, '10 03')).toHaveLength(1);
    expect(await uds(0x1010, '31 01 02 03')).toEqual(['71 01 02 03 00']);
    const r = call('PATCH', '/api/v1/vehicle', { voltage: 8.5, speedKmh: 30 });
    expect(r.status).toBe(200);
    const v = r.body as VehicleView;
    expect(v).toMatchObject({ name: 'udskit-default', consistent: true, state: { voltage: 8.5, speedKmh: 30, ignition: true, engineRunning: false } });
    expect(v.ecus.every((e) => e.state.voltage === 8.5)).toBe(true);
    // 0x93 voltageTooLow, 0x88 vehicleSpeedTooHigh (vehicle-state.ts PRECONDITION_FAILURE).
    expect(await uds(0x1010, '31 01 02 03')).toEqual(['71 01 02 03 01 93 88']);
    call('PATCH', '/api/v1/vehicle', { voltage: 12.5, speedKmh: 0, ignition: false, engineRunning: true });
    expect(await uds(0x1010, '31 01 02 03')).toEqual(['71 01 02 03 01 22 83']);
    expect(call('GET', '/api/v1/vehicle').body).toMatchObject({ state: { ignition: false, engineRunning: true } });
  });

  it('PATCH refuses unknown fields, wrong types and an empty patch with 400 and a hint', () => {
    const bad = call('PATCH', '/api/v1/vehicle', { supplyVoltage: 8 });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid request body: supplyVoltage: unknown field; give at least one of voltage, ignition, speedKmh, engineRunning' });
    expect((bad.body as { hint: string }).hint).toContain('{"voltage": 8.5}');
    expect(call('PATCH', '/api/v1/vehicle', { ignition: 'on' }).status).toBe(400);
    expect((call('PATCH', '/api/v1/vehicle', {}).body as { error: string }).error).toContain('give at least one of voltage');
    expect(call('PATCH', '/api/v1/vehicle').status).toBe(400);
    expect(call('PATCH', '/api/v1/vehicle', [1]).status).toBe(400);
  });
});

describe('fault routes', () => {
  it('POST adds (201 + Location), GET lists and shows one, DELETE removes one or all', async () => {
    const created = call('POST', '/api/v1/faults', { type: 'nrc', ecu: 'engine', sid: '22', nth: 1, nrc: '0x31' });
    expect(created.status).toBe(201);
    const f = created.body as FaultView;
    expect(created.headers).toEqual({ location: `/api/v1/faults/${f.id}` });
    expect(f).toMatchObject({ type: 'nrc', ecuAddress: 0x1010, sid: 0x22, nrc: 0x31, remaining: 1, fired: 0 });
    expect(await uds(0x1010, '22 F1 90')).toEqual(['7F 22 31']);
    expect(call('GET', `/api/v1/faults/${f.id}`).body).toMatchObject({ fired: 1, remaining: 0, seen: 1 });
    call('POST', '/api/v1/faults', { type: 'delay', ecu: '0x1020', ms: 10 });
    expect((call('GET', '/api/v1/faults').body as { faults: FaultView[] }).faults.map((x) => x.type)).toEqual(['nrc', 'delay']);
    expect(call('DELETE', `/api/v1/faults/${f.id}`)).toMatchObject({ status: 200, body: { removed: { id: f.id } } });
    expect(call('DELETE', `/api/v1/faults/${f.id}`)).toMatchObject({ status: 404, body: { error: `no fault "${f.id}"` } });
    expect(call('DELETE', '/api/v1/faults')).toEqual({ status: 200, body: { removed: 1 } });
    expect(call('GET', '/api/v1/faults').body).toEqual({ faults: [] });
  });

  it('POST answers 400 naming the bad field, 404 for an unknown ECU', () => {
    const none = call('POST', '/api/v1/faults');
    expect(none.status).toBe(400);
    const type = call('POST', '/api/v1/faults', { type: 'explode', ecu: 'engine' });
    expect(type.status).toBe(400);
    expect((type.body as { error: string }).error).toContain('type must be one of drop-connection, nrc, delay, power-loss');
    expect((type.body as { hint: string }).hint).toContain('docs/control-api.md');
    const field = call('POST', '/api/v1/faults', { type: 'delay', ecu: 'engine', ms: 10, every: 2 });
    expect((field.body as { error: string }).error).toBe('invalid fault: every: unknown field');
    const ecu = call('POST', '/api/v1/faults', { type: 'delay', ecu: 'gearbox', ms: 10 });
    expect(ecu.status).toBe(404);
    expect((ecu.body as { error: string }).error).toContain('no ECU "gearbox"');
  });

  it('any JSON body gives 201, 400 or 404, never a throw or a 500', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.record({ type: fc.constantFrom('nrc', 'delay', 'power-loss', 'drop-connection'), ecu: fc.constantFrom('engine', 0x1020, 'x'), nth: fc.integer(), nrc: fc.integer(), ms: fc.integer(), during: fc.string() }, { requiredKeys: ['type'] })), (body) => {
        const r = call('POST', '/api/v1/faults', body);
        expect([201, 400, 404]).toContain(r.status);
      }),
      { numRuns: 300 },
    );
  });
});
