import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  inputOutputControlByIdentifier as codec,
  splitControlOptionRecord,
} from '../../../../src/uds/codec/0x2f-input-output-control-by-identifier.js';
import { RequestFormatError } from '../../../../src/uds/codec/service-codec.js';
import { hex, requestErrorTable, requestTable, responseErrorTable, responseTable } from './table.js';

describe('InputOutputControlByIdentifier (0x2F)', () => {
  requestTable(codec, [
    {
      name: 'shortTermAdjustment (state and mask decoded together without context)',
      object: { did: 0x9b00, inputOutputControlParameter: 0x03, controlState: hex('3C 80'), controlEnableMask: new Uint8Array(0) },
      bytes: `2F    // SID
              9B 00 // DID
              03    // shortTermAdjustment
              3C 80 // controlState (+ mask, when the DID has one)`,
    },
    {
      name: 'returnControlToECU',
      object: { did: 0x9b00, inputOutputControlParameter: 0x00, controlState: new Uint8Array(0), controlEnableMask: new Uint8Array(0) },
      bytes: '2F 9B 00 00',
    },
  ]);

  responseTable(codec, [
    {
      name: 'controlStatusRecord',
      object: { did: 0x9b00, inputOutputControlParameter: 0x03, controlState: hex('3C') },
      bytes: `6F    // SID + 0x40
              9B 00 // DID
              03    // parameter echo
              3C    // controlState now`,
    },
  ]);

  requestErrorTable(codec, [
    { name: 'no parameter', bytes: '2F 9B 00', nrc: 0x13 },
    { name: 'half a DID', bytes: '2F 9B', nrc: 0x13 },
  ]);

  responseErrorTable(codec, [
    { name: 'no parameter echo', bytes: '6F 9B 00' },
    { name: 'negative response', bytes: '7F 2F 31' },
  ]);

  it('splits state and mask with the DID context', () => {
    const req = codec.decodeRequest(hex('2F 9B 00 03 3C 80 C0'));
    expect(splitControlOptionRecord(req, { stateLength: 2, maskLength: 1 })).toEqual({
      did: 0x9b00,
      inputOutputControlParameter: 3,
      controlState: hex('3C 80'),
      controlEnableMask: hex('C0'),
    });
    expect(splitControlOptionRecord(codec.decodeRequest(hex('2F 9B 00 00 80')), { stateLength: 0, maskLength: 1 }).controlEnableMask).toEqual(
      hex('80'),
    );
  });

  it('the split rejects a wrong length with 0x13', () => {
    const req = codec.decodeRequest(hex('2F 9B 00 03 3C'));
    let caught: unknown;
    try {
      splitControlOptionRecord(req, { stateLength: 2, maskLength: 0 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RequestFormatError);
    expect((caught as RequestFormatError).nrc).toBe(0x13);
  });

  it('property: the split of any request returns the exact lengths or throws RequestFormatError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.nat(6), fc.nat(3), (rest, stateLength, maskLength) => {
        const req = codec.decodeRequest(Uint8Array.from([0x2f, 0x9b, 0x00, 0x03, ...rest]));
        try {
          const out = splitControlOptionRecord(req, { stateLength, maskLength });
          expect(out.controlState.length).toBe(stateLength);
          expect(out.controlEnableMask.length).toBe(maskLength);
          expect(codec.encodeRequest(out)).toEqual(codec.encodeRequest(req));
        } catch (e) {
          expect(e).toBeInstanceOf(RequestFormatError);
          expect(rest.length).not.toBe(stateLength + maskLength);
        }
      }),
      { numRuns: 500 },
    );
  });
});
