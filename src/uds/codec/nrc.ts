/**
 * Negative response codes of ISO 14229-1:2020 annex A.1 (table A.1), each with its name, a one-line
 * meaning and what a user can do about it. `spec/uds.md` lists the same codes.
 */

/** Facts about one NRC. */
export interface NrcInfo {
  /** The code, 0x10..0xFF. */
  readonly code: number;
  /** The ISO name in camelCase, e.g. `requestOutOfRange`. */
  readonly name: string;
  /** What the code means, one line. */
  readonly meaning: string;
  /** What the tester's user can do about it. */
  readonly hint: string;
}

/** NRC codes by ISO name. */
export const NRC = {
  generalReject: 0x10,
  serviceNotSupported: 0x11,
  subFunctionNotSupported: 0x12,
  incorrectMessageLengthOrInvalidFormat: 0x13,
  responseTooLong: 0x14,
  busyRepeatRequest: 0x21,
  conditionsNotCorrect: 0x22,
  requestSequenceError: 0x24,
  noResponseFromSubnetComponent: 0x25,
  failurePreventsExecutionOfRequestedAction: 0x26,
  requestOutOfRange: 0x31,
  securityAccessDenied: 0x33,
  authenticationRequired: 0x34,
  invalidKey: 0x35,
  exceededNumberOfAttempts: 0x36,
  requiredTimeDelayNotExpired: 0x37,
  secureDataTransmissionRequired: 0x38,
  secureDataTransmissionNotAllowed: 0x39,
  secureDataVerificationFailed: 0x3a,
  certificateVerificationFailedInvalidTimePeriod: 0x50,
  certificateVerificationFailedInvalidSignature: 0x51,
  certificateVerificationFailedInvalidChainOfTrust: 0x52,
  certificateVerificationFailedInvalidType: 0x53,
  certificateVerificationFailedInvalidFormat: 0x54,
  certificateVerificationFailedInvalidContent: 0x55,
  certificateVerificationFailedInvalidScope: 0x56,
  certificateVerificationFailedInvalidCertificate: 0x57,
  ownershipVerificationFailed: 0x58,
  challengeCalculationFailed: 0x59,
  settingAccessRightsFailed: 0x5a,
  sessionKeyCreationDerivationFailed: 0x5b,
  configurationDataUsageFailed: 0x5c,
  deAuthenticationFailed: 0x5d,
  uploadDownloadNotAccepted: 0x70,
  transferDataSuspended: 0x71,
  generalProgrammingFailure: 0x72,
  wrongBlockSequenceCounter: 0x73,
  requestCorrectlyReceivedResponsePending: 0x78,
  subFunctionNotSupportedInActiveSession: 0x7e,
  serviceNotSupportedInActiveSession: 0x7f,
  rpmTooHigh: 0x81,
  rpmTooLow: 0x82,
  engineIsRunning: 0x83,
  engineIsNotRunning: 0x84,
  engineRunTimeTooLow: 0x85,
  temperatureTooHigh: 0x86,
  temperatureTooLow: 0x87,
  vehicleSpeedTooHigh: 0x88,
  vehicleSpeedTooLow: 0x89,
  throttlePedalTooHigh: 0x8a,
  throttlePedalTooLow: 0x8b,
  transmissionRangeNotInNeutral: 0x8c,
  transmissionRangeNotInGear: 0x8d,
  brakeSwitchNotClosed: 0x8f,
  shifterLeverNotInPark: 0x90,
  torqueConverterClutchLocked: 0x91,
  voltageTooHigh: 0x92,
  voltageTooLow: 0x93,
  resourceTemporarilyNotAvailable: 0x94,
} as const;

