/**
 * The service sweep of the interop tests: a vehicle whose one ECU enables every service of the default
 * service table, and a scripted sequence (src/scan/service-sweep.ts) that gets a POSITIVE response from
 * every service (and every 0x19 sub-function the table lists) plus a set of negative responses, over one
 * DoIP connection on 127.0.0.1. scapy (test/interop/scapy_uds_decode.py) and tshark decode what it records.
 */
import { fromHex, hexByte } from '../../src/core/hex.js';
import { DoipClient } from '../../src/doip/client.js';
import { runServiceSweep, type SweepContext, type SweepResult, type SweepStep } from '../../src/scan/service-sweep.js';
import { computeKey } from '../../src/tester/security.js';
import { UdsClient } from '../../src/uds/client/uds-client.js';
import type { VehicleConfigInput } from '../../src/vehicle/config.js';
import type { Vehicle } from '../../src/vehicle/vehicle.js';
import { profileServiceTable } from '../../src/ecu/profile-service-table.js';

/** Logical address of the swept ECU. */
export const SWEEP_ECU = 0x1010;
/** Tester address of the sweep. */
export const SWEEP_TESTER = 0x0e00;
const SECRET = 0x464c4147;
const FLASH = 0x00000000;
const SECTOR = 0x1000;
const RAM = 0x20000000;
const TEMP_DID = 0x0100;
const FAN_DID = 0x9b00;

/** A vehicle (gateway 0x1000 + ECU 0x1010) whose ECU enables every service the sweep touches. */
export const sweepVehicle: VehicleConfigInput = {
  name: 'interop-sweep',
  doip: {
    logicalAddress: 0x1000,
    vin: 'WUDSKIT0000000001',
    host: '127.0.0.1',
    acceptedTesterAddresses: [{ from: 0x0e00, to: 0x0fff }],
    functionalAddress: 0xe400,
  },
  ecus: [
    {
      name: 'sweep',
      address: SWEEP_ECU,
      security: {
        levels: [{ level: 0x01, algorithm: 'shift-mul-xor', secret: SECRET, seedLength: 4, keyLength: 4, maxAttempts: 3, delayMs: 10_000, sessions: [0x02, 0x03] }],
      },
      memory: [
        // 40 ms per sector: erasing two sectors takes longer than P2server (50 ms), so 31 01 FF00 gets a 0x78 first.
        { name: 'app-flash', kind: 'flash', start: FLASH, size: 0x10000, sectorSize: SECTOR, download: true, upload: true, eraseTimePerSectorMs: 40 },
        // 23 / 3D / 2C 02 (default rule for ram: extended session, programming security level).
        { name: 'ram', kind: 'ram', start: RAM, size: 0x1000 },
      ],
      transfer: { maxNumberOfBlockLength: 0x0402 },
      programming: { session: 0x02, securityLevel: 0x01 },
      dids: [
        // 24 (scaling: unsigned 2 bytes, y = 0.1 x - 40), 2C 01 source, 2A through the DDDID.
        {
          id: TEMP_DID,
          name: 'coolantTemperature',
          codec: 'uint',
          length: 2,
          value: 900,
          scaling: [
            { type: 'unsignedNumeric', length: 2 },
            { type: 'formula', formula: 0, constants: [0.1, -40] },
          ],
        },
        // 2F: an output the tester may take over.
        { id: FAN_DID, name: 'fanDuty', codec: 'uint', length: 1, value: 0, ioControl: { parameters: [0, 1, 2, 3], default: 0 } },
      ],
      // Default DTCs (P0562-16 supply voltage low with a snapshot, P0563-17, U0100-87 confirmed).
      files: { initial: [{ path: '/config/calibration.txt', value: 'gain=1.0' }] },
    },
  ],
};

const hex = (s: string): Uint8Array => fromHex(s);
const bytes = (...parts: (number | Uint8Array | readonly number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p])));
const u16 = (n: number): number[] => [n >> 8, n & 0xff];
const u32 = (n: number): number[] => [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
/** `38 mode pathLength(2) path ...` */
const fileRequest = (mode: number, path: string, ...rest: number[]): Uint8Array => bytes(0x38, mode, u16(path.length), ascii(path), rest);

/** The seed of the exchange `label` turned into `27 02 key`. */
function sendKey(label: string): (ctx: SweepContext) => Uint8Array {
  return (ctx) => {
    const seed = ctx.get(label).response?.slice(2) ?? new Uint8Array(4);
    const key = computeKey(seed, 0x01, { algorithm: 'shift-mul-xor', secret: SECRET, keyLength: 4 });
    return Uint8Array.of(0x27, 0x02, ...key);
  };
}

/** Deterministic test data. */
function pattern(n: number, salt: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + salt) & 0xff);
}

