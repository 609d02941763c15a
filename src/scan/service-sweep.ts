/**
 * A service sweep: a scripted sequence of UDS requests sent to one ECU over one link, recording every
 * request with the bytes that came back (final response, NRC 0x78 "pending" messages, and unsolicited
 * messages such as periodic data or ResponseOnEvent). It is the base of the interop tests (scapy and
 * Wireshark decode what a sweep recorded) and of the security-testing scans (a scan is a sweep whose
 * steps are generated).
 *
 * ```ts
 * const result = await runServiceSweep(client, [
 *   { label: '10 03', request: Uint8Array.of(0x10, 0x03) },
 *   { label: '22 F190', request: Uint8Array.of(0x22, 0xf1, 0x90) },
 *   { label: '2E F190 locked', request: Uint8Array.of(0x2e, 0xf1, 0x90, 0x41), expect: 0x33 },
 * ]);
 * for (const x of result.exchanges) console.log(x.label, toHex(x.request), x.response && toHex(x.response));
 * ```
 *
 * The sweep never throws for what the ECU answers: a negative response, silence or a malformed answer is
 * recorded in the exchange (`outcome`, `problem`) and the sweep goes on; only a closed link ends it early.
 */
import type { Clock } from '../core/clock.js';
import { bytesEqual } from '../core/bytes.js';
import { AbortedError, InvalidArgumentError, TimeoutError } from '../core/errors.js';
import { hexByte, toHex } from '../core/hex.js';
import type { Addressing, UdsMessage } from '../core/link.js';
import { NRC, nrcName } from '../uds/codec/nrc.js';
import { NEGATIVE_RESPONSE_SID } from '../uds/codec/sid.js';
import { NegativeResponseError } from '../uds/client/errors.js';
import type { UdsClient } from '../uds/client/uds-client.js';

/** What a step must get back: a positive response, a given NRC, any negative response, or nothing (SPRMIB). */
export type SweepExpectation = 'positive' | 'negative' | 'none' | number;

/** What happened to one request. */
export type SweepOutcome = 'positive' | 'negative' | 'none' | 'timeout' | 'error';

/** What a step's request may be computed from: the exchanges recorded so far. */
export interface SweepContext {
  /** Every exchange so far, in order. */
  readonly exchanges: readonly SweepExchange[];
  /** The previous exchange, if any. */
  readonly last: SweepExchange | undefined;
  /** The latest exchange with this label; throws `InvalidArgumentError` when there is none. */
  get(label: string): SweepExchange;
}

/** One scripted request. */
export interface SweepStep {
  /** Short unique label, e.g. `22 F190` or `27 02 send key`. */
  readonly label: string;
  /** The UDS request bytes, or a function computing them (e.g. a key from the previous seed). */
  readonly request: Uint8Array | ((ctx: SweepContext) => Uint8Array);
  /** What must come back (default `'positive'`). A mismatch is recorded as a `problem`, not thrown. */
  readonly expect?: SweepExpectation;
  /** Physical (default) or functional addressing. */
  readonly addressing?: Addressing;
  /**
   * After the response, wait until this many unsolicited messages (periodic data, ResponseOnEvent) have
   * arrived from the ECU since the request, at most `withinMs` milliseconds on the client's clock.
   * Fewer than `count` is recorded as a `problem`.
   */
  readonly unsolicited?: { readonly count: number; readonly withinMs: number };
  /** P2 override for this request (ms), e.g. for a step that is expected to stay silent. */
  readonly timeoutMs?: number;
  /**
   * Runs before the request is computed and sent, e.g. to change the simulated vehicle's state so that a
   * DTC fails. An exception ends the sweep (it rejects with it).
   */
  readonly before?: (ctx: SweepContext) => void | Promise<void>;
}

/** One recorded request and what the ECU sent back. */
export interface SweepExchange {
  /** The step's label. */
  readonly label: string;
  /** The request bytes as sent. */
  readonly request: Uint8Array;
  /** How it was addressed. */
  readonly addressing: Addressing;
  /** The final response (positive or `7F SID NRC`), or undefined for `none`, `timeout` and `error`. */
  readonly response: Uint8Array | undefined;
  /** What happened. */
  readonly outcome: SweepOutcome;
  /** The NRC when `outcome` is `negative`. */
  readonly nrc: number | undefined;
  /** The `7F SID 78` messages received before the final response. */
  readonly pending: readonly Uint8Array[];
  /**
   * Other messages from the ECU that arrived from this request until the next one (periodic data,
   * ResponseOnEvent, late answers), in arrival order.
   */
  readonly unsolicited: readonly Uint8Array[];
  /** Why the exchange does not meet the step's expectation; undefined when it does. */
  readonly problem: string | undefined;
}

