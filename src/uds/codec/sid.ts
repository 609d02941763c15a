/**
 * Service identifiers of ISO 14229-1:2020 (table 23 of clause 8) and the bits of the message shape.
 */

/** Every UDS service identifier udskit knows. */
export const SID = {
  DiagnosticSessionControl: 0x10,
  ECUReset: 0x11,
  ClearDiagnosticInformation: 0x14,
  ReadDTCInformation: 0x19,
  ReadDataByIdentifier: 0x22,
  ReadMemoryByAddress: 0x23,
  ReadScalingDataByIdentifier: 0x24,
  SecurityAccess: 0x27,
  CommunicationControl: 0x28,
  Authentication: 0x29,
  ReadDataByPeriodicIdentifier: 0x2a,
  DynamicallyDefineDataIdentifier: 0x2c,
  WriteDataByIdentifier: 0x2e,
  InputOutputControlByIdentifier: 0x2f,
  RoutineControl: 0x31,
  RequestDownload: 0x34,
  RequestUpload: 0x35,
  TransferData: 0x36,
  RequestTransferExit: 0x37,
  RequestFileTransfer: 0x38,
  WriteMemoryByAddress: 0x3d,
  TesterPresent: 0x3e,
  AccessTimingParameter: 0x83,
  SecuredDataTransmission: 0x84,
  ControlDTCSetting: 0x85,
  ResponseOnEvent: 0x86,
  LinkControl: 0x87,
} as const;

/** Name of a known SID. */
export type ServiceName = keyof typeof SID;

/** A positive response SID is the request SID + 0x40 (ISO 14229-1:2020 8.2). */
export const POSITIVE_RESPONSE_OFFSET = 0x40;
/** First byte of every negative response (ISO 14229-1:2020 8.3). */
export const NEGATIVE_RESPONSE_SID = 0x7f;
/** suppressPosRspMsgIndicationBit, bit 7 of the sub-function byte (ISO 14229-1:2020 8.2.2). */
export const SPRMIB = 0x80;

/** Services whose second byte is a sub-function (so SPRMIB applies), per ISO 14229-1:2020 clauses 10–15. */
export const SERVICES_WITH_SUB_FUNCTION: ReadonlySet<number> = new Set([
  0x10, 0x11, 0x19, 0x27, 0x28, 0x29, 0x2c, 0x31, 0x3e, 0x83, 0x85, 0x86, 0x87,
]);

const byCode = new Map<number, ServiceName>(Object.entries(SID).map(([k, v]) => [v, k as ServiceName]));

/** The service's name (`ReadDataByIdentifier`), or `service 0xNN` for an unknown SID. Accepts response SIDs too. */
export function serviceName(sid: number): string {
  const name = byCode.get(sid) ?? byCode.get(sid - POSITIVE_RESPONSE_OFFSET);
  return name ?? `service 0x${sid.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** True for a SID that udskit knows. */
export function isKnownSid(sid: number): boolean {
  return byCode.has(sid);
}

/** True when the service carries a sub-function byte. */
export function hasSubFunction(sid: number): boolean {
  return SERVICES_WITH_SUB_FUNCTION.has(sid);
}

/** Splits a sub-function byte into its value (bits 0–6) and SPRMIB (bit 7). */
export function splitSubFunction(byte: number): { value: number; suppressPositiveResponse: boolean } {
  return { value: byte & 0x7f, suppressPositiveResponse: (byte & SPRMIB) !== 0 };
}

/** Builds a sub-function byte from its value and SPRMIB. */
export function subFunctionByte(value: number, suppressPositiveResponse = false): number {
  return (value & 0x7f) | (suppressPositiveResponse ? SPRMIB : 0);
}
