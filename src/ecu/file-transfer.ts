/**
 * RequestFileTransfer (0x38) on the ECU's file area, ISO 14229-1:2020 15.6: the service-specific checks
 * of each modeOfOperation with their NRCs, and the start of the file transfer that TransferData (36) and
 * RequestTransferExit (37) then carry through {@link TransferManager} (same counter and length rules as
 * 34/35). Session and security were checked by the service table (file-transfer-access.ts).
 *
 * Checks, first failing wins: format (codec: 0x13, reserved mode 0x31, size beyond 2^53-1 0x70) ->
 * path rules 0x31 -> dataFormatIdentifier 0x31 -> a transfer already active 0x22/0x70 (transfer.busyNrc)
 * -> the mode's own checks below.
 */
import { crc32 } from '../core/crc.js';
import { hexByte } from '../core/hex.js';
import { modeOfOperationName, MODE_OF_OPERATION, type RequestFileTransferRequest, type RequestFileTransferResponse } from '../uds/codec/0x38-request-file-transfer.js';
import { NRC } from '../uds/codec/nrc.js';
import { NrcError } from '../uds/server/nrc-error.js';
import type { EcuConfig } from './config.js';
import type { FilesConfig } from './config-files.js';
import { FileAreaError, formatDirectoryListing, MemoryFileArea, type FileArea } from './file-area.js';
import { FsFileArea } from './file-area-fs.js';
import { isParsedFilePath, parseFilePath, type ParsedFilePath } from './file-path.js';
import { ecuStateDirectory } from './state-dir.js';
import type { FileTransferEndpoint, TransferManager } from './transfer.js';

/** The largest request and response the link carries (they cap maxNumberOfBlockLength). */
export interface FileTransferLimits {
  readonly maxRequestLength: number;
  readonly maxResponseLength: number;
}

/** Dependencies of a {@link FileTransferService}. */
export interface FileTransferServiceOptions {
  /** The profile's `files` section. */
  readonly config: FilesConfig;
  /** dataFormatIdentifiers the ECU accepts (profile `transfer.dataFormatIdentifiers`, shared with 34/35). */
  readonly dataFormatIdentifiers: readonly number[];
  /** Where the files live. */
  readonly area: FileArea;
  /** The ECU's transfer state machine (36/37). */
  readonly transfer: TransferManager;
}

/** The file area of an ECU: in memory, or `<stateDir>/<address>/files/` when a state directory is given. */
export function createFileArea(config: FilesConfig, address: number, stateDir?: string): FileArea {
  return stateDir === undefined ? new MemoryFileArea(config.initial) : new FsFileArea(ecuStateDirectory(stateDir, address), config.initial);
}

/** Runs `fn`; a storage failure becomes the NRC `nrc` (0x72 for writes, 0x22 for reads). */
async function io<T>(nrc: number, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof FileAreaError) throw new NrcError(nrc, e.message);
    throw e;
  }
}

/** The 0x38 side of an ECU: checks a request, starts its transfer, answers the 78 fields. */
export class FileTransferService {
  /** The ECU's file area. */
  readonly area: FileArea;

  constructor(private readonly options: FileTransferServiceOptions) {
    this.area = options.area;
  }

