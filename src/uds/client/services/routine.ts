/** Typed client call of RoutineControl (0x31). */
import { routineControl as rcCodec, type RoutineControlResponse } from '../../codec/0x31-routine-control.js';
import type { ServiceCallOptions, UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';

/** `31 SF RID [option]` -> `71 SF RID [status]`; checks the type and RID echoes. */
export async function routineControl(
  c: UdsRequester,
  routineControlType: number,
  routineId: number,
  optionRecord: Uint8Array = new Uint8Array(0),
  opts?: ServiceCallOptions,
): Promise<RoutineControlResponse | undefined> {
  const req = rcCodec.encodeRequest({ routineControlType, routineId, optionRecord, suppressPositiveResponse: opts?.suppress === true });
  const res = await c.request(req, requestOptionsOf(opts, true, [routineControlType, routineId >> 8, routineId & 0xff]));
  if (!res) return undefined;
  const d = decodePositive(rcCodec, res, c.target);
  checkEcho(rcCodec.sid, c.target, res, 'routineControlType', d.routineControlType, routineControlType);
  checkEcho(rcCodec.sid, c.target, res, 'routineIdentifier', d.routineId, routineId, 4);
  return d;
}