/** Every NRC with its name, meaning and hint, in code order. */
export const NRC_TABLE: readonly NrcInfo[] = [
  { code: 0x10, name: 'generalReject', meaning: 'the ECU rejected the request without a more specific reason', hint: 'check the request against the ECU documentation' },
  { code: 0x11, name: 'serviceNotSupported', meaning: 'the ECU does not offer this service at all', hint: 'use a service the ECU supports (run a service scan)' },
  { code: 0x12, name: 'subFunctionNotSupported', meaning: 'the ECU does not offer this sub-function of the service', hint: 'use a supported sub-function' },
  { code: 0x13, name: 'incorrectMessageLengthOrInvalidFormat', meaning: 'the request is too short, too long, or its format is wrong', hint: 'check the request length and its length/format identifiers' },
  { code: 0x14, name: 'responseTooLong', meaning: 'the response would exceed what the transport can carry', hint: 'request less data at once (fewer DIDs, a smaller range)' },
  { code: 0x21, name: 'busyRepeatRequest', meaning: 'the ECU is busy and cannot take the request now', hint: 'repeat the request after a short wait' },
  { code: 0x22, name: 'conditionsNotCorrect', meaning: 'the ECU is not in a state that allows the request', hint: 'check preconditions: session, vehicle state, an active transfer' },
  { code: 0x24, name: 'requestSequenceError', meaning: 'the request came in the wrong order', hint: 'send the preceding request first (e.g. requestSeed before sendKey, 34 before 36)' },
  { code: 0x25, name: 'noResponseFromSubnetComponent', meaning: 'a component behind the ECU did not answer', hint: 'check the sub-network the ECU forwards to' },
  { code: 0x26, name: 'failurePreventsExecutionOfRequestedAction', meaning: 'a failure inside the ECU prevents the action', hint: 'read the ECU\'s DTCs to find the failure' },
  { code: 0x31, name: 'requestOutOfRange', meaning: 'a parameter (DID, routine, address, size, format) is outside what the ECU accepts', hint: 'check identifiers, address ranges and sizes against the ECU\'s memory map' },
  { code: 0x33, name: 'securityAccessDenied', meaning: 'the service needs an unlocked security level', hint: 'unlock with SecurityAccess (27) first' },
  { code: 0x34, name: 'authenticationRequired', meaning: 'the service needs Authentication (29) first', hint: 'authenticate with service 29 first' },
  { code: 0x35, name: 'invalidKey', meaning: 'the key sent does not match the seed', hint: 'check the seed/key algorithm and its secret' },
  { code: 0x36, name: 'exceededNumberOfAttempts', meaning: 'too many wrong keys; a delay has started', hint: 'wait for the security delay to expire, then request a new seed' },
  { code: 0x37, name: 'requiredTimeDelayNotExpired', meaning: 'the security delay after failed attempts or power-on is still running', hint: 'wait (10 s by default) and retry' },
  { code: 0x38, name: 'secureDataTransmissionRequired', meaning: 'the service must be sent through SecuredDataTransmission (84)', hint: 'wrap the request in service 84' },
  { code: 0x39, name: 'secureDataTransmissionNotAllowed', meaning: 'this service must not be sent through SecuredDataTransmission (84)', hint: 'send the request unwrapped' },
  { code: 0x3a, name: 'secureDataVerificationFailed', meaning: 'the secured data could not be verified', hint: 'check the signature/encryption of the secured request' },
  { code: 0x50, name: 'certificateVerificationFailedInvalidTimePeriod', meaning: 'certificate validation failed: invalid time period', hint: 'use a certificate valid now' },
  { code: 0x51, name: 'certificateVerificationFailedInvalidSignature', meaning: 'certificate validation failed: invalid signature', hint: 'use a certificate signed by the expected CA' },
  { code: 0x52, name: 'certificateVerificationFailedInvalidChainOfTrust', meaning: 'certificate validation failed: invalid chain of trust', hint: 'send a certificate chaining to a trusted root' },
  { code: 0x53, name: 'certificateVerificationFailedInvalidType', meaning: 'certificate validation failed: invalid type', hint: 'use a certificate of the expected type' },
  { code: 0x54, name: 'certificateVerificationFailedInvalidFormat', meaning: 'certificate validation failed: invalid format', hint: 'send a well-formed certificate' },
  { code: 0x55, name: 'certificateVerificationFailedInvalidContent', meaning: 'certificate validation failed: invalid content', hint: 'check the certificate\'s fields' },
  { code: 0x56, name: 'certificateVerificationFailedInvalidScope', meaning: 'certificate validation failed: invalid scope', hint: 'use a certificate whose scope covers this ECU' },
  { code: 0x57, name: 'certificateVerificationFailedInvalidCertificate', meaning: 'certificate validation failed: invalid (revoked) certificate', hint: 'use a certificate that is not revoked' },
  { code: 0x58, name: 'ownershipVerificationFailed', meaning: 'the proof of ownership did not verify', hint: 'sign the challenge with the certificate\'s private key' },
  { code: 0x59, name: 'challengeCalculationFailed', meaning: 'the ECU could not compute a challenge', hint: 'retry the authentication' },
  { code: 0x5a, name: 'settingAccessRightsFailed', meaning: 'the ECU could not set the access rights', hint: 'retry the authentication' },
  { code: 0x5b, name: 'sessionKeyCreationDerivationFailed', meaning: 'the session key could not be created or derived', hint: 'retry the authentication' },
  { code: 0x5c, name: 'configurationDataUsageFailed', meaning: 'the authentication configuration data could not be used', hint: 'check the authentication configuration' },
  { code: 0x5d, name: 'deAuthenticationFailed', meaning: 'de-authentication failed', hint: 'retry de-authentication' },
  { code: 0x70, name: 'uploadDownloadNotAccepted', meaning: 'the ECU refuses the download/upload (memory not erased, no flash driver, region locked)', hint: 'erase the range and load the flash driver first, and check the address range' },
  { code: 0x71, name: 'transferDataSuspended', meaning: 'the data transfer was stopped by the ECU', hint: 'restart the transfer with 34/35' },
  { code: 0x72, name: 'generalProgrammingFailure', meaning: 'writing or erasing memory failed', hint: 'erase the target range first and check alignment; repeat the programming' },
  { code: 0x73, name: 'wrongBlockSequenceCounter', meaning: 'the TransferData block counter is not the expected one', hint: 'send blocks with the counter 01, 02, ... FF, 00, 01 ...' },
  { code: 0x78, name: 'requestCorrectlyReceivedResponsePending', meaning: 'the ECU received the request and needs more time', hint: 'keep waiting (P2* applies)' },
  { code: 0x7e, name: 'subFunctionNotSupportedInActiveSession', meaning: 'the sub-function is not allowed in the current session', hint: 'switch to a session that allows it (e.g. 10 03 extended)' },
  { code: 0x7f, name: 'serviceNotSupportedInActiveSession', meaning: 'the service is not allowed in the current session', hint: 'switch to a session that allows it (e.g. 10 03 extended or 10 02 programming)' },
  { code: 0x81, name: 'rpmTooHigh', meaning: 'engine speed is too high', hint: 'reduce engine speed' },
  { code: 0x82, name: 'rpmTooLow', meaning: 'engine speed is too low', hint: 'raise engine speed' },
  { code: 0x83, name: 'engineIsRunning', meaning: 'the engine is running', hint: 'stop the engine' },
  { code: 0x84, name: 'engineIsNotRunning', meaning: 'the engine is not running', hint: 'start the engine' },
  { code: 0x85, name: 'engineRunTimeTooLow', meaning: 'the engine has not run long enough', hint: 'let the engine run longer' },
  { code: 0x86, name: 'temperatureTooHigh', meaning: 'temperature is too high', hint: 'let the system cool down' },
  { code: 0x87, name: 'temperatureTooLow', meaning: 'temperature is too low', hint: 'let the system warm up' },
  { code: 0x88, name: 'vehicleSpeedTooHigh', meaning: 'vehicle speed is too high', hint: 'stop the vehicle' },
  { code: 0x89, name: 'vehicleSpeedTooLow', meaning: 'vehicle speed is too low', hint: 'raise the vehicle speed' },
  { code: 0x8a, name: 'throttlePedalTooHigh', meaning: 'throttle/pedal is too high', hint: 'release the pedal' },
  { code: 0x8b, name: 'throttlePedalTooLow', meaning: 'throttle/pedal is too low', hint: 'press the pedal' },
  { code: 0x8c, name: 'transmissionRangeNotInNeutral', meaning: 'the transmission is not in neutral', hint: 'shift to neutral' },
  { code: 0x8d, name: 'transmissionRangeNotInGear', meaning: 'the transmission is not in gear', hint: 'shift into gear' },
  { code: 0x8f, name: 'brakeSwitchNotClosed', meaning: 'the brake is not applied', hint: 'apply the brake' },
  { code: 0x90, name: 'shifterLeverNotInPark', meaning: 'the shifter lever is not in park', hint: 'shift to park' },
  { code: 0x91, name: 'torqueConverterClutchLocked', meaning: 'the torque converter clutch is locked', hint: 'unlock the torque converter clutch' },
  { code: 0x92, name: 'voltageTooHigh', meaning: 'supply voltage is too high', hint: 'lower the supply voltage (at most 16 V)' },
  { code: 0x93, name: 'voltageTooLow', meaning: 'supply voltage is too low', hint: 'raise the supply voltage (at least 9 V)' },
  { code: 0x94, name: 'resourceTemporarilyNotAvailable', meaning: 'a resource the request needs is temporarily unavailable', hint: 'retry later' },
];

