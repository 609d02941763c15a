/** The high-level tester API (seed 000): sessions, unlock, erase, download, check, reset, upload. */
export { Tester, type TesterOptions } from './tester.js';
export { downloadData, dataBytesPerBlock, type DownloadOptions, type DownloadProgress, type DownloadResult, type TransferOptions } from './download.js';
export { uploadData, type UploadOptions, type UploadProgress } from './upload.js';
export { unlockLevel, computeKey, resolveAlgorithm, type UnlockOptions, type UnlockResult } from './security.js';
export { eraseMemory, checkMemory, checkDependencies, checkRoutineStatus, ROUTINE, type EraseOptions } from './routines.js';
export { TransferStepError, CrcMismatchError, RoutineFailedError, FileTransferError } from './errors.js';
export {
  putFile,
  resumeFile,
  getFile,
  listDirectory,
  deleteFile,
  type FileProgress,
  type FileTransferOptions,
  type PutFileOptions,
  type PutFileResult,
  type DirectoryListing,
} from './file-transfer.js';
export { waitForEcu, type WaitForEcuOptions } from './wait-for-ecu.js';
