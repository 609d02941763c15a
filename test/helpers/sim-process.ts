/** Starts `udskit sim` (the built CLI in dist/) as a child process on an ephemeral 127.0.0.1 port. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A running simulator process. */
export interface SimProcess {
  child: ChildProcess;
  tcpPort: number;
  udpPort: number | null;
  stop(): Promise<void>;
}

/** Spawns `udskit sim --port 0 --json [...extra]` and waits for its "listening" line. */
export function startSimProcess(extra: string[] = []): Promise<SimProcess> {
  const cli = join(repoRoot, 'dist', 'cli', 'main.js');
  if (!existsSync(cli)) throw new Error('dist/cli/main.js is missing: run "npm run build" first');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'sim', '--port', '0', '--json', ...extra], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const rl = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    rl.once('line', (line) => {
      const msg = JSON.parse(line) as { tcpPort: number; udpPort: number | null };
      resolve({
        child,
        tcpPort: msg.tcpPort,
        udpPort: msg.udpPort,
        stop: () =>
          new Promise<void>((r) => {
            if (child.exitCode !== null) return r();
            child.once('exit', () => r());
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`udskit sim exited with ${code}: ${stderr}`)));
  });
}
