/** `udskit routine <start|stop|results> <rid> [option]`: RoutineControl (0x31), printing routineInfo and status. */
import type { Command } from 'commander';
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { hexByte, toHex } from '../../core/hex.js';
import { RoutineControlType } from '../../uds/codec/0x31-routine-control.js';
import { hexBytesParser, parseRoutineId } from '../arguments.js';
import { didHex } from '../did-names.js';
import { runEcuCommand, ecuCommand, type EcuCommandOptions } from '../run.js';

/** Routine control types by their CLI name (ISO 14229-1:2020 14.2.2). */
const CONTROL_TYPES: Readonly<Record<string, number>> = {
  start: RoutineControlType.startRoutine,
  stop: RoutineControlType.stopRoutine,
  results: RoutineControlType.requestRoutineResults,
};

function parseControlType(text: string): number {
  const v = CONTROL_TYPES[text.toLowerCase()];
  if (v === undefined) throw new CommanderInvalidArgument(`routine control must be start, stop or results, got "${text}"`);
  return v;
}

/** Registers `routine` on the program. */
export function registerRoutine(program: Command): void {
  ecuCommand(program, 'routine', 'start or stop a routine, or request its results (31 01|02|03 RID [option])')
    .argument('<action>', 'start, stop or results', parseControlType)
    .argument('<rid>', 'routine identifier in hex, e.g. 0203 or 0xFF00', parseRoutineId)
    .argument('[option]', 'routineControlOptionRecord as hex bytes', hexBytesParser('option'))
    .action((type: number, rid: number, option: Uint8Array | undefined, opts: EcuCommandOptions) =>
      runEcuCommand(opts, async ({ conn, output }) => {
        const res = await conn.client.routineControl(type, rid, option);
        const action = Object.entries(CONTROL_TYPES).find(([, v]) => v === type)?.[0] ?? `0x${hexByte(type)}`;
        // ISO 14229-1:2020 14.2.3 — the response carries routineInfo (1 byte) then the routineStatusRecord.
        const status = res.statusRecord;
        const info = status[0];
        const lines = [
          `routine ${didHex(rid)} ${action}: ` +
            (info === undefined ? 'accepted (no status record)' : `routineInfo 0x${hexByte(info)}` + (status.length > 1 ? `, status record ${toHex(status.subarray(1))}` : '')),
        ];
        output(
          {
            routineControlType: res.routineControlType,
            routineId: res.routineId,
            statusRecord: toHex(status),
            ...(info !== undefined ? { routineInfo: info, routineStatusRecord: toHex(status.subarray(1)) } : {}),
          },
          lines,
        );
      }),
    );
}