const DOWNLOAD = pattern(0x100, 3);
const FILE = pattern(64, 5);
const P0562_16 = [0x05, 0x62, 0x16];
const U0100_87 = [0xc1, 0x00, 0x87];

/** How the sweep changes the simulated vehicle between steps (a DTC that fails and heals). */
export interface SweepHooks {
  /** Sets the ECU's supply voltage (V). */
  setVoltage(volts: number): void;
  /** Resolves when the next message from the ECU arrives (or after `ms`). */
  nextEcuMessage(ms: number): Promise<void>;
}

/** The scripted sequence (labels are unique). */
export function sweepSteps(hooks: SweepHooks): SweepStep[] {
  return [
    // --- default session -------------------------------------------------------------------------------
    { label: '10 01', request: hex('10 01') },
    { label: '3E 00', request: hex('3E 00') },
    { label: '3E 80 (SPRMIB)', request: hex('3E 80'), expect: 'none' },
    { label: '22 F190', request: hex('22 F1 90') },
    { label: '22 F190 F18C F186', request: hex('22 F1 90 F1 8C F1 86') },
    { label: '22 unknown DID', request: hex('22 12 34'), expect: 0x31 },
    { label: '10 05 unknown session', request: hex('10 05'), expect: 0x12 },
    { label: '2E in default session', request: hex('2E F1 98 41'), expect: 0x7f },
    { label: 'unknown SID BA', request: hex('BA 01'), expect: 0x11 },
    // A length error that stays well-formed for Wireshark (a short `22 F1` is a malformed packet to it).
    { label: '3E 00 FF wrong length', request: hex('3E 00 FF'), expect: 0x13 },
    // ReadDTCInformation, every sub-function of the table (default DTCs: U0100-87 stored as confirmed).
    { label: '19 01 FF number by mask', request: hex('19 01 FF') },
    { label: '19 02 FF by mask', request: hex('19 02 FF') },
    { label: '19 0A supported', request: hex('19 0A') },
    { label: '19 0B first failed', request: hex('19 0B') },
    { label: '19 0C first confirmed', request: hex('19 0C') },
    { label: '19 0D most recent failed', request: hex('19 0D') },
    { label: '19 0E most recent confirmed', request: hex('19 0E') },
    { label: '19 06 U0100-87 ext data', request: bytes(0x19, 0x06, U0100_87, 0xff) },
    { label: '19 04 unknown DTC', request: hex('19 04 12 34 56 FF'), expect: 0x31 },
    { label: '24 scaling', request: bytes(0x24, u16(TEMP_DID)) },

    // --- extended session: security, data, DTCs, memory, periodic, IO, timing, link, files ------------
    { label: '10 03', request: hex('10 03') },
    { label: '2E F198 locked', request: hex('2E F1 98 41 42'), expect: 0x33 },
    { label: '27 02 before seed', request: hex('27 02 00 00 00 00'), expect: 0x24 },
    { label: '27 01', request: hex('27 01') },
    { label: '27 02', request: sendKey('27 01') },
    { label: '27 01 unlocked (zero seed)', request: hex('27 01') },
    { label: '2E F198', request: hex('2E F1 98 55 44 53 4B 49 54') },
    { label: '22 F198', request: hex('22 F1 98') },
    { label: '31 01 0203 preconditions', request: hex('31 01 02 03') },
    { label: '31 01 unknown routine', request: hex('31 01 99 99'), expect: 0x31 },
    { label: '28 03 01 disable rx/tx', request: hex('28 03 01') },
    { label: '28 00 01 enable rx/tx', request: hex('28 00 01') },
    { label: '85 02 DTC setting off', request: hex('85 02') },
    { label: '85 01 DTC setting on', request: hex('85 01') },
    // ResponseOnEvent on a DTC status change (testFailed), answered with 19 0E; the supply voltage drops.
    { label: '86 05 before set-up', request: hex('86 05 02'), expect: 0x24 },
    { label: '86 01 onDTCStatusChange', request: hex('86 01 02 01 19 0E') },
    { label: '86 05 start', request: hex('86 05 02') },
    // The ROE message (`59 0E ...`) is awaited before the next request: UdsClient takes a positive response
    // of another service that arrives while a request is in flight as an invalid answer to it.
    {
      label: '3E 00 after the voltage drop to 8 V',
      request: hex('3E 00'),
      before: async () => {
        const roe = hooks.nextEcuMessage(2000);
        hooks.setVoltage(8);
        await roe;
      },
      unsolicited: { count: 1, withinMs: 2000 },
    },
    { label: '86 04 report activated', request: hex('86 04 02') },
    { label: '86 00 stop', request: hex('86 00 02') },
    { label: '86 06 clear', request: hex('86 06 02') },
    { label: '19 02 FF after the drop', request: hex('19 02 FF') },
    { label: '19 03 snapshot ids', request: hex('19 03') },
    { label: '19 04 P0562-16 snapshot', request: bytes(0x19, 0x04, P0562_16, 0xff) },
    { label: '19 06 P0562-16 ext data', request: bytes(0x19, 0x06, P0562_16, 0xff) },
    { label: '14 FFFFFF clear all', request: hex('14 FF FF FF'), before: () => hooks.setVoltage(12.5) },
    { label: '14 unknown group', request: hex('14 12 34 56'), expect: 0x31 },
    // Memory by address (ram 0x20000000).
    { label: '23 read ram', request: bytes(0x23, 0x24, u32(RAM), u16(0x10)) },
    { label: '3D write ram', request: bytes(0x3d, 0x24, u32(RAM), u16(4), 0xde, 0xad, 0xbe, 0xef) },
    { label: '23 read back', request: bytes(0x23, 0x24, u32(RAM), u16(4)) },
    { label: '23 outside memory', request: bytes(0x23, 0x24, u32(0x40000000), u16(4)), expect: 0x31 },
    // Dynamically defined DIDs, read with 22 and periodically with 2A.
    { label: '2C 01 F201 by DID', request: bytes(0x2c, 0x01, 0xf2, 0x01, u16(TEMP_DID), 0x01, 0x02) },
    { label: '2C 02 F202 by memory', request: bytes(0x2c, 0x02, 0xf2, 0x02, 0x14, u32(RAM), 0x04) },
    { label: '22 F201', request: hex('22 F2 01') },
    { label: '22 F202', request: hex('22 F2 02') },
    { label: '2A 03 unknown pDID', request: hex('2A 03 7F'), expect: 0x31 },
    { label: '2A 03 fast F201 F202', request: hex('2A 03 01 02'), unsolicited: { count: 4, withinMs: 2000 } },
    { label: '2A 04 stop', request: hex('2A 04') },
    { label: '2C 03 clear F202', request: hex('2C 03 F2 02') },
    // IO control: take the fan over, read it, give it back.
    { label: '2F 9B00 short-term 7F', request: bytes(0x2f, u16(FAN_DID), 0x03, 0x7f) },
    { label: '22 9B00 controlled', request: bytes(0x22, u16(FAN_DID)) },
    { label: '2F 9B00 return control', request: bytes(0x2f, u16(FAN_DID), 0x00) },
    { label: '2F unknown DID', request: hex('2F 12 34 00'), expect: 0x31 },
    // AccessTimingParameter (ISO 14229-1:2013 9.7).
    { label: '83 01 read extended', request: hex('83 01') },
    { label: '83 03 read active', request: hex('83 03') },
    { label: '83 04 set 100 ms / 2 s', request: hex('83 04 00 64 00 C8') },
    { label: '83 02 defaults', request: hex('83 02') },
    // LinkControl: transition without verification, then verify fixed / specific and transition.
    { label: '87 03 without verify', request: hex('87 03'), expect: 0x24 },
    { label: '87 01 CAN 500k', request: hex('87 01 12') },
    { label: '87 02 1 Mbit/s', request: hex('87 02 0F 42 40') },
    { label: '87 03 transition', request: hex('87 03') },
    // RequestFileTransfer: read dir, read, add (interrupted and resumed), replace, delete.
    { label: '38 05 read dir', request: fileRequest(0x05, '/') },
    { label: '36 01 dir listing', request: hex('36 01') },
    { label: '37 dir', request: hex('37') },
    { label: '38 04 read file', request: fileRequest(0x04, '/config/calibration.txt', 0x00) },
    { label: '36 01 file data', request: hex('36 01') },
    { label: '37 read', request: hex('37') },
    { label: '38 04 missing file', request: fileRequest(0x04, '/nope.bin', 0x00), expect: 0x31 },
    { label: '38 01 add file', request: fileRequest(0x01, '/logs/a.bin', 0x00, 0x01, FILE.length, FILE.length) },
    { label: '36 01 first half', request: bytes(0x36, 0x01, FILE.slice(0, 32)) },
    { label: '38 06 resume file', request: fileRequest(0x06, '/logs/a.bin', 0x00, 0x01, FILE.length, FILE.length) },
    { label: '36 01 second half', request: bytes(0x36, 0x01, FILE.slice(32)) },
    { label: '37 add', request: hex('37') },
    { label: '38 03 replace file', request: fileRequest(0x03, '/logs/a.bin', 0x00, 0x01, 16, 16) },
    { label: '36 01 replacement', request: bytes(0x36, 0x01, FILE.slice(0, 16)) },
    { label: '37 replace', request: hex('37') },
    { label: '38 02 delete file', request: fileRequest(0x02, '/logs/a.bin') },

    // --- programming session: erase, download, check, upload ----------------------------------------------
    { label: '10 02', request: hex('10 02') },
    { label: '34 locked', request: hex('34 00 44 00 00 00 00 00 00 01 00'), expect: 0x33 },
    { label: '27 01 (programming)', request: hex('27 01') },
    { label: '27 02 (programming)', request: sendKey('27 01 (programming)') },
    { label: '36 without transfer', request: hex('36 01 00'), expect: 0x24 },
    { label: '31 01 FF00 erase', request: bytes(0x31, 0x01, 0xff, 0x00, 0x44, u32(FLASH), u32(2 * SECTOR)) },
    { label: '34 download', request: bytes(0x34, 0x00, 0x44, u32(FLASH), u32(DOWNLOAD.length)) },
    { label: '36 01 download', request: bytes(0x36, 0x01, DOWNLOAD) },
    { label: '36 03 wrong counter', request: hex('36 03 00'), expect: 0x73 },
    { label: '37 download', request: hex('37') },
    { label: '31 01 0202 check memory', request: (ctx) => bytes(0x31, 0x01, 0x02, 0x02, (ctx.get('37 download').response ?? new Uint8Array()).slice(1)) },
    { label: '35 upload', request: bytes(0x35, 0x00, 0x44, u32(FLASH), u32(DOWNLOAD.length)) },
    { label: '36 01 upload', request: hex('36 01') },
    { label: '37 upload', request: hex('37') },

    // --- back to default, reset at the end ------------------------------------------------------------------
    { label: '10 01 (end)', request: hex('10 01') },
    { label: '11 01', request: hex('11 01') },
  ];
}

