/**
 * JSON Schema of a vehicle file (profiles/schema/vehicle.schema.json), for editors: the gateway, and ECU
 * entries that are ECU profiles or name one with `profile:` (see ecu/profile-json-schema.ts).
 */
import { editorJsonSchema, withProfileReference, type JsonSchema } from '../ecu/profile-json-schema.js';
import { vehicleConfigSchema } from './config.js';

/** The JSON Schema of a vehicle file. */
export function vehicleJsonSchema(): JsonSchema {
  const json = editorJsonSchema(vehicleConfigSchema);
  const properties = json['properties'] as Record<string, JsonSchema> | undefined;
  const ecus = properties?.['ecus'];
  const items = ecus?.['items'] as JsonSchema | undefined;
  if (ecus && items) {
    ecus['items'] = withProfileReference(items);
    ecus['description'] = 'the ECUs behind the gateway: ECU profile keys, or profile: NAME with keys that override it';
  }
  return {
    $schema: json['$schema'],
    title: 'udskit vehicle file',
    description: 'A DoIP gateway and the simulated ECUs behind it (docs/vehicle-file.md, docs/profiles.md)',
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')),
  };
}
