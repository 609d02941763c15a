/**
 * ReadDataByPeriodicIdentifier (0x2A), ISO 14229-1:2020 11.5.
 *
 * Request `2A transmissionMode pDID [pDID ...]` (pDIDs optional with stopSending), positive response
 * `6A` (the service identifier only). The data itself then arrives as periodic data messages: see
 * `periodic-data-message.ts`.
 *
 * A periodicDataIdentifier is the low byte of a DID of the range 0xF200-0xF2FF reserved for this
 * service (ISO 14229-1:2020 11.5.1, annex C.1: pDID 0xE3 is DID 0xF2E3).
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** transmissionMode values of ISO 14229-1:2020 11.5.2 (annex C.10 in the 2013 edition). */
export const TransmissionMode = {
  sendAtSlowRate: 0x01,
  sendAtMediumRate: 0x02,
  sendAtFastRate: 0x03,
  stopSending: 0x04,
} as const;

/** First DID of the range whose low byte is a periodicDataIdentifier (ISO 14229-1:2020 annex C.1). */
export const PERIODIC_DID_BASE = 0xf200;

/** The DID a periodicDataIdentifier stands for: `0xF200 | pDid`. */
export function periodicDidToDid(pDid: number): number {
  return PERIODIC_DID_BASE | (pDid & 0xff);
}

/** True for a DID of the periodic range 0xF200-0xF2FF. */
export function isPeriodicDid(did: number): boolean {
  return did >= PERIODIC_DID_BASE && did <= (PERIODIC_DID_BASE | 0xff);
}

/** A decoded 0x2A request. */
export interface ReadDataByPeriodicIdentifierRequest {
  /** transmissionMode byte (01 slow, 02 medium, 03 fast, 04 stop; others are reserved). */
  transmissionMode: number;
  /** The pDIDs in request order (duplicates kept as sent); empty only with stopSending (= stop all). */
  periodicDataIdentifiers: number[];
}

/** The positive response `6A` carries no parameter. */
export type ReadDataByPeriodicIdentifierResponse = Record<never, never>;

const NAME = 'ReadDataByPeriodicIdentifier';

/** True for modes 01-03, whose request must name at least one pDID (ISO 14229-1:2020 11.5.2). */
export function transmissionModeNeedsIdentifier(mode: number): boolean {
  return mode >= TransmissionMode.sendAtSlowRate && mode <= TransmissionMode.sendAtFastRate;
}

/** Codec of ReadDataByPeriodicIdentifier (0x2A). There is no sub-function: SPRMIB does not apply. */
export const readDataByPeriodicIdentifier: ServiceCodec<ReadDataByPeriodicIdentifierRequest, ReadDataByPeriodicIdentifierResponse> = {
  sid: SID.ReadDataByPeriodicIdentifier,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 2,

  encodeRequest(req) {
    const ids = req.periodicDataIdentifiers;
    if (transmissionModeNeedsIdentifier(req.transmissionMode) && ids.length === 0) {
      throw new InvalidArgumentError(`${NAME}: transmissionMode ${req.transmissionMode} needs at least one periodicDataIdentifier`, {
        field: 'periodicDataIdentifiers',
      });
    }
    const w = new ByteWriter(2 + ids.length).u8(SID.ReadDataByPeriodicIdentifier).u8(req.transmissionMode);
    for (const id of ids) w.u8(id);
    return w.finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 11.5.2 — SID, transmissionMode, then pDIDs: at least one for modes 01-03
    // (11.5.4: NRC 0x13 for a wrong length). The mode value itself is checked
    // by the server (0x31), after the length.
    return decodeRequestFrame(SID.ReadDataByPeriodicIdentifier, NAME, bytes, (r) => {
      const transmissionMode = r.u8('transmissionMode');
      const periodicDataIdentifiers = [...r.rest()];
      if (transmissionModeNeedsIdentifier(transmissionMode) && periodicDataIdentifiers.length === 0) {
        throw new RequestFormatError(`${NAME} request with transmissionMode ${transmissionMode} needs at least one periodicDataIdentifier (NRC 0x13)`);
      }
      return { transmissionMode, periodicDataIdentifiers };
    });
  },

  encodeResponse() {
    return Uint8Array.of(SID.ReadDataByPeriodicIdentifier + 0x40);
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 11.5.3 — the positive response is the SID alone; `6A pDID data` is a periodic
    // data message (decodePeriodicDataMessage), never the answer to the request.
    return decodeResponseFrame(SID.ReadDataByPeriodicIdentifier, NAME, bytes, () => ({}));
  },
};
