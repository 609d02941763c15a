/**
 * The code tables of ISO 13400-2:2019: generic DoIP header NACK codes, routing activation
 * response codes, diagnostic message NACK codes, activation types, power modes, node types,
 * further-action and sync-status values. Each entry has its ISO name (camelCase), a one-line
 * meaning and a hint saying what the tester's user can do.
 */
import { hexByte } from '../core/hex.js';

/** Facts about one code. */
export interface DoipCodeInfo {
  readonly code: number;
  /** ISO name in camelCase, e.g. `unknownSourceAddress`. */
  readonly name: string;
  /** What the code means, one line. */
  readonly meaning: string;
  /** What the user can do about it. */
  readonly hint: string;
}

/** Generic DoIP header NACK codes (payload type 0x0000). */
export const GenericNackCode = {
  incorrectPatternFormat: 0x00,
  unknownPayloadType: 0x01,
  messageTooLarge: 0x02,
  outOfMemory: 0x03,
  invalidPayloadLength: 0x04,
} as const;

/** Generic header NACK codes with meaning and hint. */
export const GENERIC_NACK_TABLE: readonly DoipCodeInfo[] = [
  { code: 0x00, name: 'incorrectPatternFormat', meaning: 'protocol version and inverse version do not match, or the version is not supported; the socket is closed', hint: 'send the protocol version the entity uses (02 by default) and its inverse (FD)' },
  { code: 0x01, name: 'unknownPayloadType', meaning: 'the entity does not support this payload type here; the message was discarded', hint: 'check the payload type and whether it belongs on TCP or UDP' },
  { code: 0x02, name: 'messageTooLarge', meaning: 'the payload length exceeds the entity\'s maximum data size; the message was discarded', hint: 'send smaller messages (ask 4001 entity status for the maximum data size)' },
  { code: 0x03, name: 'outOfMemory', meaning: 'the entity has no memory for this message right now; the message was discarded', hint: 'retry later or send a smaller message' },
  { code: 0x04, name: 'invalidPayloadLength', meaning: 'the payload length is not valid for this payload type; the socket is closed', hint: 'check the payload length field against the message layout' },
];

/** Routing activation response codes (payload type 0x0006). */
export const RoutingActivationCode = {
  unknownSourceAddress: 0x00,
  allSocketsRegistered: 0x01,
  differentSourceAddress: 0x02,
  sourceAddressAlreadyActive: 0x03,
  missingAuthentication: 0x04,
  rejectedConfirmation: 0x05,
  unsupportedActivationType: 0x06,
  tlsRequired: 0x07,
  success: 0x10,
  successConfirmationRequired: 0x11,
} as const;

/** Routing activation response codes with meaning and hint. */
export const ROUTING_ACTIVATION_TABLE: readonly DoipCodeInfo[] = [
  { code: 0x00, name: 'unknownSourceAddress', meaning: 'the entity does not accept this tester (source) address', hint: 'use a tester address in 0x0E00-0x0FFF (or one the entity is configured to accept)' },
  { code: 0x01, name: 'allSocketsRegistered', meaning: 'all TCP sockets the entity supports are registered and active', hint: 'close another tester connection or wait for one to time out' },
  { code: 0x02, name: 'differentSourceAddress', meaning: 'this socket is already activated with a different tester address', hint: 'use one tester address per connection; open a new connection for another address' },
  { code: 0x03, name: 'sourceAddressAlreadyActive', meaning: 'this tester address is already registered and active on another socket', hint: 'close the other connection using this tester address, or use a different tester address' },
  { code: 0x04, name: 'missingAuthentication', meaning: 'routing activation needs authentication first', hint: 'authenticate as the vehicle manufacturer requires, then activate again' },
  { code: 0x05, name: 'rejectedConfirmation', meaning: 'the confirmation in the vehicle was rejected', hint: 'confirm the activation in the vehicle and try again' },
  { code: 0x06, name: 'unsupportedActivationType', meaning: 'the entity does not support this routing activation type', hint: 'use activation type 0x00 (default), 0x01 (WWH-OBD) or 0xE0 (central security)' },
  { code: 0x07, name: 'tlsRequired', meaning: 'the entity only activates routing on a TLS connection', hint: 'connect with TLS (port 3496) instead of plain TCP' },
  { code: 0x10, name: 'success', meaning: 'routing is activated', hint: 'send diagnostic messages' },
  { code: 0x11, name: 'successConfirmationRequired', meaning: 'routing will be activated once confirmed in the vehicle', hint: 'confirm the activation in the vehicle' },
];

/** Diagnostic message NACK codes (payload type 0x8003). 0x00 and 0x01 are reserved. */
export const DiagnosticNackCode = {
  invalidSourceAddress: 0x02,
  unknownTargetAddress: 0x03,
  diagnosticMessageTooLarge: 0x04,
  outOfMemory: 0x05,
  targetUnreachable: 0x06,
  unknownNetwork: 0x07,
  transportProtocolError: 0x08,
} as const;

