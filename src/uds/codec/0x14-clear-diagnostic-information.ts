/**
 * ClearDiagnosticInformation (0x14), ISO 14229-1:2020 12.2.
 *
 * Request `14 groupOfDTC(3) [MemorySelection(1)]`, positive response `54`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x14 request. */
export interface ClearDiagnosticInformationRequest {
  /** groupOfDTC, 0..0xFFFFFF; 0xFFFFFF = all groups (ISO 14229-1:2020 Annex D.1). */
  groupOfDtc: number;
  /** MemorySelection (ISO 14229-1:2020 12.2.2, optional): which user-defined DTC memory; absent = primary memory. */
  memorySelection?: number;
}

/** The 0x14 positive response carries no parameter. */
export type ClearDiagnosticInformationResponse = Record<string, never>;

const NAME = 'ClearDiagnosticInformation';

/** Codec of ClearDiagnosticInformation (0x14). */
export const clearDiagnosticInformation: ServiceCodec<ClearDiagnosticInformationRequest, ClearDiagnosticInformationResponse> = {
  sid: SID.ClearDiagnosticInformation,
  name: NAME,
  hasSubFunction: false,
  minRequestLength: 4,

  encodeRequest(req) {
    if (!Number.isInteger(req.groupOfDtc) || req.groupOfDtc < 0 || req.groupOfDtc > 0xffffff) {
      throw new InvalidArgumentError(`${NAME}: groupOfDTC must be 0x000000..0xFFFFFF, got ${String(req.groupOfDtc)}`, { field: 'groupOfDtc' });
    }
    const w = new ByteWriter(5).u8(SID.ClearDiagnosticInformation).uint(req.groupOfDtc, 3);
    if (req.memorySelection !== undefined) w.u8(req.memorySelection);
    return w.finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 12.2.2 — SID, 3-byte groupOfDTC, optional 1-byte MemorySelection: 4 or 5 bytes, else 0x13.
    return decodeRequestFrame(SID.ClearDiagnosticInformation, NAME, bytes, (r) => {
      const groupOfDtc = r.uint(3, 'groupOfDTC');
      if (r.remaining === 0) return { groupOfDtc };
      return { groupOfDtc, memorySelection: r.u8('MemorySelection') };
    });
  },

  encodeResponse() {
    return Uint8Array.of(SID.ClearDiagnosticInformation + 0x40);
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 12.2.3 — the positive response is the SID alone.
    return decodeResponseFrame(SID.ClearDiagnosticInformation, NAME, bytes, () => ({}));
  },
};
