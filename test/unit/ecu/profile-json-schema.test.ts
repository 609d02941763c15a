/**
 * The JSON Schemas for editors: the committed files equal what the code generates (so they never go
 * stale), and the generated schema says what the profile accepts (numbers, bytes, profile references).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ecuProfileJsonSchema, type JsonSchema } from '../../../src/ecu/profile-json-schema.js';
import { SHIPPED_PROFILES_DIR } from '../../../src/ecu/profile-files.js';
import { vehicleJsonSchema } from '../../../src/vehicle/json-schema.js';

const committed = (file: string): unknown => JSON.parse(readFileSync(join(SHIPPED_PROFILES_DIR, 'schema', file), 'utf8')) as unknown;
const REGENERATE = 'regenerate with: npx tsx src/cli/main.ts profile schema > profiles/schema/ecu-profile.schema.json; npx tsx src/cli/main.ts profile schema --vehicle > profiles/schema/vehicle.schema.json';

describe('profiles/schema/*.schema.json', () => {
  it('ecu-profile.schema.json is what the code generates', () => {
    expect(committed('ecu-profile.schema.json'), REGENERATE).toEqual(ecuProfileJsonSchema());
  });

  it('vehicle.schema.json is what the code generates', () => {
    expect(committed('vehicle.schema.json'), REGENERATE).toEqual(vehicleJsonSchema());
  });

  it('describes numbers, bytes, defaults, service maps and profile references usefully', () => {
    const s = ecuProfileJsonSchema();
    const props = s['properties'] as Record<string, JsonSchema>;
    expect(s['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(s['additionalProperties']).toBe(false);
    expect(s['anyOf']).toEqual([{ required: ['address'] }, { required: ['profile'] }]);
    expect(props['address']?.['anyOf']).toEqual([
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: '^\\s*(0[xX][0-9a-fA-F]+|[0-9]+[kKmM]?)\\s*$', description: 'e.g. "0x1010", "4096" or "64K"' },
    ]);
    expect(props['p2ServerMs']?.['default']).toBe(50);
    const vin = (props['identification']?.['properties'] as Record<string, JsonSchema>)['vin'];
    expect(vin?.['default']).toBe('WUDSKIT0000000001');
    expect((vin?.['anyOf'] as unknown[]).length).toBe(2); // text or { hex }: no Uint8Array alternative
    expect(props['services']?.['propertyNames']).toEqual({ pattern: '^(0[xX][0-9a-fA-F]{1,2}|[0-9]{1,3}|[A-Za-z]+)$' });
    expect(JSON.stringify(props['services']?.['additionalProperties'])).toContain('subFunctions');
    expect(props['profile']).toMatchObject({ type: 'string' });
    const ecus = (vehicleJsonSchema()['properties'] as Record<string, JsonSchema>)['ecus'];
    expect((ecus?.['items'] as JsonSchema)['anyOf']).toEqual([{ required: ['address'] }, { required: ['profile'] }]);
  });
});
