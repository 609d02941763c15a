/** The demo's sample firmware: the committed file is what the generator makes, with the documented layout. */
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { readSRecord } from '../../../src/firmware/srecord.js';
import { SAMPLE_FIRMWARE_FILE, SAMPLE_LAYOUT, sampleFirmware, sampleFirmwareText } from '../../../src/cli/sample-firmware.js';

describe('sample firmware', () => {
  it('profiles/firmware/sample-app.s37 is what sampleFirmware() generates', () => {
    expect(readFileSync(SAMPLE_FIRMWARE_FILE, 'latin1'), `regenerate with: npx tsx -e "import('./src/cli/sample-firmware.ts').then(async (m) => (await import('node:fs')).writeFileSync(m.SAMPLE_FIRMWARE_FILE, m.sampleFirmwareText()))"`).toBe(sampleFirmwareText());
  });

  it('has a vector table, code and a calibration block with its CRC32', () => {
    const img = readSRecord(readFileSync(SAMPLE_FIRMWARE_FILE));
    expect(img.segments.map((s) => [s.address, s.data.length])).toEqual([[SAMPLE_LAYOUT.vectors, 0x200], [SAMPLE_LAYOUT.code, 0x18000], [SAMPLE_LAYOUT.calibration, 0x800]]);
    expect(img.startAddress).toBe(0x409);
    const v = img.segments[0]!.data;
    expect(Buffer.from(v.subarray(0, 8)).toString('hex')).toBe('0000012009040000'); // SP 0x20010000, reset 0x00000409
    const cal = img.segments[2]!.data;
    expect(Buffer.from(cal.subarray(0, 4)).toString('latin1')).toBe('CAL1');
    expect(Buffer.from(cal.subarray(cal.length - 4)).readUInt32LE(0)).toBe(crc32(cal.subarray(0, cal.length - 4)));
    expect(sampleFirmware().segments).toHaveLength(3);
  });
});
