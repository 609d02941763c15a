/**
 * Interop: Wireshark's DoIP and UDS dissectors (Debian's tshark) decode a live capture of a full service
 * sweep (test/helpers/interop-sweep.ts) over DoIP on 127.0.0.1:
 * - every TCP payload byte is DoIP, every DoIP message has a known payload type;
 * - every diagnostic message (0x8001) carries exactly the UDS bytes the sweep sent or received, and the UDS
 *   dissector decodes it with that service (SID, reply flag, NRC; the service's own fields where
 *   Wireshark 4.0 dissects them);
 * - no malformed packet and no expert error (`_ws.malformed || _ws.expert.severity == error` is empty).
 * Skipped with a message when tshark is missing or cannot capture (not root); `.ci/run` installs tshark
 * (a missing tshark fails under CI=1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hexByte } from '../../src/core/hex.js';
import { SID } from '../../src/uds/codec/sid.js';
import { formatSweep, type SweepResult } from '../../src/scan/service-sweep.js';
import { Vehicle } from '../../src/vehicle/vehicle.js';
import { runInteropSweep, SWEEP_ECU, SWEEP_TESTER, sweepVehicle } from '../helpers/interop-sweep.js';
import { TsharkCapture, tsharkRead, tsharkUnavailable } from '../helpers/tshark-capture.js';

const unavailable = tsharkUnavailable();
if (unavailable) {
  // CI installs tshark (.ci/run), so a missing tshark is an error there; a non-root run is skipped everywhere.
  if (process.env['CI'] && unavailable.kind === 'missing') throw new Error(`interop: ${unavailable.reason}`);
  console.warn(`skipping the tshark interop test: ${unavailable.reason}`);
}

/** A field of tshark's JSON: one value, or an array when the frame holds several (with --no-duplicate-keys). */
type Many<T> = T | T[];
type Layer = Record<string, unknown>;
interface Frame {
  _source: { layers: Record<string, Many<Layer> | Many<unknown[]>> };
}

const many = <T>(v: Many<T> | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** `doip_raw` / `uds_raw`: `[hex, offset, length, mask, type]`, or an array of those. */
const raws = (v: unknown): string[] => {
  if (!Array.isArray(v)) return [];
  return typeof v[0] === 'string' ? [v[0]] : (v as unknown[][]).map((x) => String(x[0]));
};
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number => Number.parseInt(str(v) ?? 'NaN', typeof v === 'string' && v.startsWith('0x') ? 16 : 10);

/** The fields of a UDS layer tshark shows, flattened (subtrees merged). */
function flatten(layer: Layer, out: Record<string, unknown> = {}): Record<string, unknown> {
  for (const [k, v] of Object.entries(layer)) {
    if (k.endsWith('_raw')) continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v as Layer, out);
    else out[k] = v;
  }
  return out;
}

/** A diagnostic message of the capture with the UDS layer Wireshark decoded for it. */
interface CapturedDiag {
  frame: number;
  source: number;
  target: number;
  uds: string;
  fields: Record<string, unknown> | undefined;
  udsRaw: string | undefined;
}

/**
 * The service-specific field Wireshark 4.0.17 decodes per SID, checked against the bytes (positive
 * responses and requests). SIDs without an entry are only named by Wireshark 4.0 (no subtree): the check
 * there is the SID, the reply flag and the service name in the Info column.
 */
const readUint = (b: Buffer, offset: number, length: number): number => (length === 0 ? 0 : b.readUIntBE(offset, length));

