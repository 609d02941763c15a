/**
 * Probes of the DTC services 14 ClearDiagnosticInformation, 19 ReadDTCInformation and 86 ResponseOnEvent,
 * with the ECU's DTC list (codes, statuses, records) and the profile's `dtcs` rules as data.
 */
import { responseOnEvent, type ResponseOnEventRequest } from '../../../../src/uds/codec/0x86-response-on-event.js';
import type { ServiceOutcome } from '../oracle.js';
import { hex } from './session-security.js';
import { be, firstFree, nrc, positive, positivePrefix, tableSubFunctions, type Probe, type ProbeBuilder, type ProbeEnv } from './types.js';

/** ISO 14229-1:2020 Annex D.1 — groupOfDTC FFFFFF selects every DTC. */
const ALL_GROUPS = 0xffffff;

/** A 3-byte value that is neither a DTC of the ECU nor a group it lists (0x31 in 14 and 19 04/06). */
function unknownDtc(env: ProbeEnv): number {
  return firstFree([0x123456, 0x000001, 0xabcdef, 0x7f7f7f], (c) => env.model.dtcs.groupMembers(c) !== undefined) ?? 0x123456;
}

/** ISO 14229-1:2020 12.2.4 NRC 0x22 — the profile's clear conditions against the vehicle state. */
function clearBlocked(env: ProbeEnv): boolean {
  const c = env.config.dtcs.clearConditions;
  const v = env.config.vehicleState;
  return (c.engineOff && v.engineRunning) || (c.vehicleStopped && v.speedKmh !== 0) || (c.ignitionOn && !v.ignition);
}

/** 14 FF FF FF (all), 14 with one DTC, with a MemorySelection (0x31), with an unknown group (0x31). */
export const clearDiagnosticInformationProbes: ProbeBuilder = (env) => {
  const first = env.model.dtcs.list()[0];
  const unknown = unknownDtc(env);
  const clear = (): ServiceOutcome => (clearBlocked(env) ? nrc(0x22) : positive(0x54));
  const probes: Probe[] = [
    { label: '14 FF FF FF (all DTCs)', request: Uint8Array.of(0x14, ...be(ALL_GROUPS, 3)), mutates: true, outcome: clear },
    {
      label: '14 FF FF FF 01 (MemorySelection)',
      request: Uint8Array.of(0x14, ...be(ALL_GROUPS, 3), 0x01),
      mutates: false,
      // ISO 14229-1:2020 12.2.4 NRC 0x31 — a user-defined DTC memory the ECU does not have.
      outcome: () => nrc(0x31),
    },
    {
      label: `14 ${be(unknown, 3).map(hex).join(' ')} (unknown group)`,
      request: Uint8Array.of(0x14, ...be(unknown, 3)),
      mutates: false,
      // ISO 14229-1:2020 12.2.4 NRC 0x31 — groupOfDTC not supported.
      outcome: () => nrc(0x31),
    },
    // ISO 14229-1:2020 12.2.4 NRC 0x13 — groupOfDTC is 3 bytes.
    { label: '14 FF FF (too short)', request: Uint8Array.of(0x14, 0xff, 0xff), mutates: false, outcome: () => nrc(0x13) },
  ];
  if (first) {
    probes.push({ label: `14 ${be(first.code, 3).map(hex).join(' ')} (one DTC)`, request: Uint8Array.of(0x14, ...be(first.code, 3)), mutates: true, outcome: clear });
  }
  return probes;
};

