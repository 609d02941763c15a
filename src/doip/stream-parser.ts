/**
 * Incremental frame parser for a DoIP TCP stream: feed it chunks as they arrive, get whole
 * messages and header errors back. Header errors carry the generic NACK code and the socket
 * action of ISO 13400-2:2019 (generic DoIP header handler), so the owner of the socket decides
 * what to send and whether to close:
 *
 * - 00 incorrect pattern, 04 invalid length: `close` — the parser stops and ignores every later byte.
 * - 01 unknown payload type, 02 message too large: `discard` — the payload bytes are skipped as
 *   they arrive, without buffering them, and parsing resumes with the next header.
 *
 * One state per step (header, payload, discard, failed), one loop, as ws's receiver does.
 */
import { DecodeError } from '../core/errors.js';
import { GenericNackCode } from './codes.js';
import { decodeDiagnosticMessageView } from './diagnostic-message.js';
import type { DoipHeader, HeaderRules } from './header.js';
import { checkHeader, decodeHeader, DOIP_HEADER_LENGTH } from './header.js';
import type { DoipMessage } from './message.js';
import { asPlainBytes, decodePayload } from './message.js';
import { PayloadType } from './payload-types.js';

/** What {@link DoipStreamParser.push} reports. */
export type DoipStreamEvent =
  | {
      readonly kind: 'message';
      readonly header: DoipHeader;
      readonly message: DoipMessage;
    }
  | {
      readonly kind: 'headerError';
      readonly header: DoipHeader;
      /** Generic header NACK code to answer with. */
      readonly code: number;
      /** `close`: NACK, then close the socket (parser has stopped). `discard`: NACK, payload skipped, socket kept. */
      readonly action: 'close' | 'discard';
      readonly reason: string;
    };

const enum State {
  Header,
  Payload,
  Discard,
  Failed,
}

/**
 * Splits a byte stream into DoIP messages. Chunks passed to {@link push} are referenced, not
 * copied: do not modify them afterwards (Node's socket chunks never are). The `data` of a decoded
 * diagnostic message may be a view of a chunk; every other byte field is a copy.
 */
export class DoipStreamParser {
  private state = State.Header;
  private chunks: Uint8Array[] = [];
  private queued = 0;
  private header: DoipHeader | undefined;
  private toDiscard = 0;

  constructor(private readonly rules: HeaderRules) {}

  /** True after a header error with action `close`: every later byte is ignored. */
  get failed(): boolean {
    return this.state === State.Failed;
  }

  /** Bytes held, waiting for the rest of a header or payload. */
  get bufferedBytes(): number {
    return this.queued;
  }

  /** Bytes of a rejected message still to be skipped. */
  get discardingBytes(): number {
    return this.toDiscard;
  }

  /** Feeds one chunk; returns what became complete, in stream order. Never throws for any input. */
  push(chunk: Uint8Array): DoipStreamEvent[] {
    const events: DoipStreamEvent[] = [];
    if (this.state === State.Failed || chunk.length === 0) return events;
    let rest = asPlainBytes(chunk);
    if (this.state === State.Discard) rest = this.discardFrom(rest);
    if (rest.length > 0) {
      this.chunks.push(rest);
      this.queued += rest.length;
    }
    for (;;) {
      if (this.state === State.Header) {
        if (this.queued < DOIP_HEADER_LENGTH) break;
        this.onHeader(decodeHeader(this.take(DOIP_HEADER_LENGTH)), events);
      } else if (this.state === State.Payload) {
        const header = this.header as DoipHeader;
        if (this.queued < header.payloadLength) break;
        this.onPayload(header, this.take(header.payloadLength), events);
      } else if (this.state === State.Discard) {
        const n = Math.min(this.toDiscard, this.queued);
        this.skip(n);
        this.toDiscard -= n;
        if (this.toDiscard > 0) break;
        this.state = State.Header;
      } else {
        break;
      }
    }
    return events;
  }

  private onHeader(header: DoipHeader, events: DoipStreamEvent[]): void {
    const problem = checkHeader(header, this.rules);
    if (!problem) {
      this.header = header;
      this.state = State.Payload;
      return;
    }
    events.push({ kind: 'headerError', header, code: problem.code, action: problem.close ? 'close' : 'discard', reason: problem.reason });
    if (problem.close) {
      this.fail();
    } else {
      this.toDiscard = header.payloadLength;
      this.state = State.Discard;
    }
  }

  private onPayload(header: DoipHeader, payload: Uint8Array, events: DoipStreamEvent[]): void {
    this.header = undefined;
    this.state = State.Header;
    try {
      // The payload is the parser's own (a fresh copy, or a view of chunks nobody writes): the UDS bytes
      // of a diagnostic message stay a view of it instead of being copied once more.
      const message = header.payloadType === PayloadType.diagnosticMessage ? decodeDiagnosticMessageView(payload) : decodePayload(header.payloadType, payload);
      events.push({ kind: 'message', header, message });
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      // Only reachable when the length rules and a decoder disagree; treated as an invalid length.
      events.push({ kind: 'headerError', header, code: GenericNackCode.invalidPayloadLength, action: 'close', reason: e.message });
      this.fail();
    }
  }

  private fail(): void {
    this.state = State.Failed;
    this.chunks = [];
    this.queued = 0;
    this.header = undefined;
  }

  /** Skips what is left to discard from the front of a fresh chunk; returns the rest. */
  private discardFrom(chunk: Uint8Array): Uint8Array {
    const n = Math.min(this.toDiscard, chunk.length);
    this.toDiscard -= n;
    if (this.toDiscard === 0) this.state = State.Header;
    return chunk.subarray(n);
  }

  /** Removes and returns the first `n` queued bytes (a view when they sit in one chunk). */
  private take(n: number): Uint8Array {
    const first = this.chunks[0];
    if (first && first.length >= n) {
      const out = first.subarray(0, n);
      this.dropFront(n);
      return out;
    }
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const c = this.chunks[0] as Uint8Array;
      const k = Math.min(c.length, n - filled);
      out.set(c.subarray(0, k), filled);
      filled += k;
      this.dropFront(k);
    }
    return out;
  }

  private skip(n: number): void {
    let left = n;
    while (left > 0) {
      const c = this.chunks[0] as Uint8Array;
      const k = Math.min(c.length, left);
      this.dropFront(k);
      left -= k;
    }
  }

  private dropFront(n: number): void {
    const c = this.chunks[0] as Uint8Array;
    if (n >= c.length) this.chunks.shift();
    else this.chunks[0] = c.subarray(n);
    this.queued -= n;
  }
}
