/** Progress bars for long work (downloads, uploads), drawn on stderr only when it is a terminal. */
import cliProgress from 'cli-progress';

/** A byte-progress bar; every method is a no-op when disabled. */
export interface ByteProgress {
  update(bytes: number): void;
  stop(): void;
}

/** Creates a bar titled `title` over `total` bytes; disabled with `--json`, `--quiet` or without a TTY. */
export function createByteProgress(title: string, total: number, enabled: boolean): ByteProgress {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${title.padEnd(10)} [{bar}] {percentage}% | {kib}/{totalKib} KiB | {rate} KiB/s | ETA {eta}s`,
      barCompleteChar: '#',
      barIncompleteChar: '.',
      hideCursor: true,
      stream: process.stderr,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  const start = performance.now();
  const totalKib = Math.ceil(total / 1024);
  bar.start(total, 0, { kib: 0, totalKib, rate: 0 });
  return {
    update(bytes: number) {
      const s = (performance.now() - start) / 1000;
      bar.update(bytes, { kib: Math.floor(bytes / 1024), totalKib, rate: s > 0 ? Math.round(bytes / 1024 / s) : 0 });
    },
    stop() {
      bar.stop();
    },
  };
}
