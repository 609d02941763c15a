/**
 * `udskit dtc read|clear`: ReadDTCInformation (0x19) by status mask, count, supported DTCs, snapshot and
 * extended data records, and ClearDiagnosticInformation (0x14), with each DTC printed the SAE J2012 way
 * (`P0562-16`) and its eight status bits named.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from '../../core/errors.js';
import { hexByte, toHex } from '../../core/hex.js';
import { ALL_DTC_GROUPS, DtcFormatIdentifier } from '../../uds/codec/dtc-format.js';
import type { ReadDtcListResponse } from '../../uds/codec/0x19-read-dtc-information.js';
import type { UdsClient } from '../../uds/client/uds-client.js';
import { hexByteParser, parseDtcGroup } from '../arguments.js';
import { didHex, didName } from '../did-names.js';
import { dtcLine, obdDidName, parseDtcArgument, parseLengths, readableDtc, snapshotDidLengths } from '../dtc-format.js';
import { ecuCommand, reportFailure, runEcuCommand, type CommandContext, type EcuCommandOptions } from '../run.js';

interface DtcReadOptions extends EcuCommandOptions {
  mask: number;
  snapshot?: number;
  extended?: number;
  record: number;
  lengths?: Map<number, number>;
  supported?: boolean;
  count?: boolean;
}

interface DtcClearOptions extends EcuCommandOptions {
  group: number;
  memory?: number;
}

/** ISO 14229-1:2020 12.3.2 — record number 0xFF asks for every record. */
const ALL_RECORDS = 0xff;

/** Registers `dtc read` and `dtc clear` on the program. */
export function registerDtc(program: Command): void {
  const dtc = program.command('dtc').description('read or clear diagnostic trouble codes (19 / 14)');
  ecuCommand(dtc, 'read', 'read DTCs by status mask (19 02), or their count, the supported ones, snapshot or extended data records')
    .option('--mask <hex>', 'DTCStatusMask: list the DTCs with any of these status bits', hexByteParser('--mask'), 0xff)
    .option('--count', 'only the number of DTCs matching --mask (19 01)')
    .option('--supported', 'every DTC the ECU supports, whatever its status (19 0A)')
    .option('--snapshot <dtc>', 'snapshot (freeze frame) records of this DTC (19 04): P0562-16 or 056216', parseDtcArgument)
    .option('--extended <dtc>', 'extended data records of this DTC (19 06)', parseDtcArgument)
    .option('--record <hex>', 'snapshot / extended data record number (default FF = all)', hexByteParser('--record'), ALL_RECORDS)
    .option('--lengths <list>', 'data lengths the wire does not carry: snapshot DIDs or extended records, e.g. F442=2,0101=4 or 01=1,02=1', parseLengths)
    .action((opts: DtcReadOptions) => {
      const modes = [opts.count, opts.supported, opts.snapshot !== undefined, opts.extended !== undefined].filter(Boolean).length;
      if (modes > 1) {
        reportFailure(new InvalidArgumentError('dtc read: give at most one of --count, --supported, --snapshot and --extended', { field: 'mode' }), opts.json === true);
        return;
      }
      return runEcuCommand(opts, (ctx) => readDtcs(ctx, opts));
    });
  ecuCommand(dtc, 'clear', 'clear DTCs and their stored data (14 groupOfDTC)')
    .option('--group <hex>', 'groupOfDTC: FFFFFF (all) or one DTC group', parseDtcGroup, ALL_DTC_GROUPS)
    .option('--memory <hex>', 'MemorySelection: a user-defined DTC memory instead of the primary one', hexByteParser('--memory'))
    .action((opts: DtcClearOptions) =>
      runEcuCommand(opts, async ({ conn, output }) => {
        await conn.client.clearDiagnosticInformation(opts.group, opts.memory);
        const group = opts.group.toString(16).toUpperCase().padStart(6, '0');
        output(
          { group: opts.group, ...(opts.memory !== undefined ? { memorySelection: opts.memory } : {}) },
          `DTCs of group ${group}${opts.group === ALL_DTC_GROUPS ? ' (all groups)' : ''} cleared${opts.memory !== undefined ? ` in memory 0x${hexByte(opts.memory)}` : ''}`,
        );
      }),
    );
}

