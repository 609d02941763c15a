/**
 * The tester API of seed 000 (doipsimu's `UdsOverDoIP`) in TypeScript: session, seed/key unlock, erase,
 * download with per-block progress, check, reset, upload, close — over any {@link UdsClient}.
 *
 * ```ts
 * const tester = new Tester(new UdsClient(link, { target: 0x1010 }));
 * await tester.openSession(0x02);
 * await tester.unlock(0x01, { algorithm: 'doipsimu-pin', secret: '2345' });
 * await tester.eraseMemory(0x1000, 0x2000);
 * await tester.download(0x1000, image, { onProgress: (p) => console.log(p.block, p.blocks) });
 * await tester.reset();
 * const back = await tester.upload(0x1000, image.length);
 * await tester.closeSession();
 * ```
 */
import type { DiagnosticSessionControlResponse } from '../uds/codec/0x10-diagnostic-session-control.js';
import type { EcuResetResponse } from '../uds/codec/0x11-ecu-reset.js';
import type { TesterPresentOptions } from '../uds/client/tester-present.js';
import type { UdsClient } from '../uds/client/uds-client.js';
import { InvalidArgumentError } from '../core/errors.js';
import { downloadData, type DownloadOptions, type DownloadResult } from './download.js';
import { checkDependencies, checkMemory, eraseMemory, ROUTINE, type EraseOptions } from './routines.js';
import { unlockLevel, type UnlockOptions, type UnlockResult } from './security.js';
import { uploadData, type UploadOptions } from './upload.js';
import {
  deleteFile,
  getFile,
  listDirectory,
  putFile,
  resumeFile,
  type DirectoryListing,
  type FileTransferOptions,
  type PutFileOptions,
  type PutFileResult,
} from './file-transfer.js';

/** Options of a {@link Tester}. */
export interface TesterOptions {
  /**
   * TesterPresent keep-alive started by `openSession` for a non-default session (default: `3E 80`,
   * functional, every `testerPresentIntervalMs` of the client); `false` disables it.
   */
  keepAlive?: TesterPresentOptions | false;
}

/** The default session (ISO 14229-1:2020 10.2.2). */
const DEFAULT_SESSION = 0x01;

/** A high-level tester for one ECU. Each method is one step of the flashing sequence. */
export class Tester {
  private readonly keepAlive: TesterPresentOptions | false;
  private sessionType: number | undefined;

  constructor(
    /** The UDS client of the ECU. */
    readonly client: UdsClient,
    options: TesterOptions = {},
  ) {
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError('Tester: options must be an object', { field: 'options' });
    }
    this.keepAlive = options.keepAlive ?? {};
  }

  /** The session last opened by this tester (undefined before `openSession`). */
  get session(): number | undefined {
    return this.sessionType;
  }

  /**
   * `10 type` (default 0x03 extended; 0x02 programming, ...). A non-default session starts the
   * TesterPresent keep-alive; the default session stops it. Returns the session's P2/P2*.
   */
  async openSession(type = 0x03): Promise<DiagnosticSessionControlResponse> {
    const res = await this.client.diagnosticSessionControl(type);
    this.sessionType = type;
    // ISO 14229-1:2020 10.2 / spec/uds.md — a non-default session ends after S3 without a request.
    if (type === DEFAULT_SESSION) this.client.stopTesterPresent();
    else if (this.keepAlive !== false) this.client.startTesterPresent(this.keepAlive);
    return res;
  }

  /** `27 level` -> the seed (all zeros: already unlocked). */
  requestSeed(level: number): Promise<Uint8Array> {
    return this.client.securityAccessRequestSeed(level);
  }

  /** `27 level+1 key`; `level` is the requestSeed level (odd) or the sendKey value (even). */
  sendKey(level: number, key: Uint8Array): Promise<void> {
    return this.client.securityAccessSendKey(level, key);
  }

  /** requestSeed, key from `options.algorithm` and `options.secret`, sendKey; skips the key when the seed is all zeros. */
  unlock(level: number, options: UnlockOptions): Promise<UnlockResult> {
    return unlockLevel(this.client, level, options);
  }

  /** `31 01 FF00` erase of `size` bytes at `address`; checks the routine status. */
  eraseMemory(address: number, size: number, options?: EraseOptions): Promise<Uint8Array> {
    return eraseMemory(this.client, address, size, options);
  }

  /** 34 / 36... / 37 of `data` at `address`, comparing the ECU's CRC32; see {@link DownloadOptions}. */
  download(address: number, data: Uint8Array, options?: DownloadOptions): Promise<DownloadResult> {
    return downloadData(this.client, address, data, options);
  }

  /** `31 01 0202 crc32`: the ECU checks what was downloaded. */
  async checkMemory(crc32: number, routineId: number = ROUTINE.checkMemory): Promise<void> {
    await checkMemory(this.client, crc32, routineId);
  }

  /** `31 01 FF01`: the ECU checks the programming dependencies and marks the application valid. */
  async checkDependencies(routineId: number = ROUTINE.checkProgrammingDependencies): Promise<void> {
    await checkDependencies(this.client, routineId);
  }

  /** `11 type` (default 0x01 hard reset). A reset ends the session, so the keep-alive stops. */
  async reset(type = 0x01): Promise<EcuResetResponse> {
    const res = await this.client.ecuReset(type);
    // ISO 14229-1:2020 10.3 — after hardReset, keyOffOnReset and softReset the ECU is in the default session.
    if (type >= 0x01 && type <= 0x03) {
      this.client.stopTesterPresent();
      this.sessionType = DEFAULT_SESSION;
    }
    return res;
  }

  /** 35 / 36... / 37 of `size` bytes at `address` (any size; the last block may be shorter). */
  upload(address: number, size: number, options?: UploadOptions): Promise<Uint8Array> {
    return uploadData(this.client, address, size, options);
  }

  /** AddFile (or ReplaceFile with `replace`) 38 / 36... / 37 of `data` at `path` on the ECU's file system. */
  putFile(path: string, data: Uint8Array, options?: PutFileOptions): Promise<PutFileResult> {
    return putFile(this.client, path, data, options);
  }

  /** ResumeFile 38 06 of an interrupted put: sends `data` (the whole file) from the ECU's filePosition on. */
  resumeFile(path: string, data: Uint8Array, options?: PutFileOptions): Promise<PutFileResult> {
    return resumeFile(this.client, path, data, options);
  }

  /** ReadFile 38 04 / 36... / 37: the file's bytes. */
  getFile(path: string, options?: FileTransferOptions): Promise<Uint8Array> {
    return getFile(this.client, path, options);
  }

  /** ReadDir 38 05 / 36... / 37: the directory's entries. */
  listDirectory(path: string, options?: FileTransferOptions): Promise<DirectoryListing> {
    return listDirectory(this.client, path, options);
  }

  /** DeleteFile 38 02. */
  deleteFile(path: string): Promise<void> {
    return deleteFile(this.client, path);
  }

  /** Stops the keep-alive and returns to the default session (`10 01`). */
  async closeSession(): Promise<void> {
    this.client.stopTesterPresent();
    await this.client.diagnosticSessionControl(DEFAULT_SESSION);
    this.sessionType = DEFAULT_SESSION;
  }
}
