/**
 * Reading firmware back (spec/bootloader-and-flashing.md "Retrieval"): 35 RequestUpload over the range,
 * 36 with empty requests, 37 (tester/upload.ts); where the ECU does not offer 35 (NRC 0x11
 * serviceNotSupported or 0x7F serviceNotSupportedInActiveSession) 23 ReadMemoryByAddress in chunks.
 */
import { InvalidArgumentError } from '../core/errors.js';
import { TransferStepError } from '../tester/errors.js';
import { uploadData } from '../tester/upload.js';
import { NegativeResponseError } from '../uds/client/errors.js';
import type { UdsClient } from '../uds/client/uds-client.js';

/** NRCs that mean "35 is not offered here" (ISO 14229-1:2020 table A.1). */
export const UPLOAD_NOT_OFFERED: ReadonlySet<number> = new Set([0x11, 0x7f]);

/** How the memory was read. */
export type DumpMethod = 'upload' | 'read-memory';

/** Options of {@link dumpMemory}. */
export interface DumpOptions {
  /** `auto` (default): 35, else 23; or force one. */
  method?: 'auto' | DumpMethod;
  /** Largest 23 request in bytes (default 0x800, capped by the link). */
  blockSize?: number;
  /** Address / size bytes on the wire (default 4 / 4). */
  addressLength?: number;
  sizeLength?: number;
  /** Repeats of a 36 block whose response was lost (default 1). */
  retries?: number;
  signal?: AbortSignal;
  /** Called as data arrives. */
  onProgress?: (bytes: number, total: number, method: DumpMethod) => void;
}

/** What {@link dumpMemory} read. */
export interface DumpResult {
  readonly data: Uint8Array;
  readonly method: DumpMethod;
  /** Requests carrying data (36 or 23). */
  readonly requests: number;
  readonly seconds: number;
  /** Why 23 was used in `auto` mode. */
  readonly fallback?: string;
}

function notOffered(e: unknown): NegativeResponseError | undefined {
  const cause = e instanceof TransferStepError && e.step === 'requestUpload' ? e.cause : undefined;
  return cause instanceof NegativeResponseError && UPLOAD_NOT_OFFERED.has(cause.nrc) ? cause : undefined;
}

async function readMemory(client: UdsClient, address: number, size: number, o: DumpOptions): Promise<{ data: Uint8Array; requests: number }> {
  // The response is 63 + data: it must fit the link's largest message.
  const block = Math.max(1, Math.min(o.blockSize ?? 0x800, client.link.maxMessageSize - 1));
  const data = new Uint8Array(size);
  let requests = 0;
  // Bounded: ceil(size / block) requests.
  for (let off = 0; off < size; off += block) {
    const n = Math.min(block, size - off);
    const chunk = await client.readMemoryByAddress(
      { address: address + off, size: n, addressLength: o.addressLength ?? 4, sizeLength: o.sizeLength ?? 4 },
      o.signal ? { signal: o.signal } : undefined,
    );
    data.set(chunk, off);
    requests++;
    o.onProgress?.(off + n, size, 'read-memory');
  }
  return { data, requests };
}

/** Reads `size` bytes at `address`: 35 / 36 / 37, or 23 where 35 is not offered. */
export async function dumpMemory(client: UdsClient, address: number, size: number, o: DumpOptions = {}): Promise<DumpResult> {
  if (!Number.isInteger(size) || size < 1 || !Number.isInteger(address) || address < 0 || address + size > 0x1_0000_0000) {
    throw new InvalidArgumentError(`dump: the range ${address} + ${size} must be non-empty and inside 0..0xFFFFFFFF`, { field: 'range' });
  }
  const t0 = client.clock.now();
  const seconds = (): number => (client.clock.now() - t0) / 1000;
  const method = o.method ?? 'auto';
  if (method !== 'read-memory') {
    let blocks = 0;
    try {
      const data = await uploadData(client, address, size, {
        ...(o.addressLength !== undefined ? { addressLength: o.addressLength } : {}),
        ...(o.sizeLength !== undefined ? { sizeLength: o.sizeLength } : {}),
        ...(o.retries !== undefined ? { retries: o.retries } : {}),
        ...(o.signal ? { signal: o.signal } : {}),
        onProgress: (p) => {
          blocks = p.block;
          o.onProgress?.(p.bytesReceived, size, 'upload');
        },
      });
      return { data, method: 'upload', requests: blocks, seconds: seconds() };
    } catch (e) {
      const nrc = notOffered(e);
      if (method === 'upload' || !nrc) throw e;
      const r = await readMemory(client, address, size, o);
      return { ...r, method: 'read-memory', seconds: seconds(), fallback: `RequestUpload (0x35) refused with ${nrc.nrcName} (0x${nrc.nrc.toString(16).toUpperCase()})` };
    }
  }
  const r = await readMemory(client, address, size, o);
  return { ...r, method: 'read-memory', seconds: seconds() };
}
