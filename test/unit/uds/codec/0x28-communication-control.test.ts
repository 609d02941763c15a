import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../../../src/core/errors.js';
import {
  communicationControl as codec,
  CommunicationControlType,
  CommunicationType,
} from '../../../../src/uds/codec/0x28-communication-control.js';
import { requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('CommunicationControl (0x28)', () => {
  requestTable(codec, [
    {
      name: 'disable rx and tx of normal messages',
      object: {
        controlType: CommunicationControlType.disableRxAndTx,
        communicationType: CommunicationType.normalCommunicationMessages,
        suppressPositiveResponse: false,
      },
      bytes: `28 // SID
              03 // disableRxAndTx
              01 // normalCommunicationMessages`,
    },
    {
      name: 'enable rx and tx with SPRMIB',
      object: { controlType: 0x00, communicationType: 0x03, suppressPositiveResponse: true },
      bytes: `28 // SID
              80 // SPRMIB | enableRxAndTx
              03 // normal + network management`,
    },
    {
      name: 'enhanced address information with node id',
      object: { controlType: 0x05, communicationType: 0x01, nodeIdentificationNumber: 0x0a0b, suppressPositiveResponse: false },
      bytes: `28    // SID
              05    // enableRxAndTxWithEnhancedAddressInformation
              01    // normalCommunicationMessages
              0A 0B // nodeIdentificationNumber`,
    },
  ]);

  responseTable(codec, [
    {
      name: 'echo',
      object: { controlType: 0x03 },
      bytes: `68 // SID + 0x40
              03 // disableRxAndTx`,
    },
  ]);

  it('checks nodeIdentificationNumber against the control type on encode', () => {
    expect(() => codec.encodeRequest({ controlType: 0x04, communicationType: 1 })).toThrow(InvalidArgumentError);
    expect(() => codec.encodeRequest({ controlType: 0x01, communicationType: 1, nodeIdentificationNumber: 1 })).toThrow(
      InvalidArgumentError,
    );
  });

  requestErrorTable(codec, [
    { name: 'no communicationType', bytes: '28 03', nrc: 0x13 },
    { name: 'extra byte', bytes: '28 03 01 00', nrc: 0x13 },
    { name: '04 without node id', bytes: '28 04 01', nrc: 0x13 },
    { name: '05 with half a node id', bytes: '28 05 01 0A', nrc: 0x13 },
    { name: '85 (SPRMIB) without node id', bytes: '28 85 01', nrc: 0x13 },
    { name: '04 with an extra byte', bytes: '28 04 01 0A 0B 0C', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no sub-function', bytes: '68' },
    { name: 'extra byte', bytes: '68 03 01' },
    { name: 'negative response', bytes: '7F 28 12' },
  ]);
});
