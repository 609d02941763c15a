/**
 * The ECU profiles the conformance test runs on: the ECUs of the built-in default vehicle, and every ECU
 * of every shipped profile in profiles/ (ECU profiles directly, vehicle files through their `ecus`).
 */
import { fileURLToPath } from 'node:url';
import { listProfiles, loadEcuProfile } from '../../../src/ecu/profile-files.js';
import { loadVehicleFile, parseVehicleConfig } from '../../../src/vehicle/config.js';
import { defaultVehicle } from '../../../src/vehicle/default-vehicle.js';
import type { ConformanceTarget } from './plan.js';

/** The ECUs of the default vehicle (src/vehicle/default-vehicle.ts). */
export function defaultVehicleTargets(): ConformanceTarget[] {
  return parseVehicleConfig(defaultVehicle, 'default vehicle').ecus.map((config) => ({ source: `default vehicle ${config.name}`, config }));
}

/** The ECUs of every shipped profile, in file-name order. */
export async function shippedProfileTargets(): Promise<ConformanceTarget[]> {
  const out: ConformanceTarget[] = [];
  for (const p of listProfiles()) {
    if (p.kind === 'vehicle') {
      const vehicle = await loadVehicleFile(p.path);
      for (const config of vehicle.ecus) out.push({ source: `profiles/${p.name} ${config.name}`, config });
    } else {
      const config = loadEcuProfile(p.path);
      out.push({ source: `profiles/${p.name}`, config });
    }
  }
  return out;
}

/** test/fixtures/conformance-rich.yaml: the profile features the shipped profiles leave out. */
export function richFixtureTarget(): ConformanceTarget {
  const path = fileURLToPath(new URL('../../fixtures/conformance-rich.yaml', import.meta.url));
  return { source: 'test/fixtures/conformance-rich.yaml', config: loadEcuProfile(path) };
}
