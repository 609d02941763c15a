import { describe, it, expect } from 'vitest';
import { crc32 } from '../../../src/core/crc.js';
import { describeFirmware, formatDescription, printableText } from '../../../src/firmware/describe.js';
import { readFirmware } from '../../../src/firmware/firmware-file.js';
import { writeVbf } from '../../../src/firmware/vbf.js';

const t = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'latin1'));
const hex8 = (v: number): string => v.toString(16).toUpperCase().padStart(8, '0');

describe('describeFirmware', () => {
  // S0 "hi", 01 02 at 0x1000, 03 at 0x1010, S9 start 0x1001 (srec_cat layout).
  const SREC = 'S0050000686929\nS10510000102E7\nS104101003D8\nS5030002FA\nS9031001EB\n';

  it('srec_info facts plus sizes, gaps and CRC-32s', () => {
    const d = describeFirmware(readFirmware(t(SREC), { file: 'a.s19' }), 'a.s19');
    expect(d).toMatchObject({
      file: 'a.s19',
      format: 'srecord',
      formatName: 'Motorola S-record',
      detected: true,
      header: { text: 'hi', hex: '6869' },
      startAddress: 0x1001,
      lowest: 0x1000,
      highest: 0x1010,
      span: 0x11,
      dataSize: 3,
      gapSize: 14,
      segments: [
        { start: 0x1000, end: 0x1002, size: 2, crc32: hex8(crc32(Uint8Array.of(1, 2))) },
        { start: 0x1010, end: 0x1011, size: 1, crc32: hex8(crc32(Uint8Array.of(3))) },
      ],
      gaps: [{ start: 0x1002, end: 0x1010, size: 14 }],
      crc32: hex8(crc32(Uint8Array.of(1, 2, 3))),
    });
    expect(formatDescription(d)).toEqual([
      'Format: Motorola S-record (detected from content)',
      'Header: "hi"',
      'Execution Start Address: 00001001',
      `Data:   1000 - 1001  2 bytes, CRC32 ${hex8(crc32(Uint8Array.of(1, 2)))}`,
      `        1010 - 1010  1 bytes, CRC32 ${hex8(crc32(Uint8Array.of(3)))}`,
      'Gaps:   1002 - 100F  14 bytes',
      'Size:   3 data bytes in 2 range(s), 14 gap bytes; span 17 bytes from 0x00001000 to 0x00001010',
      `CRC32:  ${hex8(crc32(Uint8Array.of(1, 2, 3)))} (of the data in address order, gaps left out)`,
    ]);
  });

  it('binary: the base; Intel HEX: the CS:IP start; empty: Data none', () => {
    const bin = describeFirmware(readFirmware(Uint8Array.of(0xff, 0xfe), { base: 0x08000000, format: 'binary' }));
    expect(formatDescription(bin)[0]).toBe('Format: binary (as given by --input-format), loaded at base 0x08000000');
    expect(formatDescription(bin)[1]).toBe('Data:   08000000 - 08000001  2 bytes, CRC32 ' + hex8(crc32(Uint8Array.of(0xff, 0xfe))));
    // 03 record CS=0x1000 IP=0x0004.
    const hex = describeFirmware(readFirmware(t(':0400000310000004E5\n:00000001FF\n')));
    expect(hex.startSegment).toEqual({ cs: 0x1000, ip: 4 });
    expect(formatDescription(hex)).toContain('Start Segment Address: 1000:0004 (CS:IP, linear 00010004)');
    expect(formatDescription(hex)).toContain('Data:   none');
    expect(hex.span).toBe(0);
  });

  it('VBF: every header key as written, compression, file_checksum, blocks with CRC status', () => {
    const bytes = writeVbf({
      version: '2.6',
      header: { sw_part_number: '32222222', sw_part_type: 'EXE', data_format_identifier: 0x10, erase: [{ start: 0x100, length: 0x100 }], extra: { oem_key: { type: 'identifier', value: 'ABC' } } },
      blocks: [{ address: 0x100, data: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8) }],
    });
    const d = describeFirmware(readFirmware(bytes, { file: 'a.vbf' }), 'a.vbf');
    expect(d.header).toBeUndefined();
    expect(d.vbf).toMatchObject({
      version: '2.6',
      header: { sw_part_number: '"32222222"', sw_part_type: 'EXE', data_format_identifier: '0x10', erase: '{ { 0x00000100, 0x00000100 } }', oem_key: 'ABC' },
      fields: { sw_part_number: '32222222', erase: [{ start: 0x100, length: 0x100 }] },
      compression: 'LZSS (data_format_identifier 0x10)',
      fileChecksum: { status: 'ok' },
      eraseBytes: 0x100,
      blocks: [{ index: 0, address: 0x100, length: 8, crc: 'ok' }],
      undecodedBlocks: 0,
    });
    expect(d.vbf?.fileChecksum.stored).toBe(d.vbf?.fileChecksum.computed);
    const lines = formatDescription(d);
    expect(lines[0]).toBe('Format: VBF 2.6 (detected from content)');
    expect(lines).toContain('  data_format_identifier = 0x10  (compression: LZSS (data_format_identifier 0x10))');
    expect(lines.find((l) => l.startsWith('  #0'))).toMatch(/^ {2}#0 {2}0x00000100 {2}8 bytes \(\d+ stored\) {2}CRC-16 0x[0-9A-F]{4} ok {2}at file offset 0x[0-9A-F]+$/);
  });

  it('printableText escapes what is not printable ASCII', () => {
    expect(printableText(Uint8Array.of(0x41, 0x00, 0x22, 0x5c, 0xff))).toBe('A\\x00\\"\\\\\\xFF');
  });
});
