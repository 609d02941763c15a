/** Option and event types shared by the UDS client and its service helpers. */
import type { Addressing, UdsMessage } from '../../core/link.js';
import type { ClientTimingValues } from './timing.js';

/** Options of one raw request. */
export interface RequestOptions {
  /**
   * `'physical'` (default) sends to the client's target; `'functional'` sends to the functional address
   * and still returns the target's answer (use `requestFunctional` to collect every ECU's answer).
   */
  addressing?: Addressing;
  /**
   * Sets SPRMIB (bit 7 of the sub-function byte) on a service that has a sub-function. The client then
   * waits P2 for a negative response (or a 0x78, after which the final response comes) and resolves with
   * undefined when none arrives. Defaults to the SPRMIB bit already present in the request bytes.
   */
  suppressPositiveResponse?: boolean;
  /**
   * Bytes the positive response must repeat right after its SID (sub-function, DID, RID, block counter).
   * A positive response with another echo is a late answer to an earlier timed-out request (ignored) if
   * one is outstanding, else an `InvalidResponseError`.
   */
  echo?: Uint8Array;
  /** Overrides P2client (ms) for this request; P2*client is unchanged. */
  timeoutMs?: number;
  /** Aborts the wait (rejects with `AbortedError`); a queued request is not sent. */
  signal?: AbortSignal;
}

/** Options of the typed service methods. */
export interface ServiceCallOptions {
  /** SPRMIB for services with a sub-function: resolve without a positive response. */
  suppress?: boolean;
  /** See {@link RequestOptions.addressing}. */
  addressing?: Addressing;
  /** See {@link RequestOptions.timeoutMs}. */
  timeoutMs?: number;
  /** See {@link RequestOptions.signal}. */
  signal?: AbortSignal;
}

/** The request primitive the service helpers build on (implemented by `UdsClient`). */
export interface UdsRequester {
  /** ECU address the client talks to; errors name it. */
  readonly target: number;
  /** Sends `data` and resolves with the positive response (undefined only with SPRMIB). */
  request(data: Uint8Array, opts?: RequestOptions): Promise<Uint8Array | undefined>;
}

/** Events of a `UdsClient`. */
export type UdsClientEvents = {
  /** A TesterPresent keep-alive went out. */
  keepAlive: [info: { target: number; addressing: Addressing }];
  /** Sending a keep-alive failed (the keep-alive keeps running unless the link closed). */
  keepAliveError: [error: Error];
  /** An ECU answered NRC 0x78 (`count` = how many for this request so far). */
  responsePending: [info: { sid: number; source: number; count: number }];
  /** P2/P2* changed (adopted from a 0x50 response or set by `setTiming`). */
  timing: [values: ClientTimingValues];
  /** A message was ignored (unsolicited, stale, another ECU's, a keep-alive answer). */
  ignored: [message: UdsMessage, reason: string];
};
