/**
 * The one narrow interface between UDS and every transport (DoIP, ISO-TP, the in-memory bus).
 *
 * A link carries whole UDS messages between logical addresses. The UDS client and the UDS server
 * only ever see "send these UDS bytes to that address" and "a UDS message arrived from that
 * address, physically or functionally addressed". Transport details (DoIP ACK/NACK, ISO-TP frames)
 * stay below this line.
 */
import type { TypedEmitter } from './events.js';

/** Physical addressing reaches one node; functional addressing reaches every node listening on a functional address. */
export type Addressing = 'physical' | 'functional';

/** One UDS message as a link delivers it. */
export interface UdsMessage {
  /** Logical address of the sender (tester address for requests, ECU address for responses). */
  readonly source: number;
  /** Logical address of the receiver, or the functional address the request was sent to. */
  readonly target: number;
  /** How the message was addressed. Responses are always physical. */
  readonly addressing: Addressing;
  /** The UDS bytes: SID followed by its parameters. */
  readonly data: Uint8Array;
}

/** What a caller hands to {@link UdsLink.send}. */
export interface OutgoingUdsMessage {
  /** Logical address of the receiver (or a functional address). */
  readonly target: number;
  /** The UDS bytes. */
  readonly data: Uint8Array;
  /** Defaults to `'physical'`. */
  readonly addressing?: Addressing;
}

/** Events every link emits. */
export type UdsLinkEvents = {
  /** A UDS message arrived for this link's local address (or a functional address it listens on). */
  message: [UdsMessage];
  /** The link is closed; `error` is set when it closed because of a failure. */
  close: [error: Error | undefined];
};

/** A bidirectional carrier of UDS messages. Implemented by DoIP, ISO-TP and the in-memory bus. */
export interface UdsLink {
  /** This end's logical address (the tester's on a client link, the ECU's on a server link). */
  readonly localAddress: number;
  /** True once closed; `send` then rejects with `LinkError`. */
  readonly closed: boolean;
  /** Largest UDS message this link can carry, in bytes. */
  readonly maxMessageSize: number;
  /** Event source: `message` and `close`. */
  readonly events: TypedEmitter<UdsLinkEvents>;
  /**
   * Sends one UDS message. Resolves once the transport confirmed it (DoIP: the 0x8002 ACK arrived;
   * ISO-TP: the last frame went out). Rejects with a `LinkError` subclass otherwise (DoIP NACK, closed socket).
   */
  send(message: OutgoingUdsMessage): Promise<void>;
  /** Closes the link; pending sends reject. Idempotent. */
  close(): Promise<void>;
}
