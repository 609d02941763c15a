/**
 * The reference tools of the firmware parity tests: Debian's `srecord` (`srec_cat`, `srec_info`) and
 * `python3-intelhex`. Each is looked up once; tests skip with a message when one is missing.
 */
import { execFileSync } from 'node:child_process';

function runs(cmd: string, args: readonly string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when `srec_cat` and `srec_info` are installed. */
export const hasSrecord = runs('srec_cat', ['-VERSion']) && runs('srec_info', ['-VERSion']);

/** A Python that can `import intelhex` (Debian's /usr/bin/python3 first), or undefined. */
export const intelhexPython: string | undefined = ['/usr/bin/python3', 'python3'].find((py) => runs(py, ['-c', 'import intelhex']));

/** Runs `srec_cat args` in `cwd`; throws with its stderr on failure. */
export function srecCat(args: readonly string[], cwd: string): void {
  try {
    execFileSync('srec_cat', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    throw new Error(`srec_cat ${args.join(' ')} failed: ${String((e as { stderr?: Buffer }).stderr ?? e)}`, { cause: e });
  }
}

/** What `srec_info` reports. */
export interface SrecInfo {
  format: string;
  header?: string;
  startAddress?: number;
  /** Data ranges `[start, end)`. */
  ranges: { start: number; end: number }[];
}

/** Runs `srec_info file [formatArgs]` in `cwd` and parses its output. */
export function srecInfo(file: string, formatArgs: readonly string[], cwd: string): SrecInfo {
  const out = execFileSync('srec_info', [file, ...formatArgs], { cwd, encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const info: SrecInfo = { format: '', ranges: [] };
  let inData = false;
  for (const line of out.split('\n')) {
    const m = /^(Format|Header|Execution Start Address|Data):\s*(.*)$/.exec(line);
    if (m) {
      inData = m[1] === 'Data';
      if (m[1] === 'Format') info.format = m[2] as string;
      else if (m[1] === 'Header') info.header = (m[2] as string).replace(/^"|"$/g, '');
      else if (m[1] === 'Execution Start Address') info.startAddress = parseInt(m[2] as string, 16);
    }
    const r = /([0-9A-F]+) - ([0-9A-F]+)\s*$/.exec(inData ? line : '');
    if (r) info.ranges.push({ start: parseInt(r[1] as string, 16), end: parseInt(r[2] as string, 16) + 1 });
  }
  return info;
}

/** What python3-intelhex reads from a file: `segments()` (end exclusive) and `start_addr` as one linear address. */
export interface IntelhexView {
  segments: [number, number][];
  start?: number;
}

const PY_READ = `
import json, sys
from intelhex import IntelHex
out = {}
for f in sys.argv[1:]:
    ih = IntelHex()
    ih.loadhex(f)
    s = ih.start_addr
    start = None
    if s:
        start = s['EIP'] if 'EIP' in s else s['CS'] * 16 + s['IP']
    out[f] = {'segments': ih.segments(), 'start': start}
print(json.dumps(out))
`;

const PY_WRITE = `
import sys
from intelhex import IntelHex
for pair in sys.argv[1:]:
    src, dst = pair.split('=', 1)
    ih = IntelHex()
    ih.loadhex(src)
    ih.tofile(dst, format='hex')
`;

/** Reads each file with `IntelHex().loadhex` (one Python process for all). */
export function intelhexRead(py: string, files: readonly string[], cwd: string): Record<string, IntelhexView> {
  const out = execFileSync(py, ['-c', PY_READ, ...files], { cwd, encoding: 'utf8' });
  const parsed = JSON.parse(out) as Record<string, { segments: [number, number][]; start: number | null }>;
  return Object.fromEntries(Object.entries(parsed).map(([f, v]) => [f, { segments: v.segments, ...(v.start !== null ? { start: v.start } : {}) }]));
}

/** Loads each `src` and writes it to `dst` with `IntelHex.tofile(dst, format='hex')`. */
export function intelhexRewrite(py: string, pairs: readonly [string, string][], cwd: string): void {
  execFileSync(py, ['-c', PY_WRITE, ...pairs.map(([s, d]) => `${s}=${d}`)], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}
