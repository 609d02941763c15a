/**
 * Errors of the tester's multi-step operations. Single requests throw the client's errors unchanged
 * (`NegativeResponseError`, `TimeoutError`, link errors), which already name the service and the ECU.
 */
import { UdskitError } from '../core/errors.js';
import { hexByte, hexNum, toHex } from '../core/hex.js';

/** Address as `0x00011000`. */
export function hexAddress(address: number): string {
  return hexNum(address, 8);
}

/**
 * A step of a download or upload failed. The message names the step ("download block 17 at 0x00011000
 * (counter 0x11): ..."); `cause` is the underlying error (a `NegativeResponseError`, `TimeoutError`, ...).
 */
export class TransferStepError extends UdskitError {
  /** `download` or `upload`. */
  readonly direction: 'download' | 'upload';
  /** The step: `requestDownload`, `requestUpload`, `transferData` or `requestTransferExit`. */
  readonly step: string;
  /** 1-based block number for `transferData`. */
  readonly block: number | undefined;
  /** Memory address of the step (the block's for `transferData`). */
  readonly address: number;
  /** Block sequence counter for `transferData`. */
  readonly counter: number | undefined;

  constructor(init: {
    direction: 'download' | 'upload';
    step: string;
    address: number;
    block?: number;
    counter?: number;
    cause: unknown;
  }) {
    const what =
      init.block !== undefined
        ? `${init.direction} block ${init.block} at ${hexAddress(init.address)} (counter 0x${hexByte(init.counter ?? 0)})`
        : `${init.direction} ${init.step} at ${hexAddress(init.address)}`;
    const causeMsg = init.cause instanceof Error ? init.cause.message : String(init.cause);
    const causeCode = init.cause instanceof UdskitError ? init.cause.code : undefined;
    super(`${what}: ${causeMsg}`, 'UDSKIT_TRANSFER_FAILED', {
      direction: init.direction,
      step: init.step,
      address: init.address,
      ...(init.block !== undefined ? { block: init.block, counter: init.counter } : {}),
      ...(causeCode ? { causeCode } : {}),
    }, { cause: init.cause });
    this.direction = init.direction;
    this.step = init.step;
    this.block = init.block;
    this.address = init.address;
    this.counter = init.counter;
  }
}

/**
 * A step of a file transfer (RequestFileTransfer 0x38 and its 36/37) failed. The message names the mode,
 * the file and the step ("AddFile "logs/a.bin" block 3 at offset 8188 (counter 0x03): ..."); `cause` is
 * the underlying error (a `NegativeResponseError`, `TimeoutError`, ...).
 */
export class FileTransferError extends UdskitError {
  /** The path as sent. */
  readonly path: string;
  /** modeOfOperation of the 38 request. */
  readonly modeOfOperation: number;
  /** `requestFileTransfer`, `transferData` or `requestTransferExit`. */
  readonly step: 'requestFileTransfer' | 'transferData' | 'requestTransferExit';
  /** 1-based block number for `transferData`. */
  readonly block: number | undefined;
  /** Offset in the file of the block for `transferData`. */
  readonly offset: number | undefined;
  /** Block sequence counter for `transferData`. */
  readonly counter: number | undefined;

  constructor(init: {
    path: string;
    modeOfOperation: number;
    modeName: string;
    step: 'requestFileTransfer' | 'transferData' | 'requestTransferExit';
    block?: number;
    offset?: number;
    counter?: number;
    cause: unknown;
  }) {
    const where =
      init.block !== undefined
        ? `block ${init.block} at offset ${init.offset ?? 0} (counter 0x${hexByte(init.counter ?? 0)})`
        : init.step;
    const causeMsg = init.cause instanceof Error ? init.cause.message : String(init.cause);
    const causeCode = init.cause instanceof UdskitError ? init.cause.code : undefined;
    super(`${init.modeName} "${init.path}" ${where}: ${causeMsg}`, 'UDSKIT_FILE_TRANSFER_FAILED', {
      path: init.path,
      modeOfOperation: init.modeOfOperation,
      step: init.step,
      ...(init.block !== undefined ? { block: init.block, offset: init.offset, counter: init.counter } : {}),
      ...(causeCode ? { causeCode } : {}),
    }, { cause: init.cause });
    this.path = init.path;
    this.modeOfOperation = init.modeOfOperation;
    this.step = init.step;
    this.block = init.block;
    this.offset = init.offset;
    this.counter = init.counter;
  }
}

/** The CRC32 the ECU reports in the 0x77 response differs from the CRC32 of the data. */
export class CrcMismatchError extends UdskitError {
  /** CRC32 of the data sent (or received). */
  readonly expected: number;
  /** CRC32 the ECU reported. */
  readonly reported: number;

  /** `path` names the file of a RequestFileTransfer (0x38); `address` is then ignored. */
  constructor(init: { direction: 'download' | 'upload'; address: number; size: number; expected: number; reported: number; path?: string }) {
    const what = init.path !== undefined ? `file "${init.path}" (${init.size} bytes)` : `${init.size} bytes at ${hexAddress(init.address)}`;
    super(
      `${init.direction} of ${what}: the ECU reports CRC32 ${hexNum(init.reported, 8)} ` +
        `in its RequestTransferExit response but the data has ${hexNum(init.expected, 8)}; the data was corrupted or written ` +
        (init.path !== undefined ? 'wrongly — transfer the file again' : 'wrongly — erase the range and transfer again'),
      'UDSKIT_CRC_MISMATCH',
      { ...init },
    );
    this.expected = init.expected;
    this.reported = init.reported;
  }
}

/** A routine (erase, checkMemory, checkProgrammingDependencies) ran but reported failure in its status record. */
export class RoutineFailedError extends UdskitError {
  /** Routine identifier. */
  readonly routineId: number;
  /** Everything after the RID in the 0x71 response. */
  readonly statusRecord: Uint8Array;

  constructor(init: { name: string; routineId: number; source: number; statusRecord: Uint8Array; hint: string }) {
    super(
      `${init.name} (routine ${hexNum(init.routineId)}) on ECU ${hexNum(init.source)} reported failure: status ` +
        `${toHex(init.statusRecord)}; ${init.hint}`,
      'UDSKIT_ROUTINE_FAILED',
      { routine: init.name, routineId: init.routineId, source: init.source, statusRecord: toHex(init.statusRecord) },
    );
    this.routineId = init.routineId;
    this.statusRecord = init.statusRecord;
  }
}
