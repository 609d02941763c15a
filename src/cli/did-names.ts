/**
 * Names and readable forms of data identifiers for the CLI: the identification DIDs udskit's ECUs carry
 * (spec/uds.md "Standard identifiers used by the defaults", the keys of the profile's `identification:`),
 * F186, and the other standardised identification DIDs of ISO 14229-1:2020 Annex C.1 (F180-F19F).
 */
import { toHex } from '../core/hex.js';
import { ACTIVE_SESSION_DID, IDENTIFICATION_DIDS } from '../ecu/config.js';
import { SESSION_NAMES } from './arguments.js';

/** ISO 14229-1:2020 Annex C.1 identification DIDs that udskit's profiles do not name themselves. */
const ISO_DIDS: Readonly<Record<string, number>> = {
  applicationDataId: 0xf182,
  bootSoftwareFingerprint: 0xf183,
  applicationSoftwareFingerprint: 0xf184,
  applicationDataFingerprint: 0xf185,
  ecuSoftwareVersionNumber: 0xf189,
  systemSupplierId: 0xf18a,
  ecuManufacturingDate: 0xf18b,
  supportedFunctionalUnits: 0xf18d,
  kitAssemblyPartNumber: 0xf18e,
  systemSupplierHardwareNumber: 0xf192,
  systemSupplierHardwareVersion: 0xf193,
  systemSupplierSoftwareNumber: 0xf194,
  systemSupplierSoftwareVersion: 0xf195,
  typeApprovalNumber: 0xf196,
  systemName: 0xf197,
  calibrationRepairShopCode: 0xf19a,
  calibrationDate: 0xf19b,
  calibrationEquipmentSoftwareNumber: 0xf19c,
  ecuInstallationDate: 0xf19d,
  odxFile: 0xf19e,
  entity: 0xf19f,
};

/** DID name -> identifier, for arguments such as `udskit read-did vin`. Names are lower-cased. */
export const DID_BY_NAME: Readonly<Record<string, number>> = Object.fromEntries(
  [...Object.entries(IDENTIFICATION_DIDS), ['activeDiagnosticSession', ACTIVE_SESSION_DID] as const, ...Object.entries(ISO_DIDS)].map(
    ([name, id]) => [name.toLowerCase(), id],
  ),
);

const NAME_BY_DID: ReadonlyMap<number, string> = new Map(
  [...Object.entries(IDENTIFICATION_DIDS), ['activeDiagnosticSession', ACTIVE_SESSION_DID] as const, ...Object.entries(ISO_DIDS)].map(
    ([name, id]) => [id, name],
  ),
);

/** The name of a standard DID (`0xF190` -> `vin`), or undefined. */
export function didName(did: number): string | undefined {
  return NAME_BY_DID.get(did);
}

/** `0xF190` -> `F190`. */
export function didHex(did: number): string {
  return did.toString(16).toUpperCase().padStart(4, '0');
}

/** The data as text when every byte is printable ASCII (trailing NULs and spaces ignored), else undefined. */
export function asciiOf(data: Uint8Array): string | undefined {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x00 || data[end - 1] === 0x20)) end--;
  if (end === 0) return undefined;
  for (let i = 0; i < end; i++) {
    const b = data[i] as number;
    if (b < 0x20 || b > 0x7e) return undefined;
  }
  return Buffer.from(data.subarray(0, end)).toString('latin1');
}

/** One DID record as the CLI prints it (`--json` shape). */
export interface ReadableDid {
  /** The identifier. */
  did: number;
  /** Its standard name, when known. */
  name?: string;
  /** The data as hex bytes. */
  hex: string;
  /** The data as text, when printable. */
  ascii?: string;
}

/** The CLI form of a DID record. */
export function readableDid(did: number, data: Uint8Array): ReadableDid {
  const name = didName(did);
  const ascii = asciiOf(data);
  return { did, ...(name !== undefined ? { name } : {}), hex: toHex(data), ...(ascii !== undefined ? { ascii } : {}) };
}

/**
 * A human interpretation beyond ASCII for the DIDs whose format the standard fixes: F186 the session
 * name (ISO 14229-1:2020 C.1), F199 the BCD programming date (spec/uds.md: YYMMDD or YYYYMMDD).
 */
export function interpretDid(did: number, data: Uint8Array): string | undefined {
  if (did === ACTIVE_SESSION_DID && data.length === 1) {
    const session = data[0] as number;
    const name = Object.entries(SESSION_NAMES).find(([, v]) => v === session)?.[0];
    return name === undefined ? undefined : `${name} session`;
  }
  if (did === IDENTIFICATION_DIDS.programmingDate && (data.length === 3 || data.length === 4)) {
    const digits = toHex(data, '');
    if (!/^\d+$/.test(digits)) return undefined;
    const y = data.length === 4 ? digits.slice(0, 4) : `20${digits.slice(0, 2)}`;
    const rest = digits.slice(data.length === 4 ? 4 : 2);
    return `${y}-${rest.slice(0, 2)}-${rest.slice(2, 4)}`;
  }
  return undefined;
}
