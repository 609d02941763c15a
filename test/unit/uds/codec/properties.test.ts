/** Property tests for every codec of SERVICE_CODECS (fast-check). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../../src/core/errors.js';
import { toHex } from '../../../../src/core/hex.js';
import { hasNodeIdentificationNumber } from '../../../../src/uds/codec/0x28-communication-control.js';
import { RequestFormatError, SERVICE_CODECS, type AnyServiceCodec } from '../../../../src/uds/codec/index.js';
import { clearDtcRequest, readDtcRequest, responseOnEventRequest } from './dtc-arbitraries.js';
import { dynamicDefineRequest, ioControlRequest, readMemoryRequest, readScalingRequest, writeMemoryRequest } from './data-memory-arbitraries.js';
import { fileTransferRequest } from './file-transfer-arbitrary.js';
import { accessTimingRequest, linkControlRequest, periodicRequest } from './periodic-timing-link-arbitraries.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const sf = fc.integer({ min: 0, max: 0x7f });
const bytes = (minLength = 0) => fc.uint8Array({ minLength, maxLength: 24 });

const transferRequest = fc
  .record({ addressLength: fc.integer({ min: 1, max: 4 }), sizeLength: fc.integer({ min: 1, max: 4 }), dataFormatIdentifier: u8 })
  .chain((h) =>
    fc.record({
      dataFormatIdentifier: fc.constant(h.dataFormatIdentifier),
      memoryAddress: fc.integer({ min: 0, max: 2 ** (8 * h.addressLength) - 1 }),
      memorySize: fc.integer({ min: 0, max: 2 ** (8 * h.sizeLength) - 1 }),
      addressLength: fc.constant(h.addressLength),
      sizeLength: fc.constant(h.sizeLength),
    }),
  );

/** A generator of valid request objects per SID, in their decoded (fully filled) form. */
const VALID_REQUESTS: ReadonlyMap<number, fc.Arbitrary<unknown>> = new Map<number, fc.Arbitrary<unknown>>([
  [0x10, fc.record({ sessionType: sf, suppressPositiveResponse: fc.boolean() })],
  [0x11, fc.record({ resetType: sf, suppressPositiveResponse: fc.boolean() })],
  [0x14, clearDtcRequest],
  [0x19, readDtcRequest],
  [0x22, fc.record({ dids: fc.array(u16, { minLength: 1, maxLength: 10 }) })],
  [0x23, readMemoryRequest],
  [0x24, readScalingRequest],
  [0x27, fc.record({ subFunction: sf, data: bytes(), suppressPositiveResponse: fc.boolean() })],
  [
    0x28,
    fc.record({ controlType: sf, communicationType: u8, nodeId: u16, suppressPositiveResponse: fc.boolean() }).map(({ nodeId, ...r }) =>
      hasNodeIdentificationNumber(r.controlType) ? { ...r, nodeIdentificationNumber: nodeId } : r,
    ),
  ],
  [0x2a, periodicRequest],
  [0x2c, dynamicDefineRequest],
  [0x2e, fc.record({ did: u16, data: bytes(1) })],
  [0x2f, ioControlRequest],
  [0x31, fc.record({ routineControlType: sf, routineId: u16, optionRecord: bytes(), suppressPositiveResponse: fc.boolean() })],
  [0x34, transferRequest],
  [0x35, transferRequest],
  [0x36, fc.record({ blockSequenceCounter: u8, data: bytes() })],
  [0x37, fc.record({ record: bytes() })],
  [0x38, fileTransferRequest],
  [0x3d, writeMemoryRequest],
  [0x3e, fc.record({ subFunction: sf, suppressPositiveResponse: fc.boolean() })],
  [0x83, accessTimingRequest],
  [0x85, fc.record({ settingType: sf, record: bytes(), suppressPositiveResponse: fc.boolean() })],
  [0x86, responseOnEventRequest],
  [0x87, linkControlRequest],
]);

