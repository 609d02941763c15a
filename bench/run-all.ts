/**
 * `npm run bench`: runs every benchmark of bench/ one after the other, each in its own process so that
 * one's memory and JIT state do not colour the next.
 *
 *   npm run bench                         (each benchmark's table)
 *   npm run bench -- --json               (one JSON object: { benchmarks: [ ...each one's object ] })
 *   npm run bench -- --only transfer      (a comma-separated subset: transfer, memory, flash, firmware)
 *
 * Other arguments go to every benchmark (e.g. `--rounds 5`); each one ignores what it does not know.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The benchmarks, in the order they run. */
const BENCHMARKS = ['transfer', 'memory', 'flash', 'firmware'] as const;

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1] ?? '').split(',').filter(Boolean) : undefined;
const passThrough = onlyAt >= 0 ? [...args.slice(0, onlyAt), ...args.slice(onlyAt + 2)] : args;

function run(name: string): Promise<string> {
  const file = join(here, `${name}.bench.ts`);
  if (!existsSync(file)) throw new Error(`bench/${name}.bench.ts is missing`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...passThrough], {
      stdio: ['ignore', json ? 'pipe' : 'inherit', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`bench/${name}.bench.ts exited with ${code}`))));
  });
}

async function main(): Promise<void> {
  const unknown = (only ?? []).filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${BENCHMARKS.join(', ')}`);
  const results: unknown[] = [];
  for (const name of BENCHMARKS) {
    if (only && !only.includes(name)) continue;
    if (!json) process.stdout.write(`\n== ${name}\n`);
    const out = await run(name);
    if (json) {
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
      if (!line) throw new Error(`bench/${name}.bench.ts printed no JSON object`);
      results.push(JSON.parse(line));
    }
  }
  if (json) process.stdout.write(JSON.stringify({ node: process.version, benchmarks: results }) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
