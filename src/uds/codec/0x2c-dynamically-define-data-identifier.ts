/**
 * DynamicallyDefineDataIdentifier (0x2C), ISO 14229-1:2020 11.6.
 *
 * Requests:
 * - `2C 01 DDDID(2) [sourceDID(2) positionInSourceDataRecord(1) memorySize(1)]...` defineByIdentifier
 * - `2C 02 DDDID(2) ALFID [memoryAddress memorySize]...` defineByMemoryAddress (one ALFID for every element)
 * - `2C 03 [DDDID(2)]` clearDynamicallyDefinedDataIdentifier (without a DDDID: clear every one)
 *
 * Positive response `6C SF [DDDID(2)]` (the DDDID when the request had one).
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeAddressAndLength, encodeAddressAndLength } from './address-and-length.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** Sub-function values of 0x2C (ISO 14229-1:2020 11.6.2.2). */
export const DynamicDefinitionType = {
  defineByIdentifier: 0x01,
  defineByMemoryAddress: 0x02,
  clearDynamicallyDefinedDataIdentifier: 0x03,
} as const;

/** One source element of defineByIdentifier: bytes of another DID. */
export interface DidSourceElement {
  /** sourceDataIdentifier. */
  sourceDid: number;
  /** positionInSourceDataRecord: 1-based index of the first byte taken (1..255). */
  position: number;
  /** memorySize: number of bytes taken (1..255; 0 is sent as is and refused by the server). */
  size: number;
}

/** One source element of defineByMemoryAddress: a memory range. */
export interface MemorySourceElement {
  /** Start address. */
  memoryAddress: number;
  /** Number of bytes. */
  memorySize: number;
}

