/**
 * The seed-000 scenario as `udskit demo` runs it: programming session, unlock, erase, download,
 * check memory, reset, programming session again, unlock, read back, compare, default session.
 */
import { crc32 } from '../core/crc.js';
import { bytesEqual } from '../core/bytes.js';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { waitForEcu } from '../tester/wait-for-ecu.js';
import type { SecurityAlgorithm } from '../uds/security/algorithms.js';
import type { Tester } from '../tester/tester.js';

/** What the scenario needs to know about the target ECU. */
export interface FlashReadBackOptions {
  address: number;
  data: Uint8Array;
  /** Erase length (whole sectors of the region); defaults to `data.length`. */
  eraseSize?: number;
  securityLevel: number;
  algorithm: string | SecurityAlgorithm;
  secret: Uint8Array;
  keyLength?: number;
  /** Called with a phase name and the bytes done so far. */
  onProgress?: (phase: 'download' | 'upload', bytes: number, total: number) => void;
  /** Called when a step starts, for a log of what happens. */
  onStep?: (step: string) => void;
  clock?: Clock;
}

/** The result of the scenario, as `udskit demo --json` prints it. */
export interface FlashReadBackSummary {
  bytes: number;
  blocks: number;
  crc32: string;
  downloadSeconds: number;
  uploadSeconds: number;
  downloadMBps: number;
  uploadMBps: number;
  verified: boolean;
  firstMismatchAt?: number;
}

/** Runs the scenario on `tester`. Throws the tester's typed errors, which name the step that failed. */
export async function flashAndReadBack(tester: Tester, o: FlashReadBackOptions): Promise<FlashReadBackSummary> {
  const step = o.onStep ?? (() => {});
  const clock = o.clock ?? systemClock;
  const unlock = { algorithm: o.algorithm, secret: o.secret, ...(o.keyLength !== undefined ? { keyLength: o.keyLength } : {}) };

  step('10 02 programming session');
  await tester.openSession(0x02);
  step(`27 ${hex2(o.securityLevel)}/${hex2(o.securityLevel + 1)} security access`);
  await tester.unlock(o.securityLevel, unlock);
  step(`31 01 FF00 erase ${o.eraseSize ?? o.data.length} bytes at 0x${o.address.toString(16).toUpperCase()}`);
  await tester.eraseMemory(o.address, o.eraseSize ?? o.data.length);

  step('34/36/37 download');
  const t0 = performance.now();
  const dl = await tester.download(o.address, o.data, {
    onProgress: (p) => o.onProgress?.('download', p.bytesSent, p.totalBytes),
  });
  const downloadSeconds = (performance.now() - t0) / 1000;
  const crc = crc32(o.data);
  step('31 01 0202 check memory');
  await tester.checkMemory(crc);

  step('11 01 hard reset');
  await tester.reset(0x01);
  const unreachable = await waitForEcu(tester.client, { clock });
  if (unreachable > 0) step(`  the ECU restarted (the gateway answered NACK 06 "target unreachable" ${unreachable} time(s))`);
  step('10 02 programming session');
  await tester.openSession(0x02);
  step(`27 ${hex2(o.securityLevel)}/${hex2(o.securityLevel + 1)} security access (a reset relocks)`);
  await tester.unlock(o.securityLevel, unlock);

  step('35/36/37 read back');
  const t1 = performance.now();
  const back = await tester.upload(o.address, o.data.length, {
    onProgress: (p) => o.onProgress?.('upload', p.bytesReceived, p.totalBytes),
  });
  const uploadSeconds = (performance.now() - t1) / 1000;
  const verified = bytesEqual(back, o.data);
  let firstMismatchAt: number | undefined;
  if (!verified) {
    const n = Math.min(back.length, o.data.length);
    firstMismatchAt = o.address + n;
    for (let i = 0; i < n; i++) {
      if (back[i] !== o.data[i]) {
        firstMismatchAt = o.address + i;
        break;
      }
    }
  }
  step('10 01 default session');
  await tester.closeSession();
  const mb = o.data.length / 1e6;
  return {
    bytes: o.data.length,
    blocks: dl.blocks,
    crc32: crc.toString(16).toUpperCase().padStart(8, '0'),
    downloadSeconds: round(downloadSeconds),
    uploadSeconds: round(uploadSeconds),
    downloadMBps: round(downloadSeconds > 0 ? mb / downloadSeconds : 0),
    uploadMBps: round(uploadSeconds > 0 ? mb / uploadSeconds : 0),
    verified,
    ...(firstMismatchAt !== undefined ? { firstMismatchAt } : {}),
  };
}

function hex2(v: number): string {
  return v.toString(16).toUpperCase().padStart(2, '0');
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Deterministic pseudo-random test firmware of `size` bytes (xorshift32), so runs are comparable. */
export function testFirmware(size: number, seed = 0x2545f491): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  return out;
}