/** Connects to `vehicle` on 127.0.0.1, runs {@link sweepSteps} against {@link SWEEP_ECU}, disconnects. */
export async function runInteropSweep(vehicle: Vehicle): Promise<SweepResult> {
  const ecu = vehicle.ecu(SWEEP_ECU);
  if (!ecu) throw new Error(`the vehicle has no ECU 0x${SWEEP_ECU.toString(16)}`);
  const doip = await DoipClient.connect({ host: '127.0.0.1', port: vehicle.tcpPort, testerAddress: SWEEP_TESTER });
  const client = new UdsClient(doip, { target: SWEEP_ECU });
  try {
    const hooks: SweepHooks = {
      setVoltage: (voltage) => ecu.setVehicleState({ voltage }),
      nextEcuMessage: (ms) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          const off = doip.events.on('message', (m) => {
            if (m.source === SWEEP_ECU) done();
          });
          function done(): void {
            clearTimeout(timer);
            off();
            resolve();
          }
        }),
    };
    return await runServiceSweep(client, sweepSteps(hooks));
  } finally {
    await client.close();
    await doip.close();
  }
}

/** What the decoders are given: one entry per recorded message from the ECU. */
export interface DecodeCase {
  /** The step's label. */
  label: string;
  /** The request, hex without spaces. */
  request: string;
  /** The message from the ECU, hex without spaces. */
  response: string;
  /** `response` (the final answer), `pending` (7F xx 78) or `unsolicited` (periodic data, ROE). */
  kind: 'response' | 'pending' | 'unsolicited';
}

