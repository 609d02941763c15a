/**
 * Where an ECU keeps what survives a restart when the simulator runs with a state directory
 * (`udskit sim --state-dir DIR`, `Vehicle.start(config, { stateDir })`, `SimulatedEcu` option `stateDir`):
 * one directory per ECU, named after its logical address, `<stateDir>/<address as 4 hex digits>/`.
 *
 * Inside it today: `files/` (the 0x38 file area) and `files-partial/` (interrupted downloads and their
 * requests, for ResumeFile). Flash, NVM DIDs, flags and security counters (issue 4) go beside them.
 */
import { join } from 'node:path';

/** `<stateDir>/<address>` with the address as 4 lower-case hex digits, e.g. `state/1010`. */
export function ecuStateDirectory(stateDir: string, address: number): string {
  return join(stateDir, address.toString(16).padStart(4, '0'));
}
