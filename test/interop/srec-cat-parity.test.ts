import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readIntelHex, writeIntelHex } from '../../src/firmware/intel-hex.js';
import { readSRecord, writeSRecord } from '../../src/firmware/srecord.js';

/**
 * The library writers against Debian's srecord (`srec_cat` 1.64), default options = srec_cat's output,
 * record layout included (runs restart at multiples of 1792; 02 records cut at 64 KiB). The CLI suite is
 * firmware-parity.test.ts.
 */
const hasSrecCat = (() => {
  try {
    execFileSync('srec_cat', ['-VERSion'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const srecCat = (args: string[], input?: string): string =>
  execFileSync('srec_cat', args, { encoding: 'latin1', ...(input !== undefined ? { input } : {}), stdio: ['pipe', 'pipe', 'ignore'] });

// Ranges in each address width, with and without an execution start address.
const CASES: [string, string[]][] = [
  ['16-bit, two ranges', ['-generate', '0x0013', '0x0063', '-random', '-generate', '0x0100', '0x0180', '-random']],
  ['24-bit across 64 KiB, start address', ['-generate', '0xFFF0', '0x10120', '-random', '-execution-start-address', '0x8000']],
  ['32-bit, start address', ['-generate', '0x08000000', '0x08000111', '-random', '-execution-start-address', '0x08000101']],
  // Runs cut at 0x700, 0xE00, ... off the 32-byte grid of a range starting at 0x13.
  ['across 1792-byte chunks', ['-generate', '0x0013', '0x1234', '-random', '-generate', '0x1305', '0x1C0B', '-random', '-execution-start-address', '0x0100']],
];

/** Below 1 MiB, across 64 KiB boundaries off the record grid: Intel HEX with 02 records and without extended records. */
const SEGMENTED: [string, string[]][] = [
  ['02 records, across 64 KiB', ['-generate', '0xFFE5', '0x10150', '-random', '-generate', '0x2FFF0', '0x30008', '-random', '-execution-start-address', '0x4567']],
  ['no extended records', ['-generate', '0x0013', '0x0A21', '-random', '-execution-start-address', '0x1234']],
];

describe.skipIf(!hasSrecCat)('byte-identical to srec_cat', () => {
  for (const [name, gen] of CASES) {
    it(`S-record: ${name}`, () => {
      const ref = srecCat([...gen, '-o', '-']);
      expect(writeSRecord(readSRecord(ref))).toBe(ref);
    });
    it(`Intel HEX: ${name}`, () => {
      const ref = srecCat([...gen, '-o', '-', '-intel']);
      expect(writeIntelHex(readIntelHex(ref))).toBe(ref);
    });
    it(`S-record -> Intel HEX and back, line length 16: ${name}`, () => {
      const srec = srecCat([...gen, '-o', '-']);
      const ihex = srecCat(['-', '-o', '-', '-intel', '-obs=16'], srec);
      expect(writeIntelHex(readSRecord(srec), { bytesPerRecord: 16 })).toBe(ihex);
      const back = srecCat(['-', '-intel', '-o', '-', '-obs=16'], ihex);
      expect(writeSRecord(readIntelHex(ihex), { bytesPerRecord: 16, header: 'http://srecord.sourceforge.net/' })).toBe(back);
    });
  }
  for (const [name, gen] of SEGMENTED) {
    it(`Intel HEX ${name}, record sizes 32 and 7`, () => {
      const addressing = name.startsWith('02') ? 'segment' : 'none';
      for (const per of [32, 7]) {
        const ref = srecCat([...gen, '-o', '-', '-intel', `-address-length=${addressing === 'segment' ? 3 : 2}`, `-obs=${per}`]);
        expect(writeIntelHex(readIntelHex(ref), { addressing, bytesPerRecord: per })).toBe(ref);
      }
    });
  }
});
