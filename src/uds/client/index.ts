/** The UDS client: requests with ISO 14229-2 timing, functional collection, keep-alive, typed services. */
export { UdsClient } from './uds-client.js';
export { UdsClientCore, type FunctionalRequestOptions } from './uds-client-core.js';
export { NegativeResponseError, InvalidResponseError, type NegativeResponseInit, type InvalidResponseInit } from './errors.js';
export { CLIENT_DEFAULTS, type UdsClientOptions, type ResolvedClientOptions } from './options.js';
export type { ClientTimingValues } from './timing.js';
export type { FunctionalAnswer } from './functional-exchange.js';
export type { TesterPresentOptions } from './tester-present.js';
export type { RequestOptions, ServiceCallOptions, UdsClientEvents, UdsRequester } from './types.js';
export type { ReadDataOptions } from './services/data.js';
export type { TransferRequestArgs, TransferCallOptions, TransferDataOptions } from './services/transfer.js';
export type { ReadDtcOptions } from './services/dtc.js';
export type { MemoryCallOptions, ReadMemoryArgs, WriteMemoryArgs } from './services/memory.js';
export type { IoControlArgs } from './services/data-extra.js';
export { sendKeySubFunction, checkSeedLevel } from './services/security.js';
export {
  subscribePeriodicData,
  toPeriodicDataIdentifier,
  type PeriodicData,
  type PeriodicDataListener,
  type PeriodicRateName,
} from './services/periodic.js';
export type { LinkModeTarget } from './services/link-control.js';