/** Shared by every request form: SPRMIB. */
interface Suppressible {
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x2C request, by sub-function. `other` keeps an unknown sub-function's bytes (the server says 0x12). */
export type DynamicallyDefineDataIdentifierRequest =
  | ({ kind: 'defineByIdentifier'; dddid: number; sources: DidSourceElement[] } & Suppressible)
  | ({ kind: 'defineByMemoryAddress'; dddid: number; addressLength: number; sizeLength: number; sources: MemorySourceElement[] } & Suppressible)
  | ({ kind: 'clear'; dddid?: number } & Suppressible)
  | ({ kind: 'other'; subFunction: number; data: Uint8Array } & Suppressible);

/** A decoded 0x2C positive response. */
export interface DynamicallyDefineDataIdentifierResponse {
  /** Echo of the sub-function (without SPRMIB). */
  subFunction: number;
  /** Echo of the DDDID; absent after a clear of every DDDID. */
  dddid?: number;
}

const NAME = 'DynamicallyDefineDataIdentifier';

function subFunctionOf(req: DynamicallyDefineDataIdentifierRequest): number {
  switch (req.kind) {
    case 'defineByIdentifier':
      return DynamicDefinitionType.defineByIdentifier;
    case 'defineByMemoryAddress':
      return DynamicDefinitionType.defineByMemoryAddress;
    case 'clear':
      return DynamicDefinitionType.clearDynamicallyDefinedDataIdentifier;
    default:
      return req.subFunction;
  }
}

function needSources(n: number): void {
  if (n === 0) throw new InvalidArgumentError(`${NAME}: give at least one source element`, { field: 'sources' });
}

function formatError(message: string): RequestFormatError {
  return new RequestFormatError(`${NAME} request: ${message} (NRC 0x13)`);
}

/** Codec of DynamicallyDefineDataIdentifier (0x2C). */
export const dynamicallyDefineDataIdentifier: ServiceCodec<DynamicallyDefineDataIdentifierRequest, DynamicallyDefineDataIdentifierResponse> = {
  sid: SID.DynamicallyDefineDataIdentifier,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 2,

  encodeRequest(req) {
    const w = new ByteWriter(16).u8(SID.DynamicallyDefineDataIdentifier);
    w.u8(encodeSubFunction(NAME, 'definitionType', subFunctionOf(req), req.suppressPositiveResponse));
    switch (req.kind) {
      case 'defineByIdentifier':
        needSources(req.sources.length);
        w.u16(req.dddid);
        for (const s of req.sources) w.u16(s.sourceDid).u8(s.position).u8(s.size);
        break;
      case 'defineByMemoryAddress': {
        needSources(req.sources.length);
        w.u16(req.dddid);
        const [first, ...rest] = req.sources;
        if (first) w.bytes(encodeAddressAndLength(first.memoryAddress, first.memorySize, req.addressLength, req.sizeLength));
        // Later elements share the ALFID of the first (ISO 14229-1:2020 11.6.2.3): no ALFID byte before them.
        for (const s of rest) w.bytes(encodeAddressAndLength(s.memoryAddress, s.memorySize, req.addressLength, req.sizeLength).subarray(1));
        break;
      }
      case 'clear':
        if (req.dddid !== undefined) w.u16(req.dddid);
        break;
      default:
        w.bytes(req.data);
    }
    return w.finish();
  },

  decodeRequest(bytes) {
    return decodeRequestFrame(SID.DynamicallyDefineDataIdentifier, NAME, bytes, (r): DynamicallyDefineDataIdentifierRequest => {
      const sf = splitSubFunction(r.u8('definitionType'));
      const suppressPositiveResponse = sf.suppressPositiveResponse;
      switch (sf.value) {
        case DynamicDefinitionType.defineByIdentifier: {
          // ISO 14229-1:2020 11.6.2.1 — DDDID + n x 4 bytes, n >= 1; else 0x13.
          if (r.remaining < 6 || (r.remaining - 2) % 4 !== 0) {
            throw formatError(`defineByIdentifier needs a DDDID and 4-byte source elements, got ${r.remaining} byte(s) after the sub-function`);
          }
          const dddid = r.u16('dynamicallyDefinedDataIdentifier');
          const sources: DidSourceElement[] = [];
          while (r.remaining > 0) {
            sources.push({ sourceDid: r.u16('sourceDataIdentifier'), position: r.u8('positionInSourceDataRecord'), size: r.u8('memorySize') });
          }
          return { kind: 'defineByIdentifier', dddid, sources, suppressPositiveResponse };
        }
        case DynamicDefinitionType.defineByMemoryAddress: {
          // ISO 14229-1:2020 11.6.2.1 — DDDID, one ALFID, n x (address, size) of the ALFID's lengths; else 0x13.
          const dddid = r.u16('dynamicallyDefinedDataIdentifier');
          const first = decodeAddressAndLength(r, `${NAME} request`);
          const step = first.addressLength + first.sizeLength;
          if (r.remaining % step !== 0) {
            throw formatError(`defineByMemoryAddress elements are ${step} bytes each, ${r.remaining} byte(s) left over`);
          }
          const sources: MemorySourceElement[] = [{ memoryAddress: first.memoryAddress, memorySize: first.memorySize }];
          while (r.remaining > 0) {
            sources.push({ memoryAddress: r.uint(first.addressLength, 'memoryAddress'), memorySize: r.uint(first.sizeLength, 'memorySize') });
          }
          return {
            kind: 'defineByMemoryAddress',
            dddid,
            addressLength: first.addressLength,
            sizeLength: first.sizeLength,
            sources,
            suppressPositiveResponse,
          };
        }
        case DynamicDefinitionType.clearDynamicallyDefinedDataIdentifier: {
          // ISO 14229-1:2020 11.6.2.1 — the DDDID is optional: nothing (clear all) or 2 bytes; else 0x13.
          if (r.remaining !== 0 && r.remaining !== 2) throw formatError(`clear takes no DDDID or a 2-byte DDDID, got ${r.remaining} byte(s)`);
          return r.remaining === 0
            ? { kind: 'clear', suppressPositiveResponse }
            : { kind: 'clear', dddid: r.u16('dynamicallyDefinedDataIdentifier'), suppressPositiveResponse };
        }
        default:
          return { kind: 'other', subFunction: sf.value, data: r.rest(), suppressPositiveResponse };
      }
    });
  },

  encodeResponse(res) {
    const w = new ByteWriter(4).u8(SID.DynamicallyDefineDataIdentifier + 0x40).u8(encodeSubFunction(NAME, 'definitionType', res.subFunction));
    if (res.dddid !== undefined) w.u16(res.dddid);
    return w.finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 11.6.3 — SID, sub-function echo, and the DDDID when the request had one.
    return decodeResponseFrame(SID.DynamicallyDefineDataIdentifier, NAME, bytes, (r) => {
      const subFunction = r.u8('definitionType') & 0x7f;
      return r.remaining === 0 ? { subFunction } : { subFunction, dddid: r.u16('dynamicallyDefinedDataIdentifier') };
    });
  },
};
