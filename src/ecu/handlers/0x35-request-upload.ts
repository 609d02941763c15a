/** RequestUpload (0x35), ISO 14229-1:2020 15.3: starts an upload (checks in `TransferManager`). */
import { requestUpload } from '../../uds/codec/0x35-request-upload.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x35. maxNumberOfBlockLength is capped by the largest response the link carries. */
export const requestUploadHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 15.3.4 NRC 0x13 — ALFID nibbles 1..4 and the length matching them (codec).
  const req = requestUpload.decodeRequest(ctx.data);
  const maxNumberOfBlockLength = ctx.env.transfer.requestUpload(req, ctx.maxResponseLength);
  return requestUpload.encodeResponse({ maxNumberOfBlockLength });
};
