/**
 * The frame of every command that talks to an ECU: open the connection, enter the session and unlock
 * when asked, run the command, close, and turn failures into output and exit codes:
 * 0 success, 2 the ECU answered with a negative response, 1 anything else (usage, connection, timeout).
 */
import type { Command } from 'commander';
import { hexByte } from '../core/hex.js';
import { NegativeResponseError } from '../uds/client/errors.js';
import { addConnectionOptions, withConnection, type CliConnection, type ConnectionCliOptions } from './connection.js';
import { printJson, reportError } from './output.js';
import { addSessionSecurityOptions, checkSessionSecurityOptions, prepareSessionSecurity, type Preparation, type SessionSecurityCliOptions } from './session-security.js';

/** Exit code of a command refused by the ECU with a negative response. */
export const EXIT_NEGATIVE_RESPONSE = 2;

/** Options every ECU command has. */
export interface EcuCommandOptions extends ConnectionCliOptions, SessionSecurityCliOptions {
  /** Print one JSON object on stdout instead of text. */
  json?: boolean;
}

/** What a command body gets. */
export interface CommandContext {
  /** The open connection. */
  readonly conn: CliConnection;
  /** What was done before the body (session, unlock). */
  readonly prepared: Preparation;
  /** True with `--json`. */
  readonly json: boolean;
  /** Prints a progress line on stderr (nothing with `--json`). */
  note(line: string): void;
  /**
   * Prints the result: with `--json` one object `{ ok: true, session?, security?, ...result }`, else
   * `text` (lines) on stdout.
   */
  output(result: Record<string, unknown>, text: string | readonly string[]): void;
}

/**
 * Reports a negative response: `{ ok: false, nrc }` with `--json`, else `7F SID NRC` and the error's
 * message (which names the service, the NRC and what to do) on stderr. Sets exit code 2.
 */
export function reportNegativeResponse(e: NegativeResponseError, json: boolean, extra: Record<string, unknown> = {}): void {
  process.exitCode = EXIT_NEGATIVE_RESPONSE;
  if (json) printJson({ ok: false, ...extra, nrc: e.toJSON() });
  else process.stderr.write(`udskit: 7F ${hexByte(e.sid)} ${hexByte(e.nrc)}: ${e.message}\n`);
}

/** Reports any failure of a command with the exit code of the module comment. */
export function reportFailure(e: unknown, json: boolean): void {
  if (e instanceof NegativeResponseError) reportNegativeResponse(e, json);
  else reportError(e, json);
}

/**
 * Runs `body` on a connection opened from `opts`, after the session and unlock steps of `opts`; the
 * body prints its own result. Never throws: failures are reported with {@link reportFailure}.
 */
export async function runEcuCommand(opts: EcuCommandOptions, body: (ctx: CommandContext) => Promise<void>): Promise<void> {
  const json = opts.json === true;
  const note = (line: string): void => {
    if (!json) process.stderr.write(`${line}\n`);
  };
  try {
    checkSessionSecurityOptions(opts);
    await withConnection(opts, async (conn) => {
      const prepared = await prepareSessionSecurity(conn, opts, note);
      const output = (result: Record<string, unknown>, text: string | readonly string[]): void => {
        if (json) printJson({ ok: true, ...prepared, ...result });
        else process.stdout.write((typeof text === 'string' ? [text] : text).map((l) => `${l}\n`).join(''));
      };
      await body({ conn, prepared, json, note, output });
    });
  } catch (e) {
    reportFailure(e, json);
  }
}

/**
 * Creates the command `name` on `program` with `--json`, the connection options and the session and
 * security options; the caller adds arguments, its own options and the action (run with {@link runEcuCommand}).
 */
export function ecuCommand(program: Command, name: string, description: string): Command {
  // --json first, so that the command's own options (added later to the same group) are listed first.
  return addSessionSecurityOptions(addConnectionOptions(program.command(name).description(description).option('--json', 'print one JSON object on stdout')));
}
