/**
 * Checks of a job that the schema cannot make alone: every placeholder of its byte values names a
 * built-in placeholder or one of its variables, and every `pattern` is a regular expression.
 */
import type { FlashStep } from './job-steps.js';
import type { FlashJob } from './job-schema.js';
import { templateProblems, type BytesTemplate } from './placeholders.js';

/** Problems as `path: message`, empty when the job's byte values are fine. */
export function jobTemplateProblems(job: FlashJob): string[] {
  const vars = new Set<string>(['testerSerial', ...Object.keys(job.variables), ...job.ecus.flatMap((e) => Object.keys(e.variables ?? {}))]);
  const out: string[] = [];
  const check = (path: string, t: BytesTemplate | undefined): void => {
    if (t) for (const p of templateProblems(t, vars)) out.push(`${path}: ${p}`);
  };
  job.fingerprint.forEach((f, i) => check(`fingerprint[${i}].data`, f.data));
  const phases: [string, readonly FlashStep[]][] = [['pre', job.pre], ['programming', job.programming], ['post', job.post], ['resume', job.resume ?? []]];
  for (const [phase, steps] of phases) {
    steps.forEach((s, i) => {
      const at = `${phase}[${i}]`;
      if (s.step === 'writeDid') check(`${at}.data`, s.data);
      if (s.step === 'routine') check(`${at}.option`, s.option);
      if (s.step === 'readDid') {
        s.expect?.forEach((x, j) => {
          check(`${at}.expect[${j}].equals`, x.equals);
          if (x.pattern !== undefined) {
            try {
              new RegExp(x.pattern);
            } catch (e) {
              out.push(`${at}.expect[${j}].pattern: not a regular expression: ${(e as Error).message}`);
            }
          }
          if (x.equals === undefined && x.pattern === undefined) out.push(`${at}.expect[${j}]: give equals or pattern`);
        });
      }
    });
  }
  return out;
}