function formatName(id: number): string {
  return Object.entries(DtcFormatIdentifier).find(([, v]) => v === id)?.[0] ?? `0x${hexByte(id)}`;
}

function printList(res: ReadDtcListResponse, ctx: CommandContext, mask: number | undefined): void {
  const dtcs = res.dtcs.map((d) => readableDtc(d.dtc, d.status));
  const lines = [`status availability mask 0x${hexByte(res.statusAvailabilityMask)}`, ...dtcs.map(dtcLine)];
  if (mask === undefined) lines.push(`${dtcs.length} DTC(s) supported`);
  else lines.push(dtcs.length === 0 ? `no DTC matches mask 0x${hexByte(mask)}` : `${dtcs.length} DTC(s) match mask 0x${hexByte(mask)}`);
  ctx.output({ ...(mask !== undefined ? { statusMask: mask } : {}), statusAvailabilityMask: res.statusAvailabilityMask, dtcs }, lines);
}

async function readDtcs(ctx: CommandContext, opts: DtcReadOptions): Promise<void> {
  const client: UdsClient = ctx.conn.client;
  if (opts.count) {
    const res = await client.readNumberOfDtcByStatusMask(opts.mask);
    ctx.output(
      { statusMask: opts.mask, count: res.count, statusAvailabilityMask: res.statusAvailabilityMask, formatIdentifier: res.formatIdentifier },
      `${res.count} DTC(s) match mask 0x${hexByte(opts.mask)} (status availability mask 0x${hexByte(res.statusAvailabilityMask)}, format ${formatName(res.formatIdentifier)})`,
    );
    return;
  }
  if (opts.supported) {
    printList(await client.readSupportedDtcs(), ctx, undefined);
    return;
  }
  if (opts.snapshot !== undefined) {
    const res = await client.readDtcSnapshotRecord(opts.snapshot, opts.record, { didLengths: snapshotDidLengths(opts.lengths) });
    const head = readableDtc(res.dtc, res.status);
    const records = res.records.map((r) => ({
      recordNumber: r.recordNumber,
      dids: r.dids.map((d) => {
        const name = didName(d.did) ?? obdDidName(d.did);
        return { did: d.did, ...(name ? { name } : {}), hex: toHex(d.data) };
      }),
    }));
    const lines = [dtcLine(head)];
    if (records.length === 0) lines.push('no snapshot record stored');
    for (const r of records) {
      lines.push(`snapshot record 0x${hexByte(r.recordNumber)}:`);
      for (const d of r.dids) lines.push(`  ${didHex(d.did)}${d.name ? ` ${d.name}` : ''}: ${d.hex}`);
    }
    ctx.output({ ...head, records }, lines);
    return;
  }
  if (opts.extended !== undefined) {
    const res = await client.readDtcExtendedDataRecord(opts.extended, opts.record, opts.lengths ? { extendedDataLengths: opts.lengths } : {});
    const head = readableDtc(res.dtc, res.status);
    const records = res.records.map((r) => ({ recordNumber: r.recordNumber, hex: toHex(r.data) }));
    // Without lengths, all records after the first are inside the first one's bytes (the wire has no lengths).
    const undivided = opts.record === ALL_RECORDS && opts.lengths === undefined && records.length === 1;
    const lines = [dtcLine(head)];
    if (records.length === 0) lines.push('no extended data record stored');
    for (const r of records) lines.push(`extended data record 0x${hexByte(r.recordNumber)}: ${r.hex === '' ? '(empty)' : r.hex}`);
    if (undivided) lines.push('(all records shown as one: their lengths are not on the wire; give --record N or --lengths 01=1,02=1 to split them)');
    ctx.output({ ...head, records, ...(undivided ? { undivided: true } : {}) }, lines);
    return;
  }
  printList(await client.readDtcByStatusMask(opts.mask), ctx, opts.mask);
}