/** Options of {@link runServiceSweep}. */
export interface SweepOptions {
  /** Called after each exchange (progress output). */
  onExchange?: (exchange: SweepExchange) => void;
  /** Aborts the sweep between steps and the request in flight (`AbortedError`). */
  signal?: AbortSignal;
}

/** The result of a sweep. */
export interface SweepResult {
  /** Every exchange, in order. */
  readonly exchanges: readonly SweepExchange[];
  /** The exchanges with a `problem`. */
  readonly problems: readonly SweepExchange[];
  /** Set when the link closed before every step ran: the steps left out are not in `exchanges`. */
  readonly stoppedEarly: string | undefined;
}

/** Receives the ECU's messages for the exchange in progress. */
class MessageLog {
  private current: Uint8Array[] = [];
  private waiter: { count: number; resolve: () => void } | undefined;

  constructor(private readonly source: number) {}

  readonly onMessage = (m: UdsMessage): void => {
    if (m.source !== this.source) return;
    this.current.push(m.data);
    if (this.waiter && this.current.length >= this.waiter.count) this.waiter.resolve();
  };

  /** Starts a new exchange: returns (and forgets) what arrived since the previous call. */
  take(): Uint8Array[] {
    const out = this.current;
    this.current = [];
    return out;
  }

  /** Resolves when at least `count` messages were received for this exchange, or after `ms`. */
  waitFor(count: number, ms: number, clock: Clock): Promise<void> {
    if (this.current.length >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = clock.setTimeout(() => {
        this.waiter = undefined;
        resolve();
      }, ms);
      this.waiter = {
        count,
        resolve: () => {
          clock.clearTimeout(timer);
          this.waiter = undefined;
          resolve();
        },
      };
    });
  }
}

function isPending(b: Uint8Array): boolean {
  return b.length === 3 && b[0] === NEGATIVE_RESPONSE_SID && b[2] === NRC.requestCorrectlyReceivedResponsePending;
}

function describeExpectation(e: SweepExpectation): string {
  return typeof e === 'number' ? `NRC 0x${hexByte(e)} (${nrcName(e)})` : `${e} response`;
}

function checkExpectation(expect: SweepExpectation, outcome: SweepOutcome, nrc: number | undefined, detail: string | undefined): string | undefined {
  const got =
    outcome === 'negative' && nrc !== undefined ? `NRC 0x${hexByte(nrc)} (${nrcName(nrc)})` : outcome === 'none' ? 'no response' : outcome === 'positive' ? 'a positive response' : `${outcome}${detail ? `: ${detail}` : ''}`;
  const ok = typeof expect === 'number' ? outcome === 'negative' && nrc === expect : expect === outcome;
  return ok ? undefined : `expected ${describeExpectation(expect)}, got ${got}`;
}

/**
 * Splits what arrived for one exchange into NRC 0x78 pending messages and unsolicited ones; the final
 * response (the last message equal to `final`) is neither.
 */
function splitReceived(received: Uint8Array[], final: Uint8Array | undefined): { pending: Uint8Array[]; unsolicited: Uint8Array[] } {
  const pending: Uint8Array[] = [];
  const unsolicited: Uint8Array[] = [];
  let finalIndex = -1;
  if (final) {
    for (let i = received.length - 1; i >= 0; i--) {
      const r = received[i];
      if (r && bytesEqual(r, final)) {
        finalIndex = i;
        break;
      }
    }
  }
  received.forEach((r, i) => {
    if (i === finalIndex) return;
    if (isPending(r)) pending.push(r);
    else unsolicited.push(r);
  });
  return { pending, unsolicited };
}

/** An exchange whose response is known but whose unsolicited messages may still arrive. */
interface OpenExchange {
  readonly step: SweepStep;
  readonly request: Uint8Array;
  readonly response: Uint8Array | undefined;
  readonly outcome: SweepOutcome;
  readonly nrc: number | undefined;
  readonly detail: string | undefined;
  readonly received: Uint8Array[];
}

/** Sends one request through the client and classifies what it returned or threw. */
async function exchange(client: UdsClient, step: SweepStep, request: Uint8Array, signal: AbortSignal | undefined): Promise<OpenExchange> {
  const base = { step, request, received: [] as Uint8Array[] };
  try {
    const response = await client.request(request, {
      addressing: step.addressing ?? 'physical',
      ...(step.timeoutMs !== undefined ? { timeoutMs: step.timeoutMs } : {}),
      ...(signal ? { signal } : {}),
    });
    return { ...base, response, outcome: response === undefined ? 'none' : 'positive', nrc: undefined, detail: undefined };
  } catch (e) {
    if (e instanceof AbortedError) throw e;
    if (e instanceof NegativeResponseError) {
      // ISO 14229-1:2020 8.3 — the negative response is always `7F SID NRC`.
      const response = Uint8Array.of(NEGATIVE_RESPONSE_SID, e.sid, e.nrc);
      return { ...base, response, outcome: 'negative', nrc: e.nrc, detail: undefined };
    }
    const detail = e instanceof Error ? e.message : String(e);
    const outcome: SweepOutcome = e instanceof TimeoutError ? 'timeout' : 'error';
    return { ...base, response: undefined, outcome, nrc: undefined, detail };
  }
}

