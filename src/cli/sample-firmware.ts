/**
 * The sample firmware `udskit demo` flashes (profiles/firmware/sample-app.s37), generated
 * deterministically so that the committed file can be checked against this code: a Cortex-M style
 * application with three segments at base 0 (the demo moves them to the ECU's flash):
 *
 * - 0x00000000 vector table (0x200 bytes): initial stack pointer, reset handler, exception and IRQ handlers;
 * - 0x00000400 code (96 KiB): a banner string, then pseudo-random instruction words;
 * - 0x00040000 calibration (2 KiB): `CAL1`, version, a 256-point curve, CRC32 of the block.
 */
import { fileURLToPath } from 'node:url';
import { crc32 } from '../core/crc.js';
import type { FirmwareImage } from '../firmware/image.js';
import { writeSRecord } from '../firmware/srecord.js';

/** The committed sample file. */
export const SAMPLE_FIRMWARE_FILE = fileURLToPath(new URL('../../profiles/firmware/sample-app.s37', import.meta.url));

/** Where the segments start (relative to the flash base). */
export const SAMPLE_LAYOUT = { vectors: 0x0, code: 0x400, calibration: 0x40000 } as const;

/** Reset handler (Thumb bit set), the image's start address. */
const RESET_HANDLER = SAMPLE_LAYOUT.code + 0x9;

function le32(out: Uint8Array, at: number, v: number): void {
  out[at] = v & 0xff;
  out[at + 1] = (v >>> 8) & 0xff;
  out[at + 2] = (v >>> 16) & 0xff;
  out[at + 3] = (v >>> 24) & 0xff;
}

function vectorTable(): Uint8Array {
  const t = new Uint8Array(0x200);
  le32(t, 0, 0x2001_0000); // initial stack pointer: top of 64 KiB RAM
  le32(t, 4, RESET_HANDLER);
  // NMI, HardFault, ... (15 system exceptions) and 112 IRQs: each its own handler stub in the code segment.
  for (let i = 2; i < 128; i++) le32(t, i * 4, (SAMPLE_LAYOUT.code + 0x100 + i * 8) | 1);
  return t;
}

function code(): Uint8Array {
  const c = new Uint8Array(96 * 1024);
  const banner = 'udskit sample application 1.2.0 (demo firmware, not for a real ECU)\0';
  for (let i = 0; i < banner.length; i++) c[i] = banner.charCodeAt(i);
  let x = 0x2545f491;
  for (let i = 0x80; i < c.length; i += 2) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    // Thumb-2 looking half-words.
    c[i] = x & 0xff;
    c[i + 1] = 0x40 | ((x >>> 8) & 0x3f);
  }
  return c;
}

function calibration(): Uint8Array {
  const cal = new Uint8Array(0x800);
  cal.set([0x43, 0x41, 0x4c, 0x31], 0); // "CAL1"
  cal[4] = 0x01; // version 1.3
  cal[5] = 0x03;
  cal[6] = 0x00; // 256 points
  cal[7] = 0x01;
  for (let i = 0; i < 256; i++) {
    const v = Math.round(2048 + 2047 * Math.sin((i / 256) * 2 * Math.PI));
    cal[8 + i * 2] = v & 0xff;
    cal[9 + i * 2] = v >> 8;
  }
  cal.fill(0xff, 8 + 512, cal.length - 4);
  le32(cal, cal.length - 4, crc32(cal.subarray(0, cal.length - 4)));
  return cal;
}

/** The sample image (segments at base 0, start address the reset handler). */
export function sampleFirmware(): FirmwareImage {
  return {
    format: 'srecord',
    header: Uint8Array.from('udskit sample-app 1.2.0', (ch) => ch.charCodeAt(0)),
    startAddress: RESET_HANDLER,
    segments: [
      { address: SAMPLE_LAYOUT.vectors, data: vectorTable() },
      { address: SAMPLE_LAYOUT.code, data: code() },
      { address: SAMPLE_LAYOUT.calibration, data: calibration() },
    ],
  };
}

/** The sample as S-record text (S3 records), as committed. */
export function sampleFirmwareText(): string {
  return writeSRecord(sampleFirmware(), { addressBytes: 4 });
}
