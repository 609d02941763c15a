/** `udskit session <id>`: DiagnosticSessionControl (0x10), printing the P2/P2* the ECU reports. */
import type { Command } from 'commander';
import { parseSessionType } from '../arguments.js';
import { runEcuCommand, ecuCommand, type EcuCommandOptions } from '../run.js';
import { sessionLabel } from '../session-security.js';

/** Registers `session` on the program. */
export function registerSession(program: Command): void {
  ecuCommand(program, 'session', 'change the diagnostic session (10 xx) and print the P2/P2* the ECU reports')
    .argument('<id>', 'default, programming, extended, safety or a hex session type (03, 0x60)', parseSessionType)
    .action((sessionType: number, opts: EcuCommandOptions) =>
      runEcuCommand(opts, async ({ conn, note, output }) => {
        const res = await conn.client.diagnosticSessionControl(sessionType);
        output({ sessionType: res.sessionType, p2ServerMaxMs: res.p2ServerMaxMs, p2StarServerMaxMs: res.p2StarServerMaxMs }, [
          `session ${sessionLabel(res.sessionType)}: P2server_max ${res.p2ServerMaxMs} ms, P2*server_max ${res.p2StarServerMaxMs} ms`,
        ]);
        // ISO 14229-1:2020 10.2 / spec/uds.md — without requests the ECU falls back to the default session after S3.
        if (res.sessionType !== 0x01) {
          note('the ECU returns to the default session after S3 (5 s by default) without requests: run the next command within S3, or give it --session');
        }
      }),
    );
}
