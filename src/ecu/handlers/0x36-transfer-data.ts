/** TransferData (0x36), ISO 14229-1:2020 15.4: one block of the active download or upload. */
import { transferData } from '../../uds/codec/0x36-transfer-data.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x36. */
export const transferDataHandler: EcuHandler = async (ctx) => {
  const req = transferData.decodeRequest(ctx.data);
  const data = await ctx.env.transfer.transferData(req.blockSequenceCounter, req.data);
  return transferData.encodeResponse({ blockSequenceCounter: req.blockSequenceCounter, data });
};
