import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  isTempFile,
  removeTempFiles,
  removeTempFilesSync,
  writeFileAtomic,
  writeFileAtomicSync,
  type AtomicWriteStep,
} from '../../../../src/ecu/persistence/atomic-file.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'udskit-atomic-'));
  dirs.push(d);
  return d;
}
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const text = (file: string): string => readFileSync(file, 'utf8');

/** A failure injected after `step`: the write stops there, as if the process died or the disk failed. */
class Crash extends Error {}

const STEPS: AtomicWriteStep[] = ['write', 'sync', 'rename', 'sync-directory'];
const variants = [
  { name: 'async', write: (f: string, d: Uint8Array, o?: Parameters<typeof writeFileAtomic>[2]) => writeFileAtomic(f, d, o) },
  { name: 'sync', write: (f: string, d: Uint8Array, o?: Parameters<typeof writeFileAtomic>[2]) => Promise.resolve().then(() => writeFileAtomicSync(f, d, o)) },
];

describe.each(variants)('writeFileAtomic ($name)', ({ write }) => {
  it('creates and replaces a file, leaving no temporary file', async () => {
    const dir = tempDir();
    const file = join(dir, 'a.json');
    await write(file, bytes('one'));
    expect(text(file)).toBe('one');
    await write(file, bytes('two, longer'));
    expect(text(file)).toBe('two, longer');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it.each(STEPS)('a failure after step "%s" leaves the old or the new content, never a mix', async (step) => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    await write(file, bytes('OLD-CONTENT'));
    const err = await write(file, bytes('NEW'), {
      afterStep: (s) => {
        if (s === step) throw new Crash(`crash after ${s}`);
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Crash);
    // Before the rename the old file is untouched; from the rename on, the new one is in place.
    const before = step === 'write' || step === 'sync';
    expect(text(file)).toBe(before ? 'OLD-CONTENT' : 'NEW');
    expect(readdirSync(dir).filter(isTempFile)).toEqual([]);
  });

  it('a torn temporary file (crash in the middle of writing it) never reaches the target', async () => {
    const dir = tempDir();
    const file = join(dir, 'state.json');
    await write(file, bytes('A'.repeat(100)));
    const err = await write(file, bytes('B'.repeat(100)), {
      afterStep: (s, tmp) => {
        if (s !== 'write') return;
        truncateSync(tmp, 37);
        throw new Crash('torn');
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Crash);
    expect(text(file)).toBe('A'.repeat(100));
  });
});

describe('atomic writes under random crashes (property)', () => {
  it('after a sequence of writes with a crash at any step of any write, the file holds one whole version', async () => {
    const dir = tempDir();
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ minLength: 0, maxLength: 300 }), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.constantFrom<AtomicWriteStep>(...STEPS),
        fc.boolean(),
        async (versions, crashAt, step, sync) => {
          const file = join(dir, `p${round++}.bin`);
          const target = crashAt % versions.length;
          const crash = (s: AtomicWriteStep): void => {
            if (s === step) throw new Crash();
          };
          let expected: Uint8Array | undefined;
          for (const [i, v] of versions.entries()) {
            const options = i === target ? { afterStep: crash } : {};
            try {
              if (sync) writeFileAtomicSync(file, v, options);
              else await writeFileAtomic(file, v, options);
              expected = v;
            } catch (e) {
              if (!(e instanceof Crash)) throw e;
              // Crashed before the rename: the previous version (or no file); from the rename on: this one.
              if (step === 'rename' || step === 'sync-directory') expected = v;
              break;
            }
          }
          if (expected === undefined) expect(existsSync(file)).toBe(false);
          else expect(Buffer.from(readFileSync(file)).toString('hex')).toBe(Buffer.from(expected).toString('hex'));
          expect(readdirSync(dir).filter(isTempFile)).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('removeTempFiles', () => {
  it('removes only the debris of interrupted writes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nvm.json'), '{}');
    writeFileSync(join(dir, '.tmp-nvm.json-1234'), '{"half');
    writeFileSync(join(dir, '.tmp-x'), '');
    expect(await removeTempFiles(dir)).toBe(2);
    expect(readdirSync(dir)).toEqual(['nvm.json']);
    writeFileSync(join(dir, '.tmp-y'), '');
    expect(removeTempFilesSync(dir)).toBe(1);
    expect(readdirSync(dir)).toEqual(['nvm.json']);
  });
});
