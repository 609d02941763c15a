/**
 * InputOutputControlByIdentifier (0x2F), ISO 14229-1:2020 13.2.
 *
 * Request `2F DID(2) inputOutputControlParameter [controlState...] [controlEnableMask...]`, positive
 * response `6F DID(2) inputOutputControlParameter [controlState...]` (the controlStatusRecord).
 *
 * Where the controlState ends and the controlEnableMask begins is not on the wire: it depends on the
 * DID. `decodeRequest` therefore returns every byte after the parameter as `controlState`; a server that
 * knows the DID splits them with {@link splitControlOptionRecord}.
 */
import { ByteWriter } from '../../core/bytes.js';
import { hexByte, hexNum } from '../../core/hex.js';
import { decodeRequestFrame, decodeResponseFrame, RequestFormatError, type ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** inputOutputControlParameter values (ISO 14229-1:2020 Annex E, inputOutputControlParameter table). */
export const IoControlParameter = {
  returnControlToECU: 0x00,
  resetToDefault: 0x01,
  freezeCurrentState: 0x02,
  shortTermAdjustment: 0x03,
} as const;

/** A decoded 0x2F request. */
export interface InputOutputControlByIdentifierRequest {
  /** The data identifier, 0..0xFFFF. */
  did: number;
  /** inputOutputControlParameter (00 return control, 01 reset to default, 02 freeze, 03 short-term adjustment). */
  inputOutputControlParameter: number;
  /** controlState bytes (only shortTermAdjustment carries them). Without context, every byte after the parameter. */
  controlState: Uint8Array;
  /** controlEnableMask bytes (only for DIDs with several signals). Empty when decoded without context. */
  controlEnableMask: Uint8Array;
}

/** A decoded 0x2F positive response. */
export interface InputOutputControlByIdentifierResponse {
  /** Echo of the data identifier. */
  did: number;
  /** Echo of the inputOutputControlParameter. */
  inputOutputControlParameter: number;
  /** controlState: the state of the input/output now (may be empty). */
  controlState: Uint8Array;
}

/** What splits a controlOptionRecord: the lengths the DID gives its controlState and controlEnableMask. */
export interface IoControlSplit {
  /** Bytes of controlState expected for this parameter (the DID's record length for shortTermAdjustment, else 0). */
  stateLength: number;
  /** Bytes of controlEnableMask (0 when the DID has a single signal). */
  maskLength: number;
}

const NAME = 'InputOutputControlByIdentifier';

/**
 * Splits the bytes after the parameter (`req.controlState` as decoded without context) into controlState
 * and controlEnableMask. Throws {@link RequestFormatError} (NRC 0x13, ISO 14229-1:2020 13.2.4) unless they
 * are exactly `stateLength + maskLength` bytes.
 */
export function splitControlOptionRecord(
  req: InputOutputControlByIdentifierRequest,
  split: IoControlSplit,
): InputOutputControlByIdentifierRequest {
  const all = req.controlEnableMask.length === 0 ? req.controlState : Uint8Array.from([...req.controlState, ...req.controlEnableMask]);
  const want = split.stateLength + split.maskLength;
  if (all.length !== want) {
    throw new RequestFormatError(
      `${NAME} request: DID ${hexNum(req.did)} with inputOutputControlParameter 0x${hexByte(req.inputOutputControlParameter)} takes ` +
        `${split.stateLength} controlState + ${split.maskLength} controlEnableMask byte(s), got ${all.length} (NRC 0x13)`,
      undefined,
      { did: req.did, expected: want, got: all.length },
    );
  }
  return {
    did: req.did,
    inputOutputControlParameter: req.inputOutputControlParameter,
    controlState: all.slice(0, split.stateLength),
    controlEnableMask: all.slice(split.stateLength),
  };
}

/** Codec of InputOutputControlByIdentifier (0x2F). */
export const inputOutputControlByIdentifier: ServiceCodec<InputOutputControlByIdentifierRequest, InputOutputControlByIdentifierResponse> = {
  sid: SID.InputOutputControlByIdentifier,
  name: NAME,
  hasSubFunction: false,
  // SID + DID + inputOutputControlParameter.
  minRequestLength: 4,

  encodeRequest(req) {
    return new ByteWriter(4 + req.controlState.length + req.controlEnableMask.length)
      .u8(SID.InputOutputControlByIdentifier)
      .u16(req.did)
      .u8(req.inputOutputControlParameter)
      .bytes(req.controlState)
      .bytes(req.controlEnableMask)
      .finish();
  },

  decodeRequest(bytes) {
    // ISO 14229-1:2020 13.2.2 — DID and the controlOptionRecord, whose first byte is the parameter; shorter is 0x13.
    return decodeRequestFrame(SID.InputOutputControlByIdentifier, NAME, bytes, (r) => ({
      did: r.u16('dataIdentifier'),
      inputOutputControlParameter: r.u8('inputOutputControlParameter'),
      controlState: r.rest(),
      controlEnableMask: new Uint8Array(0),
    }));
  },

  encodeResponse(res) {
    return new ByteWriter(4 + res.controlState.length)
      .u8(SID.InputOutputControlByIdentifier + 0x40)
      .u16(res.did)
      .u8(res.inputOutputControlParameter)
      .bytes(res.controlState)
      .finish();
  },

  decodeResponse(bytes) {
    // ISO 14229-1:2020 13.2.3 — DID and the controlStatusRecord (parameter echo, then the controlState).
    return decodeResponseFrame(SID.InputOutputControlByIdentifier, NAME, bytes, (r) => ({
      did: r.u16('dataIdentifier'),
      inputOutputControlParameter: r.u8('inputOutputControlParameter'),
      controlState: r.rest(),
    }));
  },
};
