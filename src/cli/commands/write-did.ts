/** `udskit write-did <did> <hex|--text STRING>`: WriteDataByIdentifier (0x2E). */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { toHex } from '../../core/hex.js';
import { didParser, hexBytesParser } from '../arguments.js';
import { DID_BY_NAME, didHex, didName } from '../did-names.js';
import { ecuCommand, reportFailure, runEcuCommand, type EcuCommandOptions } from '../run.js';

interface WriteDidOptions extends EcuCommandOptions {
  /** The data as ASCII text instead of hex. */
  text?: string;
}

/** The bytes to write: the hex argument or `--text`, exactly one of them. */
function dataOf(hex: Uint8Array | undefined, text: string | undefined): Uint8Array {
  if (hex !== undefined && text !== undefined) {
    throw new InvalidArgumentError('write-did: give the data either as hex bytes or with --text, not both', { field: 'data' });
  }
  if (text !== undefined) {
    if (!/^[\x20-\x7e]*$/.test(text)) {
      throw new InvalidArgumentError('write-did --text takes printable ASCII only; give other data as hex bytes', { field: '--text' });
    }
    return Uint8Array.from(text, (c) => c.charCodeAt(0));
  }
  if (hex === undefined || hex.length === 0) {
    throw new InvalidArgumentError('write-did: give the data as hex bytes ("01 02 03") or as --text STRING', { field: 'data' });
  }
  return hex;
}

/** Registers `write-did` on the program. */
export function registerWriteDid(program: Command): void {
  ecuCommand(program, 'write-did', 'write a data identifier (2E DID data); most DIDs need --session extended and --unlock')
    .argument('<did>', 'DID in hex (F190) or by name (vin)', didParser(DID_BY_NAME))
    .argument('[data]', 'the data as hex bytes ("01 02 03" or 010203)', hexBytesParser('data'))
    .option('--text <string>', 'the data as ASCII text, e.g. a VIN')
    .action((did: number, hex: Uint8Array | undefined, opts: WriteDidOptions) => {
      let data: Uint8Array;
      try {
        data = dataOf(hex, opts.text);
      } catch (e) {
        reportFailure(e, opts.json === true);
        return;
      }
      return runEcuCommand(opts, async ({ conn, output }) => {
        await conn.client.writeDataByIdentifier(did, data);
        const name = didName(did);
        output({ did, ...(name ? { name } : {}), hex: toHex(data) }, `${didHex(did)}${name ? ` ${name}` : ''}: ${data.length} byte(s) written (${toHex(data)})`);
      });
    });
}
