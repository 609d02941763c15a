/**
 * Lengths the ResponseOnEvent (0x86) wire format does not carry, for splitting a reportActivatedEvents
 * response (ISO 14229-1:2020 10.9.3): the eventTypeRecord length of each event, and the length of a
 * serviceToRespondToRecord deduced from its SID and sub-function (the request formats of ISO
 * 14229-1:2020 11.2.2 for 0x22 and 12.3.2 for 0x19, the services of table 137 "recommended services").
 */

/** eventTypeRecord length per event (ISO 14229-1:2020 10.9.2): 01 DTCStatusMask, 03 DID, 07 comparison, 08 reportType. */
export const ROE_EVENT_RECORD_LENGTH: ReadonlyMap<number, number> = new Map([
  [0x01, 1],
  [0x03, 2],
  [0x07, 10],
  [0x08, 1],
]);

/** Request length (SID included) of the 0x19 reportTypes with a fixed request format, ISO 14229-1:2020 12.3.2. */
const READ_DTC_REQUEST_LENGTH: ReadonlyMap<number, number> = new Map([
  [0x01, 3], // DTCStatusMask
  [0x02, 3], // DTCStatusMask
  [0x03, 2],
  [0x04, 6], // DTCMaskRecord + DTCSnapshotRecordNumber
  [0x05, 3], // DTCSnapshotRecordNumber
  [0x06, 6], // DTCMaskRecord + DTCExtDataRecordNumber
  [0x07, 4], // DTCSeverityMaskRecord (severity + status mask)
  [0x08, 4],
  [0x09, 5], // DTCMaskRecord
  [0x0a, 2],
  [0x0b, 2],
  [0x0c, 2],
  [0x0d, 2],
  [0x0e, 2],
  [0x0f, 3],
  [0x10, 6],
  [0x11, 3],
  [0x12, 3],
  [0x13, 3],
  [0x14, 2],
  [0x15, 2],
]);

/**
 * Length of the serviceToRespondToRecord at the start of `bytes`: `22 DID` (3 bytes) or a 0x19 request
 * of a fixed-format reportType; undefined when it cannot be told (another service or reportType).
 */
export function roeServiceLength(bytes: Uint8Array): number | undefined {
  const sid = bytes[0];
  if (sid === 0x22) return 3;
  if (sid === 0x19 && bytes.length >= 2) return READ_DTC_REQUEST_LENGTH.get((bytes[1] as number) & 0x7f);
  return undefined;
}
