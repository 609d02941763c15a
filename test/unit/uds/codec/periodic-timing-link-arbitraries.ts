/** fast-check generators of valid 0x2A, 0x83 and 0x87 requests, in their decoded (fully filled) form. */
import fc from 'fast-check';

const u8 = fc.integer({ min: 0, max: 0xff });
const sf = fc.integer({ min: 0, max: 0x7f });
const record = (minLength: number, maxLength = 16) => fc.uint8Array({ minLength, maxLength });

/** 0x2A: modes 01-03 with pDIDs, any other mode with or without pDIDs. */
export const periodicRequest = fc.oneof(
  fc.record({ transmissionMode: fc.integer({ min: 1, max: 3 }), periodicDataIdentifiers: fc.array(u8, { minLength: 1, maxLength: 8 }) }),
  fc.record({
    transmissionMode: u8.filter((m) => m < 1 || m > 3),
    periodicDataIdentifiers: fc.array(u8, { maxLength: 8 }),
  }),
);

/** 0x83: a record with 04 only; reserved types with any bytes. */
export const accessTimingRequest = fc
  .record({ timingParameterAccessType: sf, suppressPositiveResponse: fc.boolean(), any: record(0), some: record(1) })
  .map(({ any, some, ...r }) => {
    const t = r.timingParameterAccessType;
    const timingParameterRequestRecord = t === 4 ? some : t >= 1 && t <= 3 ? new Uint8Array(0) : any;
    return { ...r, timingParameterRequestRecord };
  });

/** 0x87: 01 with a mode byte, 02 with a 24-bit baud rate, 03 bare, other types with a record. */
export const linkControlRequest = fc
  .record({
    linkControlType: sf,
    suppressPositiveResponse: fc.boolean(),
    mode: u8,
    baud: fc.integer({ min: 0, max: 0xffffff }),
    rec: record(0),
  })
  .map(({ mode, baud, rec, ...r }) => {
    if (r.linkControlType === 1) return { ...r, linkControlModeIdentifier: mode };
    if (r.linkControlType === 2) return { ...r, linkBaudrate: baud };
    if (r.linkControlType === 3) return r;
    return { ...r, record: rec };
  });
