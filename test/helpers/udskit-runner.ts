/**
 * Runs the udskit CLI as a user does, for tests that run it many times (about 0.3 s a run instead of
 * 1 s through tsx): the built `dist/cli/main.js` when it is at least as new as every source file (CI
 * builds it first), else a bundle of the sources. At most {@link MAX_PARALLEL} runs at a time.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { staleBuild } from './built-dist.js';
import { repoRoot } from './sim-process.js';

/** What a run produced. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs at the same time (the machine may have 2 cores shared with other test files). */
const MAX_PARALLEL = 3;

/** Longest one run may take. */
const RUN_LIMIT_MS = 30_000;

function newestSourceIsBuilt(): boolean {
  return staleBuild(repoRoot) === undefined;
}

let bundleDir: string | undefined;

/** Removes the bundle (call it from `afterAll`: test workers may end without an 'exit' event). */
export function removeCliBundle(): void {
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = undefined;
}

/**
 * Bundles src/cli/main.ts with esbuild (installed with tsx and vite) into a temporary directory; undefined
 * when esbuild is missing or fails. The bundle suits commands that do not locate files next to their
 * own module (the shipped profiles): `image` is one of them.
 */
function bundle(): string | undefined {
  const esbuild = join(repoRoot, 'node_modules', '.bin', 'esbuild');
  if (!existsSync(esbuild)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'udskit-cli-bundle-'));
  bundleDir = dir;
  process.once('exit', removeCliBundle);
  const out = join(dir, 'main.mjs');
  try {
    execFileSync(esbuild, [
      join(repoRoot, 'src', 'cli', 'main.ts'),
      '--bundle',
      '--platform=node',
      '--format=esm',
      `--outfile=${out}`,
      '--log-level=error',
      // CommonJS dependencies (commander) call require(): give the ES module one.
      "--banner:js=import { createRequire as __udskitRequire } from 'node:module'; const require = __udskitRequire(import.meta.url);",
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return out;
  } catch {
    return undefined;
  }
}

/**
 * How the CLI is started: `node dist/cli/main.js` when dist is up to date, else an esbuild bundle of the
 * sources, else `node --import tsx src/cli/main.ts` (slowest). `UDSKIT_CLI=dist|bundle|tsx` forces one.
 */
export const cliLauncher: { readonly how: 'dist' | 'bundle' | 'tsx'; readonly args: readonly string[] } = (() => {
  const forced = process.env.UDSKIT_CLI;
  if (forced === 'dist' || (forced === undefined && newestSourceIsBuilt())) return { how: 'dist', args: [join(repoRoot, 'dist', 'cli', 'main.js')] };
  const bundled = forced === 'tsx' ? undefined : bundle();
  if (bundled !== undefined) return { how: 'bundle', args: [bundled] };
  // An absolute loader path: runs in a temporary directory cannot resolve the bare name `tsx`.
  return { how: 'tsx', args: ['--import', pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(repoRoot, 'src', 'cli', 'main.ts')] };
})();

let running = 0;
const waiting: (() => void)[] = [];

async function slot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) await new Promise<void>((r) => waiting.push(r));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

/** Runs `udskit ...args` in `cwd` (default the repository) and resolves with its exit code and output. */
export function udskit(args: readonly string[], cwd = repoRoot): Promise<RunResult> {
  return slot(
    () =>
      new Promise<RunResult>((resolve) => {
        execFile(
          process.execPath,
          [...cliLauncher.args, ...args],
          { cwd, timeout: RUN_LIMIT_MS, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
          (err, stdout, stderr) => {
            const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
  );
}
