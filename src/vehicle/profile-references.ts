/**
 * `profile:` in the `ecus:` entries of a vehicle file: each such entry becomes the named ECU profile
 * with the entry's other keys (address, name, ...) merged over it (see ecu/profile-files.ts).
 *
 * ```yaml
 * ecus:
 *   - profile: generic-iso14229            # profiles/generic-iso14229.yaml
 *     address: 0x1011
 *   - profile: ./my-ecus/body.yaml         # relative to this vehicle file
 *     name: body
 * ```
 */
import type { EcuConfigInput } from '../ecu/config.js';
import { expandProfileReference } from '../ecu/profile-files.js';

/** An `ecus:` entry that names an ECU profile; its other keys override the profile's. */
export type EcuProfileReference = Partial<EcuConfigInput> & {
  /** A shipped profile's name (`generic-iso14229`) or a path relative to the vehicle file. */
  readonly profile: string;
};

/** Options of {@link expandVehicleProfiles}. */
export interface ExpandVehicleOptions {
  /** Directory of the vehicle file (relative `profile:` paths). Default the current directory. */
  readonly baseDir?: string;
  /** The vehicle file's name, for error messages. */
  readonly source: string;
}

/** `doc` with every `ecus[i].profile` expanded; anything that is not a vehicle document passes unchanged. */
export function expandVehicleProfiles(doc: unknown, options: ExpandVehicleOptions): unknown {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return doc;
  const ecus = (doc as Record<string, unknown>)['ecus'];
  if (!Array.isArray(ecus)) return doc;
  const baseDir = options.baseDir ?? process.cwd();
  return {
    ...doc,
    ecus: ecus.map((entry: unknown, i) => expandProfileReference(entry, { baseDir, source: `${options.source}: ecus[${i}]` })),
  };
}

/** Names of the profiles `doc`'s ECU entries reference, by entry index (for messages). */
export function referencedProfiles(doc: unknown): Map<number, string> {
  const out = new Map<number, string>();
  const ecus = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>)['ecus'] : undefined;
  if (!Array.isArray(ecus)) return out;
  ecus.forEach((e: unknown, i) => {
    const ref = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)['profile'] : undefined;
    if (typeof ref === 'string') out.set(i, ref);
  });
  return out;
}
