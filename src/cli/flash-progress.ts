/**
 * What `udskit flash` shows while a job runs, on stderr: on a terminal a progress bar per ECU
 * (cli-progress MultiBar: bytes, rate, ETA, what it is doing) with the finished steps logged above the
 * bars; otherwise plain lines (each step, and each ECU's progress every 10 %).
 */
import cliProgress from 'cli-progress';
import { hexNum } from '../core/hex.js';
import type { FlashEngine } from '../flash/engine.js';
import type { EcuProgress } from '../flash/progress.js';
import type { StepRecord } from '../flash/report.js';

/** Stops the display (idempotent). */
export type StopDisplay = () => void;

function stepLine(s: StepRecord): string {
  const who = s.ecu === undefined ? 'all ECUs' : hexNum(s.ecu);
  const mark = s.outcome === 'ok' ? 'ok' : s.outcome === 'skipped' ? 'skipped' : s.optional ? 'failed (optional)' : 'FAILED';
  return `${s.phase} ${who} ${s.name}: ${mark}${s.failure ? ` — ${s.failure.message}` : s.detail ? ` (${s.detail})` : ''}`;
}

function kib(n: number): string {
  return (n / 1024).toFixed(1);
}

/** Shows `engine`'s progress for `ecus` (address -> name) on stderr; `enabled` false shows nothing. */
export function showFlashProgress(engine: Pick<FlashEngine, 'events'>, ecus: ReadonlyMap<number, string>, enabled: boolean): StopDisplay {
  if (!enabled) return () => {};
  const offs: (() => void)[] = [];
  if (process.stderr.isTTY) {
    const multi = new cliProgress.MultiBar(
      {
        format: '{ecu} [{bar}] {percentage}% | {kib}/{totalKib} KiB | {rate} KiB/s | ETA {etaText} | {activity}',
        barCompleteChar: '#',
        barIncompleteChar: '.',
        hideCursor: true,
        stream: process.stderr,
        fps: 10,
        clearOnComplete: false,
      },
      cliProgress.Presets.shades_classic,
    );
    const bars = new Map<number, cliProgress.SingleBar>();
    const payload = (p: EcuProgress): Record<string, string | number> => ({
      ecu: `${hexNum(p.ecu)} ${p.name}`.padEnd(22),
      kib: kib(p.bytes),
      totalKib: kib(p.totalBytes),
      rate: kib(p.bytesPerSecond),
      etaText: p.etaSeconds === undefined ? '-' : `${Math.ceil(p.etaSeconds)}s`,
      activity: p.activity + (p.blocks > 0 && p.block > 0 ? ` ${p.block}/${p.blocks}` : ''),
    });
    offs.push(
      engine.events.on('progress', (p) => {
        let bar = bars.get(p.ecu);
        if (!bar) {
          bar = multi.create(Math.max(1, p.totalBytes), 0, payload(p));
          bars.set(p.ecu, bar);
        }
        bar.update(p.bytes, payload(p));
      }),
      engine.events.on('step', (s) => {
        if (s.outcome !== 'ok') multi.log(`${stepLine(s)}\n`);
      }),
    );
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      for (const off of offs) off();
      multi.stop();
    };
  }
  const lastTenth = new Map<number, number>();
  offs.push(
    engine.events.on('step', (s) => process.stderr.write(`${stepLine(s)}\n`)),
    engine.events.on('progress', (p) => {
      if (p.totalBytes === 0) return;
      const tenth = Math.floor((p.bytes / p.totalBytes) * 10);
      if (tenth === (lastTenth.get(p.ecu) ?? -1) || p.activity !== 'download') return;
      lastTenth.set(p.ecu, tenth);
      process.stderr.write(`${hexNum(p.ecu)} ${ecus.get(p.ecu) ?? ''}: ${tenth * 10}% ${kib(p.bytes)}/${kib(p.totalBytes)} KiB, ${kib(p.bytesPerSecond)} KiB/s${p.etaSeconds !== undefined ? `, ETA ${Math.ceil(p.etaSeconds)} s` : ''}\n`);
    }),
    engine.events.on('recovery', (r) => process.stderr.write(`${hexNum(r.ecu)}: ${r.reason}; writing block ${r.block} again (try ${r.attempt})\n`)),
  );
  return () => {
    for (const off of offs.splice(0)) off();
  };
}
