/**
 * Errors of the UDS client. A negative response is data ({@link NegativeResponseError} with the SID,
 * the NRC and what to do); a response that does not fit the request is an {@link InvalidResponseError}.
 * Timeouts use the core `TimeoutError` (code `UDSKIT_TIMEOUT`) and link failures pass through unchanged.
 */
import { UdskitError } from '../../core/errors.js';
import { hexByte, hexNum, toHex } from '../../core/hex.js';
import { nrcInfo } from '../codec/nrc.js';
import { serviceName as nameOfService } from '../codec/sid.js';

/** `ReadDataByIdentifier (0x22)`. */
export function describeService(sid: number): string {
  return `${nameOfService(sid)} (0x${hexByte(sid)})`;
}

/** `ECU 0x1010`. */
export function describeEcu(address: number): string {
  return `ECU ${hexNum(address)}`;
}

/**
 * What an NRC means for a given service, where that is more precise than the generic meaning of
 * ISO 14229-1:2020 table A.1 (e.g. 0x31 to 0x22 means the DID is not supported). Keyed `sid << 8 | nrc`.
 */
const SERVICE_MEANINGS: ReadonlyMap<number, string> = new Map([
  [0x2231, 'the DID is not supported (or not readable in this session)'],
  [0x2e31, 'the DID is not writable or the data is outside its allowed values'],
  [0x2e13, 'the data length does not match the DID'],
  [0x2431, 'the scaling DID is not supported'],
  [0x3131, 'the routine identifier or its option record is not supported'],
  [0x3124, 'the routine was not started before stop/results were requested'],
  [0x3431, 'the address range, size or data format identifier is not accepted'],
  [0x3531, 'the address range, size or data format identifier is not accepted'],
  [0x3631, 'the block is longer than allowed, or more data than announced was sent (or, on upload, the range is complete)'],
  [0x3624, 'no download/upload is active'],
  [0x3724, 'no transfer is active, or fewer bytes than announced were transferred'],
  [0x2735, 'the key does not match the seed'],
  [0x2724, 'sendKey was not preceded by requestSeed of the same level'],
  [0x1022, 'the ECU refuses the session change in its current state (e.g. programming preconditions fail)'],
]);

/** The arguments of {@link NegativeResponseError}. */
export interface NegativeResponseInit {
  /** SID of the refused request. */
  sid: number;
  /** The negative response code. */
  nrc: number;
  /** Logical address of the ECU that answered. */
  source: number;
}

/** The ECU answered `7F SID NRC` (ISO 14229-1:2020 8.3) with an NRC other than 0x78. */
export class NegativeResponseError extends UdskitError {
  /** SID of the request that was refused. */
  readonly sid: number;
  /** ISO name of that service, e.g. `ReadDataByIdentifier`. */
  readonly serviceName: string;
  /** The negative response code. */
  readonly nrc: number;
  /** ISO name of the NRC, e.g. `requestOutOfRange`. */
  readonly nrcName: string;
  /** What the NRC means (for this service when known). */
  readonly meaning: string;
  /** What the user can do about it. */
  readonly hint: string;
  /** Logical address of the ECU that answered. */
  readonly source: number;

  constructor(init: NegativeResponseInit) {
    const info = nrcInfo(init.nrc);
    const meaning = SERVICE_MEANINGS.get((init.sid << 8) | init.nrc) ?? info.meaning;
    super(
      `${describeService(init.sid)} refused by ${describeEcu(init.source)}: ${info.name} (0x${hexByte(init.nrc)}) — ` +
        `${meaning}; ${info.hint}`,
      'UDSKIT_NRC',
      {
        sid: init.sid,
        service: nameOfService(init.sid),
        nrc: init.nrc,
        nrcName: info.name,
        source: init.source,
      },
    );
    this.sid = init.sid;
    this.serviceName = nameOfService(init.sid);
    this.nrc = init.nrc;
    this.nrcName = info.name;
    this.meaning = meaning;
    this.hint = info.hint;
    this.source = init.source;
  }
}

/** The arguments of {@link InvalidResponseError}. */
export interface InvalidResponseInit {
  /** SID of the request. */
  sid: number;
  /** Logical address of the ECU that answered. */
  source: number;
  /** The response bytes. */
  response: Uint8Array;
  /** What is wrong, e.g. `sub-function echo 0x03, expected 0x02`. */
  reason: string;
}

/**
 * A response that does not answer the request: another SID, a malformed negative response, bytes the
 * service codec cannot decode, or a wrong echo (sub-function, DID, RID, block counter).
 */
export class InvalidResponseError extends UdskitError {
  /** SID of the request. */
  readonly sid: number;
  /** ISO name of that service. */
  readonly serviceName: string;
  /** Logical address of the ECU that answered. */
  readonly source: number;
  /** The response bytes as received. */
  readonly response: Uint8Array;
  /** What is wrong with it. */
  readonly reason: string;

  constructor(init: InvalidResponseInit) {
    super(
      `${describeService(init.sid)}: invalid response from ${describeEcu(init.source)}: ${init.reason}` +
        (init.response.length > 0 ? ` (response ${toHex(init.response.subarray(0, 32))}${init.response.length > 32 ? ' ...' : ''})` : '') +
        '; check that the ECU address is right and that no other tester talks to this ECU',
      'UDSKIT_INVALID_RESPONSE',
      { sid: init.sid, service: nameOfService(init.sid), source: init.source, reason: init.reason, response: toHex(init.response) },
    );
    this.sid = init.sid;
    this.serviceName = nameOfService(init.sid);
    this.source = init.source;
    this.response = init.response;
    this.reason = init.reason;
  }
}
