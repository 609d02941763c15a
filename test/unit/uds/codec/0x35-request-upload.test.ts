import { describe } from 'vitest';
import { requestUpload as codec } from '../../../../src/uds/codec/0x35-request-upload.js';
import { requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('RequestUpload (0x35)', () => {
  requestTable(codec, [
    {
      name: '4-byte address, 2-byte size',
      object: { dataFormatIdentifier: 0x00, memoryAddress: 0x20000000, memorySize: 0x100, addressLength: 4, sizeLength: 2 },
      bytes: `35          // SID
              00          // DFI: plain
              24          // ALFID: 2-byte size, 4-byte address
              20 00 00 00 // memoryAddress
              01 00       // memorySize`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'block length',
      object: { maxNumberOfBlockLength: 0x102, lengthFormatIdentifier: 0x20 },
      bytes: `75    // SID + 0x40
              20    // LFI: 2 bytes follow
              01 02 // maxNumberOfBlockLength`,
    },
  ]);

  requestErrorTable(codec, [
    { name: 'length does not match ALFID', bytes: '35 00 24 20 00 00 00 01', nrc: 0x13 },
    { name: 'ALFID nibble 0', bytes: '35 00 20 01 00', nrc: 0x13 },
    { name: 'download SID', bytes: '34 00 11 00 01', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'download response SID', bytes: '74 20 01 02' },
    { name: 'LFI reserved nibble set', bytes: '75 2F 01 02' },
  ]);
});
