/** `udskit send`: sends one raw UDS request to an ECU over DoIP and prints the decoded response or the NRC. */
import type { Command } from 'commander';
import { fromHex, toHex } from '../../core/hex.js';
import { describeMessage } from '../../uds/codec/index.js';
import { NegativeResponseError } from '../../uds/client/errors.js';
import { addConnectionOptions, withConnection, type ConnectionCliOptions } from '../connection.js';
import { printJson, reportError } from '../output.js';
import { EXIT_NEGATIVE_RESPONSE } from '../run.js';

interface SendOptions extends ConnectionCliOptions {
  functional?: boolean;
  json?: boolean;
}

/** Registers `send` on the program. */
export function registerSend(program: Command): void {
  const cmd = program
    .command('send')
    .description('send one UDS request, e.g. udskit send --ecu 0x1010 "22 F1 90"')
    .argument('<request>', 'UDS request bytes in hex: "22 F1 90", 22F190 or 0x22,0xF1,0x90');
  addConnectionOptions(cmd, { ecu: 'target ECU logical address (or the functional address with --functional)' })
    .option('--functional', 'send functionally addressed and print every ECU that answers')
    .option('--json', 'print one JSON object')
    .action(async (request: string, opts: SendOptions) => {
      try {
        await runSend(request, opts);
      } catch (e) {
        reportError(e, opts.json === true);
      }
    });
}

async function runSend(requestHex: string, opts: SendOptions): Promise<void> {
  const request = fromHex(requestHex);
  if (request.length === 0) throw new Error('empty request: give UDS bytes such as "22 F1 90"');
  await withConnection(opts, async ({ client }) => {
    if (opts.functional) {
      const answers = await client.requestFunctional(request);
      const rows = answers.map((a) => ({
        ecu: a.source,
        ...(a.response ? describeMessage(a.response) : {}),
        ...(a.error ? { nrc: { code: a.error.nrc, name: a.error.nrcName } } : {}),
      }));
      if (opts.json) printJson({ ok: true, request: toHex(request), responses: rows });
      else if (rows.length === 0) process.stdout.write('no ECU answered\n');
      else for (const r of rows) process.stdout.write(`0x${r.ecu.toString(16).toUpperCase()}: ${JSON.stringify(r)}\n`);
      return;
    }
    try {
      const response = await client.request(request);
      if (response === undefined) {
        if (opts.json) printJson({ ok: true, request: toHex(request), response: null, note: 'positive response suppressed (SPRMIB)' });
        else process.stdout.write('no response (suppressPosRspMsgIndicationBit set; no negative response came)\n');
        return;
      }
      const d = describeMessage(response);
      if (opts.json) printJson({ ok: true, request: toHex(request), response: toHex(response), ...d });
      else process.stdout.write(`${toHex(response)}\n${d.service} positive response${formatFields(d.fields)}\n`);
    } catch (e) {
      if (e instanceof NegativeResponseError) {
        process.exitCode = EXIT_NEGATIVE_RESPONSE;
        if (opts.json) printJson({ ok: false, request: toHex(request), response: toHex([0x7f, e.sid, e.nrc]), nrc: e.toJSON() });
        else process.stdout.write(`7F ${toHex([e.sid])} ${toHex([e.nrc])}\n${e.message}\n`);
        return;
      }
      throw e;
    }
  }, { functionalTarget: opts.ecu });
}

/** Human rendering of decoded fields: DIDs in hex with their data as hex and, when printable, as text. */
function formatFields(fields: Record<string, unknown> | undefined): string {
  if (!fields || Object.keys(fields).length === 0) return '';
  const records = fields['records'];
  if (Array.isArray(records)) {
    return records
      .map((r: { did?: unknown; data?: unknown }) => {
        const did = typeof r.did === 'number' ? '0x' + r.did.toString(16).toUpperCase().padStart(4, '0') : String(r.did);
        const hex = String(r.data ?? '');
        const text = Buffer.from(hex.replace(/ /g, ''), 'hex').toString('latin1');
        const printable = text.length > 0 && /^[\x20-\x7e]+$/.test(text) ? `  "${text}"` : '';
        return `\n  DID ${did}: ${hex}${printable}`;
      })
      .join('');
  }
  return ' ' + JSON.stringify(fields);
}
