/**
 * The UDS client of a flash job: a `UdsClient` that records every request it sends, with the response
 * (or NRC, or failure), the number of 0x78 answers and the time, into the step being run — so the report
 * shows exactly what went over the wire. TransferData (0x36) requests are only counted.
 */
import { toHex } from '../core/hex.js';
import type { UdsLink } from '../core/link.js';
import { NegativeResponseError } from '../uds/client/errors.js';
import type { UdsClientOptions } from '../uds/client/options.js';
import type { RequestOptions } from '../uds/client/types.js';
import { UdsClient } from '../uds/client/uds-client.js';
import type { ExchangeRecord } from './report.js';

/** Bytes of a request or response kept in the report. */
export const RECORDED_BYTES = 64;

/** Where a {@link FlashClient} records. */
export interface ExchangeSink {
  /** A request (other than TransferData) finished. */
  exchange(record: ExchangeRecord): void;
  /** A TransferData request finished: `dataBytes` after SID and counter. */
  transfer(dataBytes: number): void;
}

function hexOf(b: Uint8Array): string {
  return toHex(b.subarray(0, RECORDED_BYTES)) + (b.length > RECORDED_BYTES ? ` ... (${b.length} bytes)` : '');
}

/** A UdsClient whose requests are recorded into `sink` while it is set. */
export class FlashClient extends UdsClient {
  /** Where requests are recorded; undefined: nowhere. */
  sink: ExchangeSink | undefined;
  private pending = 0;

  constructor(link: UdsLink, options: UdsClientOptions) {
    super(link, options);
    this.events.on('responsePending', (p) => {
      if (p.source === this.target) this.pending++;
    });
  }

  override request(data: Uint8Array, opts: RequestOptions & { suppressPositiveResponse: true }): Promise<Uint8Array | undefined>;
  override request(data: Uint8Array, opts?: RequestOptions & { suppressPositiveResponse?: false }): Promise<Uint8Array>;
  override request(data: Uint8Array, opts?: RequestOptions): Promise<Uint8Array | undefined>;
  override request(data: Uint8Array, opts: RequestOptions = {}): Promise<Uint8Array | undefined> {
    const sink = this.sink;
    const p = super.request(data, opts);
    if (!sink) return p;
    if (data[0] === 0x36) {
      return p.then((r) => {
        sink.transfer(Math.max(0, data.length - 2));
        return r;
      });
    }
    const t0 = this.clock.now();
    const pendingBefore = this.pending;
    const addressing = opts.addressing ?? 'physical';
    const base = (): { request: string; addressing: 'physical' | 'functional'; pending: number; ms: number } => ({
      request: hexOf(data),
      addressing,
      pending: this.pending - pendingBefore,
      ms: this.clock.now() - t0,
    });
    return p.then(
      (r) => {
        sink.exchange({ ...base(), ...(r ? { response: hexOf(r) } : {}) });
        return r;
      },
      (e: unknown) => {
        if (e instanceof NegativeResponseError) sink.exchange({ ...base(), nrc: { code: e.nrc, name: e.nrcName } });
        else sink.exchange({ ...base(), error: e instanceof Error ? e.message : String(e) });
        throw e;
      },
    );
  }
}
