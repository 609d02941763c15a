/**
 * Typed client calls of ReadScalingDataByIdentifier (0x24, ISO 14229-1:2020 11.4),
 * DynamicallyDefineDataIdentifier (0x2C, 11.6) and InputOutputControlByIdentifier (0x2F, 13.2).
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import {
  readScalingDataByIdentifier as rsdbiCodec,
  type ReadScalingDataByIdentifierResponse,
} from '../../codec/0x24-read-scaling-data-by-identifier.js';
import {
  dynamicallyDefineDataIdentifier as dddiCodec,
  type DidSourceElement,
  type DynamicallyDefineDataIdentifierRequest,
  type DynamicallyDefineDataIdentifierResponse,
  type MemorySourceElement,
} from '../../codec/0x2c-dynamically-define-data-identifier.js';
import {
  inputOutputControlByIdentifier as iocbiCodec,
  type InputOutputControlByIdentifierResponse,
} from '../../codec/0x2f-input-output-control-by-identifier.js';
import { InvalidResponseError } from '../errors.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

const EMPTY = new Uint8Array(0);

function didBytes(did: number): number[] {
  return [(did >> 8) & 0xff, did & 0xff];
}

function checkDid(service: string, did: number): void {
  if (!Number.isInteger(did) || did < 0 || did > 0xffff) {
    throw new InvalidArgumentError(`${service}: DID must be 0x0000..0xFFFF, got ${String(did)}`, { field: 'did' });
  }
}

/** `24 DID` -> `{ did, records }` (scalingByte + scalingByteExtension each); checks the DID echo. */
export async function readScalingDataByIdentifier(
  c: UdsRequester,
  did: number,
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<ReadScalingDataByIdentifierResponse> {
  checkDid('readScalingDataByIdentifier', did);
  const res = await c.request(rsdbiCodec.encodeRequest({ did }), requestOptionsOf(opts, false, didBytes(did)));
  if (!res) throw new InvalidResponseError({ sid: rsdbiCodec.sid, source: c.target, response: EMPTY, reason: 'no response' });
  const d = decodePositive(rsdbiCodec, res, c.target);
  checkEcho(rsdbiCodec.sid, c.target, res, 'DID', d.did, did, 4);
  return d;
}

/**
 * `2C SF ...` -> `{ subFunction, dddid? }` (undefined with `suppress`); checks the sub-function and
 * DDDID echoes. See {@link defineByIdentifier}, {@link defineByMemoryAddress} and {@link clearDynamicDid}.
 */
export async function dynamicallyDefineDataIdentifier(
  c: UdsRequester,
  req: DynamicallyDefineDataIdentifierRequest,
  opts?: ServiceCallOptions,
): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
  const bytes = dddiCodec.encodeRequest({ ...req, suppressPositiveResponse: opts?.suppress === true });
  const sub = (bytes[1] as number) & 0x7f;
  const dddid = req.kind === 'other' ? undefined : req.dddid;
  const res = await c.request(bytes, requestOptionsOf(opts, true, dddid === undefined ? [sub] : [sub, ...didBytes(dddid)]));
  if (!res) return undefined;
  const d = decodePositive(dddiCodec, res, c.target);
  checkEcho(dddiCodec.sid, c.target, res, 'definitionType', d.subFunction, sub);
  if (dddid !== undefined) checkEcho(dddiCodec.sid, c.target, res, 'dynamicallyDefinedDataIdentifier', d.dddid ?? -1, dddid, 4);
  return d;
}

/** `2C 01 DDDID (sourceDID position size)...`: defines (or extends) `dddid` from bytes of other DIDs. */
export function defineByIdentifier(
  c: UdsRequester,
  dddid: number,
  sources: readonly DidSourceElement[],
  opts?: ServiceCallOptions,
): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
  return dynamicallyDefineDataIdentifier(c, { kind: 'defineByIdentifier', dddid, sources: [...sources] }, opts);
}

/** `2C 02 DDDID ALFID (address size)...`: defines (or extends) `dddid` from memory ranges (lengths default 4/4). */
export function defineByMemoryAddress(
  c: UdsRequester,
  dddid: number,
  sources: readonly MemorySourceElement[],
  lengths: { addressLength?: number; sizeLength?: number } = {},
  opts?: ServiceCallOptions,
): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
  return dynamicallyDefineDataIdentifier(
    c,
    { kind: 'defineByMemoryAddress', dddid, addressLength: lengths.addressLength ?? 4, sizeLength: lengths.sizeLength ?? 4, sources: [...sources] },
    opts,
  );
}

/** `2C 03 [DDDID]`: clears `dddid`, or every dynamically defined DID when it is absent. */
export function clearDynamicDid(c: UdsRequester, dddid?: number, opts?: ServiceCallOptions): Promise<DynamicallyDefineDataIdentifierResponse | undefined> {
  return dynamicallyDefineDataIdentifier(c, dddid === undefined ? { kind: 'clear' } : { kind: 'clear', dddid }, opts);
}

/** Arguments of `inputOutputControlByIdentifier` beyond the DID and parameter. */
export interface IoControlArgs {
  /** controlState (shortTermAdjustment: the DID's whole record). */
  controlState?: Uint8Array;
  /** controlEnableMask (DIDs with several signals: one bit per signal, bit 7 of byte 0 first). */
  controlEnableMask?: Uint8Array;
}

/**
 * `2F DID parameter [state] [mask]` -> `{ did, inputOutputControlParameter, controlState }`; checks the
 * DID and parameter echoes. Parameters: 00 returnControlToECU, 01 resetToDefault, 02 freezeCurrentState,
 * 03 shortTermAdjustment (ISO 14229-1:2020 13.2).
 */
export async function inputOutputControlByIdentifier(
  c: UdsRequester,
  did: number,
  inputOutputControlParameter: number,
  args: IoControlArgs = {},
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<InputOutputControlByIdentifierResponse> {
  checkDid('inputOutputControlByIdentifier', did);
  const req = iocbiCodec.encodeRequest({
    did,
    inputOutputControlParameter,
    controlState: args.controlState ?? EMPTY,
    controlEnableMask: args.controlEnableMask ?? EMPTY,
  });
  const res = await c.request(req, requestOptionsOf(opts, false, [...didBytes(did), inputOutputControlParameter]));
  if (!res) throw new InvalidResponseError({ sid: iocbiCodec.sid, source: c.target, response: EMPTY, reason: 'no response' });
  const d = decodePositive(iocbiCodec, res, c.target);
  checkEcho(iocbiCodec.sid, c.target, res, 'DID', d.did, did, 4);
  checkEcho(iocbiCodec.sid, c.target, res, 'inputOutputControlParameter', d.inputOutputControlParameter, inputOutputControlParameter);
  return d;
}
