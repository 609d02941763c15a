/** Typed client calls of ReadDataByIdentifier (0x22) and WriteDataByIdentifier (0x2E). */
import { InvalidArgumentError } from '../../../core/errors.js';
import { hexNum } from '../../../core/hex.js';
import { readDataByIdentifier as rdbiCodec, type DidRecord } from '../../codec/0x22-read-data-by-identifier.js';
import { writeDataByIdentifier as wdbiCodec } from '../../codec/0x2e-write-data-by-identifier.js';
import { InvalidResponseError } from '../errors.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** Options of `readDataByIdentifier`. */
export interface ReadDataOptions extends Omit<ServiceCallOptions, 'suppress'> {
  /**
   * Data length of DIDs in bytes, to split a response with several DIDs exactly (the wire format has no
   * lengths). Without it, a record ends where the next requested DID begins.
   */
  didLengths?: Readonly<Record<number, number>> | ReadonlyMap<number, number>;
}

function lengthLookup(didLengths: ReadDataOptions['didLengths']): ((did: number) => number | undefined) | undefined {
  if (!didLengths) return undefined;
  if (didLengths instanceof Map) return (did) => didLengths.get(did);
  const rec = didLengths as Readonly<Record<number, number>>;
  return (did) => rec[did];
}

/**
 * `22 DID [DID ...]` -> the records in response order. Every returned DID must be one that was asked for
 * (else {@link InvalidResponseError}); a DID the ECU left out is simply missing from the result.
 */
export async function readDataByIdentifier(c: UdsRequester, dids: readonly number[], opts?: ReadDataOptions): Promise<DidRecord[]> {
  if (dids.length === 0) {
    throw new InvalidArgumentError('readDataByIdentifier: give at least one DID', { field: 'dids' });
  }
  for (const did of dids) {
    if (!Number.isInteger(did) || did < 0 || did > 0xffff) {
      throw new InvalidArgumentError(`readDataByIdentifier: DID must be 0x0000..0xFFFF, got ${String(did)}`, { field: 'dids' });
    }
  }
  const req = rdbiCodec.encodeRequest({ dids: [...dids] });
  // With one DID the response must echo it; with several the ECU may leave unsupported ones out.
  const only = dids.length === 1 ? (dids[0] as number) : undefined;
  const res = await c.request(req, requestOptionsOf(opts, false, only === undefined ? undefined : [only >> 8, only & 0xff]));
  if (!res) throw new InvalidResponseError({ sid: rdbiCodec.sid, source: c.target, response: new Uint8Array(0), reason: 'no response' });
  const didLength = lengthLookup(opts?.didLengths);
  const d = decodePositive(rdbiCodec, res, c.target, { dids: [...dids], ...(didLength ? { didLength } : {}) });
  const asked = new Set(dids);
  for (const r of d.records) {
    if (!asked.has(r.did)) {
      throw new InvalidResponseError({ sid: rdbiCodec.sid, source: c.target, response: res, reason: `DID ${hexNum(r.did)} was not requested` });
    }
  }
  return d.records;
}

/** `2E DID data` -> `6E DID`; checks the DID echo. */
export async function writeDataByIdentifier(c: UdsRequester, did: number, data: Uint8Array, opts?: Omit<ServiceCallOptions, 'suppress'>): Promise<void> {
  const req = wdbiCodec.encodeRequest({ did, data });
  const res = await c.request(req, requestOptionsOf(opts, false, [did >> 8, did & 0xff]));
  if (!res) return;
  const d = decodePositive(wdbiCodec, res, c.target);
  checkEcho(wdbiCodec.sid, c.target, res, 'DID', d.did, did, 4);
}
