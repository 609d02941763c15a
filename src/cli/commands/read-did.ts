/** `udskit read-did <did...>`: ReadDataByIdentifier (0x22) of one or more DIDs, as hex and readable text. */
import type { Command } from 'commander';
import { didParser } from '../arguments.js';
import { DID_BY_NAME, didHex, interpretDid, readableDid, type ReadableDid } from '../did-names.js';
import { runEcuCommand, ecuCommand, type EcuCommandOptions } from '../run.js';

const parseDid = didParser(DID_BY_NAME);

/** Human line of one record: `F190 vin: 57 55 ... "WUDSKIT0000000001"`. */
export function formatDidLine(r: ReadableDid, data: Uint8Array): string {
  const label = `${didHex(r.did)}${r.name ? ` ${r.name}` : ''}`;
  const extra = interpretDid(r.did, data) ?? (r.ascii !== undefined ? `"${r.ascii}"` : undefined);
  return `${label}: ${r.hex === '' ? '(no data)' : r.hex}${extra !== undefined ? `  ${extra}` : ''}`;
}

/** Registers `read-did` on the program. */
export function registerReadDid(program: Command): void {
  ecuCommand(program, 'read-did', 'read data identifiers (22 DID...), printed as hex and, when printable, as text')
    .argument('<did...>', 'DIDs in hex (F190, 0xF18C) or by name (vin, bootSoftwareId, activeDiagnosticSession)', (v: string, prev: number[] | undefined) => [
      ...(prev ?? []),
      parseDid(v),
    ])
    .action((asked: number[], opts: EcuCommandOptions) =>
      runEcuCommand(opts, async ({ conn, output }) => {
        const dids = [...new Set(asked)];
        const records = await conn.client.readDataByIdentifier(...dids);
        const readable = records.map((r) => readableDid(r.did, r.data));
        // ISO 14229-1:2020 11.2.1 — with several DIDs the ECU leaves out those it does not support.
        const returned = new Set(records.map((r) => r.did));
        const missing = dids.filter((d) => !returned.has(d));
        const lines = records.map((r, i) => formatDidLine(readable[i] as ReadableDid, r.data));
        for (const d of missing) lines.push(`${didHex(d)}: not returned by the ECU (not supported, or not readable in this session)`);
        output({ records: readable, ...(missing.length > 0 ? { missing } : {}) }, lines);
      }),
    );
}
