/**
 * Vehicle identification (ISO 13400-2:2019 7.4): requests 0x0001 (no payload), 0x0002 (`EID(6)`),
 * 0x0003 (`VIN(17)`) and the vehicle announcement / identification response 0x0004
 * (`VIN(17) logicalAddress(2) EID(6) GID(6) furtherAction(1) [syncStatus(1)]`).
 *
 * VINs are 17 bytes of ASCII on the wire; they decode as Latin-1 so that any bytes (e.g. the
 * 0x00/0xFF fill of an entity without a VIN) round-trip unchanged.
 */
import { ByteReader, ByteWriter } from '../core/bytes.js';
import { InvalidArgumentError } from '../core/errors.js';
import { fromHex, toHex } from '../core/hex.js';
import { PayloadType, assertPayloadLength } from './payload-types.js';

/** Length of a VIN in bytes. */
export const VIN_LENGTH = 17;
/** Length of an EID or GID in bytes. */
export const ID_LENGTH = 6;

/** Vehicle identification request (any entity answers). */
export interface VehicleIdentificationRequestMessage {
  readonly kind: 'vehicleIdentificationRequest';
}

/** Vehicle identification request with EID (only the entity with this EID answers). */
export interface VehicleIdentificationRequestWithEidMessage {
  readonly kind: 'vehicleIdentificationRequestWithEid';
  readonly eid: Uint8Array;
}

/** Vehicle identification request with VIN (only entities of this vehicle answer). */
export interface VehicleIdentificationRequestWithVinMessage {
  readonly kind: 'vehicleIdentificationRequestWithVin';
  readonly vin: string;
}

/** Vehicle announcement / vehicle identification response. */
export interface VehicleAnnouncementMessage {
  readonly kind: 'vehicleAnnouncement';
  readonly vin: string;
  readonly logicalAddress: number;
  readonly eid: Uint8Array;
  readonly gid: Uint8Array;
  /** See `FurtherAction`: 0x00 none, 0x10 routing activation required for central security. */
  readonly furtherAction: number;
  /** See `SyncStatus` (optional field): 0x00 synchronized, 0x10 incomplete. */
  readonly syncStatus?: number;
}

/** The 17 bytes of `vin`. Throws {@link InvalidArgumentError} unless it has 17 characters of code 0..255. */
export function encodeVin(vin: string, field = 'vin'): Uint8Array {
  if (vin.length !== VIN_LENGTH) {
    throw new InvalidArgumentError(`${field} must have exactly ${VIN_LENGTH} characters, got ${vin.length} ("${vin}")`, { field });
  }
  const out = new Uint8Array(VIN_LENGTH);
  for (let i = 0; i < VIN_LENGTH; i++) {
    const c = vin.charCodeAt(i);
    if (c > 0xff) throw new InvalidArgumentError(`${field} must be ASCII, got "${vin}"`, { field });
    out[i] = c;
  }
  return out;
}

/** The VIN text of 17 bytes (Latin-1, so any bytes round-trip). */
export function decodeVin(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}

/**
 * An EID or GID as 6 bytes, from bytes or hex text (`"00 1A 2B 3C 4D 5E"`, `"001A2B3C4D5E"`,
 * `"00:1a:2b:3c:4d:5e"`). Throws {@link InvalidArgumentError} naming `field` otherwise.
 */
export function toIdBytes(value: Uint8Array | string, field: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = typeof value === 'string' ? fromHex(value) : value;
  } catch {
    throw new InvalidArgumentError(`${field} must be 6 bytes of hex like "00 1A 2B 3C 4D 5E", got "${String(value)}"`, { field });
  }
  if (bytes.length !== ID_LENGTH) {
    throw new InvalidArgumentError(`${field} must be exactly ${ID_LENGTH} bytes, got ${bytes.length} (${toHex(bytes)})`, { field });
  }
  return Uint8Array.from(bytes);
}

function idBytes(value: Uint8Array, field: string): Uint8Array {
  if (value.length !== ID_LENGTH) {
    throw new InvalidArgumentError(`${field} must be exactly ${ID_LENGTH} bytes, got ${value.length}`, { field });
  }
  return value;
}

/** Encodes the (empty) payload of a vehicle identification request. */
export function encodeVehicleIdentificationRequest(_m: VehicleIdentificationRequestMessage): Uint8Array {
  return new Uint8Array(0);
}

/** Decodes the payload of a vehicle identification request (must be empty). */
export function decodeVehicleIdentificationRequest(payload: Uint8Array): VehicleIdentificationRequestMessage {
  assertPayloadLength(PayloadType.vehicleIdentificationRequest, payload);
  return { kind: 'vehicleIdentificationRequest' };
}

/** Encodes the payload of a vehicle identification request with EID. */
export function encodeVehicleIdentificationRequestWithEid(m: VehicleIdentificationRequestWithEidMessage): Uint8Array {
  return Uint8Array.from(idBytes(m.eid, 'eid'));
}

/** Decodes the payload of a vehicle identification request with EID. */
export function decodeVehicleIdentificationRequestWithEid(payload: Uint8Array): VehicleIdentificationRequestWithEidMessage {
  assertPayloadLength(PayloadType.vehicleIdentificationRequestWithEid, payload);
  return { kind: 'vehicleIdentificationRequestWithEid', eid: payload.slice() };
}

/** Encodes the payload of a vehicle identification request with VIN. */
export function encodeVehicleIdentificationRequestWithVin(m: VehicleIdentificationRequestWithVinMessage): Uint8Array {
  return encodeVin(m.vin);
}

/** Decodes the payload of a vehicle identification request with VIN. */
export function decodeVehicleIdentificationRequestWithVin(payload: Uint8Array): VehicleIdentificationRequestWithVinMessage {
  assertPayloadLength(PayloadType.vehicleIdentificationRequestWithVin, payload);
  return { kind: 'vehicleIdentificationRequestWithVin', vin: decodeVin(payload) };
}

/** Encodes the payload of a vehicle announcement; `syncStatus` is written when set (33 bytes, else 32). */
export function encodeVehicleAnnouncement(m: VehicleAnnouncementMessage): Uint8Array {
  const w = new ByteWriter(33)
    .bytes(encodeVin(m.vin))
    .u16(m.logicalAddress)
    .bytes(idBytes(m.eid, 'eid'))
    .bytes(idBytes(m.gid, 'gid'))
    .u8(m.furtherAction);
  if (m.syncStatus !== undefined) w.u8(m.syncStatus);
  return w.finish();
}

/** Decodes the payload of a vehicle announcement / identification response (32 or 33 bytes). */
export function decodeVehicleAnnouncement(payload: Uint8Array): VehicleAnnouncementMessage {
  assertPayloadLength(PayloadType.vehicleAnnouncement, payload);
  const r = new ByteReader(payload, 'vehicle announcement');
  const vin = decodeVin(r.bytes(VIN_LENGTH, 'vin'));
  const logicalAddress = r.u16('logicalAddress');
  const eid = r.bytes(ID_LENGTH, 'eid');
  const gid = r.bytes(ID_LENGTH, 'gid');
  const furtherAction = r.u8('furtherAction');
  if (r.remaining === 0) return { kind: 'vehicleAnnouncement', vin, logicalAddress, eid, gid, furtherAction };
  return { kind: 'vehicleAnnouncement', vin, logicalAddress, eid, gid, furtherAction, syncStatus: r.u8('syncStatus') };
}
