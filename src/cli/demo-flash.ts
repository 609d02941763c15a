/**
 * What `udskit demo` runs: the default vehicle in-process on 127.0.0.1, a real flash job (the
 * iso14229-generic template: pre-programming, programming, post-programming) that writes the sample
 * firmware (profiles/firmware/sample-app.s37, moved to the ECU's flash) or a generated image of `size`
 * bytes, then a dump of every segment with RequestUpload and a byte-for-byte comparison.
 */
import { bytesEqual } from '../core/bytes.js';
import { crc32 } from '../core/crc.js';
import { hexNum, toHex } from '../core/hex.js';
import { DoipClient } from '../doip/client.js';
import type { FirmwareImage } from '../firmware/image.js';
import { dumpMemory } from '../flash/dump.js';
import { FlashEngine } from '../flash/engine.js';
import { loadFirmware } from '../flash/firmware-files.js';
import { resolveFlashJob } from '../flash/job-files.js';
import { planFlashJob } from '../flash/plan.js';
import type { FlashReport } from '../flash/report.js';
import { unlockLevel } from '../tester/security.js';
import { UdsClient } from '../uds/client/uds-client.js';
import type { Vehicle } from '../vehicle/vehicle.js';
import { testFirmware } from './demo-scenario.js';
import { SAMPLE_FIRMWARE_FILE } from './sample-firmware.js';

/** Options of {@link runFlashDemo}. */
export interface FlashDemoOptions {
  readonly vehicle: Vehicle;
  readonly ecu: number;
  readonly tester: number;
  /** A generated image of this many bytes instead of the sample firmware. */
  readonly size?: number;
  /** Subscribes to the engine's events (progress display). */
  readonly listen?: (events: FlashEngine['events']) => void;
  /** A line per phase of the demo. */
  readonly onStep?: (line: string) => void;
  /** Called with each dump's progress. */
  readonly onDump?: (bytes: number, total: number) => void;
}

/** The demo's result (`udskit demo --json`). */
export interface FlashDemoSummary {
  readonly ecu: string;
  readonly address: string;
  readonly firmware: string;
  /** Data bytes flashed and read back. */
  readonly bytes: number;
  readonly segments: number;
  /** TransferData requests of the download. */
  readonly blocks: number;
  readonly crc32: string;
  /** The program step (erase, download, check) in seconds. */
  readonly downloadSeconds: number;
  readonly uploadSeconds: number;
  readonly downloadMBps: number;
  readonly uploadMBps: number;
  readonly jobSeconds: number;
  readonly verified: boolean;
  readonly firstMismatchAt?: number;
  readonly report: FlashReport;
}

const GENERATED = '<generated image>';

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

/** Runs the demo against `o.vehicle`. Throws when the flash job fails (the error carries the report's message). */
export async function runFlashDemo(o: FlashDemoOptions): Promise<FlashDemoSummary> {
  const step = o.onStep ?? (() => {});
  const ecu = o.vehicle.ecu(o.ecu);
  if (!ecu) throw new Error(`the vehicle has no ECU at 0x${o.ecu.toString(16)}`);
  const region = ecu.config.memory.find((m) => m.download && m.kind !== 'ram');
  const level = ecu.config.security.levels.find((l) => l.level === ecu.config.programming.securityLevel);
  if (!region || !level) throw new Error(`ECU ${ecu.name} has no downloadable flash or no programming security level`);
  if (o.size !== undefined && o.size > region.size) throw new Error(`--size ${o.size} exceeds the ${region.size} bytes of ${ecu.name}'s ${region.name}`);
  const security = { level: level.level, algorithm: level.algorithm, secret: { hex: toHex(level.secret) }, ...(level.keyLength !== undefined ? { keyLength: level.keyLength } : {}) };
  const job = resolveFlashJob({
    template: 'iso14229-generic',
    name: 'udskit-demo',
    connection: { host: '127.0.0.1', port: o.vehicle.tcpPort, testerAddress: o.tester },
    ecus: [
      {
        address: ecu.address,
        name: ecu.name,
        memory: ecu.config.memory.map((r) => ({ name: r.name, kind: r.kind, start: r.start, size: r.size, sectors: r.sectors })),
        security,
        // The sample is built at base 0: move it to the ECU's flash.
        firmware: [o.size === undefined ? { file: SAMPLE_FIRMWARE_FILE, offset: region.start } : { file: GENERATED }],
      },
    ],
  });
  const generated: FirmwareImage | undefined = o.size === undefined ? undefined : { format: 'binary', segments: [{ address: region.start, data: testFirmware(o.size) }] };
  const plan = await planFlashJob(job, {
    loadFirmware: (s) => (generated && s.file.endsWith(GENERATED) ? Promise.resolve({ file: GENERATED, format: 'binary' as const, image: generated }) : loadFirmware(s)),
  });
  const image = plan.ecus[0]?.blocks.flatMap((b) => b.segments) ?? [];
  step(`flash job ${job.name} (template ${job.template}): ${plan.ecus[0]?.totalBytes} bytes in ${image.length} segment(s) into ${ecu.name}`);

  const engine = new FlashEngine();
  o.listen?.(engine.events);
  const report = await engine.run(plan);
  const result = report.ecus[0];
  if (!report.ok || !result) throw new Error(`the flash job failed: ${result?.failure?.message ?? report.failure?.message ?? 'see the report'}`);

  step('dump: 10 02, 27, 35/36/37 per segment, compare');
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: o.vehicle.tcpPort, testerAddress: o.tester });
  const client = new UdsClient(doip, { target: ecu.address });
  let uploadSeconds = 0;
  let verified = true;
  let firstMismatchAt: number | undefined;
  try {
    await client.diagnosticSessionControl(ecu.config.programming.session);
    await unlockLevel(client, level.level, { algorithm: level.algorithm, secret: level.secret, ...(level.keyLength !== undefined ? { keyLength: level.keyLength } : {}) });
    for (const seg of image) {
      const d = await dumpMemory(client, seg.address, seg.data.length, { method: 'upload', ...(o.onDump ? { onProgress: o.onDump } : {}) });
      uploadSeconds += d.seconds;
      if (!bytesEqual(d.data, seg.data)) {
        verified = false;
        const i = seg.data.findIndex((b, k) => d.data[k] !== b);
        firstMismatchAt ??= seg.address + (i < 0 ? 0 : i);
      }
    }
    await client.diagnosticSessionControl(0x01);
  } finally {
    await client.close();
    await doip.close();
  }
  let crc = 0;
  for (const s of image) crc = crc32(s.data, crc);
  const bytes = result.totalBytes;
  const mb = bytes / 1e6;
  return {
    ecu: ecu.name,
    address: hexNum(region.start, 8),
    firmware: o.size === undefined ? SAMPLE_FIRMWARE_FILE : `generated, ${o.size} bytes`,
    bytes,
    segments: image.length,
    blocks: result.transferRequests,
    crc32: crc.toString(16).toUpperCase().padStart(8, '0'),
    downloadSeconds: result.programSeconds,
    uploadSeconds: round(uploadSeconds),
    downloadMBps: round(result.programSeconds > 0 ? mb / result.programSeconds : 0),
    uploadMBps: round(uploadSeconds > 0 ? mb / uploadSeconds : 0),
    jobSeconds: report.durationSeconds,
    verified,
    ...(firstMismatchAt !== undefined ? { firstMismatchAt } : {}),
    report,
  };
}