const byCode = new Map<number, NrcInfo>(NRC_TABLE.map((i) => [i.code, i]));

/** Facts about `code`; codes the standard reserves get a generic entry (ISO 14229-1:2020 A.1: 0x95–0xEF reserved, 0xF0–0xFE manufacturer specific). */
export function nrcInfo(code: number): NrcInfo {
  const known = byCode.get(code);
  if (known) return known;
  const hex = code.toString(16).toUpperCase().padStart(2, '0');
  if (code >= 0xf0 && code <= 0xfe) {
    return { code, name: `vehicleManufacturerSpecific_${hex}`, meaning: 'a condition specific to the vehicle manufacturer', hint: 'see the ECU supplier documentation' };
  }
  return { code, name: `reservedByDocument_${hex}`, meaning: 'a code the standard reserves', hint: 'check the ECU documentation' };
}

/** The ISO name of `code`, e.g. `requestOutOfRange`. */
export function nrcName(code: number): string {
  return nrcInfo(code).name;
}

/** NRCs a server must not send for a functionally addressed request (ISO 14229-1:2020 7.5.2, table 5). */
export const NRCS_SUPPRESSED_ON_FUNCTIONAL: ReadonlySet<number> = new Set([0x11, 0x12, 0x31, 0x7e, 0x7f]);
