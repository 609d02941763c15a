/**
 * RequestTransferExit (0x37), ISO 14229-1:2020 15.5: ends the transfer; the simulator answers the
 * CRC32 of the transferred range, 4 bytes big endian (spec/uds.md). After a file transfer (0x38) it is
 * the CRC32 of the whole file (or directory listing), and a downloaded file lands atomically here.
 */
import { uintToBytes } from '../../core/bytes.js';
import { requestTransferExit } from '../../uds/codec/0x37-request-transfer-exit.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x37. */
export const requestTransferExitHandler: EcuHandler = async (ctx) => {
  requestTransferExit.decodeRequest(ctx.data);
  const crc = await ctx.env.transfer.requestTransferExit();
  // With a state directory: what was downloaded is durable before the positive response goes out.
  await ctx.env.flushPersistence();
  return requestTransferExit.encodeResponse({ record: uintToBytes(crc, 4) });
};
