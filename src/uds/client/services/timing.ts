/**
 * Typed client calls of AccessTimingParameter (0x83, ISO 14229-1:2013 9.7). Timing records use the
 * 4-byte layout of `encodeServerTimingRecord` (P2server_max in 1 ms, P2*server_max in 10 ms).
 */
import { DecodeError } from '../../../core/errors.js';
import {
  accessTimingParameter as atpCodec,
  decodeServerTimingRecord,
  encodeServerTimingRecord,
  TimingParameterAccessType,
  type AccessTimingParameterResponse,
  type ServerTimingRecord,
} from '../../codec/0x83-access-timing-parameter.js';
import { InvalidResponseError } from '../errors.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/**
 * `83 type [record]` -> `C3 type [record]`; checks the access type echo. Undefined when suppressed
 * (`opts.suppress`) and no response came.
 */
export async function accessTimingParameter(
  c: UdsRequester,
  type: number,
  record: Uint8Array = new Uint8Array(0),
  opts?: ServiceCallOptions,
): Promise<AccessTimingParameterResponse | undefined> {
  const req = atpCodec.encodeRequest({
    timingParameterAccessType: type,
    timingParameterRequestRecord: record,
    suppressPositiveResponse: opts?.suppress === true,
  });
  const res = await c.request(req, requestOptionsOf(opts, true, [type]));
  if (!res) return undefined;
  const d = decodePositive(atpCodec, res, c.target);
  checkEcho(atpCodec.sid, c.target, res, 'timingParameterAccessType', d.timingParameterAccessType, type);
  return d;
}

/** `83 01` (extended set) or `83 03` (active values) -> P2server_max / P2*server_max. */
export async function readTimingParameters(
  c: UdsRequester,
  which: 'extended' | 'active',
  opts?: Omit<ServiceCallOptions, 'suppress'>,
): Promise<ServerTimingRecord> {
  const type =
    which === 'extended' ? TimingParameterAccessType.readExtendedTimingParameterSet : TimingParameterAccessType.readCurrentlyActiveTimingParameters;
  const d = await accessTimingParameter(c, type, undefined, opts);
  const record = d?.timingParameterResponseRecord ?? new Uint8Array(0);
  try {
    return decodeServerTimingRecord(record);
  } catch (e) {
    if (e instanceof DecodeError) {
      throw new InvalidResponseError({ sid: atpCodec.sid, source: c.target, response: Uint8Array.of(0xc3, type, ...record), reason: e.message });
    }
    throw e;
  }
}

/** `83 04 P2 P2*` (given values) or `83 02` (`'defaults'`) -> `C3 04` / `C3 02`. */
export async function setTimingParameters(c: UdsRequester, values: ServerTimingRecord | 'defaults', opts?: ServiceCallOptions): Promise<void> {
  if (values === 'defaults') {
    await accessTimingParameter(c, TimingParameterAccessType.setTimingParametersToDefaultValues, undefined, opts);
    return;
  }
  await accessTimingParameter(c, TimingParameterAccessType.setTimingParametersToGivenValues, encodeServerTimingRecord(values), opts);
}
