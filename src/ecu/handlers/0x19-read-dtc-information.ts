/**
 * ReadDTCInformation (0x19), ISO 14229-1:2020 12.3: reports from the ECU's DTC memory. Sub-functions
 * 01, 02, 03, 04, 06, 0A, 0B, 0C, 0D, 0E (which of them the ECU offers is the service table's).
 */
import { hexByte } from '../../core/hex.js';
import { readDtcInformation, type ReadDtcInformationResponse } from '../../uds/codec/0x19-read-dtc-information.js';
import { dtcHex } from '../../uds/codec/dtc-format.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuHandler } from './types.js';

const CHRONOLOGICAL = {
  0x0b: 'firstFailed',
  0x0c: 'firstConfirmed',
  0x0d: 'mostRecentFailed',
  0x0e: 'mostRecentConfirmed',
} as const;

/** Handler of 0x19. */
export const readDtcInformationHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 12.3.4 NRC 0x13 — wrong length for the reportType (the codec checks it).
  const req = readDtcInformation.decodeRequest(ctx.data);
  const store = ctx.env.dtcs;
  const mask = store.statusAvailabilityMask;
  // A reportType the table lets through but udskit does not implement (a profile may list more).
  if ('parameters' in req) throw new NrcError(NRC.subFunctionNotSupported, `reportType 0x${hexByte(req.subFunction)} is not implemented`);
  let res: ReadDtcInformationResponse;
  switch (req.subFunction) {
    case 0x01:
      // ISO 14229-1:2020 12.3.3 — count of DTCs with (statusOfDTC & DTCStatusMask) != 0.
      res = { subFunction: 0x01, statusAvailabilityMask: mask, formatIdentifier: store.formatIdentifier, count: store.byStatusMask(req.statusMask).length };
      break;
    case 0x02:
      res = { subFunction: 0x02, statusAvailabilityMask: mask, dtcs: store.byStatusMask(req.statusMask) };
      break;
    case 0x03:
      res = { subFunction: 0x03, records: store.snapshotIdentification() };
      break;
    case 0x0a:
      res = { subFunction: 0x0a, statusAvailabilityMask: mask, dtcs: store.supported() };
      break;
    case 0x04: {
      const records = store.snapshotRecords(req.dtc, req.recordNumber);
      // ISO 14229-1:2020 12.3.4 NRC 0x31 — unknown DTC, or a DTCSnapshotRecordNumber it does not have.
      if (!records) throw new NrcError(NRC.requestOutOfRange, `no snapshot record 0x${hexByte(req.recordNumber)} for DTC ${dtcHex(req.dtc)}`);
      res = { subFunction: 0x04, dtc: req.dtc, status: store.info(req.dtc)?.status ?? 0, records };
      break;
    }
    case 0x06: {
      const records = store.extendedDataRecords(req.dtc, req.recordNumber);
      // ISO 14229-1:2020 12.3.4 NRC 0x31 — unknown DTC, or a DTCExtDataRecordNumber it does not have.
      if (!records) throw new NrcError(NRC.requestOutOfRange, `no extended data record 0x${hexByte(req.recordNumber)} for DTC ${dtcHex(req.dtc)}`);
      res = { subFunction: 0x06, dtc: req.dtc, status: store.info(req.dtc)?.status ?? 0, records };
      break;
    }
    default: {
      // ISO 14229-1:2020 12.3.3 — 0B..0E: at most one DTC, the availability mask alone when there is none.
      const found = store.chronological(CHRONOLOGICAL[req.subFunction]);
      res = { subFunction: req.subFunction, statusAvailabilityMask: mask, dtcs: found ? [found] : [] };
    }
  }
  return readDtcInformation.encodeResponse(res);
};
