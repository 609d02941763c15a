/**
 * `--session ID` and `--unlock LEVEL --algorithm NAME --secret VALUE [--key-length N]
 * [--algorithm-module FILE[#export]]`: what a command does before its own request, since most writing,
 * IO-control, routine and memory services need the extended session and an unlocked security level
 * (ISO 14229-1:2020 10.2, 10.4). The session is opened with `Tester.openSession`, which keeps it alive
 * with TesterPresent while the command runs.
 */
import { basename } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, InvalidArgumentError } from '../core/errors.js';
import { hexByte, toHex } from '../core/hex.js';
import { loadSecurityAlgorithmModule } from '../uds/security/algorithm-module.js';
import { secretFromConfig } from '../uds/security/algorithms.js';
import { parseSecurityLevel, parseSessionType, SESSION_NAMES } from './arguments.js';
import type { CliConnection } from './connection.js';
import { intOption } from './options.js';

/** The parsed session and security options. */
export interface SessionSecurityCliOptions {
  /** Session to enter first (`--session`). */
  session?: number;
  /** requestSeed level to unlock (`--unlock`). */
  unlock?: number;
  /** Seed/key algorithm name (`--algorithm`). */
  algorithm?: string;
  /** Secret as typed (`--secret`), see {@link parseSecret}. */
  secret?: string;
  /** Key length for algorithms that take one (`--key-length`). */
  keyLength?: number;
  /** `FILE[#export]` of a user algorithm module (`--algorithm-module`). */
  algorithmModule?: string;
}

/** Adds the session and security options to `cmd`. */
export function addSessionSecurityOptions(cmd: Command): Command {
  const group = cmd.optionsGroup();
  return cmd
    .optionsGroup('Session and security options:')
    .option('--session <id>', 'enter this session first: default, programming, extended, safety or a hex id (03)', parseSessionType)
    .option('--unlock <level>', 'unlock this security level first (the odd requestSeed value, e.g. 01)', parseSecurityLevel)
    .option('--algorithm <name>', 'seed/key algorithm for --unlock: doipsimu-pin, xor, shift-mul-xor, aes128-cmac, or the name for --algorithm-module')
    .option('--secret <value>', 'secret for --unlock: ASCII text (2345), a 32-bit number (0x464C4147) or bytes (hex:A55AC33C)')
    .option('--key-length <n>', 'key length in bytes for algorithms that take one', intOption('--key-length', 1, 255))
    .option('--algorithm-module <file[#export]>', 'load the seed/key algorithm from a JavaScript module (default export unless #name)')
    .optionsGroup(group);
}

/**
 * A secret as typed on the command line: `0x` and up to 8 hex digits is a number sent as 4 bytes
 * big-endian (as a profile's `secret: 0x464C4147`), `hex:` followed by hex bytes is those bytes, any
 * other text is taken as ASCII (as a profile's `secret: "2345"`).
 */
export function parseSecret(text: string): Uint8Array {
  if (/^hex:/i.test(text)) return secretFromConfig({ hex: text.slice(4) });
  const num = /^0x([0-9a-f]+)$/i.exec(text);
  if (num) {
    if ((num[1] as string).length > 8) {
      throw new InvalidArgumentError(`--secret ${text}: a 0x number is at most 32 bits; write longer secrets as bytes, e.g. hex:${num[1]}`, {
        field: '--secret',
      });
    }
    return secretFromConfig(parseInt(num[1] as string, 16));
  }
  return secretFromConfig(text);
}

/** What {@link prepareSessionSecurity} did (part of the `--json` output as `session` and `security`). */
export interface Preparation {
  /** The session entered and the timing it reported. */
  session?: { sessionType: number; p2ServerMaxMs: number; p2StarServerMaxMs: number };
  /** The level unlocked; `alreadyUnlocked` when the seed was all zeros. */
  security?: { level: number; alreadyUnlocked: boolean };
}

/** Name of a session type for messages: `0x03 (extended)`. */
export function sessionLabel(type: number): string {
  const name = Object.entries(SESSION_NAMES).find(([, v]) => v === type)?.[0];
  return `0x${hexByte(type)}${name ? ` (${name})` : ''}`;
}

