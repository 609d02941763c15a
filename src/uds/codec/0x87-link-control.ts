/**
 * LinkControl (0x87), ISO 14229-1:2020 10.10 (9.11 in the 2013 edition).
 *
 * Request `87 01 linkControlModeIdentifier` (verifyModeTransitionWithFixedParameter),
 * `87 02 linkRecord(3)` (verifyModeTransitionWithSpecificParameter: the baud rate in bit/s, big endian)
 * or `87 03` (transitionMode); positive response `C7 SF`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** linkControlType values (the sub-function of 0x87), ISO 14229-1:2020 10.10.2. */
export const LinkControlType = {
  verifyModeTransitionWithFixedParameter: 0x01,
  verifyModeTransitionWithSpecificParameter: 0x02,
  transitionMode: 0x03,
} as const;

/** linkControlModeIdentifier values of ISO 14229-1:2020 annex B (table "linkControlModeIdentifier"). */
export const LinkControlModeIdentifier = {
  PC9600Baud: 0x01,
  PC19200Baud: 0x02,
  PC38400Baud: 0x03,
  PC57600Baud: 0x04,
  PC115200Baud: 0x05,
  CAN125000Baud: 0x10,
  CAN250000Baud: 0x11,
  CAN500000Baud: 0x12,
  CAN1000000Baud: 0x13,
  ProgrammingSetup: 0x20,
} as const;

/** The baud rate (bit/s) of each fixed linkControlModeIdentifier with a defined rate (0x20 ProgrammingSetup has none). */
export const FIXED_BAUDRATES: ReadonlyMap<number, number> = new Map([
  [0x01, 9_600],
  [0x02, 19_200],
  [0x03, 38_400],
  [0x04, 57_600],
  [0x05, 115_200],
  [0x10, 125_000],
  [0x11, 250_000],
  [0x12, 500_000],
  [0x13, 1_000_000],
]);

/** A decoded 0x87 request. */
export interface LinkControlRequest {
  /** linkControlType, 0..0x7F (without SPRMIB). */
  linkControlType: number;
  /** With 01: the fixed mode (see {@link LinkControlModeIdentifier}). */
  linkControlModeIdentifier?: number;
  /** With 02: the linkRecord, a baud rate 0..0xFFFFFF bit/s. */
  linkBaudrate?: number;
  /** With any other linkControlType (manufacturer / supplier specific): the bytes after the sub-function. */
  record?: Uint8Array;
  /** SPRMIB: the server sends no positive response (typical for 87 03 sent functionally: `87 83`). */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x87 positive response. */
export interface LinkControlResponse {
  /** Echo of the linkControlType. */
  linkControlType: number;
}

const NAME = 'LinkControl';

function misplaced(field: string, type: number): InvalidArgumentError {
  return new InvalidArgumentError(`${NAME}: ${field} does not go with linkControlType ${type}`, { field });
}

/** Codec of LinkControl (0x87). */
export const linkControl: ServiceCodec<LinkControlRequest, LinkControlResponse> = {
  sid: SID.LinkControl,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    const type = req.linkControlType;
    const w = new ByteWriter(5)
      .u8(SID.LinkControl)
      .u8(encodeSubFunction(NAME, 'linkControlType', type, req.suppressPositiveResponse));
    const fixed = type === LinkControlType.verifyModeTransitionWithFixedParameter;
    const specific = type === LinkControlType.verifyModeTransitionWithSpecificParameter;
    const known = fixed || specific || type === LinkControlType.transitionMode;
    if (!fixed && req.linkControlModeIdentifier !== undefined) throw misplaced('linkControlModeIdentifier', type);
    if (!specific && req.linkBaudrate !== undefined) throw misplaced('linkBaudrate', type);
    if (known && req.record !== undefined) throw misplaced('record', type);
    if (fixed) {
      if (req.linkControlModeIdentifier === undefined) {
        throw new InvalidArgumentError(`${NAME}: linkControlType 1 needs linkControlModeIdentifier`, { field: 'linkControlModeIdentifier' });
      }
      w.u8(req.linkControlModeIdentifier);
    } else if (specific) {
      const baud = req.linkBaudrate;
      if (baud === undefined || !Number.isInteger(baud) || baud < 0 || baud > 0xffffff) {
        throw new InvalidArgumentError(`${NAME}: linkControlType 2 needs linkBaudrate 0..16777215 bit/s (3-byte linkRecord), got ${String(baud)}`, {
          field: 'linkBaudrate',
        });
      }
      w.uint(baud, 3);
    } else if (!known) {
      w.bytes(req.record ?? new Uint8Array(0));
    }
    return w.finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.10.2 — 01 carries one mode byte, 02 a 3-byte linkRecord, 03 nothing; any other
    // length is 0x13 (10.10.4). Other sub-function values keep their bytes for the server to judge.
    return decodeRequestFrame(SID.LinkControl, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('linkControlType'));
      const req: LinkControlRequest = { linkControlType: sf.value, suppressPositiveResponse: sf.suppressPositiveResponse };
      if (sf.value === LinkControlType.verifyModeTransitionWithFixedParameter) {
        req.linkControlModeIdentifier = r.u8('linkControlModeIdentifier');
      } else if (sf.value === LinkControlType.verifyModeTransitionWithSpecificParameter) {
        req.linkBaudrate = r.uint(3, 'linkRecord');
      } else if (sf.value !== LinkControlType.transitionMode) {
        req.record = r.rest();
      }
      return req;
    });
  },

  encodeResponse(res) {
    return Uint8Array.of(SID.LinkControl + 0x40, encodeSubFunction(NAME, 'linkControlType', res.linkControlType));
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 10.10.3 — exactly SID and the linkControlType echo.
    return decodeResponseFrame(SID.LinkControl, NAME, bytes, (r) => ({ linkControlType: r.u8('linkControlType') & 0x7f }));
  },
};
