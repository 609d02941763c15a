/**
 * How an {@link EcuRuntime}-to-be uses a state directory: the flash store of its non-RAM regions
 * (flash-store.ts), the NV store ordered after the flash (file-nv-store.ts, flash-store.ts `ordered`),
 * and the UDS side of a failed write (NRC 0x72). EcuRuntime calls these with one line each.
 */
import type { Logger } from '../../core/logger.js';
import { NRC } from '../../uds/codec/nrc.js';
import { NrcError } from '../../uds/server/nrc-error.js';
import type { EcuConfig } from '../config.js';
import type { NvStore } from '../nv-store.js';
import { ecuStateDirectory } from '../state-dir.js';
import { FlashStore } from './flash-store.js';

/** The flash store of the ECU `config` under `stateDir`, or undefined without a state directory. */
export function flashStoreFor(config: EcuConfig, stateDir: string | undefined): FlashStore | undefined {
  if (stateDir === undefined) return undefined;
  return new FlashStore({ ecuDir: ecuStateDirectory(stateDir, config.address), regions: config.memory });
}

/** `nv`, made to flush the flash before each write when there is a flash store (FlashStore.ordered). */
export function orderedNv(nv: NvStore, flash: FlashStore | undefined): NvStore {
  return flash ? flash.ordered(nv) : nv;
}

/**
 * Makes every flash change durable; a failure of the state directory becomes NRC 0x72
 * generalProgrammingFailure (ISO 14229-1:2020 annex A.1: the server detected an error when
 * programming a memory location in permanent memory), so the tester sees that this step failed.
 */
export async function flushFlashForUds(flash: FlashStore | undefined): Promise<void> {
  if (!flash) return;
  try {
    await flash.flush();
  } catch (e) {
    throw new NrcError(NRC.generalProgrammingFailure, `state directory: ${(e as Error).message}`);
  }
}

/** The last flush when the ECU closes; a failure is logged (closing goes on). */
export function closeFlashStore(flash: FlashStore | undefined, logger: Logger): void {
  try {
    flash?.flushSync();
  } catch (e) {
    logger.error('state directory: flash content could not be written at close', { error: (e as Error).message });
  }
}
