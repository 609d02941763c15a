/** fast-check generators of valid 0x14, 0x19 and 0x86 requests, in their decoded (fully filled) form. */
import fc from 'fast-check';

const u8 = fc.integer({ min: 0, max: 0xff });
const dtc = fc.integer({ min: 0, max: 0xffffff });
const spr = fc.boolean();
const service = fc.uint8Array({ minLength: 1, maxLength: 8 });

/** ClearDiagnosticInformation: groupOfDTC with or without MemorySelection. */
export const clearDtcRequest = fc.oneof(fc.record({ groupOfDtc: dtc }), fc.record({ groupOfDtc: dtc, memorySelection: u8 }));

const KNOWN_19 = new Set([0x01, 0x02, 0x03, 0x04, 0x06, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e]);

/** ReadDTCInformation: every typed sub-function, and raw parameters for the others. */
export const readDtcRequest = fc.oneof(
  fc.record({ subFunction: fc.constantFrom(0x01, 0x02), statusMask: u8, suppressPositiveResponse: spr }),
  fc.record({ subFunction: fc.constantFrom(0x03, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e), suppressPositiveResponse: spr }),
  fc.record({ subFunction: fc.constantFrom(0x04, 0x06), dtc, recordNumber: u8, suppressPositiveResponse: spr }),
  fc.record({
    subFunction: fc.integer({ min: 0, max: 0x7f }).filter((n) => !KNOWN_19.has(n)),
    parameters: fc.uint8Array({ maxLength: 8 }),
    suppressPositiveResponse: spr,
  }),
);

/** ResponseOnEvent: control events, 01, 03, and raw records for the other events. */
export const responseOnEventRequest = fc.oneof(
  fc.record({ event: fc.constantFrom(0x00, 0x04, 0x05, 0x06), storeEvent: spr, eventWindowTime: u8, suppressPositiveResponse: spr }),
  fc.record({ event: fc.constant(0x01), storeEvent: spr, eventWindowTime: u8, dtcStatusMask: u8, serviceToRespondTo: service, suppressPositiveResponse: spr }),
  fc.record({
    event: fc.constant(0x03),
    storeEvent: spr,
    eventWindowTime: u8,
    dataIdentifier: fc.integer({ min: 0, max: 0xffff }),
    serviceToRespondTo: service,
    suppressPositiveResponse: spr,
  }),
  fc.record({
    event: fc.integer({ min: 0, max: 0x3f }).filter((n) => ![0x00, 0x01, 0x03, 0x04, 0x05, 0x06].includes(n)),
    storeEvent: spr,
    eventWindowTime: u8,
    record: fc.uint8Array({ maxLength: 12 }),
    suppressPositiveResponse: spr,
  }),
);
