/**
 * The programming itself (spec/bootloader-and-flashing.md steps 9 and 10):
 * - `flashDriver`: 34 / 36... / 37 of the driver (or VBF secondary bootloader) into RAM, `31 01 0202`
 *   with its CRC32, and optionally `31 01 0301 address` to start it;
 * - `program`: for each block of the plan `31 01 FF00` erase, then per segment 34 / 36... / 37 (the
 *   CRC32 in the 77 response compared with the tester's) and `31 01 0202` checkMemory.
 *
 * A lost TransferData response is repeated with the same counter (tester/download.ts). A lost
 * connection or ECU gets the ECU back (EcuRunner.recover: reconnect or wait, then the resume steps)
 * and writes the interrupted block again from its start — erase included — up to `timing.attempts` tries.
 */
import { uintToBytes } from '../core/bytes.js';
import { hexNum } from '../core/hex.js';
import type { Segment } from '../firmware/image.js';
import { downloadData, type DownloadResult } from '../tester/download.js';
import { checkMemory, checkRoutineStatus, eraseMemory } from '../tester/routines.js';
import { RoutineControlType } from '../uds/codec/0x31-routine-control.js';
import { BlockAttemptsError, FlashVerificationError, isLoss } from './errors.js';
import type { EcuRunner, EngineContext } from './ecu-runner.js';
import { rangeText, type PlanBlock } from './memory-layout.js';
import type { StepRecorder } from './step-record.js';

/** 34 / 36... / 37 of `seg`, progress per acknowledged block (`firmware`: count the bytes as firmware). */
async function download(r: EcuRunner, seg: Segment, firmware: boolean, ctx: EngineContext): Promise<DownloadResult> {
  const job = ctx.job;
  let last = 0;
  const res = await downloadData(r.client, seg.address, seg.data, {
    dataFormatIdentifier: job.download.dataFormatIdentifier,
    addressLength: job.download.addressLength,
    sizeLength: job.download.sizeLength,
    blockLengthIsDataSize: job.download.blockLengthIsDataSize,
    retries: job.timing.retries,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    onProgress: (p) => {
      r.progress.transferred(firmware ? p.bytesSent - last : 0);
      last = p.bytesSent;
      ctx.events.emit('progress', r.progress.snapshot());
    },
  });
  // ISO 14229-1:2020 15.5 — the 77 record is manufacturer specific; the simulator (and many OEMs) put the CRC32 there.
  if (job.verification.transferExitCrc === 'require' && !res.crcVerifiedByEcu) {
    throw new FlashVerificationError(`download of ${rangeText(seg.address, seg.data.length)}: the ECU reported no CRC32 in its RequestTransferExit response (verification.transferExitCrc: require)`, {
      address: seg.address,
    });
  }
  return res;
}

/** `31 01 RID CRC32` when the job checks memory. */
async function check(r: EcuRunner, crc: number, ctx: EngineContext): Promise<void> {
  const cm = ctx.job.verification.checkMemory;
  if (cm === false) return;
  await checkMemory(r.client, crc, cm.routineId);
}

/** The `flashDriver` step: download, check and start the ECU's driver; skipped when it has none. */
export async function downloadDriver(r: EcuRunner, rec: StepRecorder, ctx: EngineContext): Promise<void> {
  const d = r.plan.driver;
  if (!d) {
    rec.note('no flash driver for this ECU (built in)');
    return;
  }
  r.activity('driver');
  for (const seg of d.segments) {
    await r.ensureClient();
    const res = await download(r, seg, false, ctx);
    if (d.check) await check(r, res.crc32, ctx);
  }
  rec.note(`${d.bytes} bytes of ${d.file} at ${hexNum(d.segments[0]?.address ?? 0, 8)}`);
  if (d.activate) {
    // e.g. VBF activateSecondaryBootloader 31 01 0301 with the SBL's call address.
    const res = await r.client.routineControl(RoutineControlType.startRoutine, d.activate.routineId, uintToBytes(d.activate.address, 4));
    checkRoutineStatus('start flash driver', d.activate.routineId, r.address, res.statusRecord, 'the ECU did not start the downloaded driver: check the driver file and its start address');
    rec.note(`started at ${hexNum(d.activate.address, 8)} with routine ${hexNum(d.activate.routineId)}`);
  }
}

/** Erase and write one block. */
async function writeBlock(r: EcuRunner, b: PlanBlock, ctx: EngineContext): Promise<void> {
  const job = ctx.job;
  await r.ensureClient();
  if (b.erase) {
    r.activity('erase', b.index + 1);
    await eraseMemory(r.client, b.erase.address, b.erase.size, { routineId: job.erase.routineId, format: job.erase.format });
  }
  for (const seg of b.segments) {
    r.activity('download', b.index + 1);
    const res = await download(r, seg, true, ctx);
    r.activity('check', b.index + 1);
    await check(r, res.crc32, ctx);
  }
}

/** The `program` step: every block of the plan, each written again from its start after a loss. */
export async function runProgram(r: EcuRunner, rec: StepRecorder, ctx: EngineContext): Promise<void> {
  try {
    await programBlocks(r, rec, ctx);
  } finally {
    r.progress.finish();
    r.programSeconds = r.progress.seconds;
  }
}

async function programBlocks(r: EcuRunner, rec: StepRecorder, ctx: EngineContext): Promise<void> {
  const attempts = ctx.job.timing.attempts;
  for (const b of r.plan.blocks) {
    const before = r.progress.bytes;
    let recoverFrom: unknown;
    // Bounded: at most `attempts` tries of this block.
    for (let attempt = 1; ; attempt++) {
      try {
        if (recoverFrom !== undefined) await r.recover(recoverFrom);
        await writeBlock(r, b, ctx);
        break;
      } catch (e) {
        r.progress.rewind(r.progress.bytes - before);
        if (!isLoss(e)) throw e;
        if (attempt >= attempts) {
          const where = b.erase ? rangeText(b.erase.address, b.erase.size) : rangeText(b.segments[0]?.address ?? 0, b.bytes);
          throw new BlockAttemptsError(
            `block ${b.index + 1} (${where}) could not be written in ${attempts} tries: the connection or the ECU was lost each time (last: ${e instanceof Error ? e.message : String(e)}); ` +
              'check the ECU power supply and the connection (or raise timing.attempts), then run the job again: the ECU stays in its bootloader until then',
            { block: b.index + 1, attempts },
            { cause: e },
          );
        }
        r.recoveries++;
        recoverFrom = e;
        const reason = e instanceof Error ? e.message : String(e);
        rec.note(`block ${b.index + 1} (${b.erase ? rangeText(b.erase.address, b.erase.size) : 'no erase'}): ${reason}; writing it again from its start (try ${attempt + 1} of ${attempts})`);
        ctx.events.emit('recovery', { ecu: r.address, block: b.index + 1, attempt: attempt + 1, reason });
      }
    }
  }
  rec.note(`${r.plan.totalBytes} bytes in ${r.plan.blocks.length} block(s)${r.recoveries > 0 ? `, ${r.recoveries} written again` : ''}`);
}
