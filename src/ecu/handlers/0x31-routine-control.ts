/** RoutineControl (0x31), ISO 14229-1:2020 14.2: start / stop / results of the ECU's routines. */
import { routineControl } from '../../uds/codec/0x31-routine-control.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x31. Per-routine session/security rules are applied by the routine registry. */
export const routineControlHandler: EcuHandler = async (ctx) => {
  const req = routineControl.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const statusRecord = await ecu.routines.control(ecu, ecu.access(), req.routineControlType, req.routineId, req.optionRecord);
  // With a state directory: memory a routine changed (eraseMemory) is durable before the response.
  await ecu.flushPersistence();
  return routineControl.encodeResponse({ routineControlType: req.routineControlType, routineId: req.routineId, statusRecord });
};
