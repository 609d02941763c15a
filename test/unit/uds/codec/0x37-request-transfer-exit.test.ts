import { describe } from 'vitest';
import { requestTransferExit as codec } from '../../../../src/uds/codec/0x37-request-transfer-exit.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('RequestTransferExit (0x37)', () => {
  requestTable(codec, [
    { name: 'no record', object: { record: new Uint8Array(0) }, bytes: '37 // SID' },
    {
      name: 'with record',
      object: { record: hex('AA 55') },
      bytes: `37    // SID
              AA 55 // transferRequestParameterRecord`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'CRC32 of the transferred range',
      object: { record: hex('CB F4 39 26') },
      bytes: `77          // SID + 0x40
              CB F4 39 26 // CRC32("123456789")`,
    },
    { name: 'no record', object: { record: new Uint8Array(0) }, bytes: '77' },
  ]);

  requestErrorTable(codec, [
    { name: 'empty', bytes: '', nrc: 0x13 },
    { name: 'wrong SID', bytes: '36', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'request SID', bytes: '37' },
    { name: 'empty', bytes: '' },
    { name: 'negative response', bytes: '7F 37 24' },
  ]);
});
