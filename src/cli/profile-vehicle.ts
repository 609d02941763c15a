/**
 * The vehicle `udskit sim --profile NAME` runs: one ECU from an ECU profile (a shipped name or a path)
 * behind a gateway with the default settings and the ECU's VIN; a vehicle file named this way runs as is.
 */
import { basename, extname } from 'node:path';
import { loadEcuProfile, profileKind, readProfileDocument, resolveProfilePath } from '../ecu/profile-files.js';
import { loadVehicleFile, parseVehicleConfig, type VehicleConfig } from '../vehicle/config.js';

/** The vehicle of `sim --profile ref`. */
export async function vehicleForProfile(ref: string): Promise<VehicleConfig> {
  const path = resolveProfilePath(ref);
  if (profileKind(readProfileDocument(path)) === 'vehicle') return loadVehicleFile(path);
  const ecu = loadEcuProfile(path);
  const vin = String.fromCharCode(...ecu.identification.vin);
  // ISO 13400-2:2019 table 24 — the announced VIN is 17 ASCII characters; else the gateway's default.
  const doip = /^[\x20-\x7e]{17}$/.test(vin) ? { vin } : {};
  return parseVehicleConfig(
    { name: basename(path, extname(path)), description: ecu.description ?? `one ECU from ${path}`, doip, ecus: [ecu] },
    path,
  );
}
