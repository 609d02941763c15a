/** `udskit send`: sends one raw UDS request to an ECU over DoIP and prints the decoded response or the NRC. */
import type { Command } from 'commander';
import { fromHex, toHex } from '../../core/hex.js';
import { DoipClient } from '../../doip/client.js';
import { describeMessage } from '../../uds/codec/index.js';
import { UdsClient } from '../../uds/client/uds-client.js';
import { NegativeResponseError } from '../../uds/client/errors.js';
import { addressOption, intOption } from '../options.js';
import { printJson, reportError } from '../output.js';

interface SendOptions {
  ecu: number;
  host: string;
  port: number;
  tester: number;
  functional?: boolean;
  timeout?: number;
  json?: boolean;
}

/** Registers `send` on the program. */
export function registerSend(program: Command): void {
  program
    .command('send')
    .description('send one UDS request, e.g. udskit send --ecu 0x1010 "22 F1 90"')
    .argument('<request>', 'UDS request bytes in hex: "22 F1 90", 22F190 or 0x22,0xF1,0x90')
    .requiredOption('--ecu <address>', 'target ECU logical address (or the functional address with --functional)', addressOption('--ecu'))
    .option('--host <address>', 'DoIP entity address', '127.0.0.1')
    .option('--port <port>', 'DoIP TCP port', intOption('--port', 1, 65535), 13400)
    .option('--tester <address>', 'tester logical address', addressOption('--tester'), 0x0e00)
    .option('--functional', 'send functionally addressed and print every ECU that answers')
    .option('--timeout <ms>', 'P2 client override in ms', intOption('--timeout', 1, 600000))
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
  const doip = await DoipClient.connect({ host: opts.host, port: opts.port, testerAddress: opts.tester });
  const client = new UdsClient(doip, {
    target: opts.ecu,
    functionalTarget: opts.ecu,
    ...(opts.timeout !== undefined ? { p2ClientMs: opts.timeout } : {}),
  });
  try {
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
        process.exitCode = 2;
        if (opts.json) printJson({ ok: false, request: toHex(request), response: toHex([0x7f, e.sid, e.nrc]), nrc: e.toJSON() });
        else process.stdout.write(`7F ${toHex([e.sid])} ${toHex([e.nrc])}\n${e.message}\n`);
        return;
      }
      throw e;
    }
  } finally {
    await client.close();
    await doip.close();
  }
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
