/**
 * Human-readable decoding of any UDS message, for the CLI and traces. Never throws.
 */
import { toHex } from '../../core/hex.js';
import { decodeNegativeResponse } from './negative-response.js';
import { nrcInfo } from './nrc.js';
import { decodePeriodicDataMessage, isPeriodicDataMessage } from './periodic-data-message.js';
import type { ServiceCodec } from './service-codec.js';
import { NEGATIVE_RESPONSE_SID, POSITIVE_RESPONSE_OFFSET, serviceName } from './sid.js';

/** What {@link describeMessage} returns. */
export interface MessageDescription {
  /** Service name, e.g. `ReadDataByIdentifier` (or `service 0xNN` when unknown). */
  service: string;
  /** Request, positive response or negative response. */
  kind: 'request' | 'positive' | 'negative';
  /**
   * Decoded fields with byte arrays as hex strings (`"22 F1 90"`). A message the codec rejects, or a
   * service without a codec, gives `{ raw, error? }`.
   */
  fields?: Record<string, unknown>;
  /** The NRC of a negative response. */
  nrc?: { code: number; name: string; meaning: string };
}

/** Turns decoded values into printable ones: Uint8Array -> hex string, recursively. */
export function printable(value: unknown): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (Array.isArray(value)) return value.map(printable);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = printable(v);
    return out;
  }
  return value;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Describes `bytes` using `codecs` (keyed by request SID). `7F` = negative response; a SID in `codecs`
 * = request; SID - 0x40 in `codecs` = positive response; other SIDs are classified by bit 6
 * (ISO 14229-1:2020 8.2: response SID = request SID + 0x40) and shown raw.
 */
export function describeWith(
  codecs: ReadonlyMap<number, ServiceCodec<unknown, unknown, unknown>>,
  bytes: Uint8Array,
): MessageDescription {
  const raw = toHex(bytes);
  try {
    if (bytes.length === 0) return { service: 'empty message', kind: 'request', fields: { raw, error: 'no bytes' } };
    const sid = bytes[0] as number;
    if (sid === NEGATIVE_RESPONSE_SID) {
      try {
        const neg = decodeNegativeResponse(bytes);
        const info = nrcInfo(neg.nrc);
        return {
          service: serviceName(neg.sid),
          kind: 'negative',
          nrc: { code: info.code, name: info.name, meaning: info.meaning },
        };
      } catch (e) {
        const service = bytes.length > 1 ? serviceName(bytes[1] as number) : 'unknown service';
        return { service, kind: 'negative', fields: { raw, error: errorText(e) } };
      }
    }
    // ISO 14229-1:2020 11.5 — periodic data (type 1: `6A pDID data`) is not the 2A response codec's `6A`.
    if (isPeriodicDataMessage(bytes)) {
      const m = decodePeriodicDataMessage(bytes);
      return { service: 'ReadDataByPeriodicIdentifier', kind: 'positive', fields: { periodic: true, ...(printable(m) as Record<string, unknown>) } };
    }
    const asRequest = codecs.get(sid);
    const asResponse = codecs.get(sid - POSITIVE_RESPONSE_OFFSET);
    const codec = asRequest ?? asResponse;
    const kind = asRequest ? 'request' : asResponse ? 'positive' : (sid & POSITIVE_RESPONSE_OFFSET) !== 0 ? 'positive' : 'request';
    if (!codec) return { service: serviceName(sid), kind, fields: { raw } };
    try {
      const decoded = kind === 'request' ? codec.decodeRequest(bytes) : codec.decodeResponse(bytes);
      const fields = printable(decoded);
      return { service: codec.name, kind, fields: fields as Record<string, unknown> };
    } catch (e) {
      return { service: codec.name, kind, fields: { raw, error: errorText(e) } };
    }
  } catch (e) {
    return { service: 'unknown service', kind: 'request', fields: { raw, error: errorText(e) } };
  }
}
