/**
 * The flash job schema: defaults, and bad jobs rejected with one ConfigError naming each field path and
 * what is allowed; the committed JSON Schema is what the code generates; the shipped templates are valid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { SHIPPED_PROFILES_DIR } from '../../../src/ecu/profile-files.js';
import { flashJobJsonSchema } from '../../../src/flash/job-json-schema.js';
import { listTemplates, loadFlashJob } from '../../../src/flash/job-files.js';
import { parseFlashJob } from '../../../src/flash/job-schema.js';

function problems(input: unknown): string {
  try {
    parseFlashJob(input, 'job.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('the job was accepted');
}

describe('flash job schema', () => {
  it('fills in the documented defaults', () => {
    const job = parseFlashJob({ ecus: [{ address: '0x1010', firmware: [{ file: 'a.s19' }] }], programming: [{ step: 'program' }] });
    expect(job.connection).toEqual({ host: '127.0.0.1', port: 13400, testerAddress: 0x0e00, functionalAddress: 0xe400, mode: 'shared', connectTimeoutMs: 2000 });
    expect(job.timing).toEqual({ retries: 2, attempts: 3, reconnectDelayMs: 500, resetWaitMs: 5000 });
    expect(job.testerPresent).toEqual({ functional: true, intervalMs: 2000 });
    expect(job.erase).toEqual({ strategy: 'sectors', routineId: 0xff00, format: 'alfid' });
    expect(job.verification).toEqual({ checkMemory: { routineId: 0x0202 }, checkDependencies: { routineId: 0xff01 }, transferExitCrc: 'compare' });
    expect(job.download).toEqual({ dataFormatIdentifier: 0, addressLength: 4, sizeLength: 4, blockLengthIsDataSize: false });
    expect(job.programming[0]).toEqual({ step: 'program', addressing: 'physical', suppress: false, optional: false });
    expect(job.ecus[0]).toMatchObject({ address: 0x1010, firmware: [{ file: 'a.s19', format: 'auto' }] });
  });

  it.each([
    [{ programming: [{ step: 'session', session: 0x80 }] }, 'programming[0].session: a session id must be 0x01..0x7F'],
    [{ pre: [{ step: 'flash' }] }, "pre[0].step: Invalid discriminator value. Expected 'session' | 'securityAccess'"],
    [{ pre: [{ step: 'session', session: 3, sesion: 3 }] }, 'pre[0]: Unrecognized key: "sesion"'],
    [{ programming: [{ step: 'securityAccess', level: 2 }] }, 'programming[0].level: must be the odd requestSeed value'],
    [{ programming: [{ step: 'readDid', dids: [] }] }, 'programming[0].dids: Too small'],
    [{ programming: [{ step: 'session', session: 2, addressing: 'functional' }] }, 'programming[0].addressing: the programming steps run per ECU (in parallel): functional steps belong in pre or post'],
    [{ pre: [{ step: 'securityAccess', addressing: 'functional' }] }, 'pre[0].addressing: securityAccess is for one ECU: use physical addressing'],
    [{ pre: [{ step: 'clearDtc', suppress: true }] }, 'pre[0].suppress: clearDtc has no sub-function: SPRMIB does not apply'],
    [{ post: [{ step: 'program' }] }, 'post[0].step: program belongs in programming'],
    [{ programming: [{ step: 'program' }, { step: 'program' }] }, 'programming: has more than one program step'],
    [{ resume: [{ step: 'program' }] }, 'resume: must not contain program'],
    [{ ecus: [{ address: 0x1010 }, { address: 0x1010 }] }, 'ecus[1].address: ECU 0x1010 is listed twice'],
    [{ ecus: [{ address: 0x10000 }] }, 'ecus[0].address: a 16-bit value must be 0..0xFFFF'],
    [{ ecus: [{ address: 0x1010, firmware: [{ file: 'a', format: 'elf' }] }] }, 'ecus[0].firmware[0].format'],
    [{ timing: { attempts: 0 } }, 'timing.attempts: attempts must be 1..10'],
    [{ erase: { strategy: 'pages' } }, 'erase.strategy'],
    [{ connection: { mode: 'multi' } }, 'connection.mode'],
    [{ security: { secret: [1, 2] } }, 'security.secret: must be ASCII text ("2345"), a 32-bit number (0x464C4147) or { hex: "A5 5A C3 3C" }'],
    [{ fingerprint: [{ did: 0xf15a, data: 12 }] }, 'fingerprint[0].data: must be ASCII text (with placeholders such as {date})'],
    [{ programming: [{ step: 'request', data: 'zz' }] }, 'programming[0].data: "zz" is not hex'],
  ])('rejects %j naming the field', (input, message) => {
    const text = problems(input);
    expect(text).toContain('job.yaml: invalid flash job');
    expect(text).toContain(message);
  });

  it('lists every problem of a job at once', () => {
    const text = problems({ timing: { retries: 11 }, pre: [{ step: 'delay' }] });
    expect(text).toContain('timing.retries');
    expect(text).toContain('pre[0].ms');
  });

  it('profiles/schema/flash-job.schema.json is what the code generates', () => {
    const committed = JSON.parse(readFileSync(join(SHIPPED_PROFILES_DIR, 'schema', 'flash-job.schema.json'), 'utf8')) as unknown;
    expect(committed, 'regenerate with: npx tsx src/cli/main.ts flash --schema > profiles/schema/flash-job.schema.json').toEqual(flashJobJsonSchema());
    const props = flashJobJsonSchema()['properties'] as Record<string, Record<string, unknown>>;
    expect(props['timing']?.['properties']).toMatchObject({ attempts: { default: 3 } });
    expect(JSON.stringify(props['pre'])).toContain('#/$defs/FlashStep');
  });

  it('the shipped templates are valid jobs', () => {
    const names = listTemplates().map((t) => t.name);
    expect(names).toEqual(['iso14229-generic', 'stm32-uds-boot', 'vbf-sbl']);
    for (const t of listTemplates()) {
      const job = loadFlashJob(t.path);
      expect(job.programming.some((s) => s.step === 'program'), t.name).toBe(true);
      expect(t.description).toBeTruthy();
    }
  });
});
