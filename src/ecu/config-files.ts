/**
 * The `files` section of an ECU profile: the file area that RequestFileTransfer (0x38) works on, its
 * limits, where the service is allowed, and the files it holds at first start.
 *
 * ```yaml
 * files:
 *   maxFileSize: 1M
 *   maxTotalBytes: 16M
 *   sessions: [2, 3]          # programming and extended
 *   securityLevels: [1]       # default: programming.securityLevel; [] = no security
 *   initial:
 *     - { path: /config/calibration.txt, value: "gain=1.0" }
 * ```
 */
import { z } from 'zod';
import { boundedNumber, configByte, configBytes } from './config-values.js';
import { isParsedFilePath, parseFilePath } from './file-path.js';

const initialFileSchema = z.strictObject({
  path: z.string(),
  value: configBytes,
});

/** Schema of `files` (defaults in the module doc of `docs/ecu-config.md`). */
export const filesSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    maxFileSize: boundedNumber(0, Number.MAX_SAFE_INTEGER, 'maxFileSize').default(0x10_0000),
    maxTotalBytes: boundedNumber(0, Number.MAX_SAFE_INTEGER, 'maxTotalBytes').default(0x100_0000),
    maxPathLength: boundedNumber(1, 4096, 'maxPathLength').default(255),
    maxBlockLength: boundedNumber(3, 0xffffffff, 'maxBlockLength').default(0x1002),
    sessions: z.array(configByte).default(() => [0x02, 0x03]),
    securityLevels: z.array(configByte).optional(),
    initial: z.array(initialFileSchema).default(() => []),
  })
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    let total = 0;
    f.initial.forEach((file, i) => {
      const parsed = parseFilePath(file.path, f.maxPathLength);
      if (!isParsedFilePath(parsed)) {
        ctx.addIssue({ code: 'custom', path: ['initial', i, 'path'], message: `"${file.path}": ${parsed}` });
        return;
      }
      if (parsed.isDirectorySyntax) {
        ctx.addIssue({ code: 'custom', path: ['initial', i, 'path'], message: `"${file.path}" names a directory; give a file name` });
        return;
      }
      if (seen.has(parsed.key)) ctx.addIssue({ code: 'custom', path: ['initial', i, 'path'], message: `"${file.path}" is listed twice` });
      seen.add(parsed.key);
      if (file.value.length > f.maxFileSize) {
        ctx.addIssue({ code: 'custom', path: ['initial', i, 'value'], message: `${file.value.length} bytes exceed maxFileSize ${f.maxFileSize}` });
      }
      total += file.value.length;
    });
    for (const key of seen) {
      const parts = key.split('/');
      for (let n = 1; n < parts.length; n++) {
        const dir = parts.slice(0, n).join('/');
        if (seen.has(dir)) ctx.addIssue({ code: 'custom', path: ['initial'], message: `"${dir}" is a file and also the directory of "${key}"` });
      }
    }
    if (total > f.maxTotalBytes) {
      ctx.addIssue({ code: 'custom', path: ['initial'], message: `the initial files hold ${total} bytes, more than maxTotalBytes ${f.maxTotalBytes}` });
    }
  })
  .prefault({});

/** The parsed `files` section. */
export type FilesConfig = z.output<typeof filesSchema>;