/** Flattens a sweep into the cases the decoders check. */
export function decodeCases(result: SweepResult): DecodeCase[] {
  const out: DecodeCase[] = [];
  const h = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  for (const x of result.exchanges) {
    for (const p of x.pending) out.push({ label: x.label, request: h(x.request), response: h(p), kind: 'pending' });
    if (x.response) out.push({ label: x.label, request: h(x.request), response: h(x.response), kind: 'response' });
    for (const u of x.unsolicited) out.push({ label: x.label, request: h(x.request), response: h(u), kind: 'unsolicited' });
  }
  return out;
}

/**
 * What the sweep did not cover: every SID of the swept ECU's service table needs a positive response,
 * and so does every sub-function the table lists for 0x19 (ReadDTCInformation). Returns readable names.
 */
export function missingCoverage(vehicle: Vehicle, result: SweepResult): string[] {
  const ecu = vehicle.ecu(SWEEP_ECU);
  if (!ecu) return [`ECU 0x${SWEEP_ECU.toString(16)} is not in the vehicle`];
  const table = profileServiceTable(ecu.config);
  const positive = result.exchanges.filter((x) => x.outcome === 'positive' || (x.outcome === 'none' && x.problem === undefined));
  const missing: string[] = [];
  for (const [sid, rule] of table) {
    if (!positive.some((x) => x.request[0] === sid && x.outcome === 'positive')) missing.push(`SID 0x${hexByte(sid)}`);
    if (sid === 0x19) {
      for (const sf of rule.subFunctions?.keys() ?? []) {
        if (!positive.some((x) => x.request[0] === 0x19 && x.request[1] === sf)) missing.push(`0x19 sub-function 0x${hexByte(sf)}`);
      }
    }
  }
  return missing;
}
