/**
 * Ports, logical address ranges (ISO 13400-2:2019 7.8, logical addressing) and the IP address
 * checks that keep udskit's UDP traffic unicast.
 */
import { isIP } from 'node:net';
import { InvalidArgumentError } from '../core/errors.js';

/** The well-known DoIP port for UDP_DISCOVERY and TCP_DATA (ISO 13400-2). */
export const DOIP_PORT = 13400;
/** The DoIP TLS port (TCP_DATA over TLS). */
export const DOIP_TLS_PORT = 3496;

/** An inclusive range of logical addresses. */
export interface AddressRange {
  readonly from: number;
  readonly to: number;
}

/** External test equipment (tester) addresses: 0x0E00–0x0FFF. */
export const TESTER_ADDRESS_RANGE: AddressRange = { from: 0x0e00, to: 0x0fff };
/** Legislated functional addresses: 0xE000–0xE3FF. */
export const LEGISLATED_FUNCTIONAL_RANGE: AddressRange = { from: 0xe000, to: 0xe3ff };
/** Vehicle-manufacturer functional addresses: 0xE400–0xEFFF. */
export const MANUFACTURER_FUNCTIONAL_RANGE: AddressRange = { from: 0xe400, to: 0xefff };
/** udskit's default functional address. */
export const DEFAULT_FUNCTIONAL_ADDRESS = 0xe400;

/** True when `a` lies in 0x0E00–0x0FFF (external test equipment). */
export function isTesterAddress(a: number): boolean {
  return a >= TESTER_ADDRESS_RANGE.from && a <= TESTER_ADDRESS_RANGE.to;
}

/** True when `a` lies in 0x0001–0x0DFF or 0x1000–0x7FFF (vehicle-manufacturer ECU addresses). */
export function isEcuAddress(a: number): boolean {
  return (a >= 0x0001 && a <= 0x0dff) || (a >= 0x1000 && a <= 0x7fff);
}

/** True when `a` lies in 0xE000–0xEFFF (legislated or manufacturer functional addresses). */
export function isFunctionalAddress(a: number): boolean {
  return a >= LEGISLATED_FUNCTIONAL_RANGE.from && a <= MANUFACTURER_FUNCTIONAL_RANGE.to;
}

/** Throws {@link InvalidArgumentError} unless `a` is a 16-bit logical address. */
export function assertLogicalAddress(a: number, field: string): void {
  if (!Number.isInteger(a) || a < 0 || a > 0xffff) {
    throw new InvalidArgumentError(`${field} must be a logical address 0x0000-0xFFFF, got ${String(a)}`, { field, value: a });
  }
}

/**
 * Throws {@link InvalidArgumentError} when `host` is not a unicast IP address: udskit never sends
 * UDP to broadcast (255.255.255.255), multicast (224.0.0.0/4, ff00::/8) or unspecified (0.0.0.0, ::)
 * addresses. A subnet's directed broadcast (e.g. 192.168.1.255) cannot be recognised without the
 * netmask: do not pass one.
 */
export function assertUnicastHost(host: string, field: string): void {
  const family = isIP(host);
  if (family === 0) {
    throw new InvalidArgumentError(`${field} must be an IP address such as 127.0.0.1 or ::1, got "${host}"`, { field, value: host });
  }
  if (family === 4) {
    const first = Number(host.split('.')[0]);
    if (host === '255.255.255.255' || host === '0.0.0.0' || (first >= 224 && first <= 239)) {
      throw new InvalidArgumentError(`${field} must be a unicast address, got "${host}" (broadcast, multicast and 0.0.0.0 are refused)`, { field, value: host });
    }
    return;
  }
  const lower = host.toLowerCase();
  if (lower.startsWith('ff') || lower === '::') {
    throw new InvalidArgumentError(`${field} must be a unicast address, got "${host}" (multicast and :: are refused)`, { field, value: host });
  }
}

/** `'udp4'` or `'udp6'` for a numeric IP address. */
export function udpFamily(host: string): 'udp4' | 'udp6' {
  return isIP(host) === 6 ? 'udp6' : 'udp4';
}
