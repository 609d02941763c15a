import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readIntelHex, writeIntelHex } from '../../src/firmware/intel-hex.js';
import { readSRecord, writeSRecord } from '../../src/firmware/srecord.js';

/** A small parity check against Debian's srecord (`srec_cat` 1.64); the full suite comes with 'udskit image convert' (issue 5). */
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
});
