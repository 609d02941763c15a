/** fast-check arbitraries of valid DoIP messages, for property tests. */
import fc from 'fast-check';
import type { DoipMessage } from '../../../src/doip/message.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (min: number, max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: min, maxLength: max });
const vin = fc.array(fc.integer({ min: 0, max: 0xff }), { minLength: 17, maxLength: 17 }).map((a) => String.fromCharCode(...a));

/** Any valid DoIP message, optional fields present or not. */
export const arbMessage: fc.Arbitrary<DoipMessage> = fc.oneof(
  u8.map((code): DoipMessage => ({ kind: 'genericNack', code })),
  fc.constant<DoipMessage>({ kind: 'vehicleIdentificationRequest' }),
  bytes(6, 6).map((eid): DoipMessage => ({ kind: 'vehicleIdentificationRequestWithEid', eid })),
  vin.map((v): DoipMessage => ({ kind: 'vehicleIdentificationRequestWithVin', vin: v })),
  fc
    .record({ vin, logicalAddress: u16, eid: bytes(6, 6), gid: bytes(6, 6), furtherAction: u8, syncStatus: fc.option(u8, { nil: undefined }) })
    .map(({ syncStatus, ...r }): DoipMessage => ({ kind: 'vehicleAnnouncement', ...r, ...(syncStatus === undefined ? {} : { syncStatus }) })),
  fc
    .record({ sourceAddress: u16, activationType: u8, reserved: u32, oem: fc.option(bytes(4, 4), { nil: undefined }) })
    .map(({ oem, ...r }): DoipMessage => ({ kind: 'routingActivationRequest', ...r, ...(oem ? { oem } : {}) })),
  fc
    .record({ testerAddress: u16, entityAddress: u16, code: u8, reserved: u32, oem: fc.option(bytes(4, 4), { nil: undefined }) })
    .map(({ oem, ...r }): DoipMessage => ({ kind: 'routingActivationResponse', ...r, ...(oem ? { oem } : {}) })),
  fc.constant<DoipMessage>({ kind: 'aliveCheckRequest' }),
  u16.map((sourceAddress): DoipMessage => ({ kind: 'aliveCheckResponse', sourceAddress })),
  fc.constant<DoipMessage>({ kind: 'entityStatusRequest' }),
  fc
    .record({ nodeType: u8, maxOpenSockets: u8, openSockets: u8, maxDataSize: fc.option(u32, { nil: undefined }) })
    .map(({ maxDataSize, ...r }): DoipMessage => ({ kind: 'entityStatusResponse', ...r, ...(maxDataSize === undefined ? {} : { maxDataSize }) })),
  fc.constant<DoipMessage>({ kind: 'powerModeRequest' }),
  u8.map((mode): DoipMessage => ({ kind: 'powerModeResponse', mode })),
  fc.record({ sourceAddress: u16, targetAddress: u16, data: bytes(1, 64) }).map((r): DoipMessage => ({ kind: 'diagnosticMessage', ...r })),
  fc.record({ sourceAddress: u16, targetAddress: u16, code: u8, echo: bytes(0, 8) }).map((r): DoipMessage => ({ kind: 'diagnosticMessageAck', ...r })),
  fc.record({ sourceAddress: u16, targetAddress: u16, code: u8, echo: bytes(0, 8) }).map((r): DoipMessage => ({ kind: 'diagnosticMessageNack', ...r })),
);

/** Splits `bytes` at the given cut points (any order, duplicates allowed). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}
