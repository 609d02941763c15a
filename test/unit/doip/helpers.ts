/**
 * Test helpers for DoIP: a raw tester that writes arbitrary bytes and collects parsed frames, and a
 * tiny echo node (positive response = SID + 0x40, rest echoed). Used by unit and integration tests.
 */
import * as net from 'node:net';
import type { UdsLink } from '../../../src/core/link.js';
import { PAYLOAD_TYPE_TABLE } from '../../../src/doip/payload-types.js';
import type { DoipMessage, DoipMessageOf } from '../../../src/doip/message.js';
import { encodeMessage } from '../../../src/doip/message.js';
import { DoipStreamParser } from '../../../src/doip/stream-parser.js';
import type { PayloadTypeName } from '../../../src/doip/payload-types.js';

/** Makes `link` answer every request with a positive response echoing the parameters. Returns a list of what it received. */
export function echoNode(link: UdsLink): { source: number; target: number; addressing: string; data: number[] }[] {
  const seen: { source: number; target: number; addressing: string; data: number[] }[] = [];
  link.events.on('message', (m) => {
    seen.push({ source: m.source, target: m.target, addressing: m.addressing, data: [...m.data] });
    const data = Uint8Array.from(m.data);
    data[0] = ((data[0] ?? 0) + 0x40) & 0xff;
    link.send({ target: m.source, data }).catch(() => undefined);
  });
  return seen;
}

/** A tester speaking raw bytes: every frame the entity sends is parsed and queued. */
export class RawTester {
  /** Every frame received, in order. */
  readonly received: DoipMessage[] = [];
  /** Raw chunks as they arrived (to check that ACK and response came in one segment). */
  readonly chunks: Uint8Array[] = [];
  /** Resolves when the socket closed. */
  readonly closedPromise: Promise<void>;
  isClosed = false;
  /** Frames this tester could not parse (wrong version etc.), as parser reasons. */
  readonly badFrames: string[] = [];
  /** Answer alive check requests with 0x0008 automatically. */
  answerAliveChecks = false;
  private readonly parser: DoipStreamParser;
  private cursor = 0;
  private wake: (() => void) | undefined;

  private constructor(
    readonly socket: net.Socket,
    readonly testerAddress: number,
    version: number,
  ) {
    this.parser = new DoipStreamParser({
      protocolVersion: version,
      supportedPayloadTypes: new Set(PAYLOAD_TYPE_TABLE.map((i) => i.type)),
      maxDataSize: 0xffffffff,
    });
    this.closedPromise = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        this.wake?.();
        resolve();
      }),
    );
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(Uint8Array.from(chunk));
      for (const ev of this.parser.push(chunk)) {
        if (ev.kind !== 'message') {
          this.badFrames.push(ev.reason);
          continue;
        }
        this.received.push(ev.message);
        if (this.answerAliveChecks && ev.message.kind === 'aliveCheckRequest') {
          this.send({ kind: 'aliveCheckResponse', sourceAddress: this.testerAddress });
        }
      }
      this.wake?.();
    });
  }

  /** Connects to 127.0.0.1:`port`; frames are parsed as protocol `version` (default 2). */
  static connect(port: number, testerAddress = 0x0e00, version = 2): Promise<RawTester> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port, noDelay: true });
      s.once('connect', () => resolve(new RawTester(s, testerAddress, version)));
      s.once('error', reject);
    });
  }

  /** Writes a message (encoded with version 2) or raw bytes. */
  send(m: DoipMessage | Uint8Array | readonly number[]): void {
    const bytes = m instanceof Uint8Array ? m : Array.isArray(m) ? Uint8Array.from(m as number[]) : encodeMessage(m as DoipMessage);
    this.socket.write(bytes);
  }

  /** The next received frame (optionally of one kind, skipping others); rejects if the socket closes first. */
  async next<K extends PayloadTypeName = PayloadTypeName>(kind?: K): Promise<DoipMessageOf<K>> {
    for (;;) {
      while (this.cursor < this.received.length) {
        const m = this.received[this.cursor++] as DoipMessage;
        if (!kind || m.kind === kind) return m as never;
      }
      if (this.isClosed) throw new Error(`connection closed while waiting for ${kind ?? 'a message'}`);
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Sends a routing activation request and returns the response. */
  async activate(activationType = 0, sourceAddress = this.testerAddress): Promise<DoipMessageOf<'routingActivationResponse'>> {
    this.send({ kind: 'routingActivationRequest', sourceAddress, activationType });
    return this.next('routingActivationResponse');
  }

  /** Sends a diagnostic message from this tester. */
  diag(target: number, data: readonly number[], source = this.testerAddress): void {
    this.send({ kind: 'diagnosticMessage', sourceAddress: source, targetAddress: target, data: Uint8Array.from(data) });
  }

  /** Sends a diagnostic message and waits for its ACK/NACK; for ACKs also waits for the response. */
  async request(target: number, data: readonly number[]): Promise<{ ack: DoipMessage; response?: DoipMessageOf<'diagnosticMessage'> }> {
    this.diag(target, data);
    for (;;) {
      const ack = await this.next();
      if (ack.kind === 'diagnosticMessageNack') return { ack };
      if (ack.kind === 'diagnosticMessageAck') return { ack, response: await this.next('diagnosticMessage') };
    }
  }

  /** Closes the socket and waits for it. */
  async close(): Promise<void> {
    this.socket.destroy();
    await this.closedPromise;
  }
}

/** Bytes from a hex string with spaces and `|` separators: `hex('02 FD | 00 01')`. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/[|\s]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}
