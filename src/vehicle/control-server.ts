/**
 * The simulator's HTTP control API (docs/control-api.md): JSON in and out over `node:http`, on the
 * loopback interface only (127.0.0.1 or ::1), off unless asked for (`udskit sim --control-port N`, the
 * vehicle file's `control: { port }`, or `Vehicle.start(cfg, { controlPort })`).
 *
 * Local tools only: a request carrying an `Origin` header (a web page) or a `Host` header other than
 * the loopback address and port is refused with 403, and a body must be `application/json` (415), so a
 * web page can neither read nor drive the simulator.
 *
 * ```ts
 * const vehicle = await Vehicle.start(defaultVehicle, { port: 0, controlPort: 0 });
 * const res = await fetch(`${vehicle.control!.url}/api/v1/ecus`);
 * ```
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LinkError } from '../core/errors.js';
import { silentLogger, type Logger } from '../core/logger.js';
import type { SimulatedEcu } from '../ecu/simulated-ecu.js';
import { assertControlHost, assertControlPort, type ControlHost } from './control-config.js';
import { handleControlRequest, type ControlResponse } from './control-routes.js';
import { FaultInjector } from './fault-injector.js';

/** Largest request body accepted (bytes). */
export const MAX_CONTROL_BODY_BYTES = 64 * 1024;

/** What a control server works on: the vehicle's name and ECUs, and how to drop a tester's connection. */
export interface ControlServerTarget {
  readonly name: string;
  readonly ecus: readonly SimulatedEcu[];
  /** Closes the connection of tester `testerAddress` (the `drop-connection` fault); false when there is none. */
  dropTester(ecu: SimulatedEcu, testerAddress: number): boolean;
}

/** Options of {@link ControlServer.start}. */
export interface ControlServerOptions {
  /** 127.0.0.1 (default) or ::1; anything else is refused with `InvalidArgumentError`. */
  readonly host?: string;
  /** TCP port, 0 (default) = any free port. */
  readonly port?: number;
  /** Requests (debug), failures and fired faults (info). Default `silentLogger`. */
  readonly logger?: Logger;
}

/** A listening control API. */
export class ControlServer {
  private closed = false;
  private boundPort = 0;

  private constructor(
    private readonly server: http.Server,
    /** The loopback address it listens on. */
    readonly host: ControlHost,
    /** The fault injector behind `/api/v1/faults` (also usable directly). */
    readonly faults: FaultInjector,
  ) {}

  /** The bound port. */
  get port(): number {
    return this.boundPort;
  }

  /** `http://127.0.0.1:PORT` or `http://[::1]:PORT`. */
  get url(): string {
    return `http://${this.host === '::1' ? '[::1]' : this.host}:${this.port}`;
  }

  /**
   * Starts listening and installs the fault injector on the target's ECUs. Throws `InvalidArgumentError`
   * for a host that is not loopback or a bad port, `LinkError` when the port is taken.
   */
  static async start(target: ControlServerTarget, options: ControlServerOptions = {}): Promise<ControlServer> {
    const host = assertControlHost(options.host ?? '127.0.0.1');
    const port = assertControlPort(options.port ?? 0);
    const logger = options.logger ?? silentLogger;
    const faults = new FaultInjector({ ecus: target.ecus, dropTester: (ecu, t) => target.dropTester(ecu, t) }, { logger });
    const server = http.createServer();
    const self = new ControlServer(server, host, faults);
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => void self.serve(target, logger, req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (e) {
      faults.dispose();
      throw new LinkError(`cannot listen for the control API on ${host} port ${port}: ${(e as Error).message}; choose another port (0 = any free port)`, { host, port }, { cause: e });
    }
    server.on('error', (e) => logger.error('control API server error', { error: e.message }));
    self.boundPort = (server.address() as AddressInfo).port;
    logger.info('control API listening', { url: self.url });
    return self;
  }

  /** Stops listening, closes open connections, removes the faults and their interceptors. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.faults.dispose();
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await done;
  }

  private async serve(target: ControlServerTarget, logger: Logger, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const refused = this.refusal(req);
    if (refused) {
      req.resume();
      send(res, refused);
      return;
    }
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (e) {
      send(res, e instanceof BodyError ? e.response : { status: 400, body: { error: String(e), hint: 'send a JSON body' } });
      if (e instanceof BodyError && e.response.status === 413) req.destroy();
      return;
    }
    send(res, handleControlRequest({ name: target.name, ecus: target.ecus, faults: this.faults, logger }, { method: req.method ?? 'GET', path: req.url ?? '/', body }));
  }

  /** 403 for requests that do not come from a local tool. */
  private refusal(req: http.IncomingMessage): ControlResponse | undefined {
    if (req.headers.origin !== undefined) {
      return forbidden('requests from web pages (with an Origin header) are refused', 'the control API is for local tools: udskit ctl, curl, scripts');
    }
    const hostHeader = req.headers.host?.toLowerCase();
    const allowed = [`127.0.0.1:${this.port}`, `localhost:${this.port}`, `[::1]:${this.port}`];
    if (hostHeader !== undefined && !allowed.includes(hostHeader)) {
      return forbidden(`Host "${hostHeader}" is not this server's loopback address`, `use ${this.url}`);
    }
    return undefined;
  }
}

function forbidden(error: string, hint: string): ControlResponse {
  return { status: 403, body: { error, hint } };
}

/** A request body that cannot be used, with the answer to give. */
class BodyError extends Error {
  constructor(readonly response: ControlResponse) {
    super(String((response.body as { error: string }).error));
  }
}

/** Reads the body: undefined when empty, else JSON (415 when not `application/json`, 400 when not JSON, 413 when too large). */
async function readJsonBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CONTROL_BODY_BYTES) {
      throw new BodyError({ status: 413, body: { error: `request body larger than ${MAX_CONTROL_BODY_BYTES} bytes`, hint: 'control requests are small JSON objects' } });
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new BodyError({
      status: 415,
      body: { error: `a request body must be JSON (Content-Type: application/json), got "${type}"`, hint: "curl -H 'content-type: application/json' -d '{...}'" },
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new BodyError({ status: 400, body: { error: `the body is not valid JSON: ${(e as Error).message}`, hint: 'send one JSON object, e.g. {"voltage": 8.5}' } });
  }
}

function send(res: http.ServerResponse, r: ControlResponse): void {
  const text = JSON.stringify(r.body) + '\n';
  res.writeHead(r.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...r.headers,
  });
  res.end(text);
}