/**
 * Checks the combination of options and the secret's form, so that a usage error is reported before any
 * connection is opened. Throws `InvalidArgumentError` / `ConfigError` naming the option.
 */
export function checkSessionSecurityOptions(opts: SessionSecurityCliOptions): void {
  checkCombination(opts);
  if (opts.secret !== undefined) parseSecret(opts.secret);
}

function checkCombination(opts: SessionSecurityCliOptions): void {
  const securityOnly = opts.algorithm !== undefined || opts.secret !== undefined || opts.algorithmModule !== undefined || opts.keyLength !== undefined;
  if (opts.unlock === undefined) {
    if (securityOnly) {
      throw new InvalidArgumentError('--algorithm, --secret, --key-length and --algorithm-module go with --unlock LEVEL; add --unlock 01 (or the level to unlock)', {
        field: '--unlock',
      });
    }
    return;
  }
  if (opts.algorithm === undefined && opts.algorithmModule === undefined) {
    throw new InvalidArgumentError('--unlock needs --algorithm NAME (doipsimu-pin, xor, shift-mul-xor, aes128-cmac) or --algorithm-module FILE', {
      field: '--algorithm',
    });
  }
  if (opts.secret === undefined && opts.algorithmModule === undefined) {
    throw new InvalidArgumentError('--unlock needs --secret VALUE (the ECU\'s secret: text, 0x number or hex:bytes)', { field: '--secret' });
  }
}

/** Splits `FILE[#export]`. */
function moduleSpec(spec: string): { module: string; export?: string } {
  const hash = spec.lastIndexOf('#');
  if (hash <= 0) return { module: spec };
  return { module: spec.slice(0, hash), export: spec.slice(hash + 1) };
}

/**
 * Loads the algorithm module (before anything is sent, so a bad file costs no seed request), enters
 * `opts.session` (keeping it alive with TesterPresent until the connection closes) and unlocks
 * `opts.unlock`. `note` receives one human line per step.
 */
export async function prepareSessionSecurity(conn: CliConnection, opts: SessionSecurityCliOptions, note: (line: string) => void): Promise<Preparation> {
  checkCombination(opts);
  let algorithm = opts.algorithm;
  if (opts.algorithmModule !== undefined) {
    const spec = moduleSpec(opts.algorithmModule);
    // Registered names are letters, digits, '.', '_' and '-'.
    algorithm ??= `module-${basename(spec.module).replace(/\.[^.]*$/, '')}${spec.export ? `-${spec.export}` : ''}`.replace(/[^A-Za-z0-9._-]/g, '_');
    try {
      await loadSecurityAlgorithmModule({ name: algorithm, ...spec });
    } catch (e) {
      if (e instanceof ConfigError && e.details['field'] === 'export') {
        throw new ConfigError(`${e.message} (on the command line: --algorithm-module FILE#exportName)`, e.details);
      }
      throw e;
    }
  }
  const secret = opts.secret === undefined ? new Uint8Array(0) : parseSecret(opts.secret);
  const done: Preparation = {};
  if (opts.session !== undefined) {
    const res = await conn.tester.openSession(opts.session);
    done.session = { sessionType: res.sessionType, p2ServerMaxMs: res.p2ServerMaxMs, p2StarServerMaxMs: res.p2StarServerMaxMs };
    note(`session ${sessionLabel(res.sessionType)} entered (P2 ${res.p2ServerMaxMs} ms, P2* ${res.p2StarServerMaxMs} ms)`);
  }
  if (opts.unlock !== undefined && algorithm !== undefined) {
    const r = await conn.tester.unlock(opts.unlock, {
      algorithm,
      secret,
      ...(opts.keyLength !== undefined ? { keyLength: opts.keyLength } : {}),
    });
    done.security = { level: r.level, alreadyUnlocked: r.alreadyUnlocked };
    note(
      r.alreadyUnlocked
        ? `security level 0x${hexByte(r.level)} already unlocked (seed ${toHex(r.seed)})`
        : `security level 0x${hexByte(r.level)} unlocked (seed ${toHex(r.seed)}, key ${toHex(r.key ?? new Uint8Array(0))})`,
    );
  }
  return done;
}
