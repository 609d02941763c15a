/** The default template of an ECU: by profile, by firmware format, by identification, else iso14229-generic. */
import { describe, it, expect } from 'vitest';
import { chooseTemplate } from '../../../src/flash/templates.js';

const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('chooseTemplate', () => {
  it('by profile, format and identification', async () => {
    expect(await chooseTemplate({ profile: 'stm32f103-uds-boot' })).toMatchObject({ name: 'stm32-uds-boot', reason: 'profile stm32f103-uds-boot' });
    expect(await chooseTemplate({ profile: '/some/where/stm32f103-uds-boot.yaml' })).toMatchObject({ name: 'stm32-uds-boot' });
    expect(await chooseTemplate({ formats: ['vbf'] })).toMatchObject({ name: 'vbf-sbl', reason: 'vbf firmware' });
    const read: number[] = [];
    const choice = await chooseTemplate({ formats: ['srecord'], readDid: async (did) => (read.push(did), did === 0xf1aa ? ascii('V1.0.0') : undefined) });
    expect(choice).toMatchObject({ name: 'stm32-uds-boot', reason: 'identification 0xF1AA = V1.0.0' });
    expect(read).toEqual([0xf1aa]);
  });

  it('falls back to the default template', async () => {
    expect(await chooseTemplate({ formats: ['srecord'], readDid: async () => ascii('1.0.0') })).toMatchObject({ name: 'iso14229-generic', reason: 'the default template' });
    expect(await chooseTemplate({ readDid: async () => { throw new Error('no answer'); } })).toMatchObject({ name: 'iso14229-generic' });
    expect(await chooseTemplate({})).toMatchObject({ name: 'iso14229-generic' });
  });
});
