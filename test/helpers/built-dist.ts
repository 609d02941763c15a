/**
 * Whether dist/ holds a build of the current sources: tests and benchmarks that run the built CLI
 * (`node dist/cli/main.js`) must not measure or check an older build after the sources changed.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Why `<root>/dist` is not a build of `<root>/src` (a compiled file missing, or older than its source),
 * or undefined when it is current. Walks the source tree once (bounded by it).
 */
export function staleBuild(root: string): string | undefined {
  const src = join(root, 'src');
  const stack = [src];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) stack.push(p);
      else if (e.name.endsWith('.ts')) {
        const out = join(root, 'dist', relative(src, p)).replace(/\.ts$/, '.js');
        if (!existsSync(out)) return `${relative(root, out)} is missing`;
        if (statSync(out).mtimeMs < statSync(p).mtimeMs) return `${relative(root, out)} is older than ${relative(root, p)}`;
      }
    }
  }
  return undefined;
}
