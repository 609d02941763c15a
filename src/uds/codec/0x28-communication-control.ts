/**
 * CommunicationControl (0x28), ISO 14229-1:2020 10.5.
 *
 * Request `28 SF communicationType [nodeIdentificationNumber(2)]` (node id only for SF 0x04/0x05),
 * positive response `68 SF`.
 */
import { ByteWriter } from '../../core/bytes.js';
import { InvalidArgumentError } from '../../core/errors.js';
import { decodeRequestFrame, decodeResponseFrame, encodeSubFunction, type ServiceCodec } from './service-codec.js';
import { SID, splitSubFunction } from './sid.js';

/** Control types of ISO 14229-1:2020 10.5.2 (the sub-function values of 0x28). */
export const CommunicationControlType = {
  enableRxAndTx: 0x00,
  enableRxAndDisableTx: 0x01,
  disableRxAndEnableTx: 0x02,
  disableRxAndTx: 0x03,
  enableRxAndDisableTxWithEnhancedAddressInformation: 0x04,
  enableRxAndTxWithEnhancedAddressInformation: 0x05,
} as const;

/** communicationType bits 0-1 (ISO 14229-1:2020 annex B.1): 1 normal, 2 network management, 3 both. */
export const CommunicationType = {
  normalCommunicationMessages: 0x01,
  networkManagementCommunicationMessages: 0x02,
  networkManagementAndNormalCommunicationMessages: 0x03,
} as const;

/** A decoded 0x28 request. */
export interface CommunicationControlRequest {
  /** Control type, 0..0x7F (without SPRMIB). */
  controlType: number;
  /** communicationType byte (bits 0-1 message kind, bits 4-7 subnet number). */
  communicationType: number;
  /** Node identification number, present (and required) for control types 0x04 and 0x05. */
  nodeIdentificationNumber?: number;
  /** SPRMIB: the server sends no positive response. */
  suppressPositiveResponse?: boolean;
}

/** A decoded 0x28 positive response. */
export interface CommunicationControlResponse {
  /** Echo of the control type. */
  controlType: number;
}

const NAME = 'CommunicationControl';

/** True when the control type carries a nodeIdentificationNumber (ISO 14229-1:2020 10.5.2). */
export function hasNodeIdentificationNumber(controlType: number): boolean {
  return (
    controlType === CommunicationControlType.enableRxAndDisableTxWithEnhancedAddressInformation ||
    controlType === CommunicationControlType.enableRxAndTxWithEnhancedAddressInformation
  );
}

/** Codec of CommunicationControl (0x28). */
export const communicationControl: ServiceCodec<CommunicationControlRequest, CommunicationControlResponse> = {
  sid: SID.CommunicationControl,
  name: NAME,
  hasSubFunction: true,
  minRequestLength: 3,

  encodeRequest(req) {
    const w = new ByteWriter(5)
      .u8(SID.CommunicationControl)
      .u8(encodeSubFunction(NAME, 'controlType', req.controlType, req.suppressPositiveResponse))
      .u8(req.communicationType);
    if (hasNodeIdentificationNumber(req.controlType)) {
      if (req.nodeIdentificationNumber === undefined) {
        throw new InvalidArgumentError(`${NAME}: controlType ${req.controlType} needs nodeIdentificationNumber (0..0xFFFF)`, {
          field: 'nodeIdentificationNumber',
        });
      }
      w.u16(req.nodeIdentificationNumber);
    } else if (req.nodeIdentificationNumber !== undefined) {
      throw new InvalidArgumentError(`${NAME}: nodeIdentificationNumber is only sent with controlType 0x04 or 0x05`, {
        field: 'nodeIdentificationNumber',
      });
    }
    return w.finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 10.5.2 — 3 bytes, or 5 with the node id for control types 0x04/0x05; else 0x13.
    return decodeRequestFrame(SID.CommunicationControl, NAME, bytes, (r) => {
      const sf = splitSubFunction(r.u8('controlType'));
      const communicationType = r.u8('communicationType');
      const req: CommunicationControlRequest = {
        controlType: sf.value,
        communicationType,
        suppressPositiveResponse: sf.suppressPositiveResponse,
      };
      if (hasNodeIdentificationNumber(sf.value)) req.nodeIdentificationNumber = r.u16('nodeIdentificationNumber');
      return req;
    });
  },

  encodeResponse(res) {
    return Uint8Array.of(SID.CommunicationControl + 0x40, encodeSubFunction(NAME, 'controlType', res.controlType));
  },

  decodeResponse(bytes) {
    return decodeResponseFrame(SID.CommunicationControl, NAME, bytes, (r) => ({ controlType: r.u8('controlType') & 0x7f }));
  },
};
