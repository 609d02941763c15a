/**
 * JSON Schema (draft 2020-12) of a flash job file, for editors (`# yaml-language-server:
 * $schema=../schema/flash-job.schema.json`). Generated from the zod schema like the ECU profile's
 * (ecu/profile-json-schema.ts: numbers as "0x1010" / "4K", defaults shown); profiles/schema/flash-job.schema.json
 * is this module's output (`udskit flash --schema`), and a test keeps them equal.
 */
import { editorJsonSchema, type JsonSchema } from '../ecu/profile-json-schema.js';
import { flashJobSchema } from './job-schema.js';

/** The JSON Schema of a flash job file. */
export function flashJobJsonSchema(): JsonSchema {
  const json = editorJsonSchema(flashJobSchema);
  return {
    $schema: json['$schema'],
    title: 'udskit flash job',
    description: 'A flash job: pre-programming, programming and post-programming steps, the ECUs and their firmware (docs/flashing.md)',
    ...Object.fromEntries(Object.entries(json).filter(([k]) => k !== '$schema')),
  };
}
