/**
 * Waiting for an ECU to come back after ECUReset: the ECU answers `51 01` before it resets
 * (ISO 14229-1:2020 10.3), then is unreachable for its reset time; through a DoIP gateway the tester meanwhile
 * gets diagnostic NACK 0x06 "target unreachable" (ISO 13400-2), over CAN no answer at all.
 */
import type { Clock } from '../core/clock.js';
import { sleep } from '../core/clock.js';
import { TimeoutError } from '../core/errors.js';
import { DiagnosticNackError } from '../doip/errors.js';
import type { UdsClient } from '../uds/client/uds-client.js';

/** Options of {@link waitForEcu}. */
export interface WaitForEcuOptions {
  /** Give up after this long (default 5000 ms). */
  timeoutMs?: number;
  /** Pause between attempts (default 20 ms). */
  intervalMs?: number;
  /** Clock for the pauses (default: the client's). */
  clock?: Clock;
}

/**
 * Sends `3E 00` until the ECU answers, retrying while the gateway reports it unreachable (NACK 0x06) or it
 * does not answer in P2. Resolves with the number of failed attempts; throws {@link TimeoutError} naming
 * the ECU when it does not come back in time.
 */
export async function waitForEcu(client: UdsClient, options: WaitForEcuOptions = {}): Promise<number> {
  const clock = options.clock ?? client.clock;
  const timeoutMs = options.timeoutMs ?? 5000;
  const intervalMs = options.intervalMs ?? 20;
  const start = clock.now();
  for (let failures = 0; ; failures++) {
    try {
      await client.testerPresent();
      return failures;
    } catch (e) {
      const retriable = (e instanceof DiagnosticNackError && e.nackCode === 0x06) || e instanceof TimeoutError;
      if (!retriable) throw e;
      if (clock.now() - start >= timeoutMs) {
        throw new TimeoutError(
          `ECU 0x${client.target.toString(16).toUpperCase()} did not come back within ${timeoutMs} ms after the reset; check that it is powered and its reset time`,
          { target: client.target, timeoutMs, attempts: failures + 1 },
        );
      }
      await sleep(clock, intervalMs);
    }
  }
}
