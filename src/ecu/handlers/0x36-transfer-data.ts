/** TransferData (0x36), ISO 14229-1:2020 15.4: one block of the active download or upload. */
import { transferData } from '../../uds/codec/0x36-transfer-data.js';
import type { EcuHandler } from './types.js';

/** Handler of 0x36. */
export const transferDataHandler: EcuHandler = async (ctx) => {
  const req = transferData.decodeRequest(ctx.data);
  // The transfer manager builds the whole `76 counter [data]`: an upload block is read into it in place.
  return ctx.env.transfer.transferDataResponse(req.blockSequenceCounter, req.data);
};