/** Random bytes, half of them starting with `first` so the decoder gets past the SID check. */
function messages(first: number): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 32 }),
    fc.uint8Array({ maxLength: 16 }).map((b) => Uint8Array.from([first, ...b])),
  );
}

function outcome(f: () => unknown): unknown {
  try {
    f();
    return 'ok';
  } catch (e) {
    return e;
  }
}

const codecs: [string, AnyServiceCodec][] = [...SERVICE_CODECS.values()].map((c) => [`0x${c.sid.toString(16)} ${c.name}`, c]);

describe('SERVICE_CODECS', () => {
  it('is keyed by request SID and has a valid-request generator for every codec', () => {
    for (const [sid, codec] of SERVICE_CODECS) {
      expect(codec.sid).toBe(sid);
      expect(VALID_REQUESTS.has(sid)).toBe(true);
    }
    expect([...SERVICE_CODECS.keys()].sort((a, b) => a - b)).toEqual([
      0x10, 0x11, 0x14, 0x19, 0x22, 0x23, 0x24, 0x27, 0x28, 0x2a, 0x2c, 0x2e, 0x2f, 0x31, 0x34, 0x35, 0x36, 0x37, 0x38, 0x3d, 0x3e, 0x83, 0x85, 0x86, 0x87,
    ]);
  });
});

describe.each(codecs)('%s properties', (_name, codec) => {
  const valid = VALID_REQUESTS.get(codec.sid) ?? fc.constant(undefined);

  it('decodeRequest returns or throws RequestFormatError, nothing else', () => {
    fc.assert(
      fc.property(messages(codec.sid), (msg) => {
        const r = outcome(() => codec.decodeRequest(msg));
        if (r !== 'ok') expect(r).toBeInstanceOf(RequestFormatError);
      }),
      { numRuns: 1000 },
    );
  });

  it('decodeResponse returns or throws DecodeError, nothing else', () => {
    fc.assert(
      fc.property(messages(codec.sid + 0x40), fc.option(fc.array(u16, { maxLength: 4 })), (msg, dids) => {
        const ctx = dids === null ? undefined : { dids, didLength: (did: number) => (did % 3 === 0 ? did % 5 : undefined) };
        const r = outcome(() => codec.decodeResponse(msg, ctx));
        if (r !== 'ok') expect(r).toBeInstanceOf(DecodeError);
      }),
      { numRuns: 1000 },
    );
  });

  it('requests shorter than minRequestLength are rejected', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: codec.minRequestLength - 1 }), (b) => {
        const msg = b.length > 0 ? Uint8Array.from([codec.sid, ...b.subarray(1)]) : b;
        expect(() => codec.decodeRequest(msg)).toThrow(RequestFormatError);
      }),
    );
  });

  it('decode(encode(request)) gives the request back and encode(decode(x)) gives x back', () => {
    fc.assert(
      fc.property(valid, (req) => {
        const wire = codec.encodeRequest(req);
        expect(wire.length).toBeGreaterThanOrEqual(codec.minRequestLength);
        const decoded = codec.decodeRequest(wire);
        expect(decoded).toEqual(req);
        expect(toHex(codec.encodeRequest(decoded))).toBe(toHex(wire));
      }),
      { numRuns: 500 },
    );
  });

  it('every request it accepts re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(messages(codec.sid), (msg) => {
        let decoded: unknown;
        try {
          decoded = codec.decodeRequest(msg);
        } catch {
          return;
        }
        expect(toHex(codec.encodeRequest(decoded))).toBe(toHex(msg));
      }),
      { numRuns: 1000 },
    );
  });

  it('every positive response it accepts re-encodes to the same bytes (sub-function echo without bit 7)', () => {
    fc.assert(
      fc.property(messages(codec.sid + 0x40), (msg) => {
        if (codec.hasSubFunction && (msg[1] ?? 0) >= 0x80) return;
        let decoded: unknown;
        try {
          decoded = codec.decodeResponse(msg);
        } catch {
          return;
        }
        expect(toHex(codec.encodeResponse(decoded))).toBe(toHex(msg));
      }),
      { numRuns: 1000 },
    );
  });
});