/** Sorts what arrived into pending / unsolicited and checks the step's expectation. */
function closeExchange(open: OpenExchange, late: Uint8Array[]): SweepExchange {
  const { pending, unsolicited } = splitReceived([...open.received, ...late], open.response);
  let problem = checkExpectation(open.step.expect ?? 'positive', open.outcome, open.nrc, open.detail);
  const want = open.step.unsolicited;
  if (problem === undefined && want && unsolicited.length < want.count) {
    problem = `expected ${want.count} unsolicited message(s) within ${want.withinMs} ms, got ${unsolicited.length}`;
  }
  return {
    label: open.step.label,
    request: open.request,
    addressing: open.step.addressing ?? 'physical',
    response: open.response,
    outcome: open.outcome,
    nrc: open.nrc,
    pending,
    unsolicited,
    problem,
  };
}

/**
 * Runs `steps` in order against `client`'s ECU and records each exchange (see {@link SweepExchange}).
 * Requests go through `client.request` (so P2/P2*, 0x78 and SPRMIB are handled as usual); the bytes are
 * taken from the client's link. Rejects only with `AbortedError` (signal), `InvalidArgumentError` (a step
 * without a label or with an empty request) or what a step's `before` hook or request function throws.
 */
export async function runServiceSweep(client: UdsClient, steps: readonly SweepStep[], options: SweepOptions = {}): Promise<SweepResult> {
  for (const s of steps) {
    if (!s.label) throw new InvalidArgumentError('runServiceSweep: every step needs a label', { field: 'label' });
  }
  const exchanges: SweepExchange[] = [];
  const ctx: SweepContext = {
    exchanges,
    get last() {
      return exchanges[exchanges.length - 1];
    },
    get(label: string): SweepExchange {
      for (let i = exchanges.length - 1; i >= 0; i--) {
        const x = exchanges[i];
        if (x?.label === label) return x;
      }
      throw new InvalidArgumentError(`service sweep: no exchange labelled "${label}" before this step`, { field: 'label', label });
    },
  };
  const log = new MessageLog(client.target);
  const unsubscribe = client.link.events.on('message', log.onMessage);
  let stoppedEarly: string | undefined;
  // The exchange in progress: messages keep arriving for it until the next request (or the end).
  let open: OpenExchange | undefined;
  const finish = (): void => {
    if (!open) return;
    const x = closeExchange(open, log.take());
    exchanges.push(x);
    open = undefined;
    options.onExchange?.(x);
  };
  try {
    for (const step of steps) {
      if (options.signal?.aborted) throw new AbortedError('service sweep aborted');
      if (client.link.closed) {
        stoppedEarly = `the link closed before step "${step.label}"`;
        break;
      }
      finish();
      await step.before?.(ctx);
      const request = typeof step.request === 'function' ? step.request(ctx) : step.request;
      if (request.length === 0) throw new InvalidArgumentError(`service sweep: step "${step.label}" has an empty request`, { field: 'request' });
      open = await exchange(client, step, request, options.signal);
      open.received.push(...log.take());
      if (step.unsolicited && open.response !== undefined) {
        const already = splitReceived(open.received, open.response).unsolicited.length;
        await log.waitFor(step.unsolicited.count - already, step.unsolicited.withinMs, client.clock);
      }
      if (open.outcome === 'error' && client.link.closed) {
        stoppedEarly = `the link closed during step "${step.label}": ${open.detail ?? ''}`;
        break;
      }
    }
    finish();
  } finally {
    unsubscribe();
  }
  return { exchanges, problems: exchanges.filter((x) => x.problem !== undefined), stoppedEarly };
}

/** One line per exchange: label, request, response (or outcome) and the problem, for logs and test failures. */
export function formatSweep(exchanges: readonly SweepExchange[]): string {
  return exchanges
    .map((x) => {
      const resp = x.response ? toHex(x.response) : `(${x.outcome})`;
      const extra = (x.pending.length ? ` (after ${x.pending.length} x 0x78)` : '') + (x.unsolicited.length ? ` +${x.unsolicited.length} unsolicited` : '');
      return `${x.label.padEnd(28)} ${toHex(x.request)} -> ${resp}${extra}${x.problem ? `  !! ${x.problem}` : ''}`;
    })
    .join('\n');
}
