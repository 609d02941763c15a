import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/core/errors.js';
import { ANY_VERSION_PAYLOAD_TYPES, decodeHeader } from '../../../src/doip/header.js';
import { checkDatagram, decodeMessage, decodePayload, encodeMessage, encodePayload, payloadTypeOf } from '../../../src/doip/message.js';
import { PAYLOAD_TYPE_TABLE } from '../../../src/doip/payload-types.js';
import { arbMessage } from './arbitraries.js';

const TYPES = PAYLOAD_TYPE_TABLE.map((i) => i.type);
const onlyDecodeError = (fn: () => unknown): void => {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DecodeError)) throw e;
  }
};

describe('DoIP decoders: properties', () => {
  it('every payload decoder: random bytes decode or throw DecodeError, and what decodes re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.uint8Array({ maxLength: 48 }), (type, payload) => {
        let decoded;
        try {
          decoded = decodePayload(type, payload);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          return;
        }
        expect(encodePayload(decoded)).toEqual(payload);
      }),
      { numRuns: 3000 },
    );
  });

  it('payloads of the exact valid lengths always decode (random content)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PAYLOAD_TYPE_TABLE), fc.integer({ min: 0, max: 40 }), fc.uint8Array({ minLength: 40, maxLength: 40 }), (info, len, pool) => {
        const valid = 'exact' in info.length ? info.length.exact.includes(len) : len >= info.length.min;
        if (!valid) return;
        expect(() => decodePayload(info.type, pool.subarray(0, len))).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('decodeMessage / decodeHeader on random bytes throw only DecodeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        onlyDecodeError(() => decodeMessage(bytes));
        onlyDecodeError(() => decodeHeader(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('decodeMessage on random payloads behind a valid header throws only DecodeError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES, 0x1234, 0xffff), fc.uint8Array({ maxLength: 48 }), (type, payload) => {
        const frame = new Uint8Array(8 + payload.length);
        frame.set([0x02, 0xfd, type >> 8, type & 0xff, 0, 0, payload.length >> 8, payload.length & 0xff]);
        frame.set(payload, 8);
        onlyDecodeError(() => decodeMessage(frame));
      }),
      { numRuns: 3000 },
    );
  });

  it('checkDatagram never throws and only reports generic NACK codes 00, 01, 02, 04', () => {
    const rules = { protocolVersion: 2, supportedPayloadTypes: new Set(TYPES), maxDataSize: 32, anyVersionPayloadTypes: ANY_VERSION_PAYLOAD_TYPES };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, fixPattern) => {
        const b = Uint8Array.from(bytes);
        if (fixPattern && b.length >= 2) {
          b[0] = 2;
          b[1] = 0xfd;
        }
        const r = checkDatagram(b, rules);
        if (!r.ok && r.problem) expect([0, 1, 2, 4]).toContain(r.problem.code);
      }),
      { numRuns: 3000 },
    );
  });

  it('every valid message round-trips through a whole frame', () => {
    fc.assert(
      fc.property(arbMessage, fc.constantFrom(1, 2, 3, 4), (m, version) => {
        const frame = encodeMessage(m, version);
        const { header, message } = decodeMessage(frame);
        expect(header.version).toBe(version);
        expect(header.payloadType).toBe(payloadTypeOf(m));
        expect(encodeMessage(message, version)).toEqual(frame);
      }),
      { numRuns: 2000 },
    );
  });
});
