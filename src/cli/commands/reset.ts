/** `udskit reset [type]`: ECUReset (0x11), printing the power-down time when the ECU reports one. */
import type { Command } from 'commander';
import { hexByte } from '../../core/hex.js';
import { POWER_DOWN_TIME_NOT_AVAILABLE } from '../../uds/codec/0x11-ecu-reset.js';
import { waitForEcu } from '../../tester/wait-for-ecu.js';
import { parseResetType, RESET_NAMES } from '../arguments.js';
import { intOption } from '../options.js';
import { runEcuCommand, ecuCommand, type EcuCommandOptions } from '../run.js';

interface ResetOptions extends EcuCommandOptions {
  /** Wait (up to this many ms; `true` = the default 5000 ms) until the ECU answers TesterPresent again. */
  wait?: number | true;
}

/** Registers `reset` on the program. */
export function registerReset(program: Command): void {
  ecuCommand(program, 'reset', 'reset the ECU (11 xx); the ECU answers before it resets')
    .argument('[type]', `${Object.keys(RESET_NAMES).join(', ')} or a hex reset type (0x01)`, parseResetType, 0x01)
    .option('--wait [ms]', 'wait until the ECU answers again (default up to 5000 ms)', intOption('--wait', 1, 600000))
    .action((resetType: number, opts: ResetOptions) =>
      runEcuCommand(opts, async ({ conn, output }) => {
        const res = await conn.tester.reset(resetType);
        const name = Object.entries(RESET_NAMES).find(([, v]) => v === res.resetType)?.[0];
        const lines = [`reset 0x${hexByte(res.resetType)}${name ? ` (${name})` : ''} accepted`];
        // ISO 14229-1:2020 10.3.3 — powerDownTime (enableRapidPowerShutDown only): seconds, 0xFF = not available.
        if (res.powerDownTimeS !== undefined) {
          lines.push(
            res.powerDownTimeS === POWER_DOWN_TIME_NOT_AVAILABLE
              ? 'power-down time: not available (0xFF)'
              : `power-down time: ${res.powerDownTimeS} s`,
          );
        }
        let backAfterMs: number | undefined;
        if (opts.wait !== undefined) {
          const clock = conn.client.clock;
          const start = clock.now();
          await waitForEcu(conn.client, opts.wait === true ? {} : { timeoutMs: opts.wait });
          backAfterMs = Math.round(clock.now() - start);
          lines.push(`ECU answering again after ${backAfterMs} ms`);
        }
        output(
          {
            resetType: res.resetType,
            ...(name ? { name } : {}),
            ...(res.powerDownTimeS !== undefined ? { powerDownTimeS: res.powerDownTimeS } : {}),
            ...(backAfterMs !== undefined ? { backAfterMs } : {}),
          },
          lines,
        );
      }),
    );
}
