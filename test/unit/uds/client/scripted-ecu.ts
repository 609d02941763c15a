/**
 * A scripted fake ECU on a MemoryBus, in the style of python-udsoncan's client tests: each expected
 * request is asserted byte for byte and answered with exact bytes, optionally after a delay on the
 * FakeClock. TesterPresent `3E 80` frames are recorded and never answered.
 */
import type { FakeClock } from '../../../../src/core/clock.js';
import { fromHex, toHex } from '../../../../src/core/hex.js';
import type { UdsMessage } from '../../../../src/core/link.js';
import type { MemoryBus, MemoryLink } from '../../../../src/core/memory-link.js';

/** A reply: hex bytes sent at once, or `{ afterMs, hex }` sent that long after the request arrived. */
export type Reply = string | { afterMs: number; hex: string };

/** A handler for requests the script does not list: returns the replies, or undefined for "no answer". */
export type Handler = (request: Uint8Array, msg: UdsMessage) => Reply[] | undefined;

/** The fake ECU. */
export class ScriptedEcu {
  readonly link: MemoryLink;
  /** Every request received (keep-alives excluded), with the fake time of arrival. */
  readonly requests: { at: number; hex: string; addressing: string }[] = [];
  /** Every `3E 80` received, with the fake time of arrival. */
  readonly testerPresents: { at: number; addressing: string }[] = [];
  /** Assertion failures (checked by {@link assertDone}). */
  readonly failures: string[] = [];
  private readonly script: { request: string; replies: Reply[] }[] = [];
  private handler: Handler | undefined;

  constructor(
    bus: MemoryBus,
    readonly address: number,
    private readonly clock: FakeClock,
    functionalAddresses: number[] = [0xe400],
  ) {
    this.link = bus.attach(address, { functionalAddresses });
    this.link.events.on('message', (msg) => this.onMessage(msg));
  }

  /** Expects `request` (hex) next and answers with `replies`. */
  expect(request: string, ...replies: Reply[]): this {
    this.script.push({ request: toHex(fromHex(request)), replies });
    return this;
  }

  /** Answers requests that are not in the script. */
  handle(fn: Handler): this {
    this.handler = fn;
    return this;
  }

  /** Sends `hex` to `target` now (an unsolicited or late message). */
  send(hex: string, target = 0x0e00): void {
    void this.link.send({ target, data: fromHex(hex) });
  }

  /** Throws when a request did not match or the script was not used up. */
  assertDone(): void {
    if (this.failures.length > 0) throw new Error(`fake ECU 0x${this.address.toString(16)}: ${this.failures.join('; ')}`);
    if (this.script.length > 0) {
      throw new Error(`fake ECU 0x${this.address.toString(16)}: expected requests never came: ${this.script.map((s) => s.request).join(', ')}`);
    }
  }

  private onMessage(msg: UdsMessage): void {
    const hex = toHex(msg.data);
    if (hex === '3E 80') {
      this.testerPresents.push({ at: this.clock.now(), addressing: msg.addressing });
      return;
    }
    this.requests.push({ at: this.clock.now(), hex, addressing: msg.addressing });
    const next = this.script.shift();
    let replies: Reply[] | undefined;
    if (next) {
      if (next.request !== hex) {
        this.failures.push(`expected request ${next.request}, got ${hex}`);
        return;
      }
      replies = next.replies;
    } else if (this.handler) {
      replies = this.handler(msg.data, msg);
    } else {
      this.failures.push(`unexpected request ${hex}`);
      return;
    }
    for (const r of replies ?? []) {
      const { afterMs, hex: out } = typeof r === 'string' ? { afterMs: 0, hex: r } : r;
      const go = (): void => void this.link.send({ target: msg.source, data: fromHex(out) }).catch(() => {});
      if (afterMs <= 0) go();
      else this.clock.setTimeout(go, afterMs);
    }
  }
}
