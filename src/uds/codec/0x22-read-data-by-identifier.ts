/**
 * ReadDataByIdentifier (0x22), ISO 14229-1:2020 11.2.
 *
 * Request `22 DID(2) [DID(2) ...]`, positive response `62 DID data [DID data ...]`.
 */
import { ByteWriter, type ByteReader } from '../../core/bytes.js';
import { DecodeError, InvalidArgumentError } from '../../core/errors.js';
import { hexNum } from '../../core/hex.js';
import { decodeRequestFrame, decodeResponseFrame, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x22 request. */
export interface ReadDataByIdentifierRequest {
  /** The DIDs asked for, at least one, each 0..0xFFFF. */
  dids: number[];
}

/** One DID and its data in a 0x22 response. */
export interface DidRecord {
  /** The data identifier. */
  did: number;
  /** The data record. */
  data: Uint8Array;
}

/** A decoded 0x22 positive response. */
export interface ReadDataByIdentifierResponse {
  /** The records, in wire order. */
  records: DidRecord[];
}

/**
 * What `decodeResponse` needs to split a response with several DIDs (the wire format has no lengths).
 * - `didLength(did)`: the data length of a DID when known.
 * - `dids`: the DIDs of the request; a record without a known length ends where the next requested DID
 *   (in request order; the server may leave unsupported ones out) begins.
 * With neither, the response is read as one DID whose data is the rest.
 */
export interface ReadDataByIdentifierContext {
  /** DIDs of the request, in request order. */
  dids?: number[];
  /** Data length of `did` in bytes, or undefined when unknown. */
  didLength?: (did: number) => number | undefined;
}

const NAME = 'ReadDataByIdentifier';

/** Offset in `buf` (from `from`) where the two bytes of `did` start, or -1. */
function findDid(buf: Uint8Array, from: number, did: number): number {
  const hi = did >> 8;
  const lo = did & 0xff;
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === hi && buf[i + 1] === lo) return i;
  return -1;
}

function readRecords(r: ByteReader, bytes: Uint8Array, ctx: ReadDataByIdentifierContext | undefined): DidRecord[] {
  const dids = ctx?.dids;
  const records: DidRecord[] = [];
  let expectedIndex = 0; // position in ctx.dids of the next DID we may see
  // ISO 14229-1:2020 11.2.3 — at least one DID + data record.
  do {
    const did = r.u16('dataIdentifier');
    if (dids && dids.length > 0) {
      const at = dids.indexOf(did, expectedIndex);
      if (at < 0) {
        throw new DecodeError(`${NAME} response contains DID ${hexNum(did)} that was not requested (or is out of order)`, { did });
      }
      expectedIndex = at + 1;
    }
    let len = ctx?.didLength?.(did);
    if (len === undefined && dids && expectedIndex < dids.length) {
      // Split at the next requested DID present in the remaining bytes, in request order.
      const start = r.offset;
      for (let k = expectedIndex; k < dids.length && len === undefined; k++) {
        const pos = findDid(bytes, start, dids[k] as number);
        if (pos >= 0) len = pos - start;
      }
    }
    records.push({ did, data: len === undefined ? r.rest() : r.bytes(len, `data of DID ${hexNum(did)}`) });
  } while (r.remaining > 0);
  return records;
}

/** Codec of ReadDataByIdentifier (0x22). `decodeResponse` takes a {@link ReadDataByIdentifierContext}. */
export const readDataByIdentifier: ServiceCodec<ReadDataByIdentifierRequest, ReadDataByIdentifierResponse, ReadDataByIdentifierContext> = {
  sid: SID.ReadDataByIdentifier,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 3,

  encodeRequest(req) {
    if (req.dids.length === 0) throw new InvalidArgumentError(`${NAME}: dids must hold at least one DID`, { field: 'dids' });
    const w = new ByteWriter(1 + 2 * req.dids.length).u8(SID.ReadDataByIdentifier);
    for (const did of req.dids) w.u16(did);
    return w.finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 11.2.2 — one or more 2-byte DIDs: length 1 + 2n, n >= 1, else 0x13.
    return decodeRequestFrame(SID.ReadDataByIdentifier, NAME, bytes, (r) => {
      if (r.remaining < 2 || r.remaining % 2 !== 0) {
        throw new RequestFormatError(
          `${NAME} request needs one or more 2-byte DIDs after the SID, got ${r.remaining} byte(s) (NRC 0x13)`,
        );
      }
      const dids: number[] = [];
      while (r.remaining > 0) dids.push(r.u16('dataIdentifier'));
      return { dids };
    });
  },

  encodeResponse(res) {
    if (res.records.length === 0) throw new InvalidArgumentError(`${NAME}: records must hold at least one record`, { field: 'records' });
    const w = new ByteWriter().u8(SID.ReadDataByIdentifier + 0x40);
    for (const rec of res.records) w.u16(rec.did).bytes(rec.data);
    return w.finish();
  },

  decodeResponse(bytes, ctx) {
    return decodeResponseFrame(SID.ReadDataByIdentifier, NAME, bytes, (r) => ({ records: readRecords(r, bytes, ctx) }));
  },
};
