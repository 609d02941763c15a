/** `udskit io-control <did> <return|reset|freeze|adjust> [state] [--mask hex]`: InputOutputControlByIdentifier (0x2F). */
import type { Command } from 'commander';
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { hexByte, toHex } from '../../core/hex.js';
import { IoControlParameter } from '../../uds/codec/0x2f-input-output-control-by-identifier.js';
import { didParser, hexBytesParser } from '../arguments.js';
import { DID_BY_NAME, didHex, didName } from '../did-names.js';
import { ecuCommand, reportFailure, runEcuCommand, type EcuCommandOptions } from '../run.js';

/** inputOutputControlParameter by CLI name (ISO 14229-1:2020 Annex E.1). */
const PARAMETERS: Readonly<Record<string, number>> = {
  return: IoControlParameter.returnControlToECU,
  reset: IoControlParameter.resetToDefault,
  freeze: IoControlParameter.freezeCurrentState,
  adjust: IoControlParameter.shortTermAdjustment,
};

function parseParameter(text: string): number {
  const v = PARAMETERS[text.toLowerCase()];
  if (v === undefined) throw new CommanderInvalidArgument(`the control must be return, reset, freeze or adjust, got "${text}"`);
  return v;
}

interface IoControlOptions extends EcuCommandOptions {
  /** controlEnableMask bytes. */
  mask?: Uint8Array;
}

/** Registers `io-control` on the program. */
export function registerIoControl(program: Command): void {
  ecuCommand(program, 'io-control', 'take over an input/output of the ECU or give it back (2F DID parameter [state] [mask])')
    .argument('<did>', 'DID in hex (9B00) or by name', didParser(DID_BY_NAME))
    .argument('<control>', 'return (00 returnControlToECU), reset (01 resetToDefault), freeze (02 freezeCurrentState) or adjust (03 shortTermAdjustment)', parseParameter)
    .argument('[state]', 'controlState as hex bytes (adjust only: the DID\'s whole value)', hexBytesParser('state'))
    .option('--mask <hex>', 'controlEnableMask as hex bytes (DIDs with several signals: bit 7 of the first byte = first signal)', hexBytesParser('--mask'))
    .action((did: number, parameter: number, state: Uint8Array | undefined, opts: IoControlOptions) => {
      // ISO 14229-1:2020 13.2.2 — only shortTermAdjustment carries a controlState.
      if (parameter === IoControlParameter.shortTermAdjustment && (state === undefined || state.length === 0)) {
        reportFailure(new InvalidArgumentError('io-control adjust needs the state as hex bytes, e.g. "udskit io-control 9B00 adjust 40"', { field: 'state' }), opts.json === true);
        return;
      }
      if (parameter !== IoControlParameter.shortTermAdjustment && state !== undefined) {
        reportFailure(new InvalidArgumentError('only io-control adjust takes a state; return, reset and freeze take none', { field: 'state' }), opts.json === true);
        return;
      }
      return runEcuCommand(opts, async ({ conn, output }) => {
        const res = await conn.client.inputOutputControlByIdentifier(did, parameter, {
          ...(state !== undefined ? { controlState: state } : {}),
          ...(opts.mask !== undefined ? { controlEnableMask: opts.mask } : {}),
        });
        const name = didName(did);
        const control = Object.entries(PARAMETERS).find(([, v]) => v === parameter)?.[0] ?? `0x${hexByte(parameter)}`;
        output(
          {
            did: res.did,
            ...(name ? { name } : {}),
            inputOutputControlParameter: res.inputOutputControlParameter,
            controlState: toHex(res.controlState),
          },
          `${didHex(did)}${name ? ` ${name}` : ''} ${control}: controlState ${res.controlState.length > 0 ? toHex(res.controlState) : '(none)'}`,
        );
      });
    });
}
