/**
 * Path rules of the ECU file area (RequestFileTransfer, 0x38). ISO 14229-1:2020 15.6.2 leaves the
 * format of filePathAndName to the server; udskit's rules:
 *
 * - '/'-separated; one leading '/' is optional (`/logs/a.txt` = `logs/a.txt`); a trailing '/' is allowed
 *   for directories only (ReadDir). `/` (or `""` in ReadDir) is the root directory.
 * - printable ASCII 0x20..0x7E only (no NUL or other control bytes), and none of `\ : * ? " < > |`
 *   (so every path is also a valid file name on Linux, macOS and Windows);
 * - no empty component (`a//b`), no `.` or `..` component, no component longer than 255 bytes;
 * - at most `maxPathLength` bytes in total (profile key `files.maxPathLength`, default 255).
 */

/** Characters a path component must not contain besides control bytes. */
const FORBIDDEN = new Set(['\\', ':', '*', '?', '"', '<', '>', '|']);

/** Longest path component (a file-system name limit). */
export const MAX_PATH_COMPONENT = 255;

/** A checked path: its components, and whether it named a directory explicitly (trailing '/'). */
export interface ParsedFilePath {
  /** Components from the root, e.g. `['logs', 'a.txt']`; empty for the root directory. */
  readonly parts: readonly string[];
  /** The normalised form without leading or trailing '/', e.g. `logs/a.txt` (`""` for the root). */
  readonly key: string;
  /** True when the path ended with '/' (or is the root). */
  readonly isDirectorySyntax: boolean;
}

/** Why a path was refused, as a sentence for NRC messages. */
export type FilePathProblem = string;

/**
 * Checks `path` against the rules above. Returns the parsed path, or a sentence saying what is wrong
 * (the server answers NRC 0x31 with it).
 */
export function parseFilePath(path: string, maxPathLength: number): ParsedFilePath | FilePathProblem {
  if (path.length > maxPathLength) return `the path is ${path.length} bytes long, at most ${maxPathLength} are allowed`;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return `byte ${i + 1} of the path is 0x${c.toString(16).padStart(2, '0')}; only printable ASCII is allowed`;
    if (FORBIDDEN.has(path[i] as string)) return `the path contains '${path[i] as string}', which is not allowed (\\ : * ? " < > |)`;
  }
  let body = path.startsWith('/') ? path.slice(1) : path;
  const isDirectorySyntax = body === '' || body.endsWith('/');
  if (body.endsWith('/')) body = body.slice(0, -1);
  if (body === '') return { parts: [], key: '', isDirectorySyntax: true };
  const parts = body.split('/');
  for (const p of parts) {
    if (p === '') return 'the path has an empty component (//, or more than one leading or trailing /)';
    if (p === '.' || p === '..') return `the path has a '${p}' component; use plain names`;
    if (p.length > MAX_PATH_COMPONENT) return `a path component is ${p.length} bytes long, at most ${MAX_PATH_COMPONENT} are allowed`;
  }
  return { parts, key: parts.join('/'), isDirectorySyntax };
}

/** True when {@link parseFilePath} accepted the path. */
export function isParsedFilePath(p: ParsedFilePath | FilePathProblem): p is ParsedFilePath {
  return typeof p !== 'string';
}