  /** Serves one decoded 0x38 request; throws {@link NrcError} with the NRC of the first failing check. */
  async request(req: RequestFileTransferRequest, limits: FileTransferLimits): Promise<RequestFileTransferResponse> {
    const mode = req.modeOfOperation;
    const parsed = parseFilePath(req.filePathAndName, this.options.config.maxPathLength);
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — filePathAndName is not valid (udskit's rules: file-path.ts).
    if (!isParsedFilePath(parsed)) throw new NrcError(NRC.requestOutOfRange, `${modeOfOperationName(mode)} "${req.filePathAndName}": ${parsed}`);
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — dataFormatIdentifier not supported (same list as 34/35).
    const dfi = req.dataFormatIdentifier;
    if (dfi !== undefined && !this.options.dataFormatIdentifiers.includes(dfi)) {
      throw new NrcError(NRC.requestOutOfRange, `dataFormatIdentifier 0x${hexByte(dfi)} is not supported`);
    }
    const transfer = this.options.transfer;
    // A ResumeFile of the download that is still running takes it over (the tester lost track of it).
    if (mode === MODE_OF_OPERATION.resumeFile && transfer.activeFile?.path === parsed.key && transfer.activeFile.write) transfer.abort();
    // spec/uds.md / ISO 14229-1:2020 15.6.4 NRC 0x22 (or 0x70 as configured) — a transfer is already active.
    transfer.assertIdle();
    await io(NRC.conditionsNotCorrect, () => this.area.open());
    switch (mode) {
      case MODE_OF_OPERATION.addFile:
      case MODE_OF_OPERATION.replaceFile:
        return this.startDownload(req, parsed, limits);
      case MODE_OF_OPERATION.resumeFile:
        return this.resume(req, parsed, limits);
      case MODE_OF_OPERATION.deleteFile:
        return this.delete(parsed);
      case MODE_OF_OPERATION.readFile:
        return this.readFile(req, parsed, limits);
      default:
        return this.readDir(parsed, limits);
    }
  }

  /** 01 AddFile / 03 ReplaceFile. */
  private async startDownload(req: RequestFileTransferRequest, path: ParsedFilePath, limits: FileTransferLimits): Promise<RequestFileTransferResponse> {
    const mode = req.modeOfOperation;
    const what = `${modeOfOperationName(mode)} "${path.key}"`;
    const existing = await this.fileTarget(path, what);
    // ISO 14229-1:2020 15.6.2 — AddFile adds a file that is not there; the standard names no NRC for an
    // existing one, udskit answers 0x31 as for any filePathAndName it cannot use. (ReplaceFile adds the
    // file when it does not exist: not an error.)
    if (mode === MODE_OF_OPERATION.addFile && existing !== undefined) {
      throw new NrcError(NRC.requestOutOfRange, `${what}: the file exists; use ReplaceFile (0x03) or delete it first`);
    }
    const { dataFormatIdentifier = 0, fileSizeUncompressed = 0, fileSizeCompressed = 0 } = req;
    await this.checkSizes(what, dataFormatIdentifier, fileSizeUncompressed, fileSizeCompressed, existing ?? 0);
    await io(NRC.generalProgrammingFailure, () =>
      this.area.beginPartial({ key: path.key, modeOfOperation: mode, dataFormatIdentifier, fileSizeUncompressed, fileSizeCompressed }),
    );
    const max = this.options.transfer.startFileTransfer('download', fileSizeCompressed, this.downloadEndpoint(path.key, mode, 0), this.options.config.maxBlockLength, limits.maxRequestLength);
    return { modeOfOperation: mode, maxNumberOfBlockLength: max, dataFormatIdentifier };
  }

  /** 06 ResumeFile: continues the partial download of AddFile / ReplaceFile from where it stopped. */
  private async resume(req: RequestFileTransferRequest, path: ParsedFilePath, limits: FileTransferLimits): Promise<RequestFileTransferResponse> {
    const what = `ResumeFile "${path.key}"`;
    const existing = await this.fileTarget(path, what);
    const partial = await io(NRC.conditionsNotCorrect, () => this.area.partial(path.key));
    // ISO 14229-1:2020 15.6.4 NRC 0x24 (ResumeFile) — no suspended download of this file to resume.
    if (!partial) {
      throw new NrcError(NRC.requestSequenceError, `${what}: no interrupted AddFile/ReplaceFile download of this path; start it with AddFile (0x01)`);
    }
    const { dataFormatIdentifier = 0, fileSizeUncompressed = 0, fileSizeCompressed = 0 } = req;
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — the request must describe the same file as the interrupted one.
    if (
      dataFormatIdentifier !== partial.dataFormatIdentifier ||
      fileSizeUncompressed !== partial.fileSizeUncompressed ||
      fileSizeCompressed !== partial.fileSizeCompressed
    ) {
      throw new NrcError(
        NRC.requestOutOfRange,
        `${what}: DFI 0x${hexByte(dataFormatIdentifier)} and sizes ${fileSizeUncompressed}/${fileSizeCompressed} differ from the interrupted ` +
          `download (DFI 0x${hexByte(partial.dataFormatIdentifier)}, ${partial.fileSizeUncompressed}/${partial.fileSizeCompressed})`,
      );
    }
    await this.checkSizes(what, dataFormatIdentifier, fileSizeUncompressed, fileSizeCompressed, existing ?? 0);
    const endpoint = this.downloadEndpoint(path.key, MODE_OF_OPERATION.resumeFile, partial.position);
    const max = this.options.transfer.startFileTransfer('download', fileSizeCompressed - partial.position, endpoint, this.options.config.maxBlockLength, limits.maxRequestLength);
    return { modeOfOperation: MODE_OF_OPERATION.resumeFile, maxNumberOfBlockLength: max, dataFormatIdentifier, filePosition: partial.position };
  }

  /** 02 DeleteFile: completes at once (no 36/37, ISO 14229-1:2020 15.6.1). */
  private async delete(path: ParsedFilePath): Promise<RequestFileTransferResponse> {
    const stat = path.isDirectorySyntax ? undefined : await io(NRC.conditionsNotCorrect, () => this.area.stat(path.key));
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — filePathAndName names no file (missing, or a directory).
    if (stat?.kind !== 'file') {
      throw new NrcError(NRC.requestOutOfRange, `DeleteFile "${path.key}": ${stat ? 'is a directory; delete its files' : 'no such file'}`);
    }
    await io(NRC.generalProgrammingFailure, () => this.area.deleteFile(path.key));
    return { modeOfOperation: MODE_OF_OPERATION.deleteFile };
  }

  /** 04 ReadFile: the file's bytes go out in the 36 responses (upload direction). */
  private async readFile(req: RequestFileTransferRequest, path: ParsedFilePath, limits: FileTransferLimits): Promise<RequestFileTransferResponse> {
    const stat = path.isDirectorySyntax ? undefined : await io(NRC.conditionsNotCorrect, () => this.area.stat(path.key));
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — filePathAndName names no file.
    if (stat?.kind !== 'file') throw new NrcError(NRC.requestOutOfRange, `ReadFile "${path.key}": ${stat ? 'is a directory; use ReadDir (0x05)' : 'no such file'}`);
    const content = await io(NRC.conditionsNotCorrect, () => this.area.readFile(path.key));
    const max = this.startUpload(path.key, MODE_OF_OPERATION.readFile, content, limits);
    return {
      modeOfOperation: MODE_OF_OPERATION.readFile,
      maxNumberOfBlockLength: max,
      dataFormatIdentifier: req.dataFormatIdentifier ?? 0,
      fileSizeUncompressedOrDirInfoLength: content.length,
      fileSizeCompressed: content.length,
    };
  }

  /** 05 ReadDir: the listing (file-area.ts `formatDirectoryListing`) goes out in the 36 responses. */
  private async readDir(path: ParsedFilePath, limits: FileTransferLimits): Promise<RequestFileTransferResponse> {
    const stat = await io(NRC.conditionsNotCorrect, () => this.area.stat(path.key));
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — filePathAndName names no directory.
    if (stat?.kind !== 'directory') throw new NrcError(NRC.requestOutOfRange, `ReadDir "${path.key}": ${stat ? 'is a file; use ReadFile (0x04)' : 'no such directory'}`);
    const listing = formatDirectoryListing(await io(NRC.conditionsNotCorrect, () => this.area.list(path.key)));
    const max = this.startUpload(path.key, MODE_OF_OPERATION.readDir, listing, limits);
    // ISO 14229-1:2020 15.6.3 — ReadDir: dataFormatIdentifier 0x00, fileSizeUncompressedOrDirInfoLength = listing length.
    return { modeOfOperation: MODE_OF_OPERATION.readDir, maxNumberOfBlockLength: max, dataFormatIdentifier: 0x00, fileSizeUncompressedOrDirInfoLength: listing.length };
  }

  /**
   * For AddFile / ReplaceFile / ResumeFile: refuses a directory path, a path below a file (0x31); returns
   * the size of the file already there, if any.
   */
  private async fileTarget(path: ParsedFilePath, what: string): Promise<number | undefined> {
    // ISO 14229-1:2020 15.6.4 NRC 0x31 — filePathAndName must name a file.
    if (path.isDirectorySyntax) throw new NrcError(NRC.requestOutOfRange, `${what}: the path names a directory; give a file name`);
    for (let n = 1; n < path.parts.length; n++) {
      const dir = path.parts.slice(0, n).join('/');
      const s = await io(NRC.conditionsNotCorrect, () => this.area.stat(dir));
      if (s?.kind === 'file') throw new NrcError(NRC.requestOutOfRange, `${what}: "${dir}" is a file, not a directory`);
    }
    const s = await io(NRC.conditionsNotCorrect, () => this.area.stat(path.key));
    if (s?.kind === 'directory') throw new NrcError(NRC.requestOutOfRange, `${what}: the path is a directory`);
    return s?.size;
  }

  /** Size rules of a download: consistent sizes (0x31), within maxFileSize and maxTotalBytes (0x70). */
  private async checkSizes(what: string, dfi: number, uncompressed: number, compressed: number, replaced: number): Promise<void> {
    const cfg = this.options.config;
    // ISO 14229-1:2020 15.6.2 — without compression (DFI high nibble 0) both sizes are the same file size.
    if (dfi >> 4 === 0 && uncompressed !== compressed) {
      throw new NrcError(NRC.requestOutOfRange, `${what}: fileSizeUnCompressed ${uncompressed} and fileSizeCompressed ${compressed} differ without compression`);
    }
    // ISO 14229-1:2020 15.6.4 NRC 0x70 — the server cannot take a file this large.
    const largest = Math.max(uncompressed, compressed);
    if (largest > cfg.maxFileSize) throw new NrcError(NRC.uploadDownloadNotAccepted, `${what}: ${largest} bytes exceed the largest file (${cfg.maxFileSize} bytes)`);
    const used = await io(NRC.conditionsNotCorrect, () => this.area.usedBytes());
    if (used - replaced + compressed > cfg.maxTotalBytes) {
      throw new NrcError(
        NRC.uploadDownloadNotAccepted,
        `${what}: ${compressed} more bytes do not fit (${used} of ${cfg.maxTotalBytes} bytes used); delete files first`,
      );
    }
  }

  private downloadEndpoint(key: string, mode: number, offset: number): FileTransferEndpoint {
    const area = this.area;
    return {
      path: key,
      modeOfOperation: mode,
      offset,
      // ISO 14229-1:2020 15.4.4 NRC 0x72 — the data could not be stored.
      write: (data) => io(NRC.generalProgrammingFailure, () => area.appendPartial(key, data)),
      // The file lands atomically at 37 (file-area.ts); a failure there is 0x72 and leaves the partial for ResumeFile.
      finish: () => io(NRC.generalProgrammingFailure, () => area.commitPartial(key)),
    };
  }

  private startUpload(key: string, mode: number, content: Uint8Array, limits: FileTransferLimits): number {
    const endpoint: FileTransferEndpoint = { path: key, modeOfOperation: mode, offset: 0, content, finish: async () => crc32(content) };
    return this.options.transfer.startFileTransfer('upload', content.length, endpoint, this.options.config.maxBlockLength, limits.maxResponseLength);
  }
}

/**
 * The 0x38 service of an ECU model: its file area (in memory, or under `stateDir`) on the ECU's
 * transfer state machine. `EcuRuntime` creates it.
 */
export function fileTransferFor(ecu: { readonly config: EcuConfig; readonly transfer: TransferManager }, stateDir?: string): FileTransferService {
  const config = ecu.config;
  return new FileTransferService({
    config: config.files,
    dataFormatIdentifiers: config.transfer.dataFormatIdentifiers,
    area: createFileArea(config.files, config.address, stateDir),
    transfer: ecu.transfer,
  });
}
