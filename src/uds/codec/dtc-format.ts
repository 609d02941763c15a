/**
 * Diagnostic trouble codes as data: the 3-byte DTC, its SAE J2012 text form ("P0562-16"), the eight
 * DTC status bits (ISO 14229-1:2020 Annex D.2) and the DTCFormatIdentifier values (ISO 14229-1:2020
 * 12.3.3, reportNumberOfDTCByStatusMask). Pure helpers shared by the codecs, the ECU and the CLI.
 */
import { InvalidArgumentError } from '../../core/errors.js';
import { hexByte } from '../../core/hex.js';

/** The eight bits of statusOfDTC, ISO 14229-1:2020 Annex D.2 (bit 0 first). */
export const DTC_STATUS = {
  /** Bit 0: the most recent test result is "failed". */
  testFailed: 0x01,
  /** Bit 1: a test failed during the current operation cycle. */
  testFailedThisOperationCycle: 0x02,
  /** Bit 2: a test failed during the current or the last completed operation cycle. */
  pendingDTC: 0x04,
  /** Bit 3: the failure was confirmed (stored in long-term memory). */
  confirmedDTC: 0x08,
  /** Bit 4: no test completed since the last ClearDiagnosticInformation. */
  testNotCompletedSinceLastClear: 0x10,
  /** Bit 5: a test failed since the last ClearDiagnosticInformation. */
  testFailedSinceLastClear: 0x20,
  /** Bit 6: no test completed during the current operation cycle. */
  testNotCompletedThisOperationCycle: 0x40,
  /** Bit 7: the server requests the warning indicator (MIL / lamp). */
  warningIndicatorRequested: 0x80,
} as const;

/** Name of a status bit. */
export type DtcStatusBit = keyof typeof DTC_STATUS;

/** The names of the bits set in `status`, bit 0 first. */
export function dtcStatusBits(status: number): DtcStatusBit[] {
  return (Object.entries(DTC_STATUS) as [DtcStatusBit, number][]).filter(([, bit]) => (status & bit) !== 0).map(([name]) => name);
}

/** DTCFormatIdentifier of ISO 14229-1:2020 12.3.3 (response to 19 01). */
export const DtcFormatIdentifier = {
  /** SAE J2012-DA DTC format 00 (ISO 15031-6). */
  SAE_J2012_DA_DTCFormat_00: 0x00,
  /** ISO 14229-1 DTC format (manufacturer-defined 3-byte DTCs). */
  ISO_14229_1_DTCFormat: 0x01,
  /** SAE J1939-73 DTC format. */
  SAE_J1939_73_DTCFormat: 0x02,
  /** ISO 11992-4 DTC format. */
  ISO_11992_4_DTCFormat: 0x03,
  /** SAE J2012-DA DTC format 04 (WWH-OBD). */
  SAE_J2012_DA_DTCFormat_04: 0x04,
} as const;

/** groupOfDTC 0xFFFFFF: every DTC of every group (ISO 14229-1:2020 Annex D.1). */
export const ALL_DTC_GROUPS = 0xffffff;

/** The system letter of the two high bits of the first DTC byte (SAE J2012: 00 P, 01 C, 10 B, 11 U). */
const SYSTEMS = ['P', 'C', 'B', 'U'] as const;

function checkDtc(dtc: number): void {
  if (!Number.isInteger(dtc) || dtc < 0 || dtc > 0xffffff) {
    throw new InvalidArgumentError(`a DTC is 3 bytes (0x000000..0xFFFFFF), got ${String(dtc)}`, { field: 'dtc', value: dtc });
  }
}

/**
 * The SAE J2012 text of a 3-byte DTC: system letter (bits 23-22: P C B U), one digit 0-3 (bits 21-20),
 * three hex digits (bits 19-8), a dash and the failure type byte (bits 7-0).
 * `formatDtc(0x056216)` -> `"P0562-16"`, `formatDtc(0xD00001)` -> `"U1000-01"`.
 */
export function formatDtc(dtc: number): string {
  checkDtc(dtc);
  const hi = dtc >>> 16;
  const letter = SYSTEMS[hi >> 6] as string;
  const digit = (hi >> 4) & 0x03;
  const rest = ((hi & 0x0f) << 8) | ((dtc >>> 8) & 0xff);
  return `${letter}${digit}${rest.toString(16).toUpperCase().padStart(3, '0')}-${hexByte(dtc & 0xff)}`;
}

const DTC_TEXT = /^([PCBU])([0-3])([0-9A-F]{3})(?:-?([0-9A-F]{2}))?$/i;

/**
 * Parses the SAE J2012 text of a DTC back to its 3-byte value: `"P0562-16"` or `"P056216"`; without the
 * failure type byte (`"P0562"`) it is 00. Throws `InvalidArgumentError` naming the expected shape.
 */
export function parseDtc(text: string): number {
  const m = DTC_TEXT.exec(text.trim());
  if (!m) {
    throw new InvalidArgumentError(
      `"${text}" is not a DTC: write a letter P/C/B/U, a digit 0-3, three hex digits and optionally "-" and the failure type byte (e.g. "P0562-16")`,
      { field: 'dtc', value: text },
    );
  }
  const system = SYSTEMS.indexOf((m[1] as string).toUpperCase() as (typeof SYSTEMS)[number]);
  const digit = Number(m[2]);
  const rest = parseInt(m[3] as string, 16);
  const ftb = m[4] === undefined ? 0 : parseInt(m[4], 16);
  return ((system << 22) | (digit << 20) | (rest << 8) | ftb) >>> 0;
}

/** `0x056216` -> `"05 62 16"`: the wire bytes of a DTC, for messages. */
export function dtcHex(dtc: number): string {
  checkDtc(dtc);
  return `${hexByte(dtc >>> 16)} ${hexByte((dtc >>> 8) & 0xff)} ${hexByte(dtc & 0xff)}`;
}
