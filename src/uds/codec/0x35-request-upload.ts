/**
 * RequestUpload (0x35), ISO 14229-1:2020 15.3. Same formats as RequestDownload (0x34):
 * request `35 DFI ALFID memoryAddress memorySize`, positive response `75 LFI maxNumberOfBlockLength`.
 */
import { makeTransferRequestCodec, type RequestDownloadRequest, type RequestDownloadResponse } from './0x34-request-download.js';
import type { ServiceCodec } from './service-codec.js';
import { SID } from './sid.js';

/** A decoded 0x35 request (same fields as 0x34). */
export type RequestUploadRequest = RequestDownloadRequest;
/** A decoded 0x35 positive response (same fields as 0x34). */
export type RequestUploadResponse = RequestDownloadResponse;

/** Codec of RequestUpload (0x35). */
export const requestUpload: ServiceCodec<RequestUploadRequest, RequestUploadResponse> = makeTransferRequestCodec(
  SID.RequestUpload,
  'RequestUpload',
);
