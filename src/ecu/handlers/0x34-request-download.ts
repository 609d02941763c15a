/** RequestDownload (0x34), ISO 14229-1:2020 15.2: starts a download (checks in `TransferManager`). */
import { requestDownload } from '../../uds/codec/0x34-request-download.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x34. maxNumberOfBlockLength is capped by the largest request the link carries. */
export const requestDownloadHandler: EcuHandler = (ctx) => {
  // ISO 14229-1:2020 15.2.4 NRC 0x13 — ALFID nibbles 1..4 and the length matching them (codec).
  const req = requestDownload.decodeRequest(ctx.data);
  const maxNumberOfBlockLength = ctx.env.transfer.requestDownload(req, ctx.maxRequestLength);
  return requestDownload.encodeResponse({ maxNumberOfBlockLength });
};
