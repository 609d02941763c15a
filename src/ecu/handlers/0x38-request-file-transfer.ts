/**
 * RequestFileTransfer (0x38), ISO 14229-1:2020 15.6: add, replace, resume (download), read, read
 * directory (upload) or delete a file of the ECU's file area. The checks per modeOfOperation and their
 * NRCs are in `FileTransferService` (file-transfer.ts); 36/37 then carry the data.
 */
import { requestFileTransfer } from '../../uds/codec/0x38-request-file-transfer.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x38. maxNumberOfBlockLength is capped by what the link carries, as for 0x34/0x35. */
export const requestFileTransferHandler: EcuHandler = async (ctx) => {
  // ISO 14229-1:2020 15.6.4 NRC 0x13 — length and length fields consistent with the mode (codec);
  // NRC 0x31 for a reserved modeOfOperation (codec).
  const req = requestFileTransfer.decodeRequest(ctx.data);
  const res = await ctx.env.fileTransfer.request(req, { maxRequestLength: ctx.maxRequestLength, maxResponseLength: ctx.maxResponseLength });
  return requestFileTransfer.encodeResponse(res);
};