/** Diagnostic NACK codes with meaning and hint. */
export const DIAGNOSTIC_NACK_TABLE: readonly DoipCodeInfo[] = [
  { code: 0x02, name: 'invalidSourceAddress', meaning: 'the source address is not the one activated on this socket (or routing is not activated); the socket is closed', hint: 'activate routing first and send with the activated tester address' },
  { code: 0x03, name: 'unknownTargetAddress', meaning: 'no ECU (or functional group) with this target address behind the entity', hint: 'check the ECU logical address (run a vehicle identification or address scan)' },
  { code: 0x04, name: 'diagnosticMessageTooLarge', meaning: 'the message is larger than the target ECU can take', hint: 'send a smaller message (e.g. lower the TransferData block size)' },
  { code: 0x05, name: 'outOfMemory', meaning: 'the entity has no memory for this message right now', hint: 'retry later' },
  { code: 0x06, name: 'targetUnreachable', meaning: 'the target ECU cannot be reached now (e.g. it is resetting)', hint: 'wait until the ECU is back (after a reset) and retry' },
  { code: 0x07, name: 'unknownNetwork', meaning: 'the target network is unknown to the entity', hint: 'check the target address and the vehicle topology' },
  { code: 0x08, name: 'transportProtocolError', meaning: 'the entity failed to forward the message on the target network', hint: 'retry; check the bus behind the gateway' },
];

/** Diagnostic message positive ACK code (payload type 0x8002): routing confirmation. */
export const DIAGNOSTIC_ACK_CODE = 0x00;

/** Routing activation types (payload type 0x0005). 0x02–0xDF reserved, 0xE1–0xFF OEM specific. */
export const ActivationType = {
  default: 0x00,
  wwhObd: 0x01,
  centralSecurity: 0xe0,
} as const;

/** Diagnostic power modes (payload type 0x4004). */
export const PowerMode = {
  notReady: 0x00,
  ready: 0x01,
  notSupported: 0x02,
} as const;

/** Node types (payload type 0x4002). */
export const NodeType = {
  gateway: 0x00,
  node: 0x01,
} as const;

/** Further action required (payload type 0x0004). 0x11–0xFF are OEM specific. */
export const FurtherAction = {
  none: 0x00,
  centralSecurity: 0x10,
} as const;

/** VIN/GID synchronization status (optional last byte of payload type 0x0004). */
export const SyncStatus = {
  synchronized: 0x00,
  incomplete: 0x10,
} as const;

function lookup(table: readonly DoipCodeInfo[], what: string, oem?: (code: number) => boolean): (code: number) => DoipCodeInfo {
  const map = new Map<number, DoipCodeInfo>(table.map((i) => [i.code, i]));
  return (code) => {
    const known = map.get(code);
    if (known) return known;
    const hex = hexByte(code);
    if (oem?.(code)) {
      return { code, name: `vehicleManufacturerSpecific_${hex}`, meaning: `a ${what} specific to the vehicle manufacturer`, hint: 'see the vehicle manufacturer\'s documentation' };
    }
    return { code, name: `reserved_${hex}`, meaning: `a ${what} that ISO 13400-2 reserves`, hint: 'check the entity\'s documentation' };
  };
}

/** Facts about a generic header NACK code. */
export const genericNackInfo = lookup(GENERIC_NACK_TABLE, 'generic header NACK code');
/** Facts about a routing activation response code (0xE0–0xFE are OEM specific). */
export const routingActivationInfo = lookup(ROUTING_ACTIVATION_TABLE, 'routing activation response code', (c) => c >= 0xe0 && c <= 0xfe);
/** Facts about a diagnostic message NACK code. */
export const diagnosticNackInfo = lookup(DIAGNOSTIC_NACK_TABLE, 'diagnostic message NACK code');

/** True for the routing activation codes that activate routing (0x10, 0x11). */
export function isRoutingActivationSuccess(code: number): boolean {
  return code === RoutingActivationCode.success || code === RoutingActivationCode.successConfirmationRequired;
}

/** Name of an activation type: `default`, `wwhObd`, `centralSecurity`, `oem_E5`, `reserved_02`. */
export function activationTypeName(type: number): string {
  if (type === ActivationType.default) return 'default';
  if (type === ActivationType.wwhObd) return 'wwhObd';
  if (type === ActivationType.centralSecurity) return 'centralSecurity';
  return type >= 0xe1 && type <= 0xff ? `oem_${hexByte(type)}` : `reserved_${hexByte(type)}`;
}

/** Name of a diagnostic power mode: `notReady`, `ready`, `notSupported`, `reserved_05`. */
export function powerModeName(mode: number): string {
  for (const [name, value] of Object.entries(PowerMode)) if (value === mode) return name;
  return `reserved_${hexByte(mode)}`;
}
