/** Checksums used across udskit: CRC-32 (IEEE 802.3, as zlib) and CRC-16/CCITT-FALSE. */
import * as zlib from 'node:zlib';

const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table32: Uint32Array | undefined;
function crc32Table(): Uint32Array {
  if (!table32) {
    table32 = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table32[n] = c >>> 0;
    }
  }
  return table32;
}

/**
 * CRC-32 (poly 0x04C11DB7 reflected, init and xorout 0xFFFFFFFF), the checksum of zlib, PNG and
 * VBF `file_checksum`. Pass the previous result as `previous` to continue over several chunks.
 */
export function crc32(data: Uint8Array, previous = 0): number {
  if (nativeCrc32) return nativeCrc32(data, previous) >>> 0;
  const t = crc32Table();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = (t[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection), as used by VBF blocks. */
export function crc16CcittFalse(data: Uint8Array, init = 0xffff): number {
  let crc = init;
  for (let i = 0; i < data.length; i++) {
    crc ^= (data[i] as number) << 8;
    for (let k = 0; k < 8; k++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
