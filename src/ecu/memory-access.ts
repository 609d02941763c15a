/**
 * Who may read and write which memory through ReadMemoryByAddress (0x23), WriteMemoryByAddress (0x3D)
 * and DynamicallyDefineDataIdentifier defineByMemoryAddress (0x2C 02): the `read` / `write` rules of
 * each memory region, with these defaults when a region gives none:
 *
 * | kind                     | read                                | write                                |
 * |--------------------------|-------------------------------------|--------------------------------------|
 * | ram, nvm                 | extended session, programming level | extended session, programming level  |
 * | flash, app, calibration  | extended session, programming level | never (flash is written by 34/36/37) |
 * | boot                     | never                               | never                                |
 *
 * `false` forbids, `{}` allows everywhere without security.
 */
import { hexNum } from '../core/hex.js';
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import { securityGranted, sessionAllowed, type AccessRule, type AccessState } from '../uds/server/service-table.js';
import type { EcuConfig, MemoryRegionConfig } from './config.js';
import type { MemoryMap } from './memory-map.js';
import { isProgrammableFlash } from './config-memory.js';
import { SESSION } from './session-manager.js';

/** Read (0x23, 0x2C 02) or write (0x3D). */
export type MemoryOperation = 'read' | 'write';

/**
 * Largest range one read may cover (16 MiB): the simulator's own limit, above the longest message any
 * transport carries, so a 4-byte memorySize never makes it allocate gigabytes.
 */
export const MAX_MEMORY_READ = 0x100_0000;

/** What the checks need from the ECU. */
export interface MemoryAccessHost {
  readonly config: Pick<EcuConfig, 'programming'>;
  readonly memoryMap: MemoryMap;
  access(): AccessState;
}

/** The rule of `region` for `op` (the profile's or the default of the module doc), or null when never allowed. */
export function memoryAccessRule(region: MemoryRegionConfig, op: MemoryOperation, programmingSecurityLevel: number): AccessRule | null {
  const given = op === 'read' ? region.read : region.write;
  if (given === false) return null;
  if (given) return given;
  const guarded: AccessRule = { sessions: [SESSION.extended], securityLevels: [programmingSecurityLevel] };
  if (region.kind === 'ram' || region.kind === 'nvm') return guarded;
  if (isProgrammableFlash(region.kind) && op === 'read') return guarded;
  return null;
}

function range(address: number, size: number): string {
  return `${hexNum(address, 8)}..${hexNum(address + Math.max(size, 1) - 1, 8)}`;
}

/**
 * Checks that `[address, address + size)` may be read or written now and returns its region. Throws
 * {@link NrcError}:
 * - 0x31 when size is 0, the range is not inside one region (outside every region, or spanning two),
 *   the region is not readable / writable that way, or not in the active session
 *   (ISO 14229-1:2020 11.3.4 / 11.8.4: memory address or size invalid or restricted);
 * - 0x33 when the region needs a security level that is not unlocked (11.3.4 / 11.8.4: secure memory and
 *   the server is locked).
 */
export function checkMemoryAccess(host: MemoryAccessHost, address: number, size: number, op: MemoryOperation): MemoryRegionConfig {
  if (size === 0) throw new NrcError(NRC.requestOutOfRange, `memorySize 0 at ${hexNum(address, 8)}`);
  const region = host.memoryMap.regionFor(address, size);
  if (!region) {
    throw new NrcError(NRC.requestOutOfRange, `${range(address, size)} is not inside one memory region`, { address, size });
  }
  const rule = memoryAccessRule(region, op, host.config.programming.securityLevel);
  const { session, securityLevel } = host.access();
  if (!rule || !sessionAllowed(rule, session)) {
    const where = rule ? ` in session 0x${session.toString(16).padStart(2, '0')}` : '';
    throw new NrcError(NRC.requestOutOfRange, `region "${region.name}" (${region.kind}) cannot be ${op === 'read' ? 'read' : 'written'} by address${where}`);
  }
  if (!securityGranted(rule, securityLevel)) {
    throw new NrcError(
      NRC.securityAccessDenied,
      `${op === 'read' ? 'reading' : 'writing'} region "${region.name}" needs security level ${rule.securityLevels?.join('/')}`,
    );
  }
  return region;
}

/** The access rule of a memory range for reading it later (e.g. as a source of a dynamically defined DID). */
export function memoryReadRule(host: MemoryAccessHost, region: MemoryRegionConfig): AccessRule {
  return memoryAccessRule(region, 'read', host.config.programming.securityLevel) ?? { sessions: [] };
}
