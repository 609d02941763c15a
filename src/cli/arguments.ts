/**
 * Parsers for the UDS values users type on the command line. Identifiers are written the way they
 * appear on the wire and in the standard, so bare digits are hex: `F190` and `0xF190` are the same DID,
 * `03` and `0x03` the same session. Each parser throws commander's InvalidArgumentError naming the
 * argument and the accepted forms (commander prints it and exits with code 1).
 */
import { InvalidArgumentError as CommanderInvalidArgument } from 'commander';
import { fromHex } from '../core/hex.js';
import { SessionType } from '../uds/codec/0x10-diagnostic-session-control.js';
import { ResetType } from '../uds/codec/0x11-ecu-reset.js';

/** Parses `text` as hex digits (optional `0x`) into an integer of at most `maxDigits` hex digits, or undefined. */
function hexValue(text: string, maxDigits: number): number | undefined {
  const m = /^(?:0x)?([0-9a-f]+)$/i.exec(text.trim());
  if (!m || (m[1] as string).length > maxDigits) return undefined;
  return parseInt(m[1] as string, 16);
}

/** A parser of a hex identifier (1..maxDigits hex digits) or one of `names`, for commander. */
function namedHex(what: string, maxDigits: number, names: Readonly<Record<string, number>>): (text: string) => number {
  return (text: string) => {
    const named = names[text.trim().toLowerCase()];
    if (named !== undefined) return named;
    const v = hexValue(text, maxDigits);
    if (v === undefined) {
      const list = Object.keys(names);
      const shown = list.length > 6 ? `${list.slice(0, 6).join(', ')}, ... (see --help)` : list.join(', ');
      throw new CommanderInvalidArgument(
        `${what} must be ${maxDigits === 2 ? 'a hex byte' : `up to ${maxDigits} hex digits`} such as ` +
          `${maxDigits === 2 ? '03 or 0x03' : maxDigits === 6 ? 'FFFFFF' : 'F190 or 0xF190'}${list.length > 0 ? ` or a name: ${shown}` : ''}; got "${text}"`,
      );
    }
    return v;
  };
}

/** Session names accepted by `udskit session` and `--session` (ISO 14229-1:2020 10.2.2). */
export const SESSION_NAMES: Readonly<Record<string, number>> = {
  default: SessionType.defaultSession,
  programming: SessionType.programmingSession,
  extended: SessionType.extendedDiagnosticSession,
  safety: SessionType.safetySystemDiagnosticSession,
};

/** Reset names accepted by `udskit reset` (ISO 14229-1:2020 10.3.2). */
export const RESET_NAMES: Readonly<Record<string, number>> = {
  hard: ResetType.hardReset,
  'key-off-on': ResetType.keyOffOnReset,
  soft: ResetType.softReset,
  'enable-rapid-power-shutdown': ResetType.enableRapidPowerShutDown,
  'disable-rapid-power-shutdown': ResetType.disableRapidPowerShutDown,
};

/** Checks that a sub-function value leaves bit 7 (SPRMIB) free. */
function subFunction(what: string, parse: (text: string) => number): (text: string) => number {
  return (text: string) => {
    const v = parse(text);
    // ISO 14229-1:2020 8.2.2 — bit 7 of the sub-function byte is the SPRMIB, not part of the value.
    if (v > 0x7f) throw new CommanderInvalidArgument(`${what} must be 0x00..0x7F (bit 7 is the suppress-positive-response bit), got "${text}"`);
    return v;
  };
}

/** `default|programming|extended|safety` or a hex session type such as `03` / `0x60`. */
export const parseSessionType = subFunction('session', namedHex('session', 2, SESSION_NAMES));

/** `hard|key-off-on|soft|...` or a hex reset type such as `0x01`. */
export const parseResetType = subFunction('reset type', namedHex('reset type', 2, RESET_NAMES));

/** A security level (the requestSeed value, odd) as hex: `01`, `0x11`. */
export const parseSecurityLevel = (text: string): number => {
  const v = namedHex('--unlock level', 2, {})(text);
  // ISO 14229-1:2020 10.4.2 — requestSeed levels are odd, 0x01..0x41 (0x5F..0x7E supplier specific).
  if (v % 2 === 0 || v > 0x7f) {
    throw new CommanderInvalidArgument(`--unlock level must be the odd requestSeed value (01, 03, ... 0x7D), got "${text}"`);
  }
  return v;
};

/** A 16-bit data identifier as hex (`F190`, `0xF190`) or a known DID name (`vin`). */
export function didParser(names: Readonly<Record<string, number>>): (text: string) => number {
  return namedHex('DID', 4, names);
}

/** A 16-bit routine identifier as hex: `FF00`, `0x0203`. */
export const parseRoutineId = namedHex('routine identifier', 4, {});

/** A byte as hex: `FF`, `0x08`. `what` names the option in the error. */
export function hexByteParser(what: string): (text: string) => number {
  return namedHex(what, 2, {});
}

/** A 3-byte DTC group as hex: `FFFFFF`, `0x000100`. */
export const parseDtcGroup = namedHex('--group', 6, { all: 0xffffff });

/** Bytes written as hex (`"01 02"`, `0102`, `0x01,0x02`); `what` names the argument in the error. */
export function hexBytesParser(what: string): (text: string) => Uint8Array {
  return (text: string) => {
    try {
      return fromHex(text);
    } catch (e) {
      throw new CommanderInvalidArgument(`${what}: ${(e as Error).message}`);
    }
  };
}