const SERVICE_FIELDS: Record<number, (b: Buffer) => Record<string, number | number[]>> = {
  0x10: (b) => ({ 'uds.dsc.type': b[1] ?? -1 }),
  0x11: (b) => ({ 'uds.er.type': b[1] ?? -1 }),
  0x19: (b) => ({ 'uds.rdtci.type': b[1] ?? -1 }),
  // A request lists every DID; in a response Wireshark decodes the first DID (the data lengths are not on the wire).
  0x22: (b) => ({ 'uds.rdbi.data_identifier': b[0] === 0x22 ? Array.from({ length: (b.length - 1) >> 1 }, (_, i) => b.readUInt16BE(1 + 2 * i)) : b.readUInt16BE(1) }),
  0x27: (b) => ({ 'uds.sa.type': b[1] ?? -1 }),
  0x2e: (b) => ({ 'uds.wdbi.data_identifier': b.readUInt16BE(1) }),
  0x2f: (b) => ({ 'uds.iocbi.data_identifier': b.readUInt16BE(1) }),
  0x31: (b) => ({ 'uds.rc.type': b[1] ?? -1, 'uds.rc.identifier': b.readUInt16BE(2) }),
  0x34: (b): Record<string, number> =>
    b[0] === 0x34
      ? { 'uds.rd.memory_address': readUint(b, 3, (b[2] ?? 0) & 0x0f), 'uds.rd.memory_size': readUint(b, 3 + ((b[2] ?? 0) & 0x0f), (b[2] ?? 0) >> 4) }
      : { 'uds.rd.max_number_of_block_length': readUint(b, 2, (b[1] ?? 0) >> 4) },
  0x36: (b) => ({ 'uds.td.block_sequence_counter': b[1] ?? -1 }),
  0x3e: (b) => ({ 'uds.tp.suppress_reply': (b[1] ?? 0) & 0x7f, ...(b[0] === 0x3e ? { 'uds.tp.suppress_reply.indification': (b[1] ?? 0) >> 7 } : {}) }),
  0x85: (b) => ({ 'uds.cdtcs.type': b[1] ?? -1 }),
};

/**
 * The services Wireshark must name. Not 0x83: ISO 14229-1:2020 withdrew AccessTimingParameter (the SID is
 * reserved there) and Wireshark 4.0's UDS dissector follows that edition ("Unknown (0x83)"); udskit keeps
 * the ISO 14229-1:2013 9.7 definition, so Wireshark is not wrong here and neither is udskit.
 */
const ISO_SIDS: ReadonlySet<number> = new Set(Object.values(SID).filter((sid) => sid !== SID.AccessTimingParameter));

