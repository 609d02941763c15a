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
 * One state per step (header, payload, discard, failed), one loop, as ws's receiver does. A payload that
 * lies in one chunk is a view of it; a larger one that spans chunks (a TransferData block) is assembled
 * in an array of its own, allocated once its header is read, each chunk copied into it as it arrives.
 */
import { Buffer } from 'node:buffer';
import { DecodeError } from '../core/errors.js';
import { GenericNackCode } from './codes.js';
import { decodeDiagnosticMessage, decodeDiagnosticMessageView } from './diagnostic-message.js';
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

/** Payloads from this size on are assembled as their chunks arrive rather than queued until complete. */
const ASSEMBLE_MIN = 1024;

/** Options of a {@link DoipStreamParser}. */
export interface DoipStreamParserOptions {
  /**
   * The chunks passed to `push` are only valid during the call (a socket reading into one reused buffer,
   * `onread`): whatever the parser keeps or hands out is copied. Default false: chunks are referenced.
   */
  readonly transientChunks?: boolean;
}

/**
 * Splits a byte stream into DoIP messages. Chunks passed to {@link push} are referenced, not
 * copied: do not modify them afterwards (Node's socket chunks never are). The `data` of a decoded
 * diagnostic message may be a view of a chunk; every other byte field is a copy. With
 * `transientChunks` nothing refers to a chunk after `push` returned.
 */
export class DoipStreamParser {
  private state = State.Header;
  private chunks: Uint8Array[] = [];
  private queued = 0;
  private header: DoipHeader | undefined;
  private toDiscard = 0;
  /** The payload being assembled (see ASSEMBLE_MIN) and how many of its bytes arrived. */
  private assembly: Uint8Array | undefined;
  private assembled = 0;

  private readonly transient: boolean;

  constructor(
    private readonly rules: HeaderRules,
    options: DoipStreamParserOptions = {},
  ) {
    this.transient = options.transientChunks ?? false;
  }

  /** True after a header error with action `close`: every later byte is ignored. */
  get failed(): boolean {
    return this.state === State.Failed;
  }

  /** Bytes held, waiting for the rest of a header or payload. */
  get bufferedBytes(): number {
    return this.queued + this.assembled;
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
    else if (this.assembly) {
      rest = this.assembleFrom(rest, events);
      if (this.failed) return events;
    }
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
        if (this.queued < header.payloadLength) {
          if (!this.assembly && header.payloadLength >= ASSEMBLE_MIN) this.startAssembly(header.payloadLength);
          break;
        }
        // A payload inside the first chunk is a view of it; spread over several, a copy of its own.
        const first = this.chunks[0];
        const owned = !first || first.length < header.payloadLength;
        this.onPayload(header, this.take(header.payloadLength), owned, events);
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
    // Transient chunks: keep copies of the bytes still waiting (a partial header or small payload).
    if (this.transient && this.chunks.length > 0) this.chunks = this.chunks.map((c) => c.slice());
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

  /** `owned`: `payload` is the parser's own array (not a view of a chunk). */
  private onPayload(header: DoipHeader, payload: Uint8Array, owned: boolean, events: DoipStreamEvent[]): void {
    this.header = undefined;
    this.state = State.Header;
    try {
      // The payload is the parser's own (a fresh copy, or a view of chunks nobody writes): the UDS bytes
      // of a diagnostic message stay a view of it instead of being copied once more. A view of a
      // transient chunk is copied.
      const message =
        header.payloadType !== PayloadType.diagnosticMessage
          ? decodePayload(header.payloadType, payload)
          : owned || !this.transient
            ? decodeDiagnosticMessageView(payload)
            : decodeDiagnosticMessage(payload);
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
    this.assembly = undefined;
    this.assembled = 0;
  }

  /** Moves the queued bytes of an incomplete large payload into an array of its own (not zeroed first: every byte gets written). */
  private startAssembly(length: number): void {
    const out = new Uint8Array(Buffer.allocUnsafeSlow(length).buffer, 0, length);
    for (const c of this.chunks) {
      out.set(c, this.assembled);
      this.assembled += c.length;
    }
    this.chunks = [];
    this.queued = 0;
    this.assembly = out;
  }

  /** Copies the front of a fresh chunk into the payload being assembled; returns what follows the payload. */
  private assembleFrom(chunk: Uint8Array, events: DoipStreamEvent[]): Uint8Array {
    const out = this.assembly as Uint8Array;
    const n = Math.min(out.length - this.assembled, chunk.length);
    out.set(n === chunk.length ? chunk : chunk.subarray(0, n), this.assembled);
    this.assembled += n;
    if (this.assembled < out.length) return chunk.subarray(chunk.length);
    this.assembly = undefined;
    this.assembled = 0;
    this.onPayload(this.header as DoipHeader, out, true, events);
    return chunk.subarray(n);
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
