/**
 * What a service handler is: a small function per SID that gets a {@link RequestContext} and returns
 * the positive response bytes, or throws an {@link NrcError} (ISO 14229-1:2020 8.3) to refuse.
 * Steps 1-7 of the order of checks have already passed when it runs (see `service-table.ts`).
 */
import type { UdsMessage } from '../../core/link.js';

/** Everything a handler knows about the request it serves. */
export interface RequestContext<E> {
  /** The server owner's model (for the simulated ECU: its sessions, security, memory ...). */
  readonly env: E;
  /** The request as the link delivered it. */
  readonly request: UdsMessage;
  /** The request bytes (`request.data`). */
  readonly data: Uint8Array;
  /** The SID. */
  readonly sid: number;
  /** Sub-function value without SPRMIB, for services with a sub-function. */
  readonly subFunction: number | undefined;
  /** SPRMIB was set: the dispatcher will not send the positive response (unless 0x78 went out). */
  readonly suppressPositiveResponse: boolean;
  /** The request was functionally addressed. */
  readonly functional: boolean;
  /** Largest response the link (and the server options) can carry; longer positive responses become 0x14. */
  readonly maxResponseLength: number;
  /** Largest request the link can carry (e.g. to cap maxNumberOfBlockLength in a 0x74 response). */
  readonly maxRequestLength: number;
  /**
   * Runs `fn` once the positive response has been handed to the link (or suppressed), e.g. the reset of
   * 0x11 which ISO 14229-1:2020 10.3.1 performs after the response. Not run when the handler throws.
   */
  afterResponse(fn: () => void | Promise<void>): void;
  /**
   * Sends a message to the requester outside the request/response exchange, on the link the request came
   * on (periodic data of 0x2A, event responses of 0x86). Usable after the request has been answered; keep
   * the function to send later. Rejects when the link is closed or the requester is gone.
   */
  readonly sendToRequester: (data: Uint8Array) => Promise<void>;
}

/** A service handler: returns the whole positive response (`SID+0x40 ...`) or throws `NrcError`. */
export type ServiceHandler<E> = (ctx: RequestContext<E>) => Uint8Array | Promise<Uint8Array>;
