import { describe } from 'vitest';
import { routineControl as codec, RoutineControlType } from '../../../../src/uds/codec/0x31-routine-control.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('RoutineControl (0x31)', () => {
  requestTable(codec, [
    {
      name: 'start eraseMemory with address and size',
      object: {
        routineControlType: RoutineControlType.startRoutine,
        routineId: 0xff00,
        optionRecord: hex('44 00 01 00 00 00 00 80 00'),
        suppressPositiveResponse: false,
      },
      bytes: `31          // SID
              01          // startRoutine
              FF 00       // eraseMemory
              44          // ALFID: 4-byte size, 4-byte address
              00 01 00 00 // address 0x00010000
              00 00 80 00 // size 0x8000`,
    },
    {
      name: 'request results with SPRMIB, no option record',
      object: { routineControlType: 0x03, routineId: 0x0202, optionRecord: new Uint8Array(0), suppressPositiveResponse: true },
      bytes: `31    // SID
              83    // SPRMIB | requestRoutineResults
              02 02 // checkMemory`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'routine info and status',
      object: { routineControlType: 0x01, routineId: 0xff00, statusRecord: hex('00 01') },
      bytes: `71    // SID + 0x40
              01    // startRoutine
              FF 00 // eraseMemory
              00 01 // routineInfo + status record`,
    },
    {
      name: 'no status record',
      object: { routineControlType: 0x02, routineId: 0x0203, statusRecord: new Uint8Array(0) },
      bytes: '71 02 02 03',
    },
  ]);

  requestErrorTable(codec, [
    { name: 'no sub-function', bytes: '31', nrc: 0x13 },
    { name: 'no RID', bytes: '31 01', nrc: 0x13 },
    { name: 'half a RID', bytes: '31 01 FF', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'half a RID', bytes: '71 01 FF' },
    { name: 'only SID', bytes: '71' },
    { name: 'negative response', bytes: '7F 31 24' },
  ]);
});