/** The 19 probes of each reportType the table lists. */
export const readDtcInformationProbes: ProbeBuilder = (env) => {
  const store = env.model.dtcs;
  const avail = store.statusAvailabilityMask;
  const dtcs = store.list();
  // ISO 14229-1:2020 12.3.3 — a DTC matches when (statusOfDTC & DTCStatusMask) != 0; the status is reported masked.
  const matching = (mask: number) => dtcs.filter((d) => (d.status & avail & mask) !== 0);
  const unknown = unknownDtc(env);
  const withSnapshot = dtcs.find((d) => (store.definition(d.code)?.snapshots.length ?? 0) > 0);
  const withExtended = dtcs.find((d) => (store.definition(d.code)?.extendedData.length ?? 0) > 0);
  const probes: Probe[] = [];
  const add = (label: string, request: number[], outcome: () => ServiceOutcome): void => {
    probes.push({ label, request: Uint8Array.from(request), mutates: false, outcome });
  };
  for (const sf of tableSubFunctions(env, 0x19, [])) {
    const h = hex(sf);
    if (sf === 0x01) {
      add('19 01 FF (number of DTCs)', [0x19, 0x01, 0xff], () => positive(0x59, 0x01, avail, store.formatIdentifier, be(matching(0xff).length, 2)));
      // ISO 14229-1:2020 12.3.4 NRC 0x13 — reportNumberOfDTCByStatusMask needs the DTCStatusMask.
      add('19 01 (no DTCStatusMask)', [0x19, 0x01], () => nrc(0x13));
    } else if (sf === 0x02) {
      for (const mask of [0xff, 0x08]) {
        add(`19 02 ${hex(mask)} (DTCs by status mask)`, [0x19, 0x02, mask], () =>
          positive(0x59, 0x02, avail, matching(mask).flatMap((d) => [...be(d.code, 3), d.status])),
        );
      }
    } else if (sf === 0x03) {
      add('19 03 (snapshot identification)', [0x19, 0x03], () => positivePrefix(0x59, 0x03));
    } else if (sf === 0x04 || sf === 0x06) {
      const has = sf === 0x04 ? withSnapshot : withExtended;
      if (has) add(`19 ${h} ${be(has.code, 3).map(hex).join(' ')} FF`, [0x19, sf, ...be(has.code, 3), 0xff], () => positivePrefix(0x59, sf, be(has.code, 3)));
      // ISO 14229-1:2020 12.3.4 NRC 0x31 — the DTC is not supported.
      add(`19 ${h} (unknown DTC)`, [0x19, sf, ...be(unknown, 3), 0xff], () => nrc(0x31));
    } else if (sf === 0x0a) {
      add('19 0A (supported DTCs)', [0x19, 0x0a], () => positive(0x59, 0x0a, avail, dtcs.flatMap((d) => [...be(d.code, 3), d.status])));
    } else if (sf >= 0x0b && sf <= 0x0e) {
      add(`19 ${h} (first / most recent DTC)`, [0x19, sf], () => positivePrefix(0x59, sf, avail));
    }
  }
  return probes;
};

/**
 * 86 for each event type the table lists: stop / clear / report answer positively, start without a set-up
 * event is 0x24, set-ups of 01 (DTC status change) and 03 (change of DID) answer positively; a stored
 * event with a finite window is 0x31 (udskit stores only infinite windows).
 */
export const responseOnEventProbes: ProbeBuilder = (env) => {
  const probes: Probe[] = [];
  const encode = (req: ResponseOnEventRequest): Uint8Array => responseOnEvent.encodeRequest(req);
  for (const sf of tableSubFunctions(env, 0x86, [])) {
    const event = sf & 0x3f;
    const storeEvent = (sf & 0x40) !== 0;
    const h = hex(sf);
    const echo = (): ServiceOutcome => positivePrefix(0xc6, sf);
    if (event === 0x00 || event === 0x06 || event === 0x04) {
      probes.push({ label: `86 ${h} 02`, request: encode({ event, storeEvent, eventWindowTime: 0x02 }), mutates: event !== 0x04, outcome: echo });
    } else if (event === 0x05) {
      probes.push({
        label: `86 ${h} 02 (start, nothing set up)`,
        request: encode({ event: 0x05, storeEvent, eventWindowTime: 0x02 }),
        mutates: false,
        // ISO 14229-1:2020 A.1 NRC 0x24 — startResponseOnEvent before any event was set up.
        outcome: () => nrc(0x24),
      });
    } else if (event === 0x01) {
      const req = { event: 0x01 as const, storeEvent, eventWindowTime: 0x02, dtcStatusMask: 0x09, serviceToRespondTo: Uint8Array.of(0x19, 0x02, 0x09) };
      probes.push({ label: `86 ${h} 02 09 19 02 09 (on DTC status change)`, request: encode(req), mutates: true, outcome: echo });
      if (storeEvent) {
        probes.push({
          label: `86 ${h} 03 ... (stored event, finite window)`,
          request: encode({ ...req, eventWindowTime: 0x03 }),
          mutates: false,
          // ISO 14229-1:2020 10.9.4 NRC 0x31 — a stored event needs the infinite window here.
          outcome: () => nrc(0x31),
        });
      }
    } else if (event === 0x03) {
      const req = { event: 0x03 as const, storeEvent, eventWindowTime: 0x02, dataIdentifier: 0xf190, serviceToRespondTo: Uint8Array.of(0x22, 0xf1, 0x90) };
      probes.push({ label: `86 ${h} 02 F1 90 22 F1 90 (on change of DID)`, request: encode(req), mutates: true, outcome: echo });
      probes.push({
        label: `86 ${h} 02 F1 90 2E F1 90 (serviceToRespondTo not 19/22)`,
        request: encode({ ...req, serviceToRespondTo: Uint8Array.of(0x2e, 0xf1, 0x90, 0x00) }),
        mutates: false,
        // ISO 14229-1:2020 10.9.4 NRC 0x31 — serviceToRespondToRecord not supported.
        outcome: () => nrc(0x31),
      });
    }
  }
  return probes;
};
