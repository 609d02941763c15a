/**
 * DTCs as the CLI prints them: the SAE J2012 text (`P0562-16`), the status byte with its eight bits
 * named (ISO 14229-1:2020 Annex D.2), and the data lengths of the OBD DIDs (F4xx = ISO 15031-5 PID xx)
 * that snapshot records usually capture, since 19 04 does not carry DID lengths on the wire.
 */
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { hexByte } from '../core/hex.js';
import { dtcStatusBits, formatDtc, parseDtc, type DtcStatusBit } from '../uds/codec/dtc-format.js';

/** A DTC as printed with `--json`. */
export interface ReadableDtc {
  /** The 3-byte DTC. */
  dtc: number;
  /** Its SAE J2012 text, e.g. `P0562-16`. */
  code: string;
  /** statusOfDTC. */
  status: number;
  /** The names of the status bits set, bit 0 first. */
  statusBits: DtcStatusBit[];
}

/** The `--json` form of a DTC and its status. */
export function readableDtc(dtc: number, status: number): ReadableDtc {
  return { dtc, code: formatDtc(dtc), status, statusBits: dtcStatusBits(status) };
}

/** `P0562-16  status 0x2F  testFailed, ...`. */
export function dtcLine(d: ReadableDtc): string {
  return `${d.code}  status 0x${hexByte(d.status)}  ${d.statusBits.length > 0 ? d.statusBits.join(', ') : '(no bit set)'}`;
}

/**
 * Parses a DTC argument: SAE J2012 text with the dash (`P0562-16`) or without the failure type (`P0562`),
 * or 6 hex digits (`056216`, `0x056216`). Bare 6-digit strings are hex (`C10001` is 0xC10001, not C1000-01).
 */
export function parseDtcArgument(text: string): number {
  const t = text.trim();
  const hex = /^(?:0x)?([0-9a-f]{1,6})$/i.exec(t);
  if (hex && (t.toLowerCase().startsWith('0x') || (hex[1] as string).length === 6)) return parseInt(hex[1] as string, 16);
  try {
    return parseDtc(t);
  } catch (e) {
    throw new CommanderInvalidArgument(`${(e as Error).message}, or 6 hex digits such as 056216`);
  }
}

/** ISO 15031-5 (SAE J1979) PIDs used as DIDs 0xF400 + PID in snapshot records: name and data length. */
const OBD_PIDS: Readonly<Record<number, { name: string; length: number }>> = {
  0x04: { name: 'calculatedLoad', length: 1 },
  0x05: { name: 'coolantTemperature', length: 1 },
  0x0b: { name: 'intakeManifoldPressure', length: 1 },
  0x0c: { name: 'engineSpeed', length: 2 },
  0x0d: { name: 'vehicleSpeed', length: 1 },
  0x0e: { name: 'timingAdvance', length: 1 },
  0x0f: { name: 'intakeAirTemperature', length: 1 },
  0x10: { name: 'mafAirFlowRate', length: 2 },
  0x11: { name: 'throttlePosition', length: 1 },
  0x1f: { name: 'runTimeSinceStart', length: 2 },
  0x21: { name: 'distanceWithMil', length: 2 },
  0x2f: { name: 'fuelTankLevel', length: 1 },
  0x31: { name: 'distanceSinceClear', length: 2 },
  0x33: { name: 'barometricPressure', length: 1 },
  0x42: { name: 'controlModuleVoltage', length: 2 },
  0x46: { name: 'ambientAirTemperature', length: 1 },
  0x5c: { name: 'engineOilTemperature', length: 1 },
};

function obdPid(did: number): { name: string; length: number } | undefined {
  return did >= 0xf400 && did <= 0xf4ff ? OBD_PIDS[did & 0xff] : undefined;
}

/** The known data length of `did` (OBD PIDs as F4xx), or undefined. */
export function knownDidLength(did: number): number | undefined {
  return obdPid(did)?.length;
}

/** The name of an OBD DID (`0xF442` -> `controlModuleVoltage`), or undefined. */
export function obdDidName(did: number): string | undefined {
  return obdPid(did)?.name;
}

/** Snapshot DID lengths for 19 04: the known OBD PID lengths, overridden and extended by `given`. */
export function snapshotDidLengths(given: ReadonlyMap<number, number> | undefined): Map<number, number> {
  const out = new Map<number, number>(Object.entries(OBD_PIDS).map(([pid, p]) => [0xf400 + Number(pid), p.length]));
  for (const [did, len] of given ?? []) out.set(did, len);
  return out;
}

/** Parses `--lengths F442=2,F40D=1` (hex identifiers, decimal byte counts). */
export function parseLengths(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^(?:0x)?([0-9a-f]{1,4})=(\d+)$/i.exec(part);
    if (!m || Number(m[2]) < 1) {
      throw new CommanderInvalidArgument(`--lengths takes ID=BYTES pairs such as F442=2,F40D=1 (hex identifier, decimal length), got "${part}"`);
    }
    out.set(parseInt(m[1] as string, 16), Number(m[2]));
  }
  return out;
}
