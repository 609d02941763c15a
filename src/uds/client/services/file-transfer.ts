/**
 * Typed client call of RequestFileTransfer (0x38), ISO 14229-1:2020 15.6. The data then moves with
 * TransferData (36) and RequestTransferExit (37) as after 34/35 (see services/transfer.ts and the
 * tester's file helpers in src/tester/file-transfer.ts).
 */
import { InvalidArgumentError } from '../../../core/errors.js';
import {
  requestFileTransfer as codec,
  type RequestFileTransferRequest,
  type RequestFileTransferResponse,
} from '../../codec/0x38-request-file-transfer.js';
import { InvalidResponseError } from '../errors.js';
import type { UdsRequester } from '../types.js';
import { checkEcho, decodePositive, requestOptionsOf } from './common.js';
import type { TransferCallOptions } from './transfer.js';

/**
 * `38 modeOfOperation pathLen path [DFI] [sizes]` -> the decoded `78` response (maxNumberOfBlockLength,
 * file size or directory information length, filePosition, by mode). Checks the modeOfOperation echo.
 * Throws `InvalidArgumentError` for a request the codec cannot encode (e.g. AddFile without a size).
 */
export async function requestFileTransfer(
  c: UdsRequester,
  req: RequestFileTransferRequest,
  opts?: TransferCallOptions,
): Promise<RequestFileTransferResponse> {
  if (req === null || typeof req !== 'object') {
    throw new InvalidArgumentError(`${codec.name}: pass { modeOfOperation, filePathAndName, ... }`, { field: 'req' });
  }
  const bytes = codec.encodeRequest(req);
  const res = await c.request(bytes, requestOptionsOf(opts, false, [req.modeOfOperation]));
  if (!res) throw new InvalidResponseError({ sid: codec.sid, source: c.target, response: new Uint8Array(0), reason: 'no response' });
  const decoded = decodePositive(codec, res, c.target);
  // ISO 14229-1:2020 15.6.3 — the response echoes modeOfOperation.
  checkEcho(codec.sid, c.target, res, 'modeOfOperation', decoded.modeOfOperation, req.modeOfOperation);
  return decoded;
}
