/**
 * Errors of flash jobs, and how any failure is classified for the report and the exit code:
 * `refused` (the ECU answered a negative response), `verification` (a CRC, routine status or
 * identification check failed), `communication` (timeout, lost connection), `usage` (job, file or
 * option problem), `aborted`, `internal`.
 */
import { AbortedError, ConfigError, InvalidArgumentError, LinkError, TimeoutError, UdskitError } from '../core/errors.js';
import { hexNum } from '../core/hex.js';
import { FirmwareFormatError, ImageOverlapError } from '../firmware/errors.js';
import { CrcMismatchError, FileTransferError, RoutineFailedError, TransferStepError } from '../tester/errors.js';
import { InvalidResponseError, NegativeResponseError } from '../uds/client/errors.js';

/** The job cannot be planned: a file does not fit the ECU's memory map, a section is missing, ... */
export class FlashPlanError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_FLASH_PLAN', details);
  }
}

/** What the ECU reported does not match what the job expects (identification, a step's response). */
export class FlashVerificationError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message, 'UDSKIT_FLASH_VERIFICATION', details);
  }
}

/**
 * A block could not be written in `timing.attempts` tries because the connection or the ECU was lost each
 * time (a dropped connection, no answer, a reset or power loss that made the ECU forget its session).
 */
export class BlockAttemptsError extends UdskitError {
  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, 'UDSKIT_FLASH_ATTEMPTS', details, options);
  }
}

/**
 * NRCs that, in the middle of programming (after session and security succeeded), mean the ECU lost its
 * state — it reset or lost power: the session (0x7F / 0x7E), the unlock (0x33), the transfer (0x24, 0x73).
 */
export const STATE_LOST_NRCS: ReadonlySet<number> = new Set([0x7f, 0x7e, 0x33, 0x24, 0x73]);

/** True when `e` means the connection or the ECU's state was lost (recover and write the block again). */
export function isLoss(e: unknown): boolean {
  const nrc = negativeResponseOf(e);
  if (nrc) return STATE_LOST_NRCS.has(nrc.nrc);
  return failureKind(e) === 'communication';
}

/** How a failure is classified. */
export type FailureKind = 'refused' | 'verification' | 'communication' | 'usage' | 'aborted' | 'internal';

/** The class of `e` (a `TransferStepError` is classified by its cause). */
export function failureKind(e: unknown): FailureKind {
  if ((e instanceof TransferStepError || e instanceof FileTransferError) && e.cause !== undefined) return failureKind(e.cause);
  if (e instanceof NegativeResponseError) return 'refused';
  if (e instanceof RoutineFailedError || e instanceof CrcMismatchError || e instanceof FlashVerificationError) return 'verification';
  if (e instanceof TimeoutError || e instanceof LinkError || e instanceof InvalidResponseError || e instanceof BlockAttemptsError) return 'communication';
  if (e instanceof AbortedError) return 'aborted';
  if (e instanceof ConfigError || e instanceof InvalidArgumentError || e instanceof FlashPlanError || e instanceof FirmwareFormatError || e instanceof ImageOverlapError) return 'usage';
  if (e instanceof UdskitError && e.code === 'UDSKIT_FLASH_FIRMWARE') return 'usage';
  return 'internal';
}

/**
 * Exit code of a failure of `kind`, following the CLI's convention (src/cli/run.ts): 2 when the ECU
 * refused or a verification failed, 1 for everything else (usage, I/O, communication).
 */
export function exitCodeOf(kind: FailureKind): 1 | 2 {
  return kind === 'refused' || kind === 'verification' ? 2 : 1;
}

/** The negative response behind `e`, if any. */
export function negativeResponseOf(e: unknown): NegativeResponseError | undefined {
  if (e instanceof NegativeResponseError) return e;
  if (e instanceof Error && e.cause !== undefined) return negativeResponseOf(e.cause);
  return undefined;
}

/** What the user should do after a failure of `kind` in step `step` (the error's own hint comes first). */
export function adviceFor(kind: FailureKind, step: string, e: unknown): string {
  const nrc = negativeResponseOf(e);
  if (nrc) {
    if (nrc.nrc === 0x22 && (step === 'session' || step === 'routine')) {
      return 'programming preconditions are not met (supply voltage 9-16 V, ignition on, vehicle at standstill, engine off): fix them and run the job again';
    }
    if (nrc.nrc === 0x35 || nrc.nrc === 0x36 || nrc.nrc === 0x37) {
      return 'the security key was refused: check security.algorithm and security.secret (after 0x36 wait for the lockout delay) and run the job again';
    }
    if (nrc.nrc === 0x72 || nrc.nrc === 0x70 || nrc.nrc === 0x71) {
      return 'programming failed in the ECU: the application is not valid and the ECU stays in its bootloader; run the job again (it erases first)';
    }
    if (nrc.nrc === 0x31 && (step === 'program' || step === 'flashDriver')) {
      return 'the ECU refused the address range: check the files against the ECU memory map (memory: / profile:)';
    }
    return nrc.hint;
  }
  switch (kind) {
    case 'verification':
      return 'the data in the ECU is not what was sent: the application is not marked valid; run the job again, and check the files if it fails again';
    case 'communication':
      return 'the ECU or the connection did not answer in time: check the link and the ECU power, then run the job again (the ECU stays in its bootloader until a job completes)';
    case 'usage':
      return 'fix the job file or the options and run the job again';
    case 'aborted':
      return 'the job was stopped: run it again to finish programming';
    default:
      return 'run the job again; report the problem if it persists';
  }
}

/** `ECU 0x1010 (engine)`. */
export function ecuLabel(address: number, name?: string): string {
  return `ECU ${hexNum(address)}${name ? ` (${name})` : ''}`;
}
