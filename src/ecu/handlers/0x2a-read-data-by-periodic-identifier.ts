/**
 * ReadDataByPeriodicIdentifier (0x2A), ISO 14229-1:2020 11.5: schedules periodicDataIdentifiers (DIDs
 * 0xF2xx read through the DID store) at the profile's slow / medium / fast rate, or stops them. The data
 * goes to the requester as periodic data messages (`6A pDID data`) through `ctx.sendToRequester`, the
 * first one right after the `6A` response.
 *
 * Checks in the order of the evaluation sequence of ISO 14229-1:2020 11.5.4 (figure "NRC handling for
 * ReadDataByPeriodicIdentifier"): length 0x13, transmissionMode 0x31, then per pDID supported in the
 * active session / security 0x33, at least one supported 0x31, then the scheduling limit 0x31.
 */
import { hexByte } from '../../core/hex.js';
import { readDataByPeriodicIdentifier, TransmissionMode } from '../../uds/codec/0x2a-read-data-by-periodic-identifier.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import { periodicDidReadable, type PeriodicRate } from '../periodic-scheduler.js';
import type { EcuHandler } from './types.js';

/** transmissionMode -> rate (ISO 14229-1:2020 11.5.2). */
const RATES: ReadonlyMap<number, PeriodicRate> = new Map([
  [TransmissionMode.sendAtSlowRate, 'slow'],
  [TransmissionMode.sendAtMediumRate, 'medium'],
  [TransmissionMode.sendAtFastRate, 'fast'],
]);

const pDidList = (ids: Iterable<number>): string => [...ids].map((p) => `0x${hexByte(p)}`).join(', ');

/** Handler of 0x2A (no sub-function; the service table decides the sessions). */
export const readDataByPeriodicIdentifierHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 11.5.4 NRC 0x13 — no pDID with a rate (the codec checks it).
  const req = readDataByPeriodicIdentifier.decodeRequest(ctx.data);
  const ecu = ctx.env;
  const scheduler = ecu.periodic;
  // ISO 14229-1:2020 11.5.1 — a pDID listed twice is scheduled once.
  const requested = [...new Set(req.periodicDataIdentifiers)];
  // ISO 14229-1:2020 11.5.4 NRC 0x13 — more pDIDs than the server takes in one request (its scheduling limit).
  if (requested.length > scheduler.maxScheduled) {
    throw new NrcError(
      NRC.incorrectMessageLengthOrInvalidFormat,
      `${requested.length} periodicDataIdentifiers in one request; this ECU schedules at most ${scheduler.maxScheduled}`,
    );
  }

  if (req.transmissionMode === TransmissionMode.stopSending) {
    // ISO 14229-1:2020 11.5.1 — stop the listed pDIDs, or all of them when none is listed; stopping a
    // pDID that is not scheduled is not an error.
    ctx.afterResponse(() => scheduler.stop(requested.length > 0 ? requested : undefined));
    return readDataByPeriodicIdentifier.encodeResponse({});
  }

  const rate = RATES.get(req.transmissionMode);
  // ISO 14229-1:2020 11.5.4 NRC 0x31 — transmissionMode not supported (00, 05-FF are reserved).
  if (!rate) {
    throw new NrcError(NRC.requestOutOfRange, `transmissionMode 0x${hexByte(req.transmissionMode)} is not 01 slow, 02 medium, 03 fast or 04 stop`);
  }

  const access = ecu.access();
  const supported: number[] = [];
  for (const pDid of requested) {
    const state = periodicDidReadable(ecu.dids, access, pDid);
    // An unsupported pDID (or one not readable in this session) is left out, as 0x22 leaves DIDs out.
    if (state === 'unsupported') continue;
    // ISO 14229-1:2020 11.5.4 NRC 0x33 — a requested pDID is secured and the server is locked.
    if (state === 'security') {
      throw new NrcError(NRC.securityAccessDenied, `pDID 0x${hexByte(pDid)} (DID F2${hexByte(pDid)}) needs an unlocked security level`);
    }
    supported.push(pDid);
  }
  // ISO 14229-1:2020 11.5.4 NRC 0x31 — none of the requested pDIDs is supported in the active session
  // (a dynamically defined DID F2xx that is not defined yet counts as not supported).
  if (supported.length === 0) throw new NrcError(NRC.requestOutOfRange, `no supported periodicDataIdentifier among ${pDidList(requested)}`);
  // ISO 14229-1:2020 11.5.4 NRC 0x31 — more pDIDs than the server schedules at once.
  const total = scheduler.countWith(supported);
  if (total > scheduler.maxScheduled) {
    throw new NrcError(
      NRC.requestOutOfRange,
      `scheduling ${pDidList(supported)} would make ${total} periodic DIDs; ` +
        `this ECU schedules at most ${scheduler.maxScheduled} (stop some with 2A 04 first)`,
    );
  }
  // ISO 14229-1:2020 11.5.1 — the periodic messages follow the initial positive response `6A`.
  const send = ctx.sendToRequester;
  ctx.afterResponse(() => scheduler.schedule(supported, rate, send));
  return readDataByPeriodicIdentifier.encodeResponse({});
};