describe.skipIf(unavailable !== undefined)('tshark decodes a DoIP capture of a full service sweep', () => {
  let vehicle: Vehicle | undefined;
  let capture: TsharkCapture | undefined;
  let result: SweepResult;
  let frames: Frame[] = [];
  let info = new Map<number, string>();
  let port = 0;

  beforeAll(async () => {
    vehicle = await Vehicle.start(sweepVehicle, { host: '127.0.0.1', port: 0, udpPort: null });
    port = vehicle.tcpPort;
    capture = await TsharkCapture.start(port);
    result = await runInteropSweep(vehicle);
    await capture.stop();
    frames = JSON.parse(tsharkRead(capture.file, port, ['-T', 'json', '-x', '--no-duplicate-keys'])) as Frame[];
    info = new Map(
      tsharkRead(capture.file, port, ['-T', 'fields', '-e', 'frame.number', '-e', '_ws.col.Info'])
        .split('\n')
        .filter((l) => l.includes('\t'))
        .map((l) => {
          const [n, text] = l.split('\t');
          return [Number(n), text ?? ''] as const;
        }),
    );
  }, 90_000);
  afterAll(async () => {
    await capture?.stop();
    capture?.cleanup();
    await vehicle?.stop();
  });

  /** Every DoIP message of the capture: [frame number, raw hex]. */
  function doipMessages(): [number, string][] {
    return frames.flatMap((f) => raws(f._source.layers['doip_raw']).map((r) => [Number(str((f._source.layers['frame'] as Layer)['frame.number'])), r] as [number, string]));
  }

  function diagnostics(): CapturedDiag[] {
    const out: CapturedDiag[] = [];
    for (const f of frames) {
      const l = f._source.layers;
      const frame = Number(str((l['frame'] as Layer)['frame.number']));
      const udsLayers = many(l['uds'] as Many<Layer> | undefined);
      const udsRaws = raws(l['uds_raw']);
      let k = 0;
      for (const d of raws(l['doip_raw'])) {
        if (d.slice(4, 8) !== '8001') continue;
        const layer = udsLayers[k];
        out.push({
          frame,
          source: Number.parseInt(d.slice(16, 20), 16),
          target: Number.parseInt(d.slice(20, 24), 16),
          uds: d.slice(24),
          fields: layer ? flatten(layer) : undefined,
          udsRaw: udsRaws[k],
        });
        k++;
      }
    }
    return out;
  }

  it('the sweep got the expected answer at every step', () => {
    expect(result.stoppedEarly).toBeUndefined();
    expect(result.problems.map((p) => `${p.label}: ${p.problem ?? ''}`), formatSweep(result.exchanges)).toEqual([]);
  });

  it('every TCP payload byte is DoIP with a known payload type', () => {
    let tcpBytes = 0;
    for (const f of frames) tcpBytes += num((f._source.layers['tcp'] as Layer)['tcp.len']);
    const messages = doipMessages();
    const doipBytes = messages.reduce((n, [, r]) => n + r.length / 2, 0);
    expect(messages.length).toBeGreaterThan(result.exchanges.length);
    expect(doipBytes).toBe(tcpBytes);
    // ISO 13400-2:2019 table 17 — the TCP payload types of a tester connection.
    const known = new Set(['0005', '0006', '0007', '0008', '8001', '8002', '8003']);
    const types = new Set(messages.map(([, r]) => r.slice(4, 8)));
    expect([...types].filter((t) => !known.has(t))).toEqual([]);
    expect(types.has('0005') && types.has('0006') && types.has('8002')).toBe(true);
  });

  it('every diagnostic message carries exactly the UDS bytes of the sweep', () => {
    const diags = diagnostics();
    const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
    const requests = diags.filter((d) => d.source === SWEEP_TESTER && d.target === SWEEP_ECU).map((d) => d.uds);
    expect(requests).toEqual(result.exchanges.map((x) => hex(x.request)));
    const fromEcu = diags
      .filter((d) => d.source === SWEEP_ECU && d.target === SWEEP_TESTER)
      .map((d) => d.uds)
      .sort();
    const expected = result.exchanges.flatMap((x) => [...x.pending, ...(x.response ? [x.response] : []), ...x.unsolicited]).map(hex).sort();
    expect(fromEcu).toEqual(expected);
  });

  it("Wireshark's UDS dissector decodes every diagnostic message with the service the sweep sent", () => {
    const problems: string[] = [];
    const namedOnly = new Set<string>();
    for (const d of diagnostics()) {
      const b = Buffer.from(d.uds, 'hex');
      const sid = b[0] ?? 0;
      const where = `frame ${d.frame} (${d.uds.slice(0, 16)})`;
      if (!d.fields) {
        problems.push(`${where}: no UDS layer`);
        continue;
      }
      if (d.udsRaw !== d.uds) problems.push(`${where}: the UDS layer spans ${d.udsRaw ?? '-'}`);
      // Wireshark shows the SID without the reply bit (mask 0xBF) and the reply bit apart.
      if (num(d.fields['uds.sid']) !== (sid & 0xbf)) problems.push(`${where}: uds.sid ${String(d.fields['uds.sid'])}`);
      if (num(d.fields['uds.reply']) !== (sid & 0x40 ? 1 : 0)) problems.push(`${where}: uds.reply ${String(d.fields['uds.reply'])}`);
      if (sid === 0x7f) {
        if (num(d.fields['uds.err.sid']) !== b[1] || num(d.fields['uds.err.code']) !== b[2]) {
          problems.push(`${where}: uds.err.sid/code ${String(d.fields['uds.err.sid'])}/${String(d.fields['uds.err.code'])}`);
        }
        continue;
      }
      const service = sid & 0xbf;
      const spec = SERVICE_FIELDS[service];
      if (spec) {
        for (const [field, want] of Object.entries(spec(b))) {
          const got = many(d.fields[field]).map(num);
          const sent = Array.isArray(want) ? want : [want];
          if (got.join() !== sent.join()) problems.push(`${where}: ${field} ${String(d.fields[field])}, sent ${sent.map((n) => `0x${n.toString(16)}`).join()}`);
        }
      } else {
        namedOnly.add(`0x${hexByte(service)}`);
      }
      // The Info column names the service (not "Unknown (0x..)") for every service of ISO 14229-1.
      if (ISO_SIDS.has(service) && /(Request|Reply)\s+Unknown \(0x/.test(info.get(d.frame) ?? '')) problems.push(`${where}: Info "${info.get(d.frame) ?? ''}"`);
    }
    if (namedOnly.size > 0) console.info(`services Wireshark 4.0 names without a subtree of fields: ${[...namedOnly].sort().join(' ')}`);
    expect(problems).toEqual([]);
  });

  it('has no malformed packet and no expert error', () => {
    if (!capture) throw new Error('no capture');
    const bad = tsharkRead(capture.file, port, ['-Y', '_ws.malformed || _ws.expert.severity == error']);
    expect(bad.trim()).toBe('');
  });
});
