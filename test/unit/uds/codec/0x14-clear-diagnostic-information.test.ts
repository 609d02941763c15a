import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import { clearDiagnosticInformation as codec } from '../../../../src/uds/codec/0x14-clear-diagnostic-information.js';
import { requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('ClearDiagnosticInformation (0x14)', () => {
  requestTable(codec, [
    {
      name: 'all groups',
      object: { groupOfDtc: 0xffffff },
      bytes: `14       // SID
              FF FF FF // groupOfDTC: all groups`,
    },
    {
      name: 'one DTC with MemorySelection',
      object: { groupOfDtc: 0x056216, memorySelection: 0x01 },
      bytes: `14       // SID
              05 62 16 // P0562-16
              01       // MemorySelection`,
    },
  ]);

  responseTable(codec, [{ name: 'positive response', object: {}, bytes: '54 // SID + 0x40' }]);

  it('refuses a group that does not fit 3 bytes', () => {
    expect(() => codec.encodeRequest({ groupOfDtc: 0x1000000 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ groupOfDtc: -1 })).toThrow(InvalidArgumentError);
  });

  requestErrorTable(codec, [
    { name: 'no group', bytes: '14', nrc: 0x13 },
    { name: 'group of 2 bytes', bytes: '14 FF FF', nrc: 0x13 },
    { name: 'one byte too many', bytes: '14 FF FF FF 01 02', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'extra byte', bytes: '54 00' },
    { name: 'request SID', bytes: '14' },
    { name: 'negative response', bytes: '7F 14 31' },
  ]);
});
