/**
 * Where an ECU keeps what survives a restart when the simulator runs with a state directory
 * (`udskit sim --state-dir DIR`, vehicle file `stateDir:`, `Vehicle.start(config, { stateDir })`,
 * `SimulatedEcu` option `stateDir`): one directory per ECU, named after its logical address,
 * `<stateDir>/<address as 4 hex digits>/`, holding
 *
 * - `nvm.json`: the non-volatile key/value memory (bootloader flags, security attempt counters, DIDs
 *   written with 0x2E), rewritten atomically by every change (persistence/file-nv-store.ts);
 * - `flash/<address>.bin`: the content of every non-RAM memory region, one file per 64 KiB chunk that is
 *   not erased (persistence/flash-store.ts);
 * - `files/`, `files-partial/`: the 0x38 file area and its interrupted downloads (file-area-fs.ts).
 *
 * Every file is replaced atomically (persistence/atomic-file.ts): a killed simulator leaves the old or the
 * new content of each, never a mix.
 */
import { join } from 'node:path';

/** `<stateDir>/<address>` with the address as 4 lower-case hex digits, e.g. `state/1010`. */
export function ecuStateDirectory(stateDir: string, address: number): string {
  return join(stateDir, address.toString(16).padStart(4, '0'));
}
