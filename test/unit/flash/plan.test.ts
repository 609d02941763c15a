/** Planning a job: the memory map (ECU, profile, template), security, the flash driver, and the errors before anything is sent. */
import { describe, it, expect } from 'vitest';
import { ImageOverlapError } from '../../../src/firmware/errors.js';
import { FlashPlanError } from '../../../src/flash/errors.js';
import { pattern, plan, srec } from './helpers.js';

const app = srec([{ address: 0x10000, data: pattern(0x100) }]);
const SEC = { algorithm: 'xor', secret: { hex: 'A5 5A C3 3C' } };

async function planError(input: Record<string, unknown>, files: Record<string, string | Uint8Array> = { 'app.s19': app }): Promise<Error> {
  try {
    await plan(input, files);
  } catch (e) {
    return e as Error;
  }
  throw new Error('planned');
}

describe('planFlashJob', () => {
  it('takes the memory map and the secret from the profile, the driver from the ECU entry', async () => {
    const { plan: p } = await plan(
      { template: 'iso14229-generic', ecus: [{ address: 0x1010, profile: 'generic-iso14229', firmware: [{ file: 'app.s19' }], flashDriver: { file: 'd.bin', baseAddress: 0x20000000 } }] },
      { 'app.s19': app, 'd.bin': pattern(16) },
    );
    const e = p.ecus[0]!;
    expect(e).toMatchObject({ address: 0x1010, name: 'generic-iso14229', host: '127.0.0.1', port: 13400, totalBytes: 0x100, security: { level: 1, algorithm: 'shift-mul-xor', keyLength: 4 } });
    expect(e.regions?.map((r) => `${r.name}:${r.kind}`)).toEqual(['boot:boot', 'app:flash', 'calibration:flash', 'ram:ram']);
    expect(e.blocks[0]?.erase).toEqual({ address: 0x10000, size: 0x4000 });
    expect(e.driver).toMatchObject({ bytes: 16, check: true, segments: [{ address: 0x20000000 }] });
    expect(e.variables).toEqual({ testerSerial: 'UDSKIT-0E00' });
  });

  it('uses the template\'s memory map when the ECU gives none', async () => {
    const { plan: p } = await plan(
      { template: 'stm32-uds-boot', security: SEC, ecus: [{ address: 0x0711, firmware: [{ file: 'app.s19' }], flashDriver: { file: 'd.bin' } }] },
      { 'app.s19': srec([{ address: 0x08008000, data: pattern(0x900) }]), 'd.bin': pattern(16) },
    );
    expect(p.ecus[0]?.blocks.map((b) => b.erase)).toEqual([{ address: 0x08008000, size: 0x1000 }]); // two 2 KiB pages
    expect(p.ecus[0]?.driver?.segments[0]?.address).toBe(0x20000000); // the template's driver address for a binary
  });

  it.each([
    [{ template: 'iso14229-generic', ecus: [{ address: 0x1010, profile: 'generic-iso14229', firmware: [{ file: 'app.s19' }] }] }, /ecus\[0\]\.flashDriver\.file: this ECU needs a flash driver in RAM/],
    [{ template: 'iso14229-generic', ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19' }] }] }, /erase\.strategy sectors needs the ECU's sector table: give ecus\[0\]\.memory or ecus\[0\]\.profile/],
    [{ template: 'iso14229-generic', erase: { strategy: 'segments' }, ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19' }] }] }, /unlocks security access but no algorithm is given/],
    [{ template: 'iso14229-generic', ecus: [{ address: 0x1010 }] }, /ecus\[0\]\.firmware: no firmware file for ECU 0x1010/],
    [{ programming: [], ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19' }] }] }, /has no program step/],
    [{ programming: [] }, /ecus: the job names no ECU/],
    [{ fingerprint: [{ did: 0xf198, data: '{serial}' }], ecus: [{ address: 1 }] }, /fingerprint\[0\]\.data: \{serial\} is not a placeholder/],
    [{ pre: [{ step: 'readDid', dids: [0xf190], expect: [{ did: 0xf190, pattern: '(' }] }], ecus: [{ address: 1 }] }, /pre\[0\]\.expect\[0\]\.pattern: not a regular expression/],
    [
      { template: 'iso14229-generic', security: SEC, ecus: [{ address: 0x1010, memory: [{ start: 0x10000, size: 0x1000, sectorSize: 0x300 }], firmware: [{ file: 'app.s19' }] }] },
      /ecus\[0\]\.memory\[0\]: sectors cover 3840 bytes but the region has 4096/,
    ],
  ])('refuses %j', async (input, message) => {
    const e = await planError(input);
    expect(e).toBeInstanceOf(FlashPlanError);
    expect(e.message).toMatch(message);
  });

  it('refuses firmware files that overlap, naming both', async () => {
    const e = await planError(
      { template: 'iso14229-generic', security: SEC, erase: { strategy: 'segments' }, ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19' }, { file: 'b.s19' }] }] },
      { 'app.s19': app, 'b.s19': srec([{ address: 0x10080, data: pattern(0x10) }]) },
    );
    expect(e).toBeInstanceOf(ImageOverlapError);
  });

  it('applies range and offset to a file, and baseAddress to a binary', async () => {
    const { plan: p } = await plan(
      { template: 'iso14229-generic', security: SEC, erase: { strategy: 'segments' }, ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19', range: { start: 0x10010, end: 0x10020 }, offset: 0x1000 }, { file: 'c.bin', baseAddress: 0x30000 }] }] },
      { 'app.s19': app, 'c.bin': pattern(8) },
    );
    expect(p.ecus[0]?.blocks.map((b) => b.erase)).toEqual([{ address: 0x11010, size: 0x10 }, { address: 0x30000, size: 8 }]);
    const e = await planError({ template: 'iso14229-generic', security: SEC, ecus: [{ address: 0x1010, firmware: [{ file: 'app.s19', baseAddress: 0x1000 }] }] });
    expect(e.message).toMatch(/baseAddress applies to binary files only \(this file is srecord\)/);
  });
});
