/** The error a state directory raises when writing what must survive a restart fails. */
import { UdskitError } from '../../core/errors.js';
import { errnoOf } from './atomic-file.js';

/**
 * Writing to the state directory failed (disk full, no permission, the directory was removed). The
 * message names the file and the system error; `details.errno` holds its code. Reading a corrupt state
 * at start is a `ConfigError` instead (the simulator does not start).
 */
export class StateDirError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, 'UDSKIT_STATE_DIR', details, options);
  }

  /** A StateDirError "cannot <what> <path>: <reason>" wrapping the system error `e`. */
  static wrap(what: string, path: string, e: unknown): StateDirError {
    if (e instanceof StateDirError) return e;
    const reason = e instanceof Error ? e.message : String(e);
    return new StateDirError(`state directory: cannot ${what} ${path}: ${reason}`, { path, errno: errnoOf(e) }, { cause: e });
  }
}
