/** The handler type of the simulated ECU: a server handler whose `ctx.env` is the ECU model. */
import type { RequestContext, ServiceHandler } from '../../uds/server/handler.js';
import type { EcuRuntime } from '../ecu-runtime.js';

/** A service handler of the simulated ECU. */
export type EcuHandler = ServiceHandler<EcuRuntime>;
/** The context an {@link EcuHandler} receives. */
export type EcuRequestContext = RequestContext<EcuRuntime>;
