/**
 * A typed client of the simulator's control API (docs/control-api.md), used by `udskit ctl` and by
 * scripts. It talks to loopback addresses only.
 *
 * ```ts
 * const ctl = new ControlClient('http://127.0.0.1:13480');
 * await ctl.patchVehicle({ voltage: 8.5 });
 * const { id } = await ctl.addFault({ type: 'power-loss', ecu: 'engine', during: 'erase' });
 * ```
 */
import { InvalidArgumentError, LinkError } from '../core/errors.js';
import type { VehicleState } from '../ecu/config.js';
import { ControlApiError } from './control-errors.js';
import { CONTROL_API_PREFIX, type EcuListView, type EcuView, type FaultListView, type FaultView, type VehicleView } from './control-types.js';
import type { FaultSpecInput } from './fault-spec.js';

/** Host names a control URL may use. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Options of a {@link ControlClient}. */
export interface ControlClientOptions {
  /** Give up on a request after this many ms. Default 10000. */
  readonly timeoutMs?: number;
}

/** Client of one simulator's control API. */
export class ControlClient {
  /** The base URL without a trailing slash, e.g. `http://127.0.0.1:13480`. */
  readonly url: string;
  private readonly timeoutMs: number;

  /** Throws `InvalidArgumentError` unless `url` is an http URL on 127.0.0.1, [::1] or localhost. */
  constructor(url: string, options: ControlClientOptions = {}) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new InvalidArgumentError(`control URL "${url}" is not a URL; give e.g. http://127.0.0.1:13480`, { field: 'url' });
    }
    if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.has(parsed.hostname)) {
      throw new InvalidArgumentError(`control URL "${url}" must be http:// on 127.0.0.1, [::1] or localhost (the control API listens on loopback only)`, { field: 'url' });
    }
    this.url = `${parsed.protocol}//${parsed.host}`;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Every ECU with its state and memory map. */
  async ecus(): Promise<EcuView[]> {
    return [...(await this.request<EcuListView>('GET', '/ecus')).ecus];
  }

  /** One ECU by address (`0x1010`, 4112) or name. */
  ecu(ref: string | number): Promise<EcuView> {
    return this.request('GET', `/ecus/${encodeURIComponent(String(ref))}`);
  }

  /** The vehicle conditions. */
  vehicle(): Promise<VehicleView> {
    return this.request('GET', '/vehicle');
  }

  /** Changes the vehicle conditions of every ECU. */
  patchVehicle(patch: Partial<VehicleState>): Promise<VehicleView> {
    return this.request('PATCH', '/vehicle', patch);
  }

  /** Switches an ECU off and on; resolves with its state right after (unavailable while it resets). */
  powerCycle(ref: string | number): Promise<EcuView> {
    return this.request('POST', `/ecus/${encodeURIComponent(String(ref))}/power-cycle`);
  }

  /** Adds a fault. */
  addFault(spec: FaultSpecInput): Promise<FaultView> {
    return this.request('POST', '/faults', spec);
  }

  /** Every fault, spent ones included. */
  async faults(): Promise<FaultView[]> {
    return [...(await this.request<FaultListView>('GET', '/faults')).faults];
  }

  /** Removes fault `id` and returns it. */
  async removeFault(id: string): Promise<FaultView> {
    return (await this.request<{ removed: FaultView }>('DELETE', `/faults/${encodeURIComponent(id)}`)).removed;
  }

  /** Removes every fault; returns how many there were. */
  async clearFaults(): Promise<number> {
    return (await this.request<{ removed: number }>('DELETE', '/faults')).removed;
  }

  /**
   * One request. Rejects with `ControlApiError` (the server's error and hint) on a 4xx/5xx answer and with
   * `LinkError` when nothing answers (the message says how to start the simulator with its control API).
   */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const target = `${this.url}${CONTROL_API_PREFIX}${path}`;
    let res: Response;
    try {
      res = await fetch(target, {
        method,
        signal: AbortSignal.timeout(this.timeoutMs),
        ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
      });
    } catch (e) {
      const cause = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);
      throw new LinkError(
        `cannot reach the simulator's control API at ${this.url} (${cause}); start it with "udskit sim --control-port N" and pass --url http://127.0.0.1:N (or --port N)`,
        { url: this.url },
        { cause: e },
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      throw new ControlApiError(res.status, `${method} ${target} answered ${res.status} with a body that is not JSON`, 'is this port the simulator\'s control API?');
    }
    if (!res.ok) {
      const err = json as { error?: unknown; hint?: unknown } | undefined;
      throw new ControlApiError(res.status, typeof err?.error === 'string' ? err.error : `${method} ${path} failed with HTTP ${res.status}`, typeof err?.hint === 'string' ? err.hint : '');
    }
    return json as T;
  }
}
