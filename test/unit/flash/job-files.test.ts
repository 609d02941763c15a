/** Job files: template chains merged key by key, paths relative to the file naming them, and the errors. */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { loadFlashJob, resolveFlashJob } from '../../../src/flash/job-files.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'udskit-job-'));
  await mkdir(join(dir, 'oem'));
  // An OEM template based on a shipped one: other checkMemory id, one more post step.
  await writeFile(
    join(dir, 'oem', 'my-oem.yaml'),
    ['template: iso14229-generic', 'name: my-oem', 'verification: { checkMemory: { routineId: 0x0212 } }', 'security: { module: algo.mjs#key }', 'post: [{ step: session, session: 0x01 }]'].join('\n'),
  );
  await writeFile(join(dir, 'job.yaml'), ['template: oem/my-oem.yaml', 'security: { algorithm: xor, secret: { hex: "01 02" } }', 'ecus: [{ address: 0x1010, firmware: [{ file: fw/app.s19 }] }]'].join('\n'));
  await writeFile(join(dir, 'cycle-a.yaml'), 'template: cycle-b.yaml\n');
  await writeFile(join(dir, 'cycle-b.yaml'), 'template: cycle-a.yaml\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('flash job files', () => {
  it('merges the template chain: objects key by key, lists replaced; paths relative to their own file', () => {
    const job = loadFlashJob(join(dir, 'job.yaml'));
    expect(job.template).toBe(join(dir, 'oem', 'my-oem.yaml'));
    expect(job.name).toBe('my-oem');
    expect(job.verification.checkMemory).toEqual({ routineId: 0x0212 });
    expect(job.verification.checkDependencies).toEqual({ routineId: 0xff01 }); // from iso14229-generic
    expect(job.security).toMatchObject({ level: 1, algorithm: 'xor', secret: { hex: '01 02' }, module: `${join(dir, 'oem', 'algo.mjs')}#key` });
    expect(job.post.map((s) => s.step)).toEqual(['session']); // the list replaced the template's
    expect(job.pre).toHaveLength(5); // inherited
    expect(job.ecus[0]?.firmware[0]?.file).toBe(join(dir, 'fw', 'app.s19'));
    expect(job.match).toBeUndefined();
  });

  it('names the template that is missing and the shipped ones, and refuses cycles', () => {
    expect(() => resolveFlashJob({ template: 'no-such-template' })).toThrow(/flash job template "no-such-template" not found: shipped templates are iso14229-generic, stm32-uds-boot, vbf-sbl/);
    expect(() => loadFlashJob(join(dir, 'cycle-a.yaml'))).toThrow(/template references form a cycle/);
    expect(() => resolveFlashJob([1, 2])).toThrow(ConfigError);
  });
});
