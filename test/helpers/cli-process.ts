/** Runs the udskit CLI from the sources (`node --import tsx src/cli/main.ts ...`) as a user would, and collects its output. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './sim-process.js';

/** What a CLI run produced. */
export interface CliResult {
  /** Exit code (null when killed). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Longest a single CLI run may take before the helper kills it. */
const RUN_LIMIT_MS = 15_000;

/** Runs `udskit ...args` with `env` added to the environment; resolves when the process exits. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const limit = setTimeout(() => child.kill('SIGKILL'), RUN_LIMIT_MS);
    child.once('error', (e) => {
      clearTimeout(limit);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(limit);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses the single JSON object a `--json` run prints on stdout. */
export function jsonOf(r: CliResult): Record<string, unknown> {
  const lines = r.stdout.trim().split('\n');
  if (lines.length !== 1) throw new Error(`expected one JSON line, got:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return JSON.parse(lines[0] as string) as Record<string, unknown>;
}

/**
 * `env` with its own tester address: CLI runs at the same time need different ones, since a DoIP entity
 * refuses a second connection from an address that is active (routing activation code 0x03).
 */
export function asTester(env: Record<string, string>, n: number): Record<string, string> {
  return { ...env, UDSKIT_TESTER: `0x${(0x0e00 + n).toString(16).toUpperCase()}` };
}
